// Convergence on a route a waypoint serves (demo cluster-b shop/cart, 90/10 through waypoint shop/waypoint): the
// waypoint's Envoy is the proxy followed, not the sidecars whose routes also name the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { followedProxies, progressLine, ruleConvergence, servingWaypoints } from '../src/mesh/convergence.js';
import { ruleProxies } from '../src/mesh/traffic.js';

const WAYPOINT_POD = 'waypoint-7c9f6d5b8-h6k3w';

const SIDECAR = 'default/reviews-v2-65c4dc6fdc-bq7xh';

test('weights on cluster-b shop/cart converge on the waypoint\'s Envoy and on the sidecar that routes around it', async () => {
  const mesh = joinMesh(await loadSnapshotFolder(join(repoRoot, 'fixtures/demo')));
  const rule = [...mesh.allRules()].find((r) => r.vs.context === 'cluster-b' && r.vs.namespace === 'shop' && r.vs.name === 'cart')!;
  assert.ok(rule, 'the demo has VirtualService shop/cart in cluster-b');
  assert.deepEqual(servingWaypoints(mesh, rule).map((w) => `${w.namespace}/${w.name}`), ['shop/waypoint']);
  assert.ok(ruleProxies(rule).some((p) => p.podName !== WAYPOINT_POD), 'a sidecar\'s routes also name the rule');

  const proxies = followedProxies(mesh, rule);
  // Sidecar clients run the VirtualService themselves (istiod does not send them through the waypoint).
  assert.deepEqual(proxies.map((p) => `${p.namespace}/${p.podName}`), [SIDECAR, `shop/${WAYPOINT_POD}`]);
  const now = ruleConvergence(rule, proxies);
  assert.deepEqual(now.map((s) => [s.proxy, s.converged, s.runs]), [[SIDECAR, true, 'cart v1 90% / v2 10%'], [`shop/${WAYPOINT_POD}`, true, 'cart v1 90% / v2 10%']]);

  // After `weights set cart v1=100 v2=0`, until the waypoint's Envoy runs it, the waypoint is the one waiting.
  const target = new Map([['cart.shop.svc.cluster.local|v1', 100], ['cart.shop.svc.cluster.local|v2', 0]]);
  const waiting = ruleConvergence(rule, proxies, target);
  assert.deepEqual(waiting.map((s) => [s.proxy, s.converged]), [[SIDECAR, false], [`shop/${WAYPOINT_POD}`, false]]);
  assert.equal(progressLine(waiting, target), `0/2 proxies run cart v1 100% / v2 0%; waiting: reviews-v2-65c4dc6fdc-bq7xh (cluster-b), ${WAYPOINT_POD} (cluster-b)`);
});

test('a rule no waypoint serves follows the proxies whose routes carry it', async () => {
  const mesh = joinMesh(await loadSnapshotFolder(join(repoRoot, 'fixtures/demo')));
  const rule = [...mesh.allRules()].find((r) => r.vs.context === 'cluster-a' && r.vs.namespace === 'default' && r.vs.name === 'reviews')!;
  assert.deepEqual(servingWaypoints(mesh, rule), []);
  assert.deepEqual(followedProxies(mesh, rule), ruleProxies(rule));
});
