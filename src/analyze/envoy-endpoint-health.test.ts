import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinedInputFromYaml, routeDump } from '../../test/support/analyze-fixture.js';
import { envoyHealthCheck } from './envoy-endpoint-health.js';

const HOST = 'grafana.istio-system.svc.cluster.local';
const yaml = `
apiVersion: v1
kind: Service
metadata: {name: grafana, namespace: istio-system}
spec: {selector: {app: grafana}, ports: [{name: http, port: 3000}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: app, labels: {app: client}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
status: {podIP: 10.1.0.9}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: grafana, namespace: istio-system}
spec:
  host: grafana
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}, {name: v3, labels: {version: v3}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: grafana, namespace: istio-system}
spec:
  hosts: [grafana]
  http:
  - route:
    - {destination: {host: grafana, subset: v1}, weight: 60}
    - {destination: {host: grafana, subset: v2}, weight: 40}
    - {destination: {host: grafana, subset: v3}, weight: 0}
`;

test('MS0202: a routed cluster whose endpoints are all unhealthy; a weight-0 cluster and a healthy one are fine', () => {
  const parsed = routeDump({
    vs: 'grafana.istio-system', host: HOST, port: 3000, weights: { v1: 60, v2: 40, v3: 0 },
    endpoints: [
      { subset: 'v1', address: '10.1.0.30', health: 'HEALTHY' },
      { subset: 'v2', address: '10.1.0.31', health: 'UNHEALTHY' },
      { subset: 'v2', address: '10.1.0.32', health: 'DRAINING' },
      { subset: 'v3', address: '10.1.0.33', health: 'UNHEALTHY' },
    ],
  });
  const f = envoyHealthCheck.run(joinedInputFromYaml({ c1: yaml }, [{ context: 'c1', namespace: 'app', pod: 'client', parsed }]));
  assert.deepEqual(f.map((x) => [x.code, x.level, x.origin, x.proxy, x.path]), [
    ['MS0202', 'Error', 'VirtualService istio-system/grafana', 'app/client', 'spec.http[0].route[1].destination'],
  ]);
  assert.equal(f[0]!.message, `Proxy app/client routes rule http[0] to Envoy cluster outbound|3000|v2|${HOST}, which has no healthy endpoint (2 endpoints).`);
});

test('MS0202: silent when every routed cluster has a healthy endpoint, and without proxies', () => {
  const parsed = routeDump({
    vs: 'grafana.istio-system', host: HOST, port: 3000, weights: { v1: 60, v2: 40, v3: 0 },
    endpoints: [{ subset: 'v1', address: '10.1.0.30', health: 'HEALTHY' }, { subset: 'v2', address: '10.1.0.31', health: 'HEALTHY' }],
  });
  assert.deepEqual(envoyHealthCheck.run(joinedInputFromYaml({ c1: yaml }, [{ context: 'c1', namespace: 'app', pod: 'client', parsed }])), []);
  assert.deepEqual(envoyHealthCheck.run(joinedInputFromYaml({ c1: yaml })), []);
});
