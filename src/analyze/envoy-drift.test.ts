import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinedInputFromYaml, routeDump } from '../../test/support/analyze-fixture.js';
import { envoyDriftCheck } from './envoy-drift.js';

const HOST = 'demoapp.app.svc.cluster.local';
const yaml = `
apiVersion: v1
kind: Service
metadata: {name: demoapp, namespace: app}
spec: {selector: {app: demoapp}, ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend-1, namespace: app, labels: {app: frontend}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
status: {podIP: 10.1.0.21}
---
apiVersion: v1
kind: Pod
metadata: {name: frontend-2, namespace: app, labels: {app: frontend}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
status: {podIP: 10.1.0.22}
---
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

const dump = (v2: number, canary: number) => routeDump({ vs: 'demoapp.app', host: HOST, port: 8080, weights: { v2, canary } });

test('MS0201: the proxy still running the old weights is named; the up-to-date one is not', () => {
  const input = joinedInputFromYaml({ c1: yaml }, [
    { context: 'c1', namespace: 'app', pod: 'frontend-1', parsed: dump(90, 10) },
    { context: 'c1', namespace: 'app', pod: 'frontend-2', parsed: dump(100, 0) },
  ]);
  const f = envoyDriftCheck.run(input);
  assert.deepEqual(f.map((x) => [x.code, x.level, x.origin, x.proxy, x.path]), [['MS0201', 'Warning', 'VirtualService app/demoapp', 'app/frontend-2', 'spec.http[0]']]);
  assert.match(f[0]!.message, /^Proxy app\/frontend-2 does not run what rule "split" intends: .*v2 90%.*canary 10%.*v2 100%.*canary 0%/);
});

test('MS0201: nothing when every proxy runs the intended weights, or when no proxy was loaded', () => {
  assert.deepEqual(envoyDriftCheck.run(joinedInputFromYaml({ c1: yaml }, [{ context: 'c1', namespace: 'app', pod: 'frontend-1', parsed: dump(90, 10) }])), []);
  assert.deepEqual(envoyDriftCheck.run(joinedInputFromYaml({ c1: yaml })), []);
});
