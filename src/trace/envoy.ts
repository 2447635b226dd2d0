// Reality: the same request walked through the proxy's Envoy config. Listener → filter chain → route config →
// virtual host → route (first match wins) → weighted clusters → endpoints with health; tcp_proxy for TCP.
import { gatewaysAt, type ContextIndex } from '../mesh/indexes.js';
import type { EnvoyRouteModel, ProxyModel } from '../mesh/objects.js';
import type { EnvoyEndpoint, EnvoyListener, EnvoyRoute, EnvoyRouteConfig, EnvoyWeightedCluster, ParsedDump } from '../model/envoy/types.js';
import { firstDefined } from '../model/envoy/describe.js';
import { parseClusterName } from '../mesh/join-envoy.js';
import { isGlobalHost } from '../mesh/hosts.js';
import { filterChainMatchFailure, filterChainSpecificity, routeMatchFailures, selectVirtualHost } from './match-envoy.js';
import { hostWithoutPort } from './match-istio.js';
import { istioSni, type HopTarget } from './intent-dest.js';
import type { IntentResult } from './intent.js';
import type { Recorder } from './recorder.js';
import { listSome } from './recorder.js';
import { gatewayTargetPort, type ResolvedSource } from './source.js';
import type { TraceStep } from './types.js';

type JsonObject = Record<string, any>;

export interface EnvoyClusterChoice {
  name: string;
  /** Percent of the route's traffic. */
  weight: number;
  exists: boolean;
  endpoints: EnvoyEndpoint[];
  /** Endpoints Envoy would send to (healthy, unknown or degraded, not ejected). */
  usable: number;
  step: TraceStep;
}

export interface EnvoyResult {
  proxy?: ProxyModel;
  listener?: EnvoyListener;
  routeConfig?: EnvoyRouteConfig;
  /** The step where Envoy picked its route (or tcp_proxy), where disagreements go. */
  routeStep?: TraceStep;
  route?: EnvoyRoute;
  routeModel?: EnvoyRouteModel;
  clusters: EnvoyClusterChoice[];
  hops: HopTarget[];
  stopped?: string;
  lastStep?: TraceStep;
}

/** Endpoint health states Envoy sends requests to. */
export const USABLE = new Set(['HEALTHY', 'UNKNOWN', 'DEGRADED']);

/** version_info of a dynamic route config in the raw dump. */
export function routeConfigVersion(parsed: ParsedDump | undefined, name: string): string | undefined {
  for (const sec of (parsed?.raw?.configs ?? []) as JsonObject[]) {
    for (const r of (firstDefined(sec, 'dynamic_route_configs', 'dynamicRouteConfigs') ?? []) as JsonObject[]) {
      if (firstDefined(r, 'route_config', 'routeConfig')?.name === name) return firstDefined(r, 'version_info', 'versionInfo');
    }
  }
  return undefined;
}

function rawChains(l: EnvoyListener): (JsonObject | undefined)[] {
  const chains: JsonObject[] = (firstDefined(l.raw, 'filter_chains', 'filterChains') ?? []).slice();
  const def = firstDefined(l.raw, 'default_filter_chain', 'defaultFilterChain');
  if (def) chains.push(def);
  return chains;
}

/** Each weight's share in percent, to one decimal. */
export function shares(ws: number[]): number[] {
  const total = ws.reduce((a, b) => a + b, 0);
  return ws.map((w) => (total > 0 ? Math.round((w / total) * 1000) / 10 : 0));
}

function percent(ws: EnvoyWeightedCluster[]): { name: string; weight: number }[] {
  const pct = shares(ws.map((w) => w.weight));
  return ws.map((w, i) => ({ name: w.name, weight: pct[i]! }));
}

function clusterSni(raw: JsonObject | undefined): string | undefined {
  const ts = firstDefined(raw, 'transport_socket', 'transportSocket');
  const direct = firstDefined(ts, 'typed_config', 'typedConfig')?.sni;
  if (typeof direct === 'string') return direct;
  for (const m of (firstDefined(raw, 'transport_socket_matches', 'transportSocketMatches') ?? []) as JsonObject[]) {
    const sni = firstDefined(firstDefined(m, 'transport_socket', 'transportSocket'), 'typed_config', 'typedConfig')?.sni;
    if (typeof sni === 'string') return sni;
  }
  return undefined;
}

export function walkEnvoy(src: ResolvedSource, intent: IntentResult, contexts: ContextIndex[], rec: Recorder): EnvoyResult {
  const out: EnvoyResult = { clusters: [], hops: [] };
  const proxy = src.proxy;
  const who = src.pod ? `${src.pod.namespace}/${src.pod.name}` : src.label;
  if (!proxy?.parsed) {
    out.lastStep = rec.add('envoy', 'note', who, false, src.pod?.proxy?.error ?? `no Envoy config dump for ${who}: reality is not checked`);
    out.stopped = 'no dump';
    return out;
  }
  out.proxy = proxy;
  const parsed = proxy.parsed;
  const gateway = src.kind === 'gateway';
  const port = gateway ? gatewayTargetPort(src, intent.port) : intent.port;
  const ip = gateway ? undefined : intent.destinationIp;
  const wild = (l: EnvoyListener) => l.port === port && (l.address === '0.0.0.0' || l.address === '::');
  const listener = (ip ? parsed.listeners.find((l) => l.port === port && l.address === ip) : undefined) ?? parsed.listeners.find(wild);
  if (!listener) {
    if (gateway) {
      out.lastStep = rec.add('envoy', 'listener', `port ${port}`, false, `the gateway has no listener on ${port}: nothing accepts the request`);
      out.stopped = 'no listener';
      return out;
    }
    out.lastStep = rec.add('envoy', 'listener', 'virtualOutbound', false, `no outbound listener for ${ip ?? '0.0.0.0'}:${port}: virtualOutbound (15001) forwards to PassthroughCluster, outside mesh routing`);
    addCluster(out, proxy, src.ctx, contexts, 'PassthroughCluster', 100, rec);
    return out;
  }
  out.listener = listener;
  rec.add('envoy', 'listener', listener.name || `${listener.address}_${listener.port}`, true,
    gateway ? `${listener.address}:${listener.port} (Service port ${intent.port} → container port ${port})`
      : `original destination ${ip ?? intent.view.authority}:${port}${parsed.listeners.some((l) => l.name === 'virtualOutbound') ? ', handed over by virtualOutbound (15001)' : ''}`,
    { address: listener.address, port: listener.port, type: listener.type });
  const tls = intent.protocol === 'tls';
  const conn = {
    port, ip, sni: intent.view.sni ?? (tls ? hostWithoutPort(intent.view.authority) : undefined),
    transport: tls || intent.view.sni ? 'tls' : 'raw_buffer', alpn: intent.protocol === 'http' ? ['http/1.1', 'h2c'] : [],
  };
  const raws = rawChains(listener);
  let best = -1;
  let bestSpec = -1;
  const misses: string[] = [];
  raws.forEach((fc, i) => {
    const fcm = firstDefined(fc, 'filter_chain_match', 'filterChainMatch');
    const why = filterChainMatchFailure(fcm, conn);
    if (why) { misses.push(`#${i}: ${why}`); return; }
    const s = filterChainSpecificity(fcm);
    if (s > bestSpec) { best = i; bestSpec = s; }
  });
  const chain = best >= 0 ? listener.chains[best] : undefined;
  if (!chain) {
    out.lastStep = rec.add('envoy', 'filter-chain', listener.name, false, `no filter chain matches (${misses.join('; ')}): the connection is closed`);
    out.stopped = 'no filter chain';
    return out;
  }
  const http = Boolean(chain.routeConfigName || chain.inlineRoutes);
  rec.add('envoy', 'filter-chain', `#${best} ${chain.match}`, true,
    http ? `HTTP → route config ${chain.routeConfigName ?? chain.inlineRoutes?.name ?? '(inline)'}` : `TCP → ${tcpTarget(raws[best], chain)}`);
  if (!http) return walkTcp(out, proxy, src, raws[best], chain, conn.sni, contexts, rec);
  return walkHttpChain(out, proxy, src, chain, intent, contexts, rec);
}

/** From an HTTP filter chain: route config → virtual host → route (first match wins) → weighted clusters. */
export function walkHttpChain(
  out: EnvoyResult, proxy: ProxyModel, src: ResolvedSource, chain: EnvoyListener['chains'][number], intent: IntentResult,
  contexts: ContextIndex[], rec: Recorder,
): EnvoyResult {
  const parsed = proxy.parsed!;
  const rc = chain.inlineRoutes ?? parsed.routeConfigs.find((r) => r.name === chain.routeConfigName);
  if (!rc) {
    out.lastStep = rec.add('envoy', 'route-config', chain.routeConfigName ?? '', false, `route config ${chain.routeConfigName} is not in the dump (not pushed?): the request fails`);
    out.stopped = 'no route config';
    return out;
  }
  out.routeConfig = rc;
  const version = routeConfigVersion(parsed, rc.name);
  const ignorePort = Boolean(firstDefined(rc.raw, 'ignore_port_in_host_matching', 'ignorePortInHostMatching'));
  rec.add('envoy', 'route-config', rc.name, true, `${rc.virtualHosts.length} virtual hosts${version ? `, version ${version}` : ''}${ignorePort ? ', ignores the port in Host' : ''}`, version ? { version } : undefined);
  const vh = selectVirtualHost(rc.virtualHosts, intent.view.authority, ignorePort);
  if (!vh.vhost) {
    out.lastStep = rec.add('envoy', 'virtual-host', vh.host, false, `no virtual host domain matches ${vh.host}: Envoy answers 404 (NR)`);
    out.stopped = 'no virtual host';
    return out;
  }
  rec.add('envoy', 'virtual-host', vh.vhost.name, true, `domain ${vh.domain} (${vh.kind}) matches ${vh.host}`, { domain: vh.domain, match: vh.kind });
  let route: EnvoyRoute | undefined;
  let routeIndex = -1;
  for (const [i, r] of vh.vhost.routes.entries()) {
    const fails = routeMatchFailures(r, intent.view);
    const label = `#${i}${r.name ? ` ${r.name}` : ''}${r.virtualService ? ` (${r.virtualService})` : ''}`;
    if (fails.length > 0) {
      rec.add('envoy', 'route', label, false, fails.join('; '));
      continue;
    }
    route = r;
    routeIndex = i;
    const to = r.weightedClusters ? percent(r.weightedClusters).map((w) => `${w.name} ${w.weight}%`).join(', ') : r.cluster ?? r.action;
    const mirrors = (r.mirrors ?? []).map((m) => `; mirrors ${Math.round(m.percent * 10) / 10}% to ${m.cluster}`).join('');
    out.routeStep = rec.add('envoy', 'route', label, true, `matches ${describeRouteMatch(r)} → ${to}${mirrors}`, { virtualService: r.virtualService || undefined, action: r.action });
    break;
  }
  if (!route) {
    out.lastStep = rec.add('envoy', 'route', '(none)', false, `no route of ${vh.vhost.name} matches: Envoy answers 404 (NR)`);
    out.stopped = 'no route';
    return out;
  }
  out.route = route;
  // An inline route config is parsed twice (in its chain and among the static route configs): match by position too.
  out.routeModel = proxy.routes.find((rm) => rm.route === route)
    ?? proxy.routes.find((rm) => rm.routeConfig === rc.name && rm.virtualHost === vh.vhost!.name && rm.index === routeIndex);
  if (route.action !== 'route') {
    out.lastStep = rec.add('envoy', 'note', route.action, true, `the route answers with ${route.action}`);
    return out;
  }
  const clusters = route.weightedClusters && route.weightedClusters.length > 0 ? percent(route.weightedClusters) : route.cluster ? [{ name: route.cluster, weight: 100 }] : [];
  for (const c of clusters) addCluster(out, proxy, src.ctx, contexts, c.name, c.weight, rec);
  return out;
}

function tcpTarget(raw: JsonObject | undefined, chain: EnvoyListener['chains'][number]): string {
  const names = ((raw?.filters ?? []) as JsonObject[]).map((f) => String(f.name ?? ''));
  if (names.includes('envoy.filters.network.sni_cluster')) return 'the cluster the SNI names (sni_cluster)';
  return chain.destination;
}

function describeRouteMatch(r: EnvoyRoute): string {
  const m = r.match;
  const parts: string[] = [];
  if (m.prefix !== undefined) parts.push(`prefix ${m.prefix}`);
  if (m.path !== undefined) parts.push(`path ${m.path}`);
  if (m.pathSeparatedPrefix !== undefined) parts.push(`path prefix ${m.pathSeparatedPrefix}`);
  if (m.regex !== undefined) parts.push(`regex ${m.regex}`);
  for (const h of m.headers) parts.push(`${h.name}${h.exact !== undefined ? `=${h.exact}` : h.prefix !== undefined ? ` prefix ${h.prefix}` : h.regex !== undefined ? ` ~ ${h.regex}` : ' present'}`);
  return parts.join(', ') || 'everything';
}

function walkTcp(
  out: EnvoyResult, proxy: ProxyModel, src: ResolvedSource, raw: JsonObject | undefined, chain: EnvoyListener['chains'][number],
  sni: string | undefined, contexts: ContextIndex[], rec: Recorder,
): EnvoyResult {
  const filters: JsonObject[] = raw?.filters ?? [];
  const names = filters.map((f) => String(f.name ?? ''));
  let clusters: { name: string; weight: number }[];
  let how: string;
  if (names.includes('envoy.filters.network.sni_cluster') && sni) {
    let name = sni;
    how = `sni_cluster: SNI ${sni} names the cluster`;
    const rw = filters.find((f) => f.name === 'envoy.filters.network.tcp_cluster_rewrite');
    const cfg = firstDefined(rw, 'typed_config', 'typedConfig');
    const pattern = cfg ? firstDefined(cfg, 'cluster_pattern', 'clusterPattern') : undefined;
    if (typeof pattern === 'string') {
      try {
        const to = name.replace(new RegExp(pattern), String(firstDefined(cfg, 'cluster_replacement', 'clusterReplacement') ?? ''));
        if (to !== name) how += `; tcp_cluster_rewrite ${pattern} → ${to}`;
        name = to;
      } catch { how += `; tcp_cluster_rewrite pattern ${pattern} is not valid`; }
    }
    clusters = [{ name, weight: 100 }];
  } else if (chain.tcpWeightedClusters && chain.tcpWeightedClusters.length > 0) {
    clusters = percent(chain.tcpWeightedClusters);
    how = `tcp_proxy weighted clusters ${clusters.map((c) => `${c.name} ${c.weight}%`).join(', ')}`;
  } else if (chain.tcpCluster) {
    clusters = [{ name: chain.tcpCluster, weight: 100 }];
    how = `tcp_proxy → ${chain.tcpCluster}`;
  } else {
    out.lastStep = rec.add('envoy', 'route', 'tcp_proxy', false, 'the filter chain has no tcp_proxy cluster');
    out.stopped = 'no tcp route';
    return out;
  }
  out.routeStep = rec.add('envoy', 'route', 'tcp_proxy', true, how);
  out.routeModel = proxy.routes.find((rm) => rm.route.raw === chain);
  for (const c of clusters) addCluster(out, proxy, src.ctx, contexts, c.name, c.weight, rec);
  return out;
}

/** The pod address behind an endpoint: a waypoint's `envoy://connect_originate/IP:PORT` names it after the listener. */
function endpointIp(e: EnvoyEndpoint): string {
  if (e.addressKind !== 'internal') return e.address;
  const m = /^envoy:\/\/[^/]+\/(.+):\d+$/.exec(e.address);
  return m ? m[1]!.replace(/^\[|\]$/g, '') : e.address;
}

function addCluster(out: EnvoyResult, proxy: ProxyModel, ctx: ContextIndex, contexts: ContextIndex[], name: string, weight: number, rec: Recorder): void {
  const c = proxy.clustersByName.get(name);
  const eps = proxy.endpointsByCluster.get(name) ?? [];
  const usable = eps.filter((e) => USABLE.has(e.health) && !e.outlierFailed).length;
  const text = () => eps.map((e) => {
    const pod = ctx.podByIp.get(endpointIp(e));
    return `${e.addressKind === 'internal' ? e.address : `${e.address}:${e.port}`} ${e.health}${e.outlierFailed ? ' (ejected)' : ''}${pod ? ` ${pod.name}` : ''}`;
  });
  let step: TraceStep;
  if (name === 'PassthroughCluster' || name === 'InboundPassthroughCluster') {
    step = rec.add('envoy', 'cluster', name, true, `${weight}%: forwarded to the original destination, outside mesh routing`, { weight });
  } else if (name === 'BlackHoleCluster') {
    step = rec.add('envoy', 'cluster', name, false, `${weight}%: dropped (BlackHoleCluster)`, { weight });
  } else if (!c) {
    // A dump read while the cluster was being replaced can still hold its load assignment.
    const stale = eps.length > 0 ? `; the dump's EDS still holds ${listSome(text())} for it` : '';
    step = rec.add('envoy', 'cluster', name, weight === 0, `${weight}%: not in CDS on this proxy: Envoy answers 503 (NC)${stale}`, { weight });
  } else {
    const from = proxy.endpointsFrom === 'clusters' ? 'clusters.json' : 'EDS';
    step = rec.add('envoy', 'cluster', name, usable > 0 || weight === 0,
      `${weight}%${weight === 0 ? ' (gets no traffic)' : ''}: ${usable}/${eps.length} endpoints healthy (${from})${usable === 0 && weight > 0 ? ': Envoy answers 503 (UH)' : ''}`,
      { weight, type: c.type, healthy: usable, total: eps.length, from });
    if (eps.length > 0) {
      rec.add('envoy', 'envoy-endpoints', `${eps.length} endpoint${eps.length === 1 ? '' : 's'}`, usable > 0, listSome(text()),
        { endpoints: eps.map((e) => ({ address: e.address, port: e.port, health: e.health, locality: e.locality, pod: ctx.podByIp.get(endpointIp(e))?.name })) });
    }
  }
  out.clusters.push({ name, weight, exists: Boolean(c), endpoints: eps, usable, step });
  out.lastStep = rec.steps[rec.steps.length - 1];
  if (weight === 0 || !c) return;
  const parsedName = parseClusterName(name);
  for (const e of eps) {
    for (const { context: other, service: svc } of gatewaysAt(contexts, ctx.name, e.address)) {
      const host = parsedName?.fqdn ?? name;
      const sni = clusterSni(c.raw) ?? (isGlobalHost(host) ? istioSni(parsedName?.port, parsedName?.subset || undefined, host) : undefined);
      const hop: HopTarget = { context: other.name, address: e.address, port: e.port, host, sni, gatewayService: svc, label: name };
      out.hops.push(hop);
      out.lastStep = rec.add('envoy', 'hop', `→ ${other.name} ${e.address}:${e.port}`, true,
        `endpoint is gateway ${svc.namespace}/${svc.name} of ${other.name}${sni ? ` (SNI ${sni})` : ''}`, { context: other.name, address: e.address, port: e.port, sni, host });
    }
  }
}
