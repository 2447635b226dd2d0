import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinedInputFromYaml, routeDump } from '../../test/support/analyze-fixture.js';
import { describeWeights, destinationFor, intendedWeights, progressLine, ruleConvergence } from './convergence.js';

const HOST = 'demoapp.app.svc.cluster.local';
const pod = (name: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: app, labels: {app: frontend}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
`;
const yaml = `
apiVersion: v1
kind: Service
metadata: {name: demoapp, namespace: app}
spec: {selector: {app: demoapp}, ports: [{name: http, port: 8080}]}
${pod('fe-1')}${pod('fe-2')}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demoapp, namespace: app}
spec:
  hosts: [demoapp]
  http:
  - name: split
    route:
    - {destination: {host: demoapp, subset: v2}, weight: 100}
    - {destination: {host: demoapp, subset: v2-canary}, weight: 0}
`;

test('each proxy against the rule\'s weights: converged or what it still runs; the progress line names the waiting', () => {
  const input = joinedInputFromYaml({ c1: yaml }, [
    { context: 'c1', namespace: 'app', pod: 'fe-1', parsed: routeDump({ vs: 'demoapp.app', host: HOST, port: 8080, weights: { v2: 100, 'v2-canary': 0 } }) },
    { context: 'c1', namespace: 'app', pod: 'fe-2', parsed: routeDump({ vs: 'demoapp.app', host: HOST, port: 8080, weights: { v2: 90, 'v2-canary': 10 } }) },
  ]);
  const rule = [...input.mesh!.allRules()][0]!;
  const states = ruleConvergence(rule, input.mesh!.proxies());
  assert.deepEqual(states.map((s) => [s.proxy, s.converged, s.runs]), [
    ['app/fe-1', true, 'demoapp v2 100% / v2-canary 0%'],
    ['app/fe-2', false, 'demoapp v2 90% / v2-canary 10%'],
  ]);
  const target = intendedWeights(rule);
  assert.equal(progressLine(states, target), '1/2 proxies run demoapp v2 100% / v2-canary 0%; waiting: fe-2 (c1)');
  assert.equal(progressLine(states, target, new Map([['c1/app/fe-2', 'istiod: RDS STALE']])), '1/2 proxies run demoapp v2 100% / v2-canary 0%; waiting: fe-2 (c1, istiod: RDS STALE)');
  const other = new Map([[`${HOST}|v2`, 90], [`${HOST}|v2-canary`, 10]]);
  assert.deepEqual(ruleConvergence(rule, input.mesh!.proxies(), other).map((s) => s.converged), [false, true]);
  assert.equal(destinationFor(rule, 'v2-canary')?.subset, 'v2-canary');
  assert.equal(destinationFor(rule, 'demoapp:v2')?.subset, 'v2');
  assert.equal(destinationFor(rule, 'demoapp'), undefined, 'ambiguous');
  assert.equal(describeWeights(undefined), 'no route for the rule');
  // A proxy whose re-read failed: what it ran when last read, and why it was not read again.
  const fe2 = input.mesh!.proxies().find((p) => p.podName === 'fe-2')!;
  fe2.error = 'not read again: forbidden';
  assert.deepEqual(ruleConvergence(rule, input.mesh!.proxies()).map((s) => [s.converged, s.runs, s.error]), [
    [true, 'demoapp v2 100% / v2-canary 0%', undefined],
    [false, 'demoapp v2 90% / v2-canary 10%', 'not read again: forbidden'],
  ]);
});
