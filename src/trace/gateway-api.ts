// Traces a request through Gateway API routes by running it through the config istiod generates from them (the
// translated Istio Gateways and VirtualServices): listener by port, SNI and host; the most specific virtual host;
// the first matching rule in Gateway API precedence; then routed, redirected, direct response (500 for invalid or
// zero-weight backends) or no route. Mesh routes (parent Service) apply from a client pod. Pure.
import { isGatewayApiObject } from '../model/gateway-api.js';
import type { HTTPMatchRequest, KubeObject } from '../model/resources.js';
import type { GeneratedConfig, SourceLink } from '../mesh/gateway-api/model.js';
import { translateGatewayApi, type Translation } from '../mesh/gateway-api/translate.js';
import { hostsMatch } from '../mesh/gateway-api/hosts.js';
import { httpMatchFailures, l4MatchFailures, type RequestView } from './match-istio.js';
import type { TraceRequest } from './types.js';

export type Verdict = 'routed' | 'no-route' | 'redirect' | 'direct-response' | 'denied' | 'error';

export interface GatewayApiDestination { host: string; service?: string; namespace?: string; port?: number; weight: number }

export interface GatewayApiIntent {
  verdict: Verdict;
  status: number | null;
  destinations: GatewayApiDestination[];
  redirect?: { scheme: string; host: string; port: number | null; path: string };
  rewrite?: { host: string | null; path: string };
  route?: { kind: string; name: string; namespace: string; rule?: number };
  virtualService?: string;
}

export interface GatewayApiStep { kind: string; name: string; matched: boolean; reason: string }

export interface GatewayApiTrace {
  intent: GatewayApiIntent;
  steps: GatewayApiStep[];
  /** Mesh routes: the Service host (FQDN) and port the client calls. */
  target?: { host: string; port: number };
}

interface View extends RequestView { host: string; protocol: 'http' | 'tcp' | 'tls' }

function splitPath(p: string): { path: string; query: Record<string, string> } {
  const i = p.indexOf('?');
  if (i < 0) return { path: p, query: {} };
  const query: Record<string, string> = {};
  for (const part of p.slice(i + 1).split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    if (!(k in query)) query[k] = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
  }
  return { path: p.slice(0, i), query };
}

function hostOnly(authority: string): string {
  if (authority.startsWith('[')) return authority.slice(0, authority.indexOf(']') + 1);
  const i = authority.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(authority.slice(i + 1)) ? authority.slice(0, i) : authority;
}

function view(req: TraceRequest, protocol: View['protocol'], port: number, sourceNs: string, labels: Record<string, string>): View {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  const authority = headers.host ?? headers[':authority'] ?? req.host;
  const { path, query } = splitPath(req.path ?? '/');
  return {
    authority, host: hostOnly(authority).toLowerCase(), path, query, method: (req.method ?? 'GET').toUpperCase(), scheme: req.sni ? 'https' : 'http',
    headers: { ...headers, ':authority': authority }, port, sni: req.sni, sourceLabels: labels, sourceNamespace: sourceNs, gateways: [], protocol,
  };
}

/** Envoy's virtual host choice: exact host, then the longest `*.suffix`, then `*`. */
function domainScore(domain: string, host: string): number {
  if (domain === host) return 1e6;
  if (domain === '*') return 0;
  if (domain.startsWith('*') && host.endsWith(domain.slice(1)) && host.length > domain.length - 1) return domain.length;
  return -1;
}

/** The hosts a VirtualService serves on a listener: its hosts cut down to the listener's hostname. */
function effectiveDomain(vsHost: string, listenerHost: string): string | undefined {
  if (!listenerHost || listenerHost === '*') return vsHost;
  if (!hostsMatch(vsHost, listenerHost)) return undefined;
  if (vsHost === '*') return listenerHost;
  if (vsHost.startsWith('*') && listenerHost.startsWith('*')) return vsHost.length >= listenerHost.length ? vsHost : listenerHost;
  if (vsHost.startsWith('*')) return listenerHost;
  return vsHost;
}

function destinationsOf(route: Record<string, any>[], domainSuffix: string): GatewayApiDestination[] {
  const single = route.length === 1;
  return route.map((rd) => {
    const d = rd.destination ?? {};
    const host = String(d.host ?? '');
    const m = new RegExp(`^([^.]+)\\.([^.]+)\\.svc\\.${domainSuffix.replace(/\./g, '\\.')}$`).exec(host);
    return { host, ...(m ? { service: m[1], namespace: m[2] } : {}), ...(d.port?.number ? { port: d.port.number } : {}), weight: single ? 1 : (rd.weight ?? 0) };
  });
}

function redirectOf(r: Record<string, any>, v: View, matched: HTTPMatchRequest | undefined): GatewayApiIntent['redirect'] {
  const scheme = r.scheme ?? v.scheme;
  let port: number | null = null;
  if (r.port !== undefined) port = r.port;
  else if (r.derivePort === 'FROM_REQUEST_PORT') port = v.port;
  if (port !== null && ((scheme === 'http' && port === 80) || (scheme === 'https' && port === 443))) port = null;
  let path = v.path;
  if (r.uri !== undefined) path = r.uri;
  else if (r.prefixRewrite !== undefined && matched?.uri?.prefix !== undefined) {
    const rest = v.path.slice(matched.uri.prefix.length);
    const base = r.prefixRewrite as string;
    path = base.endsWith('/') && rest.startsWith('/') ? base + rest.slice(1) : (base === '' && !rest.startsWith('/') ? `/${rest}` : base + rest);
    if (path === '') path = '/';
  }
  return { scheme, host: r.authority ?? v.host, port, path };
}

function rewriteOf(r: Record<string, any>, v: View, matched: HTTPMatchRequest | undefined): GatewayApiIntent['rewrite'] {
  let path = v.path;
  if (r.uriRegexRewrite) path = r.uriRegexRewrite.rewrite;
  else if (r.uri !== undefined && matched?.uri?.prefix !== undefined) {
    const rest = v.path.slice(matched.uri.prefix.length);
    path = r.uri === '/' ? (rest.startsWith('/') ? rest : `/${rest}`) : r.uri + rest;
  } else if (r.uri !== undefined) path = r.uri;
  return { host: r.authority ?? null, path };
}

/** Path prefix as Envoy's path_separated_prefix: whole segments only. */
function prefixSegmentsOk(m: HTTPMatchRequest | undefined, path: string): boolean {
  const p = m?.uri?.prefix;
  if (p === undefined || p === '/' || p.endsWith('/')) return true;
  return path.length === p.length || path[p.length] === '/';
}

function linkRoute(l: SourceLink | undefined): GatewayApiIntent['route'] {
  return l ? { kind: l.kind, name: l.name, namespace: l.namespace, rule: l.rule } : undefined;
}

function walkHTTP(vss: GeneratedConfig[], v: View, steps: GatewayApiStep[], domainSuffix: string, services: Set<string>): GatewayApiIntent {
  const http = vss.flatMap((vs) => ((vs.spec.http ?? []) as Record<string, any>[]).map((r, i) => ({ r, vs, link: vs.routeLinks?.[i] })));
  for (let i = 0; i < http.length; i++) {
    const { r, vs, link } = http[i]!;
    const matches = (r.match ?? [undefined]) as (HTTPMatchRequest | undefined)[];
    let matched: HTTPMatchRequest | undefined;
    let ok = false;
    let why = '';
    for (const m of matches) {
      const fails = m ? httpMatchFailures(m, v, vs.namespace) : [];
      if (fails.length === 0 && !prefixSegmentsOk(m, v.path)) fails.push(`path ${v.path} does not start with the segment ${m?.uri?.prefix}`);
      if (fails.length === 0) { ok = true; matched = m; break; }
      why = fails.join('; ');
    }
    const name = link ? `${link.kind} ${link.namespace}/${link.name} rule ${link.rule}` : String(r.name ?? i);
    if (!ok) { steps.push({ kind: 'rule', name, matched: false, reason: why }); continue; }
    steps.push({ kind: 'rule', name, matched: true, reason: 'matches' });
    const route = linkRoute(link);
    if (r.redirect) return { verdict: 'redirect', status: r.redirect.redirectCode ?? 301, destinations: [], redirect: redirectOf(r.redirect, v, matched), route };
    if (r.directResponse) return { verdict: 'direct-response', status: r.directResponse.status ?? 200, destinations: [], route };
    const dests = destinationsOf(r.route ?? [], domainSuffix);
    const missing = dests.filter((d) => d.host && d.service && !services.has(`${d.namespace}/${d.service}`));
    for (const d of missing) steps.push({ kind: 'destination', name: d.host, matched: false, reason: 'no such Service: its share of requests gets 500' });
    const valid = dests.filter((d) => d.host && !missing.includes(d));
    const out: GatewayApiIntent = { verdict: 'routed', status: 200, destinations: valid, route, ...(r.rewrite ? { rewrite: rewriteOf(r.rewrite, v, matched) } : {}) };
    if (valid.length === 0) return { verdict: 'error', status: 500, destinations: [], route };
    return out;
  }
  return { verdict: 'no-route', status: 404, destinations: [] };
}

function walkL4(vs: GeneratedConfig, v: View, steps: GatewayApiStep[], domainSuffix: string, services: Set<string>): GatewayApiIntent {
  const rules = ((v.protocol === 'tls' ? vs.spec.tls : vs.spec.tcp) ?? []) as Record<string, any>[];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const matches = (r.match ?? [undefined]) as (Record<string, any> | undefined)[];
    const fails = matches.map((m) => (m ? l4MatchFailures(m, { ...v, gateways: [] }, vs.namespace) : []));
    const link = vs.routeLinks?.[i];
    const name = link ? `${link.kind} ${link.namespace}/${link.name} rule ${link.rule}` : String(i);
    if (!fails.some((f) => f.length === 0)) { steps.push({ kind: 'rule', name, matched: false, reason: fails.flat().join('; ') }); continue; }
    const dests = destinationsOf(r.route ?? [], domainSuffix).filter((d) => d.host && d.host !== 'internal.cluster.local' && (!d.service || services.has(`${d.namespace}/${d.service}`)));
    steps.push({ kind: 'rule', name, matched: dests.length > 0, reason: dests.length ? 'matches' : 'no backend with weight' });
    if (!dests.length) return { verdict: 'denied', status: null, destinations: [], route: linkRoute(link) };
    return { verdict: 'routed', status: null, destinations: dests, route: linkRoute(link) };
  }
  return { verdict: 'no-route', status: null, destinations: [] };
}

/** The VirtualService Envoy would pick among candidates bound to the chosen listeners. */
/** The VirtualServices Envoy merges into the virtual host it picks (the most specific domain) for the host. */
function pickVirtualServices(cands: { vs: GeneratedConfig; domain: string }[], host: string, steps: GatewayApiStep[]): GeneratedConfig[] {
  let best = -1;
  for (const c of cands) best = Math.max(best, domainScore(c.domain, host));
  const out = best < 0 ? [] : [...new Set(cands.filter((c) => domainScore(c.domain, host) === best).map((c) => c.vs))];
  for (const vs of out) steps.push({ kind: 'virtual-service', name: `${vs.namespace}/${vs.name}`, matched: true, reason: `serves host ${host}` });
  if (!out.length) steps.push({ kind: 'virtual-service', name: host, matched: false, reason: 'no route serves this host on this listener' });
  return out;
}

function serviceSet(objects: KubeObject[]): Set<string> {
  return new Set(objects.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1').map((o) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`));
}

export interface GatewayApiTraceOptions {
  domainSuffix?: string;
  /** ConfigMaps looked up live (see ContextSnapshot.configMapsChecked). */
  configMapsChecked?: readonly string[];
  /** The context's translation when the join made it already (same objects): not made again. */
  translation?: Translation;
}

/** The Gateway API Gateway a `gateway/NAME.NS` source names, if it is one. */
export function findGatewayApiGateway(objects: KubeObject[], namespace: string, name: string): KubeObject | undefined {
  return objects.find((o) => o.kind === 'Gateway' && isGatewayApiObject(o) && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace);
}

export function traceGatewayApiGateway(objects: KubeObject[], gw: KubeObject, req: TraceRequest, opts: GatewayApiTraceOptions = {}): GatewayApiTrace {
  const domainSuffix = opts.domainSuffix ?? 'cluster.local';
  const t = opts.translation ?? translateGatewayApi(objects, { domainSuffix, configMapsChecked: opts.configMapsChecked });
  const services = serviceSet(objects);
  const steps: GatewayApiStep[] = [];
  const ns = gw.metadata.namespace ?? 'default';
  const port = req.port ?? 80;
  const listeners = t.configs.filter((c) => c.kind === 'Gateway' && c.sources[0]?.kind === 'Gateway' && c.sources[0].namespace === ns && c.sources[0].name === gw.metadata.name
    && ((c.spec.servers as any[])[0]?.port?.number === port));
  const fail = (verdict: Verdict, status: number | null, reason: string): GatewayApiTrace => {
    steps.push({ kind: 'listener', name: `${ns}/${gw.metadata.name}:${port}`, matched: false, reason });
    return { intent: { verdict, status, destinations: [] }, steps };
  };
  if (listeners.length === 0) return fail('no-route', null, `no valid listener on port ${port}`);
  const proto = String((listeners[0]!.spec.servers as any[])[0].port.protocol);
  const protocol: View['protocol'] = proto === 'TCP' ? 'tcp' : proto === 'TLS' ? 'tls' : 'http';
  const v = view(req, protocol, port, ns, {});
  const sniHost = (req.sni ?? '').toLowerCase();
  const listenerHost = (c: GeneratedConfig) => (c.sources[0]?.listener !== undefined ? String(((c.spec.servers as any[])[0].hosts as string[])[0]!.split('/')[1]) : '*');
  const matchHost = protocol === 'http' ? (proto === 'HTTPS' && sniHost ? sniHost : v.host) : sniHost;
  let chosen = listeners.filter((l) => protocol === 'tcp' || hostsMatch(listenerHost(l), matchHost || '*'));
  if (chosen.length === 0) return fail(protocol === 'http' ? 'no-route' : 'denied', protocol === 'http' ? 404 : null, `no listener on port ${port} serves ${matchHost}`);
  // The most specific listener hostname wins (listener isolation).
  const best = Math.max(...chosen.map((l) => domainScore(listenerHost(l), matchHost)));
  chosen = chosen.filter((l) => domainScore(listenerHost(l), matchHost) === best);
  if (proto === 'HTTPS' && sniHost) {
    // The listener the Host header selects must be the one the SNI selected, else 421 Misdirected Request.
    const byHost = listeners.filter((l) => hostsMatch(listenerHost(l), v.host));
    const hostBest = byHost.length ? Math.max(...byHost.map((l) => domainScore(listenerHost(l), v.host))) : -1;
    const forHost = byHost.filter((l) => domainScore(listenerHost(l), v.host) === hostBest);
    if (forHost.length && !forHost.some((l) => chosen.includes(l))) {
      steps.push({ kind: 'listener', name: `${ns}/${gw.metadata.name}:${port}`, matched: false, reason: `SNI ${sniHost} and Host ${v.host} select different listeners` });
      return { intent: { verdict: 'error', status: 421, destinations: [] }, steps };
    }
  }
  for (const l of chosen) steps.push({ kind: 'listener', name: `${ns}/${l.name}`, matched: true, reason: `port ${port}, hostname ${listenerHost(l)}` });
  const names = new Set(chosen.map((l) => `${l.namespace}/${l.name}`));
  const cands: { vs: GeneratedConfig; domain: string }[] = [];
  for (const vs of t.configs) {
    if (vs.kind !== 'VirtualService' || !(vs.spec.gateways as string[]).some((g) => names.has(g))) continue;
    const lh = listenerHost(chosen.find((l) => (vs.spec.gateways as string[]).includes(`${l.namespace}/${l.name}`))!);
    for (const h of vs.spec.hosts as string[]) {
      const d = effectiveDomain(h, lh);
      if (d) cands.push({ vs, domain: d });
    }
  }
  if (protocol === 'tcp') {
    const vs = cands.find((c) => (c.vs.spec.tcp as unknown[] | undefined)?.length)?.vs;
    if (!vs) return fail('denied', null, 'no TCPRoute attached');
    return { intent: walkL4(vs, v, steps, domainSuffix, services), steps };
  }
  const vss = pickVirtualServices(protocol === 'tls' ? cands.filter((c) => (c.vs.spec.tls as unknown[] | undefined)?.length) : cands.filter((c) => (c.vs.spec.http as unknown[] | undefined)?.length), protocol === 'http' ? v.host : matchHost, steps);
  if (!vss.length) return { intent: { verdict: protocol === 'http' ? 'no-route' : 'denied', status: protocol === 'http' ? 404 : null, destinations: [] }, steps };
  const intent = protocol === 'http' ? walkHTTP(vss, v, steps, domainSuffix, services) : walkL4(vss[0]!, v, steps, domainSuffix, services);
  intent.virtualService = vss.map((vs) => `${vs.namespace}/${vs.name}`).join(',');
  return { intent, steps };
}

/** From a client pod: mesh routes (parent Service) for the called host and port, else straight to the Service. */
export function traceGatewayApiMesh(objects: KubeObject[], pod: KubeObject, req: TraceRequest, opts: GatewayApiTraceOptions = {}): GatewayApiTrace | undefined {
  const domainSuffix = opts.domainSuffix ?? 'cluster.local';
  const podNs = pod.metadata.namespace ?? 'default';
  const host = hostOnly(req.host).toLowerCase();
  const parts = host.split('.');
  const svcNs = parts.length >= 2 ? parts[1]! : podNs;
  const fqdn = parts.length === 1 ? `${host}.${podNs}.svc.${domainSuffix}` : parts.length === 2 ? `${host}.svc.${domainSuffix}` : host;
  const svc = objects.find((o) => o.kind === 'Service' && (o.apiVersion === 'v1') && `${o.metadata.name}.${o.metadata.namespace ?? 'default'}.svc.${domainSuffix}` === fqdn);
  const t = opts.translation ?? translateGatewayApi(objects, { domainSuffix, configMapsChecked: opts.configMapsChecked });
  const mesh = t.configs.filter((c) => c.kind === 'VirtualService' && (c.spec.gateways as string[]).includes('mesh') && (c.spec.hosts as string[]).includes(fqdn));
  if (mesh.length === 0 && !svc) return undefined;
  const port = req.port ?? Number(svc?.spec?.ports?.[0]?.port ?? 80);
  const steps: GatewayApiStep[] = [];
  const v = view(req, 'http', port, podNs, pod.metadata.labels ?? {});
  v.gateways = ['mesh'];
  // A consumer route (in the client's namespace) wins over the producer's (in the Service's namespace).
  const forPort = (c: GeneratedConfig) => ((c.spec.http ?? []) as Record<string, any>[]).some((r) => !r.match || r.match.some((m: { port?: number }) => m.port === undefined || m.port === port));
  const consumer = mesh.filter((c) => c.namespace === podNs && forPort(c));
  const vss = consumer.length ? consumer : mesh.filter((c) => c.namespace === (svc?.metadata.namespace ?? svcNs) && forPort(c));
  if (vss.length) {
    for (const vs of vss) steps.push({ kind: 'virtual-service', name: `${vs.namespace}/${vs.name}`, matched: true, reason: `mesh route for ${fqdn}` });
    const intent = walkHTTP(vss, v, steps, domainSuffix, serviceSet(objects));
    intent.virtualService = vss.map((vs) => `${vs.namespace}/${vs.name}`).join(',');
    return { intent, steps, target: { host: fqdn, port } };
  }
  if (!svc) return { intent: { verdict: 'no-route', status: 404, destinations: [] }, steps };
  steps.push({ kind: 'virtual-service', name: fqdn, matched: false, reason: `no mesh route for port ${port}: the Service itself` });
  return { intent: { verdict: 'routed', status: 200, destinations: [{ host: fqdn, service: svc.metadata.name, namespace: svc.metadata.namespace ?? 'default', port, weight: 1 }] }, steps };
}
