// Gateway API join bench: the join bench's large snapshot plus 10 contexts × 2,000 HTTPRoutes on its Services (with
// their pods) and a gateway proxy per context. Budget: translation + join + tree ≤ 1.0 × load time (the join budget).
import type { Report } from './run.js';
import { ensureGatewayApiSnapshot, GATEWAY_API } from './gen-gateway-api.js';
import { loadSnapshotFolder } from '../../src/sources/snapshot.js';
import { joinMesh } from '../../src/mesh/join.js';
import { buildMeshTree } from '../../src/mesh/tree.js';
import { translateGatewayApi } from '../../src/mesh/gateway-api/translate.js';

export async function run(report: Report): Promise<void> {
  const dir = ensureGatewayApiSnapshot();
  const t0 = performance.now();
  const input = await loadSnapshotFolder(dir);
  const load = performance.now() - t0;
  const objects = input.contexts.reduce((s, c) => s + c.objects.length, 0);
  report({ name: `gateway-api join: load ${input.contexts.length} contexts × ${GATEWAY_API.routes} HTTPRoutes, ${objects} objects`, value: load, unit: 'ms' });

  const t1 = performance.now();
  let generated = 0;
  for (const c of input.contexts) generated += translateGatewayApi(c.objects.map((o) => o.obj), { domainSuffix: 'cluster.local' }).configs.length;
  const translate = performance.now() - t1;
  report({ name: `gateway-api join: translation alone (${generated} generated objects)`, value: translate, unit: 'ms', ratio: translate / load, reference: 'load' });

  const t2 = performance.now();
  const mesh = joinMesh(input);
  const tree = buildMeshTree(mesh);
  const joinTree = performance.now() - t2;
  const linked = mesh.proxies().reduce((s, p) => s + p.routes.filter((r) => r.rule?.source).length, 0);
  const routes = mesh.proxies().reduce((s, p) => s + p.routes.length, 0);
  if (linked !== routes) throw new Error(`${routes - linked} of ${routes} gateway Envoy routes did not link to an HTTPRoute rule`);
  report({ name: `gateway-api join: translation + join + tree (${linked} Envoy routes linked to route rules, ${tree.length} contexts)`, value: joinTree, unit: 'ms', ratio: joinTree / load, reference: 'load' });

  // The generated rules no Envoy route names are built on first use (analyze, a route's subtree, traffic): all of them.
  const t3 = performance.now();
  const rules = mesh.contexts.reduce((s, c) => s + c.generatedVirtualServices.reduce((n, v) => n + v.rules.length, 0), 0);
  const rest = performance.now() - t3;
  report({ name: `gateway-api join: build the other generated rules (${rules} in all)`, value: rest, unit: 'ms', ratio: (joinTree + rest) / load, reference: 'load, join + tree + all rules' });
}
