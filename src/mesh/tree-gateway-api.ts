// Gateway API in the tree: Gateway (class, addresses, listeners with attached route counts) → listener → route →
// rule (matches) → backendRefs with their weight as written and as a share → Service; routes with their parents.
import type { BackendRef, GatewayApiGatewaySpec, HTTPRouteRule, Listener } from '../model/gateway-api.js';
import { isGatewayApiObject } from '../model/gateway-api.js';
import type { ContextIndex } from './indexes.js';
import type { TreeNode } from './tree-types.js';
import { danglingNode, node, objectLink } from './tree-nodes.js';
import { translateGatewayApi } from './gateway-api/translate.js';
import type { RouteOutcome } from './gateway-api/routes.js';
import type { InputObject } from './gateway-api/model.js';

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

function backendNodes(ctx: ContextIndex, parentId: string, route: InputObject, r: HTTPRouteRule, rule: Pick<TreeNode, 'ref' | 'rule'>): TreeNode[] {
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
    const isService = (b.group ?? '') === '' && (b.kind ?? 'Service') === 'Service';
    const svc = isService ? ctx.services.find((s) => s.namespace === bns && s.name === b.name) : undefined;
    if (svc) n.children.push(objectLink(id, svc));
    else if (isService) n.children.push(danglingNode(id, `Service ${bns}/${b.name} not found`, ctx.name));
    return n;
  });
}

function routeNode(ctx: ContextIndex, parentId: string, oc: RouteOutcome, asLink: boolean): TreeNode {
  const o = oc.obj;
  const ns = o.metadata.namespace ?? 'default';
  const id = asLink ? `${parentId}/->${routeId(ctx.name, o)}` : routeId(ctx.name, o);
  const accepted = oc.parents.filter((p) => !p.denied);
  const refused = oc.parents.filter((p) => p.denied);
  const n = node(id, 'Route', `${o.kind} ${ns}/${o.metadata.name}`, {
    context: ctx.name, ref: { context: ctx.name, kind: o.kind, namespace: ns, name: o.metadata.name },
    detail: `${(o.spec?.hostnames ?? []).join(' ') || '*'}${refused.length ? `  ${refused.length} parent${refused.length > 1 ? 's' : ''} refused` : ''}`,
    badges: refused.length && !accepted.length ? { problems: [{ severity: 'warning', message: refused.map((p) => p.denied!.message).join('; ') }] } : undefined,
  });
  ((o.spec?.rules ?? []) as HTTPRouteRule[]).forEach((r, i) => {
    const rid = `${n.id}/rules[${i}]`;
    // The route and the rule, on the rule and its backendRefs: what `e` opens the weight editor on.
    const rule: Pick<TreeNode, 'ref' | 'rule'> = { ref: n.ref, rule: { kind: 'http', index: i, ...(r.name ? { name: r.name } : {}) } };
    const rn = node(rid, 'route-rule', r.name ? `rules[${i}] ${r.name}` : `rules[${i}]`, { context: ctx.name, detail: o.kind === 'TCPRoute' || o.kind === 'TLSRoute' ? 'any connection' : matchText(r), ref: rule.ref });
    rn.rule = rule.rule;
    rn.children.push(...backendNodes(ctx, rid, o, r, rule));
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
  return n;
}

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
  const objects = ctx.snapshot.objects.map((o) => o.obj);
  if (!objects.some((o) => isGatewayApiObject(o))) return [];
  const t = translateGatewayApi(objects, { domainSuffix: 'cluster.local' });
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
