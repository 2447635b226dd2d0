// Routes → VirtualServices: one per accepted parent and hostname (gateway routes keyed by listener, mesh routes by
// namespace[/port] and Service host), HTTP and gRPC merged across routes by key and sorted by Gateway API precedence.
import type { GRPCRouteRule, HTTPRouteRule, L4RouteRule } from '../../model/gateway-api.js';
import { byCreation, objectsOf, type TranslateContext } from './context.js';
import type { ParentInfo } from './gateways.js';
import { GATEWAY_NAME_SUFFIX, parentMeta } from './gateways.js';
import { hostsMatch } from './hosts.js';
import { INTERNAL_PARENTS, type ConfigError, type GeneratedConfig, type InputObject, type SourceLink } from './model.js';
import { acceptedParents, hostnameAllowedByIsolation, isMesh, routeParents, type RouteParentRef } from './parents.js';
import { convertGRPCRule, convertHTTPRule, convertL4Rule, type ConvertedRule } from './rules.js';

type Route = Record<string, any>;
interface Conversion { routes: Route[]; links: SourceLink[]; error?: ConfigError }

/** Per route: its parents and the rule errors, for status. */
export interface RouteOutcome { obj: InputObject; parents: RouteParentRef[]; gatewayError?: ConfigError; meshError?: ConfigError }

function convertAll(gen: () => Iterable<ConvertedRule<Route>>): Conversion {
  const res: Conversion = { routes: [], links: [] };
  for (const c of gen()) {
    if (!c.route) return { routes: [], links: [], error: c.error };
    if (c.error) res.error = c.error;
    res.routes.push(c.route);
    res.links.push(c.link);
  }
  return res;
}

function* httpRules(ctx: TranslateContext, obj: InputObject, enforce: boolean): Iterable<ConvertedRule<Route>> {
  const grpc = obj.kind === 'GRPCRoute';
  const rules = (obj.spec?.rules ?? []) as (HTTPRouteRule & GRPCRouteRule)[];
  for (let n = 0; n < rules.length; n++) {
    const r = rules[n]!;
    const matches = r.matches?.length ? r.matches.map((_, i) => i) : [undefined];
    for (const m of matches) yield grpc ? convertGRPCRule(ctx, obj, r, n, m, enforce) : convertHTTPRule(ctx, obj, r, n, m, enforce);
  }
}

function* l4Rules(ctx: TranslateContext, obj: InputObject, enforce: boolean): Iterable<ConvertedRule<Route>> {
  const rules = (obj.spec?.rules ?? []) as L4RouteRule[];
  for (let n = 0; n < rules.length; n++) yield convertL4Rule(ctx, obj, rules[n]!, n, enforce);
}

function uriRank(m: Route): number {
  const u = m.uri;
  if (!u) return -1;
  return u.exact !== undefined ? 3 : u.prefix !== undefined ? 2 : u.regex !== undefined ? 1 : -1;
}

function uriLength(m: Route): number {
  const u = m.uri;
  if (!u) return 0;
  return String(u.exact ?? u.prefix ?? u.regex ?? '').length;
}

/** Gateway API precedence: routes with matches first; exact > prefix > regex, longer paths, method, headers, query. */
export function compareHTTPRoutes(a: Route, b: Route): number {
  const am = a.match?.length ?? 0;
  const bm = b.match?.length ?? 0;
  if (am === 0 || bm === 0) return am === 0 && bm === 0 ? 0 : am === 0 ? 1 : -1;
  const m1 = a.match[0];
  const m2 = b.match[0];
  const r1 = uriRank(m1); const r2 = uriRank(m2);
  if (r1 !== r2) return r2 - r1;
  const l1 = uriLength(m1); const l2 = uriLength(m2);
  if (l1 !== l2) return l2 - l1;
  if ((m1.method === undefined) !== (m2.method === undefined)) return m1.method !== undefined ? -1 : 1;
  const h1 = Object.keys(m1.headers ?? {}).length; const h2 = Object.keys(m2.headers ?? {}).length;
  if (h1 !== h2) return h2 - h1;
  const q1 = Object.keys(m1.queryParams ?? {}).length; const q2 = Object.keys(m2.queryParams ?? {}).length;
  return q2 - q1;
}

function sortRoutes(routes: Route[], links: SourceLink[]): { routes: Route[]; links: SourceLink[] } {
  const pairs = routes.map((r, i) => ({ r, l: links[i]! }));
  pairs.sort((x, y) => compareHTTPRoutes(x.r, y.r));
  return { routes: pairs.map((p) => p.r), links: pairs.map((p) => p.l) };
}

function withPort(routes: Route[], port: number, l4: boolean): Route[] {
  return routes.map((r) => {
    const c = structuredClone(r);
    if (c.match?.length) for (const m of c.match) m.port = port;
    else c.match = [{ port }];
    void l4;
    return c;
  });
}

function meshHosts(ctx: TranslateContext, obj: InputObject, p: RouteParentRef): string[] {
  const ns = p.original.namespace ?? obj.metadata.namespace ?? 'default';
  if (p.internalKind === 'ServiceEntry') return [...((ctx.serviceEntries.get(`${ns}/${p.original.name}`)?.spec?.hosts ?? []) as string[])];
  return [`${p.original.name}.${ns}.svc.${ctx.domainSuffix}`];
}

function routeMeta(obj: InputObject): Record<string, string> {
  return { [INTERNAL_PARENTS]: parentMeta(obj.kind, obj.metadata.name, obj.metadata.namespace ?? 'default'), 'internal.istio.io/route-semantics': 'gateway' };
}

interface Keyed { cfg: GeneratedConfig; key: string; obj: InputObject }

function buildHTTP(ctx: TranslateContext, parents: Map<string, ParentInfo[]>, obj: InputObject, outcomes: RouteOutcome[], keyed: Keyed[]): void {
  const refs = routeParents(ctx, parents, obj);
  const needMesh = refs.some(isMesh);
  const needGw = refs.some((r) => !isMesh(r));
  const mesh = needMesh ? convertAll(() => httpRules(ctx, obj, false)) : { routes: [], links: [] };
  const gw = needGw ? convertAll(() => httpRules(ctx, obj, true)) : { routes: [], links: [] };
  outcomes.push({ obj, parents: refs, gatewayError: gw.error, meshError: mesh.error });
  const ns = obj.metadata.namespace ?? 'default';
  let count = 0;
  for (const p of acceptedParents(refs)) {
    let key = p.internalName;
    let hosts: string[] = obj.spec?.hostnames?.length ? [...obj.spec.hostnames] : ['*'];
    let { routes, links } = gw;
    if (isMesh(p)) {
      ({ routes, links } = mesh);
      key = ns;
      if (p.original.port !== undefined) { routes = withPort(routes, p.original.port, false); key += `/${p.original.port}`; }
      hosts = meshHosts(ctx, obj, p);
    }
    if (routes.length === 0) continue;
    for (const h of hosts) {
      if (!hostnameAllowedByIsolation(p, h)) continue;
      const sorted = sortRoutes(routes, links);
      keyed.push({
        key: `${key}/${h}`, obj,
        cfg: {
          kind: 'VirtualService', namespace: ns, name: `${obj.metadata.name}~${count}~${GATEWAY_NAME_SUFFIX}`,
          creationTimestamp: obj.metadata.creationTimestamp, annotations: routeMeta(obj),
          spec: { gateways: [p.internalName], hosts: [h], http: sorted.routes },
          sources: [{ kind: obj.kind, namespace: ns, name: obj.metadata.name }], routeLinks: sorted.links,
        },
      });
      count++;
    }
  }
}

function mergeHTTP(keyed: Keyed[]): GeneratedConfig[] {
  const byKey = new Map<string, Keyed[]>();
  for (const k of keyed) { const l = byKey.get(k.key); if (l) l.push(k); else byKey.set(k.key, [k]); }
  const out: GeneratedConfig[] = [];
  for (const [key, list] of byKey) {
    const name = key.replaceAll('/', '~');
    if (list.length === 1) { out.push({ ...list[0]!.cfg, name }); continue; }
    list.sort((a, b) => byCreation(a.obj, b.obj));
    const base = structuredClone(list[0]!.cfg);
    const http = base.spec.http as Route[];
    const links = base.routeLinks!;
    for (const k of list.slice(1)) {
      http.push(...structuredClone(k.cfg.spec.http as Route[]));
      links.push(...k.cfg.routeLinks!);
      base.annotations[INTERNAL_PARENTS] = `${base.annotations[INTERNAL_PARENTS]},${k.cfg.annotations[INTERNAL_PARENTS]}`;
      base.sources.push(...k.cfg.sources);
    }
    const sorted = sortRoutes(http, links);
    base.spec.http = sorted.routes;
    base.routeLinks = sorted.links;
    out.push({ ...base, name });
  }
  return out;
}

function tlsForMeshHost(routes: Route[], host: string): Route[] {
  return routes.map((r) => {
    if (r.match?.length === 1 && (r.match[0].sniHosts?.length ?? 0) > 1) {
      const c = structuredClone(r);
      c.match[0].sniHosts = c.match[0].sniHosts.filter((h: string) => hostsMatch(host, h));
      return c;
    }
    return r;
  });
}

function buildL4(ctx: TranslateContext, parents: Map<string, ParentInfo[]>, obj: InputObject, outcomes: RouteOutcome[], out: GeneratedConfig[]): void {
  const tls = obj.kind === 'TLSRoute';
  const refs = routeParents(ctx, parents, obj);
  const mesh = refs.some(isMesh) ? convertAll(() => l4Rules(ctx, obj, false)) : { routes: [], links: [] };
  const gw = refs.some((r) => !isMesh(r)) ? convertAll(() => l4Rules(ctx, obj, true)) : { routes: [], links: [] };
  outcomes.push({ obj, parents: refs, gatewayError: gw.error, meshError: mesh.error });
  const ns = obj.metadata.namespace ?? 'default';
  let count = 0;
  for (const p of acceptedParents(refs)) {
    let { routes, links } = gw;
    let hosts: string[] = tls ? (obj.spec?.hostnames?.length ? [...obj.spec.hostnames] : ['*']) : ['*'];
    if (isMesh(p)) {
      ({ routes, links } = mesh);
      hosts = meshHosts(ctx, obj, p);
      if (tls) {
        routes = routes.map((r) => {
          const c = structuredClone(r);
          if (c.match?.length === 1 && c.match[0].sniHosts?.length === 1 && c.match[0].sniHosts[0] === '*') c.match[0].sniHosts = hosts;
          if (p.original.port !== undefined) for (const m of c.match ?? []) m.port = p.original.port;
          return c;
        });
      } else if (p.original.port !== undefined) routes = withPort(routes, p.original.port, true);
    }
    for (const h of hosts) {
      const rs = tls && isMesh(p) ? tlsForMeshHost(routes, h) : routes;
      out.push({
        kind: 'VirtualService', namespace: ns, name: `${obj.metadata.name}~${tls ? 'tls' : 'tcp'}~${count}~${GATEWAY_NAME_SUFFIX}`,
        creationTimestamp: obj.metadata.creationTimestamp, annotations: routeMeta(obj),
        spec: { gateways: [p.internalName], hosts: [h], [tls ? 'tls' : 'tcp']: rs },
        sources: [{ kind: obj.kind, namespace: ns, name: obj.metadata.name }], routeLinks: links,
      });
      count++;
    }
  }
}

export function convertRoutes(ctx: TranslateContext, parents: Map<string, ParentInfo[]>): { configs: GeneratedConfig[]; outcomes: RouteOutcome[] } {
  const outcomes: RouteOutcome[] = [];
  const keyed: Keyed[] = [];
  const configs: GeneratedConfig[] = [];
  for (const kind of ['HTTPRoute', 'GRPCRoute']) for (const obj of objectsOf(ctx, kind)) buildHTTP(ctx, parents, obj, outcomes, keyed);
  for (const kind of ['TCPRoute', 'TLSRoute']) for (const obj of objectsOf(ctx, kind)) buildL4(ctx, parents, obj, outcomes, configs);
  // HTTPRoute and GRPCRoute merge separately in istiod (two collections).
  configs.push(...mergeHTTP(keyed.filter((k) => k.obj.kind === 'HTTPRoute')), ...mergeHTTP(keyed.filter((k) => k.obj.kind === 'GRPCRoute')));
  return { configs, outcomes };
}
