// Envoy join inside one context: proxies → routes → the VirtualService rule each came from; CRD destinations →
// the Envoy clusters implementing them on each proxy, with weights, endpoint health and drift.
import type { ProxyDump } from '../model/context.js';
import type { EnvoyCluster, EnvoyEndpoint, EnvoyRoute, ParsedDump } from '../model/envoy/types.js';
import { parseClustersJson, parseConfigDump } from '../model/envoy/parse.js';
import type { ContextIndex } from './indexes.js';
import type { MeshGraph } from './graph.js';
import type { DestinationModel, EnvoyClusterLink, EnvoyRouteModel, GatewayBinding, ProxyModel, RuleModel, VirtualServiceModel } from './objects.js';

export interface EnvoyParser {
  configDump(raw: unknown): ParsedDump;
  clusters(raw: unknown): EnvoyEndpoint[];
}

/** The model layer's parser: what joinMesh uses unless told otherwise. */
export const defaultEnvoyParser: EnvoyParser = {
  configDump: (raw) => parseConfigDump(raw),
  clusters: (raw) => parseClustersJson(raw),
};

interface ParsedProxy { parsed?: ParsedDump; endpoints?: EnvoyEndpoint[]; error?: string }
const cache = new WeakMap<ProxyDump, ParsedProxy>();

/** Parses a dump once (cached per ProxyDump object); errors are kept, not thrown. */
export function parseProxyDump(d: ProxyDump, parser: EnvoyParser = defaultEnvoyParser): ParsedProxy {
  const hit = cache.get(d);
  if (hit) return hit;
  const out: ParsedProxy = {};
  if (d.error) out.error = d.error;
  else {
    const where = (f: string | undefined): string => f ?? `${d.context}/${d.namespace}/${d.pod}`;
    try {
      if (d.configDump !== undefined) out.parsed = parser.configDump(d.configDump);
    } catch (err) {
      out.error = `${where(d.configDumpFile)}: ${err instanceof Error ? err.message : String(err)}`;
    }
    try {
      if (d.clusters !== undefined) out.endpoints = parser.clusters(d.clusters);
    } catch (err) {
      out.error = [out.error, `${where(d.clustersFile)}: ${err instanceof Error ? err.message : String(err)}`].filter(Boolean).join('; ');
    }
  }
  cache.set(d, out);
  return out;
}

/** Pre-parsed dumps keyed by ProxyDump, for callers that parsed already (tests, the TUI). */
export type ParsedDumps = Map<ProxyDump, ParsedDump>;

export interface ClusterName {
  direction: string;
  port?: number;
  /** The DestinationRule subset ('' for none). */
  subset: string;
  fqdn: string;
  /** A waypoint's inbound-vip clusters: the protocol before the subset (`http` in `http/v1`). */
  protocol?: string;
}

/** `outbound|port|subset|fqdn`, or a waypoint's `inbound-vip|port|http[/subset]|fqdn`. */
export function parseClusterName(name: string): ClusterName | undefined {
  const p = name.split('|');
  if (p.length !== 4) return undefined;
  const port = Number(p[1]);
  const out: ClusterName = { direction: p[0]!, port: Number.isFinite(port) && p[1] !== '' ? port : undefined, subset: p[2]!, fqdn: p[3]! };
  if (out.direction === 'inbound-vip') {
    const i = out.subset.indexOf('/');
    out.protocol = i >= 0 ? out.subset.slice(0, i) : out.subset;
    out.subset = i >= 0 ? out.subset.slice(i + 1) : '';
  }
  return out;
}

/** Clusters that carry a route's traffic to a service: a sidecar's or gateway's outbound ones, a waypoint's inbound-vip. */
const ROUTED_DIRECTIONS = new Set(['outbound', 'inbound-vip']);

export function buildProxies(ctx: ContextIndex, g: MeshGraph, parser?: EnvoyParser, preParsed?: ParsedDumps): void {
  const gatewayPods = new Set(ctx.gateways.flatMap((gw) => gw.pods));
  for (const d of ctx.snapshot.proxies) {
    const pod = ctx.podByName.get(`${d.namespace}/${d.pod}`);
    const pp: ParsedProxy = preParsed?.has(d) ? { parsed: preParsed.get(d) } : parseProxyDump(d, parser);
    const parsed = pp.parsed;
    const endpoints = pp.endpoints ?? parsed?.edsEndpoints ?? [];
    const proxy: ProxyModel = {
      id: `${pod ? pod.id : `${ctx.name}/Pod/${d.namespace}/${d.pod}`}/proxy`,
      context: ctx.name, namespace: d.namespace, podName: d.pod, pod, dump: d, parsed,
      endpoints, endpointsFrom: pp.endpoints ? 'clusters' : parsed ? 'eds' : 'none',
      endpointsByCluster: new Map(), clustersByName: new Map(), routes: [],
      isGateway: pod ? gatewayPods.has(pod) || /gateway/.test(pod.labels.istio ?? '') || pod.labels['gateway.networking.k8s.io/gateway-name'] !== undefined : /gateway/.test(d.pod),
      error: pp.error,
    };
    for (const e of endpoints) {
      const l = proxy.endpointsByCluster.get(e.cluster);
      if (l) l.push(e); else proxy.endpointsByCluster.set(e.cluster, [e]);
    }
    for (const c of parsed?.clusters ?? []) proxy.clustersByName.set(c.name, c);
    if (pod) pod.proxy = proxy;
    g.add({ kind: 'pod-proxy', from: pod?.id ?? proxy.id, to: proxy.id, dangling: pod ? undefined : `pod ${d.namespace}/${d.pod} not found in ${ctx.name}` });
    ctx.proxies.push(proxy);
  }
}

export function joinEnvoy(ctx: ContextIndex, g: MeshGraph): void {
  if (ctx.proxies.length === 0) return;
  const vsByKey = new Map<string, VirtualServiceModel>();
  for (const vs of ctx.virtualServices) vsByKey.set(`${vs.name}.${vs.namespace}`, vs);
  // Generated VirtualServices (Gateway API) are built when an Envoy route names one.
  const gen = ctx.generated;
  const lookup = (key: string): VirtualServiceModel | undefined => vsByKey.get(key) ?? gen?.get(key);
  const l4Rules = [...ctx.virtualServices, ...(gen?.l4() ?? [])].flatMap((vs) => vs.rules.filter((r) => r.protocol !== 'http'));
  for (const proxy of ctx.proxies) {
    if (!proxy.parsed) continue;
    linkHttpRoutes(proxy, lookup, g);
    linkTcpChains(proxy, l4Rules, g);
  }
  const allDest = ctx.virtualServices.flatMap((vs) => vs.rules.flatMap((r) => r.destinations));
  // A generated rule's destinations link on the proxies that carry the rule only.
  const genDest = new Map<ProxyModel, DestinationModel[]>();
  for (const vs of gen?.built() ?? []) {
    for (const r of vs.rules) {
      for (const p of new Set(r.envoyRoutes.map((x) => x.proxy))) {
        const l = genDest.get(p);
        if (l) l.push(...r.destinations); else genDest.set(p, [...r.destinations]);
      }
    }
  }
  for (const proxy of ctx.proxies) {
    if (!proxy.parsed) continue;
    const byHostSubset = new Map<string, EnvoyCluster[]>();
    for (const c of proxy.parsed.clusters) {
      const n = parseClusterName(c.name);
      if (!n || !ROUTED_DIRECTIONS.has(n.direction)) continue;
      const k = `${n.fqdn}|${n.subset}`;
      const l = byHostSubset.get(k);
      if (l) l.push(c); else byHostSubset.set(k, [c]);
    }
    for (const d of allDest) linkDestination(proxy, d, byHostSubset, g);
    for (const d of genDest.get(proxy) ?? []) linkDestination(proxy, d, byHostSubset, g);
  }
}

/** The port of a virtual host: `host:port` (sidecars, gateways) or `inbound|http|port` (waypoints). */
function vhostPort(name: string): number | undefined {
  const i = Math.max(name.lastIndexOf(':'), name.startsWith('inbound|') ? name.lastIndexOf('|') : -1);
  const n = i >= 0 ? Number(name.slice(i + 1)) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function routeClusters(r: EnvoyRoute): { name: string; weight: number }[] {
  if (r.weightedClusters && r.weightedClusters.length > 0) {
    const total = r.weightedClusters.reduce((s, w) => s + w.weight, 0) || 1;
    return r.weightedClusters.map((w) => ({ name: w.name, weight: Math.round((w.weight / total) * 1000) / 10 }));
  }
  return r.cluster ? [{ name: r.cluster, weight: 100 }] : [];
}

function fqdnsOf(clusters: { name: string }[]): Set<string> {
  const s = new Set<string>();
  for (const c of clusters) {
    const n = parseClusterName(c.name);
    if (n) s.add(n.fqdn);
  }
  return s;
}

function linkHttpRoutes(proxy: ProxyModel, lookup: (key: string) => VirtualServiceModel | undefined, g: MeshGraph): void {
  for (const rc of proxy.parsed!.routeConfigs) {
    for (const vh of rc.virtualHosts) {
      const groups = new Map<string, EnvoyRouteModel[]>();
      vh.routes.forEach((route, index) => {
        const rm: EnvoyRouteModel = {
          id: `${proxy.id}/route:${rc.name}/${vh.name}/${route.name || index}`,
          proxy, routeConfig: rc.name, virtualHost: vh.name, domains: vh.domains, index, route,
          clusters: routeClusters(route), drift: [],
        };
        proxy.routes.push(rm);
        if (!route.virtualService) return;
        const l = groups.get(route.virtualService);
        if (l) l.push(rm); else groups.set(route.virtualService, [rm]);
      });
      for (const [key, list] of groups) {
        const vs = lookup(key);
        if (!vs) {
          for (const rm of list) {
            rm.dangling = `VirtualService ${key} (named in the route metadata) is not loaded in ${proxy.context}`;
            g.add({ kind: 'envoy-route-rule', from: rm.id, dangling: rm.dangling });
          }
          continue;
        }
        assignRules(vs, list, vhostPort(vh.name), g);
      }
    }
  }
}

/** Aligns a virtual host's routes of one VirtualService with its http rules: by name, else in order. */
function assignRules(vs: VirtualServiceModel, routes: EnvoyRouteModel[], port: number | undefined, g: MeshGraph): void {
  const seq: RuleModel[] = [];
  for (const r of vs.rules) {
    if (r.protocol !== 'http') continue;
    const matches = (vs.loaded.obj.spec?.http?.[r.index]?.match ?? []) as { port?: number }[];
    const kept = matches.filter((m) => !m?.port || port === undefined || m.port === port);
    if (matches.length > 0 && kept.length === 0) continue;
    for (let i = 0; i < Math.max(1, kept.length); i++) seq.push(r);
    if (matches.length === 0) break;
  }
  let next = 0;
  for (const rm of routes) {
    let rule: RuleModel | undefined;
    const n = rm.route.name;
    if (n) rule = seq.find((r) => r.name && (r.name === n || n.startsWith(`${r.name}.`)));
    if (!rule) {
      const fq = fqdnsOf(rm.clusters);
      for (let i = next; i < seq.length && !rule; i++) {
        const cand = seq[i]!;
        if (fq.size === 0 || cand.destinations.some((d) => fq.has(d.resolution.entries[0]?.host ?? d.fqdn) || fq.has(d.fqdn))) {
          rule = cand;
          next = i + 1;
        }
      }
      if (!rule && next < seq.length) rule = seq[next++];
    } else {
      const i = seq.indexOf(rule);
      if (i >= next) next = i + 1;
    }
    if (!rule) {
      rm.vs = vs;
      rm.dangling = `no rule of VirtualService ${vs.namespace}/${vs.name} matches Envoy route ${rm.route.name || `#${rm.index}`} in ${rm.virtualHost}`;
      g.add({ kind: 'envoy-route-rule', from: rm.id, to: vs.id, dangling: rm.dangling });
      continue;
    }
    linkRouteToRule(rm, rule, g);
  }
}

function linkRouteToRule(rm: EnvoyRouteModel, rule: RuleModel, g: MeshGraph): void {
  rm.vs = rule.vs;
  rm.rule = rule;
  rule.envoyRoutes.push(rm);
  // `destination: {}` is istiod's stand-in for a backendRef it refused (Envoy answers 500): no weights to compare.
  const intent = rule.destinations.filter((d) => !d.mirror);
  const drift = intent.some((d) => !d.host) ? '' : compareWeights(intent, rm.clusters);
  if (drift) rm.drift.push(drift);
  const mirrors = rule.destinations.filter((d) => d.mirror);
  const envoyMirrors = rm.route.mirrors ?? [];
  if (mirrors.length > 0 && envoyMirrors.length === 0) rm.drift.push(`intent mirrors to ${mirrors.map((m) => m.fqdn).join(', ')}; Envoy route has no mirror`);
  else if (mirrors.length === 0 && envoyMirrors.length > 0) rm.drift.push(`Envoy mirrors to ${envoyMirrors.map((m) => m.cluster).join(', ')}; intent has no mirror`);
  g.add({ kind: 'envoy-route-rule', from: rm.id, to: rule.id, drift: rm.drift.join('; ') || undefined });
  if (rm.drift.length > 0) {
    const where = `${rm.proxy.namespace}/${rm.proxy.podName}`;
    g.problem(rule.id, { severity: 'warning', drift: true, code: 'MS0201', message: `proxy ${where}: ${rm.drift.join('; ')}`, path: rule.path });
  }
}

function destKey(fqdn: string, subset: string | undefined): string {
  return `${fqdn}|${subset ?? ''}`;
}

function label(k: string): string {
  const [h, s] = k.split('|');
  return s ? `${h} ${s}` : h!;
}

/** '' when the Envoy clusters carry the intended weights, else a one-line difference. */
export function compareWeights(intent: DestinationModel[], envoy: { name: string; weight: number }[]): string {
  if (intent.length === 0) return '';
  const want = new Map<string, number>();
  for (const d of intent) {
    const k = destKey(d.resolution.via === 'wildcard' ? d.fqdn : d.fqdn, d.subset);
    want.set(k, (want.get(k) ?? 0) + d.weight);
  }
  const got = new Map<string, number>();
  for (const c of envoy) {
    const n = parseClusterName(c.name);
    const k = n ? destKey(n.fqdn, n.subset || undefined) : c.name;
    got.set(k, (got.get(k) ?? 0) + c.weight);
  }
  const keys = new Set([...want.keys(), ...got.keys()]);
  let differs = false;
  for (const k of keys) if (Math.abs((want.get(k) ?? 0) - (got.get(k) ?? 0)) > 0.5) differs = true;
  if (!differs) return '';
  const fmt = (m: Map<string, number>): string => [...keys].filter((k) => m.has(k) || want.has(k)).map((k) => `${label(k)} ${m.get(k) ?? 0}%`).join(', ');
  return `weights differ: intent ${fmt(want)}; Envoy ${fmt(got)}`;
}

function linkTcpChains(proxy: ProxyModel, rules: RuleModel[], g: MeshGraph): void {
  for (const l of proxy.parsed!.listeners) {
    l.chains.forEach((c, ci) => {
      const clusters = c.tcpWeightedClusters && c.tcpWeightedClusters.length > 0
        ? routeClusters({ weightedClusters: c.tcpWeightedClusters } as EnvoyRoute)
        : c.tcpCluster ? [{ name: c.tcpCluster, weight: 100 }] : [];
      const fq = fqdnsOf(clusters);
      if (fq.size === 0) return;
      // A gateway's chain: the rule's VirtualService is bound to a Gateway those pods run (for a Gateway API listener,
      // on this listener's port); a sidecar's: bound to mesh.
      const onGateway = (b: GatewayBinding) => !!proxy.pod && (b.gateway ? b.gateway.pods.includes(proxy.pod)
        : !!b.deployed && b.deployed.pods.includes(proxy.pod) && b.deployed.ports.includes(l.port));
      const rule = rules.find((r) => {
        if (proxy.isGateway ? !r.vs.gateways.some(onGateway) : !r.vs.mesh) return false;
        const ports = ((r.vs.loaded.obj.spec?.[r.protocol]?.[r.index]?.match ?? []) as { port?: number }[]).map((m) => m?.port).filter(Boolean);
        if (ports.length > 0 && !ports.includes(l.port)) return false;
        return r.destinations.some((d) => fq.has(d.fqdn));
      });
      if (!rule) return;
      const route: EnvoyRoute = {
        name: c.match, match: { headers: [] }, virtualService: '', action: 'tcp_proxy', raw: c,
        cluster: c.tcpCluster, weightedClusters: c.tcpWeightedClusters,
      };
      const rm: EnvoyRouteModel = {
        id: `${proxy.id}/tcp:${l.name}/${ci}`, proxy, routeConfig: l.name, virtualHost: 'tcp_proxy', domains: [],
        index: ci, route, clusters, drift: [],
      };
      proxy.routes.push(rm);
      linkRouteToRule(rm, rule, g);
    });
  }
}

function linkDestination(proxy: ProxyModel, d: DestinationModel, byHostSubset: Map<string, EnvoyCluster[]>, g: MeshGraph): void {
  const hostKey = d.resolution.via === 'wildcard' ? d.fqdn : d.fqdn;
  const clusters = (byHostSubset.get(destKey(hostKey, d.subset)) ?? []).filter((c) => d.port === undefined || c.port === d.port);
  const routes = d.rule.envoyRoutes.filter((r) => r.proxy === proxy);
  // Weight per cluster in the first route of the rule that names it (a rule may yield several routes, e.g. one
  // per gateway vhost; drift between them is reported per route).
  const routed = new Map<string, number>();
  for (const r of routes) {
    const here = new Map<string, number>();
    for (const c of r.clusters) {
      const n = parseClusterName(c.name);
      if (n && n.fqdn === d.fqdn && (n.subset || undefined) === d.subset) here.set(c.name, (here.get(c.name) ?? 0) + c.weight);
    }
    if (d.mirror) for (const m of r.route.mirrors ?? []) {
      const n = parseClusterName(m.cluster);
      if (n && n.fqdn === d.fqdn && (n.subset || undefined) === d.subset) here.set(m.cluster, m.percent);
    }
    for (const [k, v] of here) if (!routed.has(k)) routed.set(k, v);
  }
  const names = new Set([...clusters.map((c) => c.name), ...routed.keys()]);
  if (names.size === 0) {
    if (routes.length > 0) {
      const why = `proxy ${proxy.namespace}/${proxy.podName} has no Envoy cluster for ${d.fqdn}${d.subset ? ` subset ${d.subset}` : ''}`;
      g.add({ kind: 'destination-envoy-cluster', from: d.id, dangling: why });
      d.dangling.push({ kind: 'destination-envoy-cluster', reason: why });
      d.envoy.push({ id: `${d.id}/envoy:${proxy.namespace}/${proxy.podName}`, proxy, name: '', endpoints: [], healthy: 0, total: 0, dangling: why });
    }
    return;
  }
  const routeDrift = routes.flatMap((r) => r.drift).join('; ');
  for (const name of names) {
    const eps = proxy.endpointsByCluster.get(name) ?? [];
    const link: EnvoyClusterLink = {
      id: `${d.id}/envoy:${proxy.namespace}/${proxy.podName}/${name}`, proxy, name, cluster: proxy.clustersByName.get(name),
      weight: routes.length > 0 ? (routed.get(name) ?? 0) : undefined,
      endpoints: eps, healthy: eps.filter((e) => e.health === 'HEALTHY').length, total: eps.length,
    };
    if (!link.cluster) link.dangling = `Envoy route names cluster ${name}, which ${proxy.namespace}/${proxy.podName} does not have`;
    if (routeDrift && link.weight !== undefined && !d.mirror && Math.abs(link.weight - d.weight) > 0.5) {
      link.drift = `Envoy weight ${link.weight}% on ${proxy.namespace}/${proxy.podName}, intent ${d.weight}%`;
      d.problems.push({ severity: 'warning', drift: true, code: 'MS0201', message: link.drift, path: d.path });
    }
    d.envoy.push(link);
    g.add({ kind: 'destination-envoy-cluster', from: d.id, to: link.id, weight: link.weight, drift: link.drift, dangling: link.dangling, note: name });
  }
}
