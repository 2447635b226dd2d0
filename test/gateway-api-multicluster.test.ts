// Gateway API backends across contexts: a backendRef's Service that also exists in another loaded context hops there
// (its Service and pods), in the join, the tree and the gateway's trace, where the Envoy endpoints lead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { joinMesh } from '../src/mesh/join.js';
import { remoteEndpoint } from '../src/mesh/join-cross-service.js';
import { traceDestination } from '../src/trace/intent-dest.js';
import { Recorder } from '../src/trace/recorder.js';
import { context, input, obj, pod, svc } from './mesh-build.js';
import { runCli } from './support/cli.js';
import { repoRoot } from './ui-demo-support.js';

const GW = 'gateway.networking.k8s.io/v1';
const gateway = obj('Gateway', 'web', 'public', { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] }, { apiVersion: GW });
const route = obj('HTTPRoute', 'web', 'shop', {
  parentRefs: [{ name: 'public' }], hostnames: ['shop.example.com'],
  rules: [{ backendRefs: [{ name: 'catalog', port: 8080, weight: 3 }, { name: 'local-only', port: 8080, weight: 1 }] }],
}, { apiVersion: GW });

function mesh() {
  const a = context('a', [
    gateway, route, svc('web', 'catalog', { app: 'catalog' }, [8080]), svc('web', 'local-only', { app: 'local' }, [8080]),
    pod('web', 'catalog-a', '10.1.0.11', { app: 'catalog' }), pod('web', 'local-a', '10.1.0.12', { app: 'local' }),
    obj('VirtualService', 'web', 'plain', { hosts: ['catalog'], http: [{ route: [{ destination: { host: 'catalog' } }] }] }),
  ]);
  const b = context('b', [
    svc('web', 'catalog', { app: 'catalog' }, [8080]), pod('web', 'catalog-b1', '10.2.0.21', { app: 'catalog' }),
    pod('web', 'catalog-b2', '10.2.0.22', { app: 'catalog' }),
    svc('istio-system', 'istio-eastwestgateway', { istio: 'eastwestgateway' }, [15443], { type: 'LoadBalancer', lb: '172.18.0.50', labels: { istio: 'eastwestgateway' } }),
  ]);
  const c = context('c', [svc('other', 'catalog', { app: 'catalog' }, [8080])]);
  return joinMesh(input(a, b, c));
}

test('join: a backendRef Service that also exists in another context hops there, to that Service and its pods', () => {
  const m = mesh();
  const [rule] = m.routeRules('HTTPRoute', 'web', 'shop');
  assert.ok(rule);
  const [catalog, local] = rule.destinations;
  assert.deepEqual(catalog!.hops.map((h) => [h.via, h.context, h.targetService?.id, h.pods.map((p) => p.name), h.address, h.port]), [
    ['service', 'b', 'b/Service/web/catalog', ['catalog-b1', 'catalog-b2'], 'catalog.web.svc.cluster.local', 8080],
  ], 'same namespace and name only: c has catalog in another namespace');
  assert.equal(local!.hops.length, 0, 'a Service in no other context does not hop');
  assert.ok(m.edgesFrom(catalog!.id, 'cross-context').some((e) => e.to === 'b/Service/web/catalog' && !e.dangling));
  // VirtualService destinations keep their own cross-context rules (gateway hops only).
  assert.equal(m.virtualService('a', 'web', 'plain')!.rules[0]!.destinations[0]!.hops.length, 0);
});

test('intent: a destination served in another context too says so (a passing hop step, not a gateway hop)', () => {
  const [rule] = mesh().routeRules('HTTPRoute', 'web', 'shop');
  const rec = new Recorder('a', 0, 0);
  const out = traceDestination(rule!.destinations[0]!, 8080, rec);
  assert.deepEqual(out.hops, [], 'no gateway to continue through: the proxy\'s endpoints decide');
  const hop = rec.steps.find((s) => s.kind === 'hop');
  assert.equal(hop?.name, '→ b web/catalog');
  assert.equal(hop?.matched, true);
  assert.equal(hop?.reason, 'the same Service in b: catalog-b1, catalog-b2');
});

test('remoteEndpoint: another context\'s pod IP, its gateway address, and nothing for a local pod', () => {
  const ctx = mesh().context('a')!;
  assert.deepEqual(remoteEndpoint(ctx, { address: '10.2.0.21' })?.pod?.id, 'b/Pod/web/catalog-b1');
  const gw = remoteEndpoint(ctx, { address: '172.18.0.50' });
  assert.equal(gw?.context, 'b');
  assert.equal(gw?.gateway?.name, 'istio-eastwestgateway');
  assert.equal(remoteEndpoint(ctx, { address: '10.1.0.11' }), undefined);
  assert.equal(remoteEndpoint(ctx, { address: '192.0.2.1' }), undefined);
});

const fixture = join(repoRoot, 'test/fixtures/gateway-api-multicluster');

test('tree (two-context fixture): each backendRef shows the hop into west, its pods there and the Envoy endpoints leading there', async () => {
  const r = await runCli(['--fixtures', fixture, 'tree']);
  assert.equal(r.code, 0, r.stderr);
  const routes = r.stdout.slice(r.stdout.indexOf('Routes  1'));
  assert.match(routes, /catalog:8080\s+weight \(unset\) 1 → 100%\s+\[100%\]\n\s+web\/catalog\s+→ east\/Service\/web\/catalog\n\s+→ west web\/catalog\s+catalog\.web\.svc\.cluster\.local\s+Envoy: 1 endpoint on web\/public-istio-5c7d9f8b6-q4k2m\s+\[1\/1\]/);
  assert.match(routes, /Service in west\s+\[1\/1\]\s+→ west\/Service\/web\/catalog\n\s+catalog-v1-7b9c5d4f8-w1c1c\s+10\.2\.0\.21 \(west\)/);
  assert.match(routes, /10\.2\.0\.21:8080\s+HEALTHY\s+→ west web\/catalog-v1-7b9c5d4f8-w1c1c/);
  assert.match(routes, /→ west web\/orders\s+orders\.web\.svc\.cluster\.local\s+Envoy: 1 endpoint on web\/public-istio-5c7d9f8b6-q4k2m via gateway istio-system\/istio-eastwestgateway/);
  assert.match(routes, /172\.18\.0\.50:15443\s+HEALTHY\s+→ west gateway istio-system\/istio-eastwestgateway/);
});

const trace = (path: string, ...args: string[]) => runCli(['trace', '--fixtures', fixture, '--context', 'east', '--from', 'gateway/public.web', '--host', 'shop.example.com', '--path', path, ...args]);

test('trace from the gateway (two-context fixture): the Envoy endpoints reach pods in west, directly or through its gateway', async () => {
  const one = JSON.parse((await trace('/catalog/1', '-o', 'json')).stdout);
  assert.deepEqual(one.envoy.disagreements, []);
  assert.deepEqual(one.envoy.pods.map((p: { context: string; name: string; via?: string }) => [p.context, p.name, p.via]), [
    ['east', 'catalog-v1-7b9c5d4f8-e1a1a', undefined], ['west', 'catalog-v1-7b9c5d4f8-w1c1c', undefined],
  ]);
  const r = await trace('/orders', '-o', 'json');
  assert.equal(r.code, 0, r.stderr);
  const two = JSON.parse(r.stdout);
  assert.deepEqual(two.envoy.pods.map((p: { context: string; name: string; via?: string }) => [p.context, p.name, p.via]), [
    ['east', 'orders-v1-6f8d7c9b5-e2b2b', undefined], ['west', 'orders-v1-6f8d7c9b5-w2d2d', 'istio-system/istio-eastwestgateway'],
  ]);
  const text = await trace('/orders');
  assert.match(text.stdout, /✓ hop → west 172\.18\.0\.50:15443: endpoint is gateway istio-system\/istio-eastwestgateway of west/);
  assert.match(text.stdout, /✓ pods outbound\|8080\|\|orders\.web\.svc\.cluster\.local: east: orders-v1-6f8d7c9b5-e2b2b; west: orders-v1-6f8d7c9b5-w2d2d \(via gateway istio-system\/istio-eastwestgateway\)/);
  assert.match(text.stdout, /= intent and Envoy agree/);
});
