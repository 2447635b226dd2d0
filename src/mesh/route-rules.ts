// A Gateway API route rule as one rule: the generated rules it became (one per parent, hostname and match), merged,
// with one destination per backendRef carrying the Envoy clusters of every parent. Traffic, convergence and wait read
// it as they read a VirtualService rule.
import type { BackendRef } from '../model/gateway-api.js';
import type { Mesh } from './join.js';
import type { DestinationModel, EnvoyClusterLink, EnvoyRouteModel, RuleModel, VirtualServiceModel } from './objects.js';
import { objectId } from './objects.js';

/** One merged rule per context and route rule of the route, in context then rule order. */
export function routeRuleModels(mesh: Mesh, kind: string, namespace: string, name: string, context?: string): RuleModel[] {
  const groups = new Map<string, RuleModel[]>();
  for (const r of mesh.routeRules(kind, namespace, name, context)) {
    const k = r.source!.id;
    const l = groups.get(k);
    if (l) l.push(r); else groups.set(k, [r]);
  }
  const out = [...groups.values()].map(merge);
  return out.sort((a, b) => a.vs.context.localeCompare(b.vs.context) || a.index - b.index);
}

function merge(rules: RuleModel[]): RuleModel {
  const first = rules[0]!;
  const src = first.source!;
  const ctx = first.vs.context;
  const vs: VirtualServiceModel = {
    ...first.vs, id: objectId(ctx, src.kind, src.namespace, src.name), kind: src.kind, namespace: src.namespace, name: src.name,
    ref: { context: ctx, kind: src.kind, namespace: src.namespace, name: src.name }, loaded: src.loaded, rules: [],
    hosts: [...new Set(rules.flatMap((r) => r.vs.hosts))], generatedFrom: undefined,
  };
  const envoyRoutes: EnvoyRouteModel[] = rules.flatMap((r) => r.envoyRoutes);
  const rule: RuleModel = { ...first, id: src.id, vs, index: src.rule, name: undefined, path: `spec.rules[${src.rule}]`, envoyRoutes, destinations: [] };
  const refs = ((src.loaded.obj.spec?.rules?.[src.rule]?.backendRefs ?? []) as BackendRef[]);
  const byRef = new Map<number, DestinationModel[]>();
  for (const r of rules) for (const d of r.destinations) {
    if (d.mirror || d.backendRef === undefined) continue;
    const l = byRef.get(d.backendRef);
    if (l) l.push(d); else byRef.set(d.backendRef, [d]);
  }
  for (const j of [...byRef.keys()].sort((a, b) => a - b)) {
    const ds = byRef.get(j)!;
    const b = refs[j];
    const envoy = new Map<string, EnvoyClusterLink>();
    for (const d of ds) for (const l of d.envoy) {
      const k = `${l.proxy.id}|${l.name}`;
      const had = envoy.get(k);
      if (!had || (had.weight === undefined && l.weight !== undefined)) envoy.set(k, l);
    }
    const host = b ? (b.namespace && b.namespace !== src.namespace ? `${b.namespace}/${b.name}` : b.name) : ds[0]!.host;
    rule.destinations.push({ ...ds[0]!, id: `${src.id}/backendRefs[${j}]`, rule, index: j, host, weightWritten: b?.weight, envoy: [...envoy.values()] });
  }
  vs.rules.push(rule);
  return rule;
}
