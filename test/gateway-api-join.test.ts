// The join follows Gateway API routes into Envoy: routes whose metadata names a VirtualService istiod generates from
// an HTTPRoute link to the route rule and backendRef they came from, with drift (MS0201) as for VirtualServices.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayApiSnapshot, GW_VS, MESH_VS, V1, V2 } from './support/gateway-api-envoy.js';
import { loadMesh } from '../src/sources/load.js';
import { joinMesh } from '../src/mesh/join.js';
import { ruleConvergence } from '../src/mesh/convergence.js';
import { runCli } from './support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-gwapi-join-'));
after(() => rmSync(root, { recursive: true, force: true }));
gatewayApiSnapshot(root);

test('Envoy routes named by a generated VirtualService link to the HTTPRoute rule; destinations to backendRefs', async () => {
  const mesh = joinMesh(await loadMesh({ fixtures: root } as never));
  const ctx = mesh.context('c1')!;
  assert.deepEqual(ctx.generatedVirtualServices.map((v) => `${v.namespace}/${v.name}`).sort(), [`${GW_VS.namespace}/${GW_VS.name}`, `${MESH_VS.namespace}/${MESH_VS.name}`].sort());
  assert.equal(ctx.virtualServices.length, 0, 'generated VirtualServices are not loaded objects');
  const [rule] = mesh.routeRules('HTTPRoute', 'app', 'reviews');
  assert.ok(rule);
  assert.equal(rule.source?.id, 'c1/HTTPRoute/app/reviews/rules[0]');
  assert.equal(rule.path, 'spec.rules[0]');
  assert.deepEqual(rule.destinations.map((d) => [d.fqdn, d.weight, d.backendRef, d.path]), [
    ['reviews-v1.app.svc.cluster.local', 75, 0, 'spec.rules[0].backendRefs[0]'],
    ['reviews-v2.app.svc.cluster.local', 25, 1, 'spec.rules[0].backendRefs[1]'],
  ]);
  assert.deepEqual(rule.envoyRoutes.map((r) => [r.proxy.podName, r.drift.length > 0]), [['client-a', false], ['client-b', true]]);
  const v1 = rule.destinations[0]!.envoy.filter((l) => l.weight !== undefined).map((l) => [l.proxy.podName, l.name, l.weight, Boolean(l.drift)]);
  assert.deepEqual(v1, [['client-a', V1, 75, false], ['client-b', V1, 50, true]]);
  assert.deepEqual(ruleConvergence(rule, mesh.proxies('c1').filter((p) => p.namespace === 'app' && p.podName.startsWith('client'))).map((s) => [s.pod, s.converged]), [['client-a', true], ['client-b', false]]);
  const [gw] = mesh.routeRules('HTTPRoute', 'app', 'demo');
  assert.deepEqual(gw!.envoyRoutes.map((r) => [r.proxy.podName, r.proxy.isGateway, r.clusters.map((c) => [c.name, c.weight])]), [['gw-istio-7d4f8-x2x9q', true, [[V1, 50], [V2, 50]]]]);
  assert.ok(mesh.proxies().every((p) => p.routes.every((r) => !r.dangling)));
});

test('analyze names the HTTPRoute and its rule for drift on a proxy, not the generated VirtualService', async () => {
  const r = await runCli(['--fixtures', root, 'analyze']);
  assert.match(r.stdout, /Warning \[MS0201\] \(HTTPRoute app\/reviews\) Proxy app\/client-b does not run what rule rules\[0\] intends: weights differ/);
  assert.doesNotMatch(r.stdout, /VirtualService/);
  assert.doesNotMatch(r.stdout, /client-a/);
});
