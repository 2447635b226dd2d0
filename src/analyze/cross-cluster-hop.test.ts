import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinedInputFromYaml } from '../../test/support/analyze-fixture.js';
import { crossClusterHopCheck } from './cross-cluster-hop.js';

const GW_IP = '35.0.0.2';

// cluster-a sends b.nginx.com to an address through a ServiceEntry; the VirtualService routes to it.
const clusterA = (endpoint: string, port = 80) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: b-nginx, namespace: default}
spec:
  hosts: [b.nginx.com]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{number: 80, name: http, protocol: HTTP}]
  endpoints: [{address: ${endpoint}, ports: {http: ${port}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: nginx, namespace: default}
spec:
  hosts: [b.nginx.com]
  http: [{name: to-b, route: [{destination: {host: b.nginx.com}}]}]
`;

// cluster-b: an ingress gateway Service at GW_IP; `gateway` and `vs` say whether b.nginx.com is served there.
const clusterB = (gateway: boolean, vs: boolean) => `
apiVersion: v1
kind: Pod
metadata: {name: istio-ingressgateway-b, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy}]}
status: {podIP: 10.2.0.2}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {type: LoadBalancer, selector: {istio: ingressgateway}, ports: [{name: http2, port: 80}, {name: tls, port: 15443}]}
status: {loadBalancer: {ingress: [{ip: ${GW_IP}}]}}
---
apiVersion: v1
kind: Pod
metadata: {name: nginx-1, namespace: default, labels: {app: nginx}}
spec: {containers: [{name: nginx}]}
status: {podIP: 10.2.0.5}
---
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec: {selector: {app: nginx}, ports: [{name: http, port: 80}]}
${gateway ? `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: nginx-gateway, namespace: default}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [b.nginx.com]}]
` : ''}${vs ? `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: nginx, namespace: default}
spec:
  hosts: [b.nginx.com]
  gateways: [nginx-gateway]
  http: [{route: [{destination: {host: nginx}}]}]
` : ''}`;

const run = (a: string, b: string) => crossClusterHopCheck.run(joinedInputFromYaml({ 'cluster-a': a, 'cluster-b': b }));
const rows = (f: ReturnType<typeof run>) => f.map((x) => [x.code, x.level, x.context, x.origin, x.path]);

test('MS0301: a complete hop (gateway and VirtualService serve the host in cluster-b) is fine', () => {
  assert.deepEqual(run(clusterA(GW_IP), clusterB(true, true)), []);
});

test("MS0301: the endpoint is cluster-b's gateway, but no Gateway there serves the host", () => {
  const f = run(clusterA(GW_IP), clusterB(false, false));
  assert.deepEqual(rows(f), [['MS0301', 'Error', 'cluster-a', 'VirtualService default/nginx', 'spec.http[0].route[0].destination.host']]);
  assert.equal(f[0]!.message, 'Cross-cluster hop of rule "to-b" is broken: gateway istio-system/istio-ingressgateway in cluster-b (35.0.0.2) has no Gateway for host b.nginx.com.');
  assert.deepEqual(f[0]!.related, ['cluster-b']);
});

test('MS0301: the Gateway serves the host but no VirtualService bound to it does', () => {
  const f = run(clusterA(GW_IP), clusterB(true, false));
  assert.deepEqual(rows(f).map((r) => r.slice(0, 2)), [['MS0301', 'Error']]);
  assert.match(f[0]!.message, /no VirtualService in cluster-b serves b\.nginx\.com on Gateway default\/nginx-gateway/);
});

test('MS0301: an endpoint on the cross-network port 15443 that is no loaded gateway is a warning', () => {
  const f = run(clusterA('35.9.9.9', 15443), clusterB(true, true));
  assert.deepEqual(rows(f), [['MS0301', 'Warning', 'cluster-a', 'VirtualService default/nginx', 'spec.http[0].route[0].destination.host']]);
  assert.match(f[0]!.message, /ServiceEntry endpoint 35\.9\.9\.9:15443 for b\.nginx\.com is no loaded context's gateway address/);
});

test('MS0301: a plain external endpoint (no gateway port, no network) is not a hop', () => {
  assert.deepEqual(run(clusterA('93.184.216.34'), clusterB(true, true)), []);
});

test('MS0301: a .global host whose endpoint is no loaded gateway', () => {
  const a = `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: reviews-global, namespace: default}
spec:
  hosts: [reviews.default.global]
  location: MESH_INTERNAL
  resolution: DNS
  addresses: [240.0.0.3]
  ports: [{number: 9080, name: http1, protocol: http}]
  endpoints: [{address: 35.9.9.9, ports: {http1: 15443}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews.default.global}}]}]
`;
  const f = run(a, clusterB(true, true));
  assert.deepEqual(rows(f), [['MS0301', 'Warning', 'cluster-a', 'VirtualService default/reviews', 'spec.http[0].route[0].destination.host']]);
  assert.match(f[0]!.message, /\.global host reviews\.default\.global: endpoint 35\.9\.9\.9 is no loaded context's gateway address/);
});
