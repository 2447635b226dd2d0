// TCPRoutes and TLSRoutes on an Istio-deployed Gateway: the gateway pod's tcp_proxy filter chains (on the listener's
// port, to `outbound|port||host` clusters) link to the route rule and each backendRef, as HTTP routes do, with drift;
// a chain on another Gateway's pod or on a sidecar does not.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { svcCluster, writeTree } from './support/gateway-api-envoy.js';
import { loadMesh } from '../src/sources/load.js';
import { joinMesh } from '../src/mesh/join.js';
import { runCli } from './support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-gwapi-l4-'));
after(() => rmSync(root, { recursive: true, force: true }));

const DB_A = svcCluster('db-a', 'app', 5432);
const DB_B = svcCluster('db-b', 'app', 5432);
const SECURE = svcCluster('secure', 'app', 8443);
const OTHER = svcCluster('other', 'app', 8443);

type Chain = { sni?: string[]; clusters: [string, number][] };
const tcpProxy = (clusters: [string, number][]) => ({
  name: 'envoy.filters.network.tcp_proxy',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: clusters[0]![0],
    ...(clusters.length === 1 ? { cluster: clusters[0]![0] } : { weighted_clusters: { clusters: clusters.map(([name, weight]) => ({ name, weight })) } }),
  },
});
function dump(clusters: string[], listeners: { port: number; chains: Chain[] }[]): unknown {
  return {
    configs: [{
      '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
      dynamic_active_clusters: clusters.map((name) => ({ cluster: { '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster', name, type: 'EDS' } })),
    }, {
      '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
      dynamic_endpoint_configs: clusters.map((c, i) => ({ endpoint_config: { cluster_name: c, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: `10.0.1.${i + 1}`, port_value: 5432 } } }, health_status: 'HEALTHY' }] }] } })),
    }, {
      '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
      dynamic_listeners: listeners.map((l) => ({
        name: `0.0.0.0_${l.port}`,
        active_state: { listener: {
          '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener', name: `0.0.0.0_${l.port}`,
          address: { socket_address: { address: '0.0.0.0', port_value: l.port } },
          filter_chains: l.chains.map((c) => ({ ...(c.sni ? { filter_chain_match: { server_names: c.sni } } : {}), filters: [tcpProxy(c.clusters)] })),
        } },
      })),
    }],
  };
}

const pod = (name: string, ns: string, ip: string, labels: Record<string, string>) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec: {containers: [{name: app}, {name: istio-proxy}]}
status: {phase: Running, podIP: ${ip}, conditions: [{type: Ready, status: "True"}]}
`;
const svc = (name: string, port: number) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: app}
spec: {selector: {app: ${name}}, ports: [{name: tcp, port: ${port}}]}
`;

writeTree(root, {
  'c1/app.yaml': [svc('db-a', 5432), svc('db-b', 5432), svc('secure', 8443), svc('other', 8443),
    pod('client', 'app', '10.0.0.21', { app: 'client' }), `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: tcp}]
  rules:
  - backendRefs:
    - {name: db-a, port: 5432, weight: 3}
    - {name: db-b, port: 5432, weight: 1}
`, `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: secure, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: tls}]
  hostnames: [secure.example.com]
  rules:
  - backendRefs:
    - {name: secure, port: 8443}
`, `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TLSRoute
metadata: {name: other, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: tls}]
  hostnames: [other.example.com]
  rules:
  - backendRefs:
    - {name: other, port: 8443}
`].join('---\n'),
  'c1/infra.yaml': `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: istio}
spec: {controllerName: istio.io/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - {name: tcp, port: 9000, protocol: TCP, allowedRoutes: {namespaces: {from: All}}}
  - {name: tls, port: 443, protocol: TLS, hostname: "*.example.com", tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: All}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw2, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - {name: tcp, port: 9000, protocol: TCP}
---
${pod('gw-istio-7d4f8-x2x9q', 'infra', '10.0.0.31', { 'gateway.networking.k8s.io/gateway-name': 'gw', 'istio.io/gateway-name': 'gw' })}---
${pod('gw2-istio-6c5d7-q8w2z', 'infra', '10.0.0.32', { 'gateway.networking.k8s.io/gateway-name': 'gw2', 'istio.io/gateway-name': 'gw2' })}`,
  'c1/proxies/infra/gw-istio-7d4f8-x2x9q/config_dump.json': dump([DB_A, DB_B, SECURE, OTHER], [
    { port: 9000, chains: [{ clusters: [[DB_A, 1], [DB_B, 1]] }] },
    { port: 443, chains: [{ sni: ['other.example.com'], clusters: [[OTHER, 1]] }, { sni: ['secure.example.com'], clusters: [[SECURE, 1]] }] },
  ]),
  'c1/proxies/infra/gw2-istio-6c5d7-q8w2z/config_dump.json': dump([DB_A], [{ port: 9000, chains: [{ clusters: [[DB_A, 1]] }] }]),
  'c1/proxies/app/client/config_dump.json': dump([DB_A], [{ port: 5432, chains: [{ clusters: [[DB_A, 1]] }] }]),
});

test('the gateway pod\'s tcp_proxy chains link to the TCPRoute and TLSRoute rules and backendRefs, by port and cluster', async () => {
  const mesh = joinMesh(await loadMesh({ fixtures: root } as never));
  const [db] = mesh.routeRules('TCPRoute', 'app', 'db');
  assert.ok(db);
  assert.equal(db.source?.id, 'c1/TCPRoute/app/db/rules[0]');
  assert.deepEqual(db.envoyRoutes.map((r) => [r.proxy.podName, r.routeConfig, r.index, r.clusters.map((c) => [c.name, c.weight])]),
    [['gw-istio-7d4f8-x2x9q', '0.0.0.0_9000', 0, [[DB_A, 50], [DB_B, 50]]]], 'only gw\'s pod: not gw2\'s, not the sidecar\'s');
  assert.match(db.envoyRoutes[0]!.drift.join(), /weights differ: intent db-a\.app\.svc\.cluster\.local 75%, db-b\.app\.svc\.cluster\.local 25%; Envoy .* 50%/);
  assert.deepEqual(db.destinations.map((d) => [d.backendRef, d.envoy.map((l) => [l.proxy.podName, l.name, l.weight, Boolean(l.drift)])]), [
    [0, [['gw-istio-7d4f8-x2x9q', DB_A, 50, true]]],
    [1, [['gw-istio-7d4f8-x2x9q', DB_B, 50, true]]],
  ]);
  const [secure] = mesh.routeRules('TLSRoute', 'app', 'secure');
  assert.deepEqual(secure!.envoyRoutes.map((r) => [r.proxy.podName, r.routeConfig, r.index, r.drift]), [['gw-istio-7d4f8-x2x9q', '0.0.0.0_443', 1, []]]);
  const [other] = mesh.routeRules('TLSRoute', 'app', 'other');
  assert.deepEqual(other!.envoyRoutes.map((r) => [r.routeConfig, r.index]), [['0.0.0.0_443', 0]]);
  assert.equal(mesh.proxyOf('c1', 'infra', 'gw2-istio-6c5d7-q8w2z')!.routes.length, 0);
  assert.equal(mesh.proxyOf('c1', 'app', 'client')!.routes.length, 0);
});

test('tree: the route rules run on the gateway proxy; its listener chains and tcp_proxy routes name the route rule', async () => {
  const r = await runCli(['--fixtures', root, 'tree']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /TCPRoute app\/db\s+\*\s+\[≠ \[MS0201\] Proxy infra\/gw-istio-7d4f8-x2x9q does not run what rule rules\[0\] intends: weights differ/);
  assert.match(r.stdout, /\n\s+rules\[0\]\s+any connection\s+on 1 proxy\s+\[≠ \[MS0201\] proxy infra\/gw-istio-7d4f8-x2x9q: weights differ/);
  assert.match(r.stdout, /db-a:5432\s+weight 3 → 75%\s+\[75%\]\n\s+app\/db-a\s+→ c1\/Service\/app\/db-a\n\s+outbound\|5432\|\|db-a\.app\.svc\.cluster\.local\s+on infra\/gw-istio-7d4f8-x2x9q \(gateway\)\s+\[50%\s+1\/1\s+≠ Envoy weight 50% on infra\/gw-istio-7d4f8-x2x9q, intent 75%\]/);
  assert.match(r.stdout, /TLSRoute app\/secure\s+secure\.example\.com\n\s+rules\[0\]\s+any connection\s+on 1 proxy\n/);
  assert.match(r.stdout, /parent Gateway infra\/gw tcp\s+accepted/);
  // The gateway's listener chains and its tcp_proxy routes name the route rule and lead to it.
  assert.match(r.stdout, /0\.0\.0\.0_9000\s+0\.0\.0\.0:9000 TCP\n\s+ALL\s+Clusters: outbound\|5432\|\|db-a\.app\.svc\.cluster\.local 50%, outbound\|5432\|\|db-b\.app\.svc\.cluster\.local 50%\s+← TCPRoute app\/db rules\[0\] \(db~tcp~0~istio-autogenerated-k8s-gateway\)\s+\[≠ weights differ[^\]]*\]\s+→ c1\/TCPRoute\/app\/db\/rules\[0\]/);
  assert.match(r.stdout, /SNI: secure\.example\.com\s+Cluster: outbound\|8443\|\|secure\.app\.svc\.cluster\.local\s+← TLSRoute app\/secure rules\[0\] \(secure~tls~0~istio-autogenerated-k8s-gateway\)\s+→ c1\/TLSRoute\/app\/secure\/rules\[0\]/);
  assert.match(r.stdout, /tcp_proxy SNI: secure\.example\.com\s+outbound\|8443\|\|secure\.app\.svc\.cluster\.local 100%\s+← TLSRoute app\/secure rules\[0\]/);
  // gw2's chain to the same Service is not the route's.
  assert.match(r.stdout, /ALL\s+Cluster: outbound\|5432\|\|db-a\.app\.svc\.cluster\.local\s+→ c1\/Pod\/infra\/gw2-istio-6c5d7-q8w2z\/proxy\/clusters\//);
});
