import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinedInputFromYaml, routeDump } from '../../test/support/analyze-fixture.js';
import { trafficShareCheck, shareTolerance } from './traffic-share.js';
import { trafficErrorsCheck } from './traffic-errors.js';
import type { AnalysisInput } from './input.js';

const HOST = 'demoapp.app.svc.cluster.local';
const pod = (name: string, ip: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: app, labels: {app: frontend}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
status: {podIP: ${ip}}
`;
const yaml = `
apiVersion: v1
kind: Service
metadata: {name: demoapp, namespace: app}
spec: {selector: {app: demoapp}, ports: [{name: http, port: 8080}]}
${pod('frontend-1', '10.1.0.21')}${pod('frontend-2', '10.1.0.22')}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demoapp, namespace: app}
spec:
  host: demoapp
  subsets: [{name: v2, labels: {version: v2}}, {name: canary, labels: {version: canary}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demoapp, namespace: app}
spec:
  hosts: [demoapp]
  http:
  - name: split
    route:
    - {destination: {host: demoapp, subset: v2}, weight: 90}
    - {destination: {host: demoapp, subset: canary}, weight: 10}
`;

type Counts = Record<string, { rq: number; rq5xx?: number }>;
const cluster = (subset: string) => `outbound|8080|${subset}|${HOST}`;
/** stats.json whose counters move by `counts` over 10 s. */
function statsFile(counts: Counts) {
  const answer = (k: number) => ({ stats: Object.entries(counts).flatMap(([s, c]) => [
    { name: `cluster.${cluster(s)}.upstream_rq_total`, value: 1000 + k * c.rq },
    { name: `cluster.${cluster(s)}.upstream_rq_5xx`, value: 7 + k * (c.rq5xx ?? 0) },
  ]) });
  return { samples: [{ time: '2025-03-14T09:31:00Z', stats: answer(0) }, { time: '2025-03-14T09:31:10Z', stats: answer(1) }] };
}

function input(p1: Counts, p2: Counts): AnalysisInput {
  const dump = routeDump({ vs: 'demoapp.app', host: HOST, port: 8080, weights: { v2: 90, canary: 10 } });
  const inp = joinedInputFromYaml({ c1: yaml }, [
    { context: 'c1', namespace: 'app', pod: 'frontend-1', parsed: dump },
    { context: 'c1', namespace: 'app', pod: 'frontend-2', parsed: dump },
  ]);
  for (const p of inp.mesh!.proxies()) p.dump.stats = statsFile(p.podName === 'frontend-1' ? p1 : p2);
  return inp;
}

test('MS0203: the proxy whose observed split is off names itself, with the starved destination; in tolerance is quiet', () => {
  const f = trafficShareCheck.run(input({ v2: { rq: 450 }, canary: { rq: 50 } }, { v2: { rq: 300 }, canary: { rq: 0 } }));
  assert.deepEqual(f.map((x) => [x.code, x.level, x.proxy, x.path]), [['MS0203', 'Warning', 'app/frontend-2', 'spec.http[0]']]);
  assert.match(f[0]!.message, /^Destination demoapp canary of rule "split" got 0% of the 300 requests counted on app\/frontend-2, its weight is 10%/);
  // 12% over 500 requests is within max(5 points, 3σ); too few requests is not judged at all.
  assert.deepEqual(trafficShareCheck.run(input({ v2: { rq: 440 }, canary: { rq: 60 } }, { v2: { rq: 40 }, canary: { rq: 0 } })), []);
  assert.ok(shareTolerance(0.1, 100) > 0.05 && shareTolerance(0.1, 100000) === 0.05);
});

test('MS0203: when no proxy counted enough alone, the total is judged and every counting proxy is named', () => {
  const f = trafficShareCheck.run(input({ v2: { rq: 60 }, canary: { rq: 0 } }, { v2: { rq: 60 }, canary: { rq: 0 } }));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /got 0% of the 120 requests counted on app\/frontend-1, app\/frontend-2/);
  assert.equal(f[0]!.proxy, undefined);
});

test('MS0204: a destination answering 5xx while its sibling does not, naming the proxies that saw them', () => {
  const f = trafficErrorsCheck.run(input({ v2: { rq: 450, rq5xx: 0 }, canary: { rq: 50, rq5xx: 9 } }, { v2: { rq: 90 }, canary: { rq: 10, rq5xx: 0 } }));
  assert.deepEqual(f.map((x) => [x.code, x.proxy, x.path]), [['MS0204', 'app/frontend-1', 'spec.http[0].route[1].destination']]);
  assert.match(f[0]!.message, /^Destination demoapp canary of rule "split" answered 5xx to 15% of 60 requests while demoapp v2 did not \(counted on app\/frontend-1\)/);
  // Both failing alike is not this finding (a shared dependency, not a bad subset); no stats, no finding.
  assert.deepEqual(trafficErrorsCheck.run(input({ v2: { rq: 450, rq5xx: 60 }, canary: { rq: 50, rq5xx: 9 } }, { v2: { rq: 0 }, canary: { rq: 0 } })), []);
  const none = joinedInputFromYaml({ c1: yaml }, [{ context: 'c1', namespace: 'app', pod: 'frontend-1', parsed: routeDump({ vs: 'demoapp.app', host: HOST, port: 8080, weights: { v2: 90, canary: 10 } }) }]);
  assert.deepEqual([...trafficErrorsCheck.run(none), ...trafficShareCheck.run(none)], []);
});
