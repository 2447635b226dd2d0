// A waypoint's Envoy walked for one request. ztunnel's HBONE CONNECT ends on connect_terminate (15008), which hands
// the stream to the internal listener main_internal; its filter_chain_matcher picks the chain by the service VIP and
// port; the chain's inline route config (inbound-vip|port|http|fqdn, vhost inbound|http|port, domains *) picks the
// route; the inbound-vip clusters reach each pod through connect_originate. Intent names the same clusters.
import type { ContextIndex } from '../mesh/indexes.js';
import type { EnvoyListener } from '../model/envoy/types.js';
import { firstDefined } from '../model/envoy/describe.js';
import { parseClusterName } from '../mesh/join-envoy.js';
import { walkEnvoy, walkHttpChain, type EnvoyResult } from './envoy.js';
import type { IntentResult } from './intent.js';
import type { Recorder } from './recorder.js';
import type { ResolvedSource } from './source.js';

type JsonObject = Record<string, any>;

interface Conn { ip?: string; port: number; alpn: string }

function ipv4(a: string): number | undefined {
  const p = a.split('.');
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x))) return undefined;
  return p.reduce((n, x) => n * 256 + Number(x), 0);
}

function inRange(ip: string, prefix: string, len: number): boolean {
  const a = ipv4(ip);
  const b = ipv4(prefix);
  if (a === undefined || b === undefined) return ip === prefix;
  const bits = Math.max(0, Math.min(32, len));
  const div = 2 ** (32 - bits);
  return Math.floor(a / div) === Math.floor(b / div);
}

function actionName(onMatch: JsonObject | undefined, conn: Conn, why: string[]): string | undefined {
  if (!onMatch) return undefined;
  const action = onMatch.action as JsonObject | undefined;
  if (action) return String(firstDefined(action, 'typed_config', 'typedConfig')?.value ?? action.name ?? '');
  return onMatch.matcher ? evalMatcher(onMatch.matcher, conn, why) : undefined;
}

/** Evaluates an xDS matcher tree (destination IP, port, application protocol) to a filter chain name. */
function evalMatcher(m: JsonObject, conn: Conn, why: string[]): string | undefined {
  const tree = firstDefined(m, 'matcher_tree', 'matcherTree') as JsonObject | undefined;
  const noMatch = firstDefined(m, 'on_no_match', 'onNoMatch') as JsonObject | undefined;
  if (!tree) return actionName(noMatch, conn, why);
  const type = String(firstDefined(tree.input, 'typed_config', 'typedConfig')?.['@type'] ?? '');
  const input = type.endsWith('DestinationIPInput') ? conn.ip
    : type.endsWith('DestinationPortInput') ? String(conn.port)
      : type.endsWith('ApplicationProtocolInput') ? `'${conn.alpn}'` : undefined;
  let hit: JsonObject | undefined;
  const exact = firstDefined(tree, 'exact_match_map', 'exactMatchMap')?.map as JsonObject | undefined;
  if (exact && input !== undefined) hit = exact[input];
  const custom = firstDefined(firstDefined(tree, 'custom_match', 'customMatch'), 'typed_config', 'typedConfig') as JsonObject | undefined;
  if (!hit && custom && input !== undefined && String(custom['@type'] ?? '').endsWith('IPMatcher')) {
    for (const rm of (firstDefined(custom, 'range_matchers', 'rangeMatchers') ?? []) as JsonObject[]) {
      const ok = ((rm.ranges ?? []) as JsonObject[]).some((r) => inRange(input, String(firstDefined(r, 'address_prefix', 'addressPrefix') ?? ''), Number(firstDefined(r, 'prefix_len', 'prefixLen') ?? 32)));
      if (ok) { hit = firstDefined(rm, 'on_match', 'onMatch'); break; }
    }
  }
  if (hit) {
    const name = actionName(hit, conn, why);
    if (name) return name;
  }
  // An entry that matched but whose inner matcher did not has said why already.
  const label = type.replace(/^.*\./, '').replace(/Input$/, '');
  if (!noMatch && !hit) why.push(`${label || 'input'} ${input ?? '(unknown)'} matches no entry`);
  return actionName(noMatch, conn, why);
}

function chainIndex(l: EnvoyListener, name: string): number {
  const raws = (firstDefined(l.raw, 'filter_chains', 'filterChains') ?? []) as JsonObject[];
  return raws.findIndex((c) => c.name === name);
}

/** Walks a waypoint's Envoy; falls back to the sidecar walk for a dump without main_internal. */
export function walkWaypointEnvoy(src: ResolvedSource, intent: IntentResult, contexts: ContextIndex[], rec: Recorder): EnvoyResult {
  const proxy = src.proxy;
  const main = proxy?.parsed?.listeners.find((l) => l.name === 'main_internal');
  if (!proxy?.parsed || !main) return walkEnvoy(src, intent, contexts, rec);
  const out: EnvoyResult = { proxy, clusters: [], hops: [] };
  const terminate = proxy.parsed.listeners.find((l) => l.name === 'connect_terminate');
  rec.add('envoy', 'listener', terminate ? 'connect_terminate' : 'main_internal', true,
    terminate ? `${terminate.address}:${terminate.port} ends ztunnel's HBONE CONNECT and hands the stream to main_internal` : 'internal listener (no connect_terminate in the dump)',
    terminate ? { address: terminate.address, port: terminate.port, type: terminate.type } : undefined);
  out.listener = main;
  const ip = intent.destinationIp;
  const conn: Conn = { ip, port: intent.port, alpn: intent.protocol === 'http' ? 'http/1.1' : '' };
  rec.add('envoy', 'listener', 'main_internal', true, `internal listener, original destination ${ip ?? '(no VIP)'}:${intent.port}`, { type: main.type });
  const matcher = firstDefined(main.raw, 'filter_chain_matcher', 'filterChainMatcher') as JsonObject | undefined;
  const why: string[] = [];
  let name = matcher ? evalMatcher(matcher, conn, why) : undefined;
  if (!matcher) {
    const byName = main.chains.map((_, i) => i).filter((i) => String((firstDefined(main.raw, 'filter_chains', 'filterChains') as JsonObject[])[i]?.name ?? '').startsWith(`inbound-vip|${intent.port}|`));
    if (byName.length === 1) name = (firstDefined(main.raw, 'filter_chains', 'filterChains') as JsonObject[])[byName[0]!]!.name;
    else why.push(`no filter_chain_matcher and ${byName.length} chains for port ${intent.port}`);
  }
  const idx = name ? chainIndex(main, name) : -1;
  const chain = idx >= 0 ? main.chains[idx] : undefined;
  if (!chain) {
    out.lastStep = rec.add('envoy', 'filter-chain', 'main_internal', false, name
      ? `the matcher names filter chain ${name}, which main_internal does not have: the connection is closed`
      : `no filter chain for ${ip ?? '?'}:${intent.port} (${why.join('; ') || 'no match'}): the waypoint does not serve this service`);
    out.stopped = 'no filter chain';
    return out;
  }
  const http = Boolean(chain.routeConfigName || chain.inlineRoutes);
  rec.add('envoy', 'filter-chain', `#${idx} ${name}`, true, `${ip}:${intent.port} → ${http ? `route config ${chain.routeConfigName ?? chain.inlineRoutes?.name ?? '(inline)'}` : `TCP → ${chain.destination}`}`);
  if (!http) {
    const cluster = chain.tcpCluster;
    if (!cluster) {
      out.lastStep = rec.add('envoy', 'route', 'tcp_proxy', false, 'the filter chain has no tcp_proxy cluster');
      out.stopped = 'no tcp route';
      return out;
    }
    out.routeStep = rec.add('envoy', 'route', 'tcp_proxy', true, `tcp_proxy → ${cluster}`);
    out.routeModel = proxy.routes.find((rm) => rm.route.raw === chain);
    out.clusters.push({ name: cluster, weight: 100, exists: proxy.clustersByName.has(cluster), endpoints: proxy.endpointsByCluster.get(cluster) ?? [], usable: 0, step: out.routeStep });
    return out;
  }
  return walkHttpChain(out, proxy, src, chain, intent, contexts, rec);
}

/**
 * Intent's clusters as a waypoint names them: `inbound-vip|port|http[/subset]|fqdn` for the services it serves
 * (istiod's waypoint cluster builder), outbound ones for the rest.
 */
export function waypointIntent(intent: IntentResult, served: ReadonlySet<string>, rec: Recorder): void {
  const proto = intent.protocol === 'http' ? 'http' : 'tcp';
  const renamed = new Map<string, string>();
  for (const d of intent.destinations) {
    const n = parseClusterName(d.cluster);
    if (!n || n.direction !== 'outbound' || !served.has(n.fqdn)) continue;
    const name = `inbound-vip|${n.port ?? ''}|${n.subset ? `${proto}/${n.subset}` : proto}|${n.fqdn}`;
    renamed.set(d.cluster, name);
    d.cluster = name;
  }
  for (const s of rec.steps) {
    const c = s.details?.cluster;
    if (typeof c === 'string' && renamed.has(c)) s.details!.cluster = renamed.get(c);
  }
}
