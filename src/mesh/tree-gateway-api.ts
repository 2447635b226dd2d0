// Gateway API in the tree: Gateway (class, addresses, listeners with attached route counts) → listener → route →
// rule (matches) → backendRefs with their weight as written and as a share → Service and the Envoy clusters that
// implement them on each proxy, and the same Service in other contexts; routes with their parents; mesh routes also
// under their Service.
import type { BackendRef, GatewayApiGatewaySpec, HTTPRouteRule, Listener } from '../model/gateway-api.js';
import type { ContextIndex } from './indexes.js';
import type { Problem, TreeNode } from './tree-types.js';
import { danglingNode, envoyEndpointNode, flat, lazyChildren, node, NO_BADGES, objectLink, withProblems } from './tree-nodes.js';
import type { Fill } from './tree-nodes.js';
import type { RouteOutcome } from './gateway-api/routes.js';
import type { InputObject } from './gateway-api/model.js';
import { routeRuleId } from './join-gateway-api.js';
import { hopEndpoints, remoteEndpoint } from './join-cross-service.js';
import { hopNode } from './tree-routes.js';
import type { EnvoyClusterLink, RuleModel, ServiceModel } from './objects.js';

export const GATEWAY_API_GROUPS = [
  { kind: 'GatewayAPIGateway', label: 'Gateway API Gateways' },
  { kind: 'Route', label: 'Routes' },
];

function matchText(r: HTTPRouteRule): string {
  const ms = r.matches ?? [];
  if (!ms.length) return 'any request';
  return ms.map((m) => [m.method, m.path ? `${m.path.type === 'Exact' ? '=' : m.path.type === 'RegularExpression' ? '~' : ''}${m.path.value ?? '/'}` : undefined,
    ...(m.headers ?? []).map((h) => `${h.name}=${h.value}`), ...(m.queryParams ?? []).map((q) => `?${q.name}=${q.value}`)].filter(Boolean).join(' ')).join(' | ');
}

function routeId(ctx: string, o: InputObject): string {
  return `${ctx}/${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

/** The generated rules of each route rule of a context, by the route rule's id. */
const rulesCache = new WeakMap<ContextIndex, Map<string, RuleModel[]>>();

function generatedRules(ctx: ContextIndex, ruleId: string): RuleModel[] {
  let m = rulesCache.get(ctx);
  if (!m) {
    m = new Map();
    for (const vs of ctx.generatedVirtualServices) {
      for (const r of vs.rules) {
        if (!r.source) continue;
        const l = m.get(r.source.id);
        if (l) l.push(r); else m.set(r.source.id, [r]);
      }
    }
    rulesCache.set(ctx, m);
  }
  return m.get(ruleId) ?? [];
}

/** Envoy clusters implementing backendRef j of the route rule, one per proxy and cluster (the first that carries a weight). */
function backendClusters(rules: RuleModel[], j: number): EnvoyClusterLink[] {
  const byKey = new Map<string, EnvoyClusterLink>();
  for (const r of rules) {
    for (const d of r.destinations) {
      if (d.mirror || d.backendRef !== j) continue;
      for (const l of d.envoy) {
        const k = `${l.proxy.id}|${l.name}`;
        const had = byKey.get(k);
        if (!had || (had.weight === undefined && l.weight !== undefined)) byKey.set(k, l);
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.weight === undefined ? 1 : 0) - (b.weight === undefined ? 1 : 0)
    || a.proxy.namespace.localeCompare(b.proxy.namespace) || a.proxy.podName.localeCompare(b.proxy.podName) || a.name.localeCompare(b.name));
}

/** The same Service in other contexts (one hop per context), with the Envoy endpoints that lead there. */
function backendHopNodes(ctx: ContextIndex, parentId: string, rules: RuleModel[], j: number, clusters: EnvoyClusterLink[]): TreeNode[] {
  const out: TreeNode[] = [];
  const seen = new Set<string>();
  for (const r of rules) {
    for (const d of r.destinations) {
      if (d.mirror || d.backendRef !== j) continue;
      for (const h of d.hops) {
        if (seen.has(h.context)) continue;
        seen.add(h.context);
        const eps = hopEndpoints(ctx, clusters, h);
        const proxies = new Set(eps.map((x) => `${x.link.proxy.namespace}/${x.link.proxy.podName}`));
        const via = eps.find((x) => x.to.gateway)?.to.gateway;
        const envoy = eps.length === 0 ? '' : `  Envoy: ${eps.length} endpoint${eps.length === 1 ? '' : 's'} on ${[...proxies].join(', ')}${via ? ` via gateway ${via.namespace}/${via.name}` : ''}`;
        out.push(hopNode(h, flat(`${h.targetHost ?? h.address}${envoy}`), `${parentId}/hop:${h.context}`));
      }
    }
  }
  return out;
}

function envoyClusterNode(ctxIndex: ContextIndex, parentId: string, l: EnvoyClusterLink): TreeNode {
  const ctx = ctxIndex.name;
  const problems: Problem[] = [];
  if (l.drift) problems.push({ severity: 'warning', drift: true, message: l.drift });
  if (l.dangling) problems.push({ severity: 'error', message: l.dangling });
  if (!l.name) return danglingNode(`${parentId}/envoy:${l.proxy.namespace}/${l.proxy.podName}`, l.dangling ?? 'no Envoy cluster', ctx);
  const n = node(`${parentId}/envoy:${l.proxy.namespace}/${l.proxy.podName}/${l.name}`, 'envoy-cluster', l.name, {
    detail: `on ${l.proxy.namespace}/${l.proxy.podName}${l.proxy.isGateway ? ' (gateway)' : ''}`, context: ctx,
    linkTo: `${l.proxy.id}/clusters/${l.name}`, searchText: `${l.name} ${l.proxy.podName}`,
    badges: withProblems({ weight: l.weight, healthy: l.healthy, total: l.total }, problems),
  });
  for (const ep of l.endpoints) {
    const en = envoyEndpointNode(n.id, ep, ctx);
    const to = remoteEndpoint(ctxIndex, ep);
    if (to?.pod) {
      en.detail = flat(`${en.detail ?? ''}  → ${to.context} ${to.pod.namespace}/${to.pod.name}`);
      en.linkTo = to.pod.id;
    } else if (to?.gateway) {
      en.detail = flat(`${en.detail ?? ''}  → ${to.context} gateway ${to.gateway.namespace}/${to.gateway.name}`);
      en.linkTo = to.gateway.id;
    }
    n.children.push(en);
  }
  return n;
}

function backendNodes(ctx: ContextIndex, parentId: string, route: InputObject, r: HTTPRouteRule, ruleIndex: number, rules: RuleModel[], rule: Pick<TreeNode, 'ref' | 'rule'>): TreeNode[] {
  const refs = (r.backendRefs ?? []) as BackendRef[];
  const total = refs.reduce((s, b) => s + (b.weight ?? 1), 0);
  const ns = route.metadata.namespace ?? 'default';
  return refs.map((b, j) => {
    const weight = b.weight ?? 1;
    const share = total > 0 ? Math.round((weight * 1000) / total) / 10 : 0;
    const bns = b.namespace ?? ns;
    const id = `${parentId}/backendRefs[${j}]`;
    const n = node(id, 'backendRef', `${b.namespace && b.namespace !== ns ? `${b.namespace}/` : ''}${b.name}${b.port !== undefined ? `:${b.port}` : ''}`, {
      context: ctx.name, detail: `weight ${b.weight === undefined ? '(unset) 1' : String(b.weight)} → ${share}%`,
      badges: { weight: share }, ref: rule.ref,
    });
    n.rule = rule.rule;
    n.destination = { index: j, mirror: false, host: b.name, ...(b.port !== undefined ? { port: b.port } : {}) };
    n.routeRule = ruleIndex;
    const isService = (b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service';
    const svc = isService ? ctx.services.find((s) => s.namespace === bns && s.name === b.name) : undefined;
    if (svc) n.children.push(objectLink(id, svc));
    else if (isService) n.children.push(danglingNode(id, `Service ${bns}/${b.name} not found`, ctx.name));
    const clusters = backendClusters(rules, j);
    n.children.push(...backendHopNodes(ctx, id, rules, j, clusters));
    for (const l of clusters) n.children.push(envoyClusterNode(ctx, id, l));
    return n;
  });
}

function routeNode(ctx: ContextIndex, parentId: string, oc: RouteOutcome, asLink: boolean): TreeNode {
  const o = oc.obj;
  const ns = o.metadata.namespace ?? 'default';
  const id = asLink ? `${parentId}/->${routeId(ctx.name, o)}` : routeId(ctx.name, o);
  // A parentRef without a sectionName expands to one parent per listener; it is refused only when every one is.
  const byRef = new Map<unknown, typeof oc.parents>();
  for (const p of oc.parents) byRef.set(p.original, [...(byRef.get(p.original) ?? []), p]);
  const accepted = [...byRef.values()].filter((ps) => ps.some((p) => !p.denied));
  const refused = [...byRef.values()].filter((ps) => ps.every((p) => p.denied)).map((ps) => ps[0]!);
  const n = node(id, 'Route', `${o.kind} ${ns}/${o.metadata.name}`, {
    context: ctx.name, ref: { context: ctx.name, kind: o.kind, namespace: ns, name: o.metadata.name },
    detail: `${(o.spec?.hostnames ?? []).join(' ') || '*'}${refused.length ? `  ${refused.length} parent${refused.length > 1 ? 's' : ''} refused` : ''}`,
    badges: refused.length && !accepted.length ? { problems: [{ severity: 'warning', message: refused.map((p) => p.denied!.message).join('; ') }] } : undefined,
  });
  lazyChildren(n, fillRoute, { ctx, oc, asLink }, ctx);
  return n;
}

const fillRoute: Fill<{ ctx: ContextIndex; oc: RouteOutcome; asLink: boolean }> = (n, { ctx, oc, asLink }) => {
  const o = oc.obj;
  const ns = o.metadata.namespace ?? 'default';
  ((o.spec?.rules ?? []) as HTTPRouteRule[]).forEach((r, i) => {
    const rid = `${n.id}/rules[${i}]`;
    // The route and the rule, on the rule and its backendRefs: what `e` opens the weight editor on.
    const rule: Pick<TreeNode, 'ref' | 'rule'> = { ref: n.ref, rule: { kind: 'http', index: i, ...(r.name ? { name: r.name } : {}) } };
    const rules = generatedRules(ctx, routeRuleId(ctx.name, o.kind, ns, o.metadata.name, i));
    const drift: Problem[] = [];
    for (const g of rules) for (const rm of g.envoyRoutes) {
      if (rm.drift.length > 0) drift.push({ severity: 'warning', drift: true, code: 'MS0201', message: `proxy ${rm.proxy.namespace}/${rm.proxy.podName}: ${rm.drift.join('; ')}`, path: g.path });
    }
    const proxies = new Set(rules.flatMap((g) => g.envoyRoutes.map((rm) => rm.proxy)));
    const detail = o.kind === 'TCPRoute' || o.kind === 'TLSRoute' ? 'any connection' : matchText(r);
    const rn = node(rid, 'route-rule', r.name ? `rules[${i}] ${r.name}` : `rules[${i}]`, {
      context: ctx.name, detail: proxies.size ? `${detail}  on ${proxies.size} prox${proxies.size === 1 ? 'y' : 'ies'}` : detail,
      badges: drift.length ? withProblems(NO_BADGES, drift) : undefined, ref: n.ref,
    });
    rn.rule = rule.rule;
    rn.routeRule = i;
    rn.children.push(...backendNodes(ctx, rid, o, r, i, rules, rule));
    n.children.push(rn);
  });
  if (!asLink) {
    for (const p of oc.parents) {
      const pid = `${n.id}/parent/${p.internalName}`;
      n.children.push(node(pid, 'link', `parent ${p.parentKey.kind} ${p.parentKey.namespace}/${p.parentKey.name}${p.parentSection ? ` ${p.parentSection}` : ''}`, {
        context: ctx.name, detail: p.denied ? `refused: ${p.denied.reason}: ${p.denied.message}` : 'accepted',
      }));
    }
  }
};

function listenerNode(ctx: ContextIndex, gwId: string, l: Listener, routes: RouteOutcome[]): TreeNode {
  const id = `${gwId}/listener/${l.name}`;
  const n = node(id, 'listener', `listener ${l.name}`, {
    context: ctx.name, detail: `${l.port}/${l.protocol} ${l.hostname ?? '*'}  ${routes.length} route${routes.length === 1 ? '' : 's'}`,
  });
  for (const oc of routes) n.children.push(routeNode(ctx, id, oc, true));
  return n;
}

/** Gateway API nodes of one context, each with the namespace and group it goes under. */
export function gatewayApiNodes(ctx: ContextIndex): { ns: string; group: string; node: TreeNode }[] {
  const t = ctx.gatewayApi;
  if (!t) return [];
  const out: { ns: string; group: string; node: TreeNode }[] = [];
  for (const g of t.gateways.gateways) {
    const gw = g.obj as InputObject<GatewayApiGatewaySpec>;
    const ns = gw.metadata.namespace ?? 'default';
    const id = `${ctx.name}/GatewayAPIGateway/${ns}/${gw.metadata.name}`;
    const listeners = gw.spec?.listeners ?? [];
    const attached = (l: Listener) => t.routes.filter((oc) => oc.parents.some((p) => !p.denied && p.parentKey.kind === 'Gateway' && p.parentKey.namespace === ns && p.parentKey.name === gw.metadata.name && p.parentSection === l.name));
    const addresses = ((gw.status as { addresses?: { value: string }[] } | undefined)?.addresses ?? gw.spec?.addresses ?? []).map((a) => a.value);
    const n = node(id, 'Gateway', gw.metadata.name, {
      context: ctx.name, ref: { context: ctx.name, kind: 'Gateway', namespace: ns, name: gw.metadata.name },
      detail: `class ${gw.spec?.gatewayClassName ?? '?'}${addresses.length ? `  ${addresses.join(' ')}` : ''}  ${listeners.map((l) => `${l.name} ${l.port}/${l.protocol} (${attached(l).length})`).join(', ')}`,
      searchText: `${gw.spec?.gatewayClassName ?? ''} ${listeners.map((l) => l.hostname ?? '').join(' ')}`,
    });
    for (const l of listeners) n.children.push(listenerNode(ctx, id, l, attached(l)));
    out.push({ ns, group: 'GatewayAPIGateway', node: n });
  }
  for (const oc of t.routes) out.push({ ns: oc.obj.metadata.namespace ?? 'default', group: 'Route', node: routeNode(ctx, '', oc, false) });
  return out;
}

/** The mesh routes (parentRef to the Service, accepted) of a Service, as links under it. */
export function serviceRouteNodes(ctx: ContextIndex, s: ServiceModel): TreeNode[] {
  const out: TreeNode[] = [];
  for (const oc of ctx.gatewayApi?.routes ?? []) {
    const p = oc.parents.find((x) => !x.denied && x.internalName === 'mesh' && x.parentKey.kind === 'Service' && x.parentKey.namespace === s.namespace && x.parentKey.name === s.name);
    if (!p) continue;
    const n = routeNode(ctx, s.id, oc, true);
    n.linkTo = routeId(ctx.name, oc.obj);
    n.detail = `mesh route${p.original.port !== undefined ? ` port ${p.original.port}` : ''}  ${n.detail ?? ''}`;
    out.push(n);
  }
  return out;
}
