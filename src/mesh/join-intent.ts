// Intent join inside one context: Gateway ↔ VirtualService, rules → destinations → Service/ServiceEntry,
// DestinationRule subsets → pods → endpoints. Unresolved references become dangling edges with a reason.
import type {
  Destination, HTTPMatchRequest, HTTPRoute, L4MatchAttributes, RouteDestination, StringMatch, TCPRoute, TLSMatchAttributes,
  TLSRoute, VirtualServiceSpec,
} from '../model/resources.js';
import { hostsIntersect, resolveGatewayRef, selectorMatches, toFqdn } from './hosts.js';
import { flat } from './tree-nodes.js';
import type { ContextIndex } from './indexes.js';
import type { MeshGraph } from './graph.js';
import type {
  DestinationModel, DestinationRuleModel, EdgeKind, EndpointModel, GatewayBinding, PodModel, RuleModel, RuleProtocol,
  ServiceEntryModel, ServiceModel, SubsetModel, VirtualServiceModel,
} from './objects.js';
import type { HostResolution } from './hosts.js';

export function joinIntent(ctx: ContextIndex, g: MeshGraph): void {
  for (const gw of ctx.gateways) {
    if (gw.pods.length === 0) {
      const sel = Object.entries(gw.selector).map(([k, v]) => `${k}=${v}`).join(',');
      gw.dangling.push(`selector ${sel || '(empty)'} matches no pod`);
      g.add({ kind: 'gateway-pod', from: gw.id, dangling: `selector ${sel || '(empty)'} matches no pod` });
      g.problem(gw.id, { severity: 'error', code: 'IST0101', message: `Gateway selector ${sel || '(empty)'} matches no pod`, path: 'spec.selector' });
    }
  }
  for (const o of ctx.kind('VirtualService')) {
    const vs = buildVirtualService(ctx, o as VirtualServiceModel, g);
    ctx.virtualServices.push(vs);
  }
  // Gateway hosts no VirtualService serves (MS0007, as the analyzer gateway.UnservedHost reports them).
  for (const gw of ctx.gateways) {
    const specServers = (gw.loaded.obj.spec?.servers ?? []) as { tls?: { httpsRedirect?: boolean } }[];
    for (const s of gw.servers) {
      if (s.tlsMode === 'AUTO_PASSTHROUGH') continue; // routed by SNI, needs no VirtualService
      if (specServers[s.index]?.tls?.httpsRedirect) continue; // answers with a redirect, needs no VirtualService
      for (const h of s.hosts) {
        const served = gw.virtualServices.some((vs) => vs.hosts.some((vh) => hostsIntersect(vh, h.host)));
        if (!served) {
          const reason = `host ${h.host} on server port ${s.port} is served by no VirtualService`;
          gw.dangling.push(reason);
          g.add({ kind: 'vs-gateway', from: gw.id, dangling: reason });
          g.problem(gw.id, { severity: 'warning', code: 'MS0007', message: reason, path: `spec.servers[${s.index}].hosts` });
        }
      }
    }
  }
}

function buildVirtualService(ctx: ContextIndex, o: VirtualServiceModel, g: MeshGraph): VirtualServiceModel {
  const spec = (o.loaded.obj.spec ?? {}) as VirtualServiceSpec;
  const vs = Object.assign(o, {
    hosts: (spec.hosts ?? []).map((h) => toFqdn(h, o.namespace)),
    gateways: [] as GatewayBinding[],
    mesh: false,
    rules: [] as RuleModel[],
  });
  const refs = spec.gateways && spec.gateways.length > 0 ? spec.gateways : ['mesh'];
  refs.forEach((written, i) => {
    const r = resolveGatewayRef(written, vs.namespace);
    if (r.mesh) {
      vs.mesh = true;
      vs.gateways.push({ written, mesh: true, hosts: vs.hosts });
      return;
    }
    const gw = ctx.gatewayByKey.get(`${r.namespace}/${r.name}`);
    const b: GatewayBinding = { written, mesh: false, namespace: r.namespace, name: r.name, hosts: [] };
    if (!gw) {
      b.dangling = `Gateway ${r.namespace}/${r.name} not found in context ${ctx.name}`;
      g.problem(vs.id, { severity: 'error', code: 'IST0101', message: `Referenced gateway not found: "${written}"`, path: `spec.gateways[${i}]` });
    } else {
      b.gateway = gw;
      for (const h of vs.hosts) {
        if (gw.servers.some((s) => s.hosts.some((sh) => (sh.namespace === '*' || sh.namespace === vs.namespace) && hostsIntersect(h, sh.host)))) b.hosts.push(h);
      }
      if (b.hosts.length === 0) {
        b.dangling = `no host of VirtualService ${vs.namespace}/${vs.name} is in Gateway ${r.namespace}/${r.name}`;
        g.problem(vs.id, { severity: 'error', code: 'IST0132', message: b.dangling, path: `spec.gateways[${i}]` });
      } else gw.virtualServices.push(vs);
    }
    vs.gateways.push(b);
    if (b.dangling) g.add({ kind: 'vs-gateway', from: vs.id, dangling: b.dangling });
  });
  const add = (protocol: RuleProtocol, rules: (HTTPRoute | TCPRoute | TLSRoute)[] | undefined): void => {
    const names = new Map<string, number>();
    for (const r of rules ?? []) if (r.name) names.set(r.name, (names.get(r.name) ?? 0) + 1);
    (rules ?? []).forEach((r, index) => {
      const rule = buildRule(ctx, vs, protocol, r, index, names.get(r.name ?? '') === 1, g);
      vs.rules.push(rule);
    });
  };
  add('http', spec.http);
  add('tcp', spec.tcp);
  add('tls', spec.tls);
  return vs;
}

export function buildRule(
  ctx: ContextIndex, vs: VirtualServiceModel, protocol: RuleProtocol, r: HTTPRoute | TCPRoute | TLSRoute, index: number,
  uniqueName: boolean, g: MeshGraph,
): RuleModel {
  const path = `spec.${protocol}[${index}]`;
  const http = protocol === 'http' ? (r as HTTPRoute) : undefined;
  const rule: RuleModel = {
    id: flat(r.name && uniqueName ? `${vs.id}/${protocol}:${r.name}` : `${vs.id}/${protocol}[${index}]`),
    vs, protocol, index, name: r.name, path,
    match: protocol === 'http' ? httpMatchSummary((r as HTTPRoute).match) : l4MatchSummary((r as TCPRoute | TLSRoute).match),
    destinations: [], envoyRoutes: [],
    action: http?.redirect ? 'redirect' : http?.directResponse ? 'directResponse' : http?.delegate ? 'delegate' : 'route',
  };
  const routes: RouteDestination[] = (r.route ?? []).filter((d) => d && d.destination);
  let sum = 0;
  for (const d of routes) sum += d.weight ?? 0;
  const seen = new Map<string, number>();
  for (let i = 0; i < routes.length; i++) {
    const d = routes[i]!;
    const weight = routes.length === 1 ? 100 : sum > 0 ? Math.round(((d.weight ?? 0) / sum) * 1000) / 10 : 0;
    const dest = newDestination(rule, d.destination, i, false, `${path}.route[${i}].destination`, seen);
    dest.weightWritten = d.weight;
    dest.weight = weight;
    rule.destinations.push(dest);
  }
  if (http) {
    const mirrors: { destination: Destination; percent?: number }[] = [];
    if (http.mirror) mirrors.push({ destination: http.mirror, percent: http.mirrorPercentage?.value ?? http.mirrorPercent ?? 100 });
    for (const m of http.mirrors ?? []) if (m?.destination) mirrors.push({ destination: m.destination, percent: m.percentage?.value ?? 100 });
    mirrors.forEach((m, i) => {
      const p = http.mirror && i === 0 ? `${path}.mirror` : `${path}.mirrors[${http.mirror ? i - 1 : i}].destination`;
      const dest = newDestination(rule, m.destination, i, true, p, seen);
      dest.mirrorPercent = m.percent;
      rule.destinations.push(dest);
    });
  }
  for (const d of rule.destinations) {
    resolveDestination(ctx, d, g);
  }
  return rule;
}

const NONE: never[] = [];

/** A destination with its host resolved; `seen` numbers repeats of the same host|subset|port within the rule. */
function newDestination(
  rule: RuleModel, d: Destination, index: number, mirror: boolean, path: string, seen: Map<string, number>,
): DestinationModel {
  const port = d.port?.number;
  const host = d.host ?? '';
  const key = `${mirror ? 'm:' : ''}${host}|${d.subset ?? ''}|${port ?? ''}`;
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  const unique = n === 1 ? key : `${key}#${n}`;
  return {
    id: flat(`${rule.id}/${mirror ? 'mirror:' : 'route:'}${mirror ? unique.slice(2) : unique}`),
    rule, index, mirror, host, fqdn: '', subset: d.subset, port,
    weight: mirror ? 0 : 100, path: flat(path),
    resolution: undefined as unknown as HostResolution<ServiceModel | ServiceEntryModel>,
    targets: NONE, pods: NONE, endpoints: NONE, hops: [], envoy: [], problems: [], dangling: [],
  };
}

/** Resolves host → Service/ServiceEntry, host+subset → DestinationRule subset → pods → endpoints. */
function resolveDestination(ctx: ContextIndex, d: DestinationModel, g: MeshGraph): void {
  const vs = d.rule.vs;
  const res = ctx.hosts.resolve(d.host, vs.namespace);
  d.resolution = res;
  d.fqdn = res.fqdn;
  d.targets = res.entries.length === 0 ? [] : res.entries.map((e) => e.value);
  if (d.targets.length === 0) {
    danglingEdge(g, d, 'destination-host', res.note ?? `host ${d.fqdn} not found`);
    d.problems.push({ severity: 'error', code: 'IST0101', message: `Referenced host not found: "${d.host}" (${res.note})`, path: `${d.path}.host` });
  } else {
    // A note, not a finding: no analyzer reports it, so it carries no code.
    if (res.via === 'kube-dns' && res.note) d.problems.push({ severity: 'info', message: res.note, path: `${d.path}.host` });
  }
  const target = d.targets[0];
  const drHost = res.via === 'wildcard' && res.entries[0] ? res.entries[0].host : d.fqdn;
  const dr = ctx.drs.lookup(drHost, vs.namespace, target?.namespace) ?? (drHost !== d.fqdn ? ctx.drs.lookup(d.fqdn, vs.namespace, target?.namespace) : undefined);
  d.destinationRule = dr;
  if (d.port !== undefined && target) {
    const ports = portsOf(target);
    if (ports.length > 0 && !ports.includes(d.port)) {
      d.problems.push({ severity: 'error', code: 'IST0101', message: `Referenced host:port not found: "${d.host}:${d.port}"`, path: `${d.path}.port` });
    }
  } else if (d.port === undefined && target && portsOf(target).length > 1 && d.rule.protocol !== 'http') {
    d.problems.push({ severity: 'warning', message: `host ${d.fqdn} has several ports; the destination names none`, path: d.path });
  }
  let labels: Record<string, string> | undefined;
  if (d.subset) {
    const sub = findSubset(dr?.rules, d.subset);
    if (!sub) {
      const why = dr
        ? `subset "${d.subset}" not found in DestinationRule ${dr.rules.map((r) => `${r.value.namespace}/${r.value.name}`).join(', ')} (has ${dr.rules.flatMap((r) => r.value.subsets.map((s) => s.name)).join(', ') || 'no subsets'})`
        : `no DestinationRule for host ${d.fqdn}, so subset "${d.subset}" does not exist`;
      danglingEdge(g, d, 'destination-subset', why);
      d.problems.push({ severity: 'error', code: 'IST0101', message: `Referenced host+subset in destinationrule not found: "${d.fqdn}+${d.subset}" (${why})`, path: `${d.path}.subset` });
      d.pods = [];
      d.endpoints = [];
      return;
    }
    d.subsetDef = sub;
    labels = sub.labels;
  }
  const pods: PodModel[] = [];
  const endpoints: EndpointModel[] = [];
  for (const t of d.targets) {
    const svc = t as ServiceModel;
    if (t.kind === 'Service') {
      for (const p of svc.pods) if (selectorMatches(labels, p.labels)) pods.push(p);
      for (const e of svc.endpoints) if (!labels || (e.pod && selectorMatches(labels, e.pod.labels))) endpoints.push(e);
    } else {
      const se = t as ServiceEntryModel;
      for (const p of se.pods) if (selectorMatches(labels, p.labels)) pods.push(p);
      for (const e of se.endpoints) if (selectorMatches(labels, e.pod?.labels ?? e.labels)) endpoints.push(e);
    }
  }
  d.pods = pods;
  d.endpoints = endpoints;
  if (d.subsetDef && pods.length === 0 && endpoints.length === 0 && d.targets.length > 0) {
    const sel = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const why = `subset "${d.subset}" (${sel}) selects no pods of ${d.fqdn} in ${ctx.name}`;
    danglingEdge(g, d, 'destination-pod', why);
    d.problems.push({ severity: 'warning', code: 'IST0173', message: why, path: `${d.path}.subset` });
  }
}

/** The first subset named `name` among the (merged) DestinationRules of a lookup. */
export function findSubset(rules: { value: DestinationRuleModel }[] | undefined, name: string): SubsetModel | undefined {
  for (const r of rules ?? []) for (const s of r.value.subsets) if (s.name === name) return s;
  return undefined;
}

/** Records an unresolved reference on the destination and as a dangling edge. */
export function danglingEdge(g: MeshGraph, d: DestinationModel, kind: EdgeKind, reason: string): void {
  d.dangling.push({ kind, reason });
  g.add({ kind, from: d.id, dangling: reason });
}

export function portsOf(t: ServiceModel | ServiceEntryModel): number[] {
  if (t.kind === 'Service') return (t as ServiceModel).ports.map((p) => p.port);
  return ((t.loaded.obj.spec?.ports ?? []) as { number: number }[]).map((p) => p.number);
}

function stringMatchText(m: StringMatch | undefined): string {
  if (!m) return '';
  if (m.exact !== undefined) return `=${m.exact}`;
  if (m.prefix !== undefined) return `^${m.prefix}`;
  if (m.regex !== undefined) return `~${m.regex}`;
  return '';
}

export function httpMatchSummary(matches: HTTPMatchRequest[] | undefined): string {
  if (!matches || matches.length === 0) return '*';
  return matches.map((m) => {
    const parts: string[] = [];
    if (m.uri) parts.push(`uri${stringMatchText(m.uri)}`);
    if (m.method) parts.push(`method${stringMatchText(m.method)}`);
    if (m.authority) parts.push(`authority${stringMatchText(m.authority)}`);
    if (m.scheme) parts.push(`scheme${stringMatchText(m.scheme)}`);
    for (const [k, v] of Object.entries(m.headers ?? {})) parts.push(`${k}${stringMatchText(v)}`);
    for (const [k, v] of Object.entries(m.queryParams ?? {})) parts.push(`?${k}${stringMatchText(v)}`);
    for (const k of Object.keys(m.withoutHeaders ?? {})) parts.push(`!${k}`);
    if (m.port) parts.push(`port=${m.port}`);
    if (m.sourceLabels) parts.push(`from ${Object.entries(m.sourceLabels).map(([k, v]) => `${k}=${v}`).join(',')}`);
    if (m.sourceNamespace) parts.push(`from ns ${m.sourceNamespace}`);
    if (m.gateways) parts.push(`gw ${m.gateways.join(',')}`);
    return parts.join(' ') || '*';
  }).join(' | ');
}

export function l4MatchSummary(matches: (L4MatchAttributes | TLSMatchAttributes)[] | undefined): string {
  if (!matches || matches.length === 0) return '*';
  return matches.map((m) => {
    const parts: string[] = [];
    const sni = (m as TLSMatchAttributes).sniHosts;
    if (sni) parts.push(`sni ${sni.join(',')}`);
    if (m.port) parts.push(`port=${m.port}`);
    if (m.destinationSubnets) parts.push(`dst ${m.destinationSubnets.join(',')}`);
    if (m.sourceLabels) parts.push(`from ${Object.entries(m.sourceLabels).map(([k, v]) => `${k}=${v}`).join(',')}`);
    if (m.gateways) parts.push(`gw ${m.gateways.join(',')}`);
    return parts.join(' ') || '*';
  }).join(' | ');
}
