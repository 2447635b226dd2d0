// A waypoint's Envoy in istiod's layout (demo cluster-b shop/waypoint): inbound-vip cluster names, the join of its
// routes and clusters to VirtualService shop/cart, and the trace's walk main_internal → chain → route config when the
// matcher has no chain for the service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { parseClusterName } from '../src/mesh/join-envoy.js';
import { traceRequest } from '../src/trace/trace.js';

const DEMO = join(repoRoot, 'fixtures/demo');
const WAYPOINT_POD = 'waypoint-7c9f6d5b8-h6k3w';

test('inbound-vip cluster names carry the protocol before the subset', () => {
  assert.deepEqual(parseClusterName('inbound-vip|8080|http/v1|cart.shop.svc.cluster.local'), { direction: 'inbound-vip', port: 8080, subset: 'v1', fqdn: 'cart.shop.svc.cluster.local', protocol: 'http' });
  assert.deepEqual(parseClusterName('inbound-vip|8000|http|httpbin.default.svc.cluster.local'), { direction: 'inbound-vip', port: 8000, subset: '', fqdn: 'httpbin.default.svc.cluster.local', protocol: 'http' });
  assert.deepEqual(parseClusterName('outbound|8080|v1|cart.shop.svc.cluster.local'), { direction: 'outbound', port: 8080, subset: 'v1', fqdn: 'cart.shop.svc.cluster.local' });
});

test('the waypoint\'s route and inbound-vip clusters join VirtualService shop/cart without drift', async () => {
  const mesh = joinMesh(await loadSnapshotFolder(DEMO));
  const rule = [...mesh.allRules()].find((r) => r.vs.context === 'cluster-b' && r.vs.namespace === 'shop' && r.vs.name === 'cart')!;
  const rm = rule.envoyRoutes.find((r) => r.proxy.podName === WAYPOINT_POD)!;
  assert.ok(rm, 'the waypoint\'s route names the rule');
  assert.deepEqual([rm.routeConfig, rm.virtualHost, rm.route.name, rm.drift], ['inbound-vip|8080|http|cart.shop.svc.cluster.local', 'inbound|http|8080', 'canary', []]);
  const links = rule.destinations.flatMap((d) => d.envoy.filter((l) => l.proxy.podName === WAYPOINT_POD).map((l) => [d.subset, l.name, l.weight, l.healthy, l.total, l.dangling]));
  assert.deepEqual(links, [
    ['v1', 'inbound-vip|8080|http/v1|cart.shop.svc.cluster.local', 90, 1, 1, undefined],
    ['v2', 'inbound-vip|8080|http/v2|cart.shop.svc.cluster.local', 10, 1, 1, undefined],
  ]);
});

test('a waypoint whose matcher has no chain for the service stops the trace at main_internal', async () => {
  const input = await loadSnapshotFolder(DEMO);
  const b = input.contexts.find((c) => c.name === 'cluster-b')!;
  const dump = b.proxies.find((p) => p.pod === WAYPOINT_POD)!;
  const text = JSON.stringify(dump.configDump).replace('"address_prefix":"10.100.60.10"', '"address_prefix":"10.100.60.99"');
  dump.configDump = JSON.parse(text);
  const t = traceRequest(joinMesh(input), { context: 'cluster-b', from: { kind: 'pod', namespace: 'shop', name: 'checkout' }, host: 'cart', port: 8080 });
  assert.equal(t.ok, false);
  const chain = t.steps.find((s) => s.side === 'envoy' && s.kind === 'filter-chain')!;
  assert.equal(chain.matched, false);
  assert.match(chain.reason, /no filter chain for 10\.100\.60\.10:8080 .*the waypoint does not serve this service/);
});
