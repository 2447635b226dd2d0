// Live plumbing for `meshscope traffic` and `meshscope wait`: loads the contexts, reads the Envoy config of the
// gateways and sidecars (the proxies that may route a rule), and samples the counters of the proxies that do.
import type { GlobalOptions } from '../core/options.js';
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import type { KubeObject } from '../model/resources.js';
import type { RuleModel, VirtualServiceModel } from '../mesh/objects.js';
import { routeRuleModels } from '../mesh/route-rules.js';
import { ruleProxies } from '../mesh/traffic.js';
import { UserError } from '../core/errors.js';
import type { Mesh } from '../mesh/join.js';
import { sanitizeLine } from '../core/sanitize.js';

export interface LiveLoad { input: MeshInput; warnings: string[] }

/** Every selected context with the objects of all namespaces and the Envoy config of gateways and selected sidecars. */
export async function loadLiveWithSidecars(g: GlobalOptions, selects?: (labels: Record<string, string> | undefined) => boolean): Promise<LiveLoad> {
  const { loadLiveContexts, liveStateOf } = await import('../sources/kube/index.js');
  const { fetchProxyDumps, hasSidecar, isGatewayPod } = await import('../sources/envoy-admin.js');
  const { resolveLimits } = await import('../sources/limits.js');
  const limits = resolveLimits(g);
  const contexts = await loadLiveContexts({ kubeconfig: g.kubeconfig, contexts: g.context, allContexts: g.allContexts, requestTimeout: g.requestTimeout, gatewayProxies: true, limits });
  const failed = contexts.filter((c) => c.status === 'error');
  if (failed.length === contexts.length) throw new UserError(failed.map((c) => `context ${sanitizeLine(c.name)}: ${sanitizeLine(c.reason ?? 'failed')}`).join('; '));
  const warnings: string[] = [];
  await Promise.all(contexts.map(async (ctx) => {
    if (ctx.status === 'error') { warnings.push(`context ${ctx.name}: ${ctx.reason ?? 'failed'}`); return; }
    const client = liveStateOf(ctx)?.client;
    if (!client) return;
    const pods = ctx.objects.map((o) => o.obj).filter((p: KubeObject) => p.kind === 'Pod' && hasSidecar(p) && !isGatewayPod(p) && (!selects || selects(p.metadata.labels)));
    const dumps = await fetchProxyDumps(client, pods, { skipClusters: true, sizeCapBytes: limits.maxDumpBytes, concurrency: 8 });
    for (const d of dumps) if (d.error) warnings.push(`context ${ctx.name}: pod ${d.namespace}/${d.pod}: Envoy config not read: ${d.error}`);
    ctx.proxies.push(...dumps.filter((d) => !d.error));
  }));
  return { input: { contexts }, warnings };
}

/** Samples the counters of every proxy that routes one of these rules; sets each dump's stats. */
export async function sampleLiveStats(input: MeshInput, rules: RuleModel[], windowMs: number, onFirst?: () => void): Promise<string[]> {
  const { liveStateOf } = await import('../sources/kube/index.js');
  const { adminPortOf } = await import('../sources/envoy-admin.js');
  const { sampleStats } = await import('../sources/envoy-stats.js');
  const byContext = new Map<ContextSnapshot, Map<string, { ns: string; pod: string; clusters: Set<string>; dump: ContextSnapshot['proxies'][number]; podObj?: KubeObject }>>();
  for (const rule of rules) {
    const ctx = input.contexts.find((c) => c.name === rule.vs.context);
    if (!ctx) continue;
    const m = byContext.get(ctx) ?? new Map();
    byContext.set(ctx, m);
    for (const p of ruleProxies(rule)) {
      const key = `${p.namespace}/${p.podName}`;
      const e = m.get(key) ?? { ns: p.namespace, pod: p.podName, clusters: new Set<string>(), dump: p.dump, podObj: p.pod?.loaded.obj };
      for (const d of rule.destinations) for (const l of d.envoy) if (l.proxy === p && l.name) e.clusters.add(l.name);
      m.set(key, e);
    }
  }
  const warnings: string[] = [];
  let pending = byContext.size;
  await Promise.all([...byContext].map(async ([ctx, m]) => {
    const client = liveStateOf(ctx)?.client;
    if (!client) return;
    const list = [...m.values()];
    const targets = list.map((e) => ({ namespace: e.ns, pod: e.pod, port: e.podObj ? adminPortOf(e.podObj) : 15000, clusters: [...e.clusters] }));
    const res = await sampleStats(client, targets, windowMs, { onFirst: () => { if (--pending === 0) onFirst?.(); } });
    res.forEach((r, i) => {
      if (r.stats) list[i]!.dump.stats = r.stats;
      if (r.error) warnings.push(`context ${ctx.name}: pod ${r.namespace}/${r.pod}: stats not read: ${r.error}`);
    });
  }));
  return warnings;
}

export function findVirtualServices(mesh: Mesh, name: string, namespace: string | undefined, what: string): VirtualServiceModel[] {
  const ns = namespace ?? 'default';
  const found = mesh.contexts.flatMap((c) => c.virtualServices.filter((v) => v.name === name && v.namespace === ns));
  if (found.length === 0) {
    const elsewhere = mesh.contexts.flatMap((c) => c.virtualServices.filter((v) => v.name === name).map((v) => `${v.context} ${v.namespace}`));
    throw new UserError(`no VirtualService ${sanitizeLine(ns)}/${sanitizeLine(name)} in ${what}${elsewhere.length ? ` (found in: ${sanitizeLine([...new Set(elsewhere)].join(', '))}; use -n)` : ''}`);
  }
  return found;
}

/** The rules of a Gateway API route (`kind` HTTPRoute...) `name` in `namespace` (default "default"), merged per context and route rule. */
export function findRouteRules(mesh: Mesh, kind: string, name: string, namespace: string | undefined, what: string): RuleModel[] {
  const ns = namespace ?? 'default';
  const rules = routeRuleModels(mesh, kind, ns, name);
  if (rules.length > 0) return rules;
  const routes = mesh.contexts.flatMap((c) => (c.gatewayApi?.routes ?? []).filter((oc) => oc.obj.kind === kind && oc.obj.metadata.name === name).map((oc) => ({ c, oc })));
  const here = routes.filter((x) => (x.oc.obj.metadata.namespace ?? 'default') === ns);
  if (here.length > 0) throw new UserError(`${kind} ${sanitizeLine(ns)}/${sanitizeLine(name)} in ${what} has no rule istiod routes: no parent accepts it${here.some((x) => x.oc.parents.some((p) => p.denied)) ? ` (${sanitizeLine(here.flatMap((x) => x.oc.parents.filter((p) => p.denied).map((p) => `${p.parentKey.kind} ${p.parentKey.namespace}/${p.parentKey.name}: ${p.denied!.reason}`)).join('; '))})` : ''}`);
  const elsewhere = routes.map((x) => `${x.c.name} ${x.oc.obj.metadata.namespace ?? 'default'}`);
  throw new UserError(`no ${kind} ${sanitizeLine(ns)}/${sanitizeLine(name)} in ${what}${elsewhere.length ? ` (found in: ${sanitizeLine([...new Set(elsewhere)].join(', '))}; use -n)` : ''}`);
}
