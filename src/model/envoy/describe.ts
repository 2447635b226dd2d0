// The small describe* helpers istioctl's configdump writers use: route matches, istio.config paths, filter chains.
import type { EnvoyFilterChainSummary, EnvoyRouteMatch, EnvoyWeightedCluster } from './types.js';

export const HCM = 'envoy.filters.network.http_connection_manager';
export const TCP_PROXY = 'envoy.filters.network.tcp_proxy';
const LEGACY_HCM = 'envoy.http_connection_manager';
const LEGACY_TCP = 'envoy.tcp_proxy';

type JsonObject = Record<string, any>;

/** The object elements of an array; [] for anything else (a mutated dump may hold null or scalars anywhere). */
function objs(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter((x): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x)) : [];
}

/** An array's elements as strings; [] for a non-array. */
function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** Field access that accepts both proto (snake_case) and JSON (camelCase) names. */
export function firstDefined(o: JsonObject | undefined | null, snake: string, camel: string): any {
  if (o == null) return undefined;
  const v = o[snake];
  return v !== undefined ? v : o[camel];
}

/** `/apis/networking.istio.io/v1/namespaces/ns/kind/name` → `name.ns`; other non-empty paths → `<unknown>`. */
export function renderConfigPath(path: string | undefined): string {
  if (!path) return '';
  if (path.startsWith('/apis/networking.istio.io/')) {
    const parts = path.split('/');
    if (parts.length === 8) return `${parts[7]}.${parts[5]}`;
  }
  return '<unknown>';
}

/** metadata.filter_metadata.istio.config, if it is a string. */
export function istioConfigPath(metadata: JsonObject | undefined): string | undefined {
  const fm = firstDefined(metadata, 'filter_metadata', 'filterMetadata');
  const cfg = fm?.istio?.config;
  return typeof cfg === 'string' ? cfg : undefined;
}

export function parseRouteMatch(m: JsonObject | undefined): EnvoyRouteMatch {
  const match: EnvoyRouteMatch = { headers: [] };
  if (!m) return match;
  if (typeof m.prefix === 'string') match.prefix = m.prefix;
  if (typeof m.path === 'string') match.path = m.path;
  const psp = firstDefined(m, 'path_separated_prefix', 'pathSeparatedPrefix');
  if (typeof psp === 'string') match.pathSeparatedPrefix = psp;
  const sr = firstDefined(m, 'safe_regex', 'safeRegex');
  if (sr && typeof sr.regex === 'string') match.regex = sr.regex;
  else if (typeof m.regex === 'string') match.regex = m.regex;
  const cs = firstDefined(m, 'case_sensitive', 'caseSensitive');
  if (cs !== undefined) match.caseSensitive = typeof cs === 'object' && cs !== null ? Boolean(cs.value) : Boolean(cs);
  const headers = m.headers;
  if (Array.isArray(headers)) {
    for (const h of objs(headers)) {
      const stringMatcher = firstDefined(h, 'string_match', 'stringMatch') ?? {};
      const exact = firstDefined(h, 'exact_match', 'exactMatch') ?? stringMatcher.exact;
      const prefix = firstDefined(h, 'prefix_match', 'prefixMatch') ?? stringMatcher.prefix;
      const regex = (firstDefined(h, 'safe_regex_match', 'safeRegexMatch') ?? firstDefined(stringMatcher, 'safe_regex', 'safeRegex'))?.regex ?? firstDefined(h, 'regex_match', 'regexMatch');
      match.headers.push({
        name: String(h.name ?? ''),
        ...(exact !== undefined ? { exact: String(exact) } : {}),
        ...(prefix !== undefined ? { prefix: String(prefix) } : {}),
        ...(regex !== undefined ? { regex: String(regex) } : {}),
        ...(firstDefined(h, 'present_match', 'presentMatch') !== undefined ? { present: Boolean(firstDefined(h, 'present_match', 'presentMatch')) } : {}),
        ...(firstDefined(h, 'invert_match', 'invertMatch') ? { invert: true } : {}),
      });
    }
  }
  return match;
}

/** istioctl describeMatch: `p*`, `PathPrefix:p`, path, `regex r`, joined by a space; headers ignored. */
export function describeMatch(m: JsonObject | undefined): string {
  if (!m) return '';
  const conds: string[] = [];
  if (m.prefix) conds.push(`${m.prefix}*`);
  const psp = firstDefined(m, 'path_separated_prefix', 'pathSeparatedPrefix');
  if (psp) conds.push(`PathPrefix:${psp}`);
  if (m.path) conds.push(m.path);
  const sr = firstDefined(m, 'safe_regex', 'safeRegex');
  if (sr) conds.push(`regex ${sr.regex ?? ''}`);
  return conds.join(' ');
}

function describeDomains(vh: JsonObject): string {
  const d: string[] = strs(vh.domains);
  if (d.length === 1 && d[0] === '*') return '';
  return d.join('/');
}

function matchAllCluster(rc: JsonObject): string {
  const vhs = objs(firstDefined(rc, 'virtual_hosts', 'virtualHosts'));
  if (vhs.length !== 1) return '';
  const vh = vhs[0];
  const d = strs(vh.domains);
  if (d.length !== 1 || d[0] !== '*') return '';
  const routes = objs(vh.routes);
  if (routes.length !== 1) return '';
  const r = routes[0];
  if (r.match?.prefix !== '/') return '';
  const cluster = r.route?.cluster;
  if (typeof cluster !== 'string' || cluster === '') return '';
  return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
}

export function describeRouteConfig(rc: JsonObject): string {
  const all = matchAllCluster(rc);
  if (all) return all;
  const vhosts: string[] = [];
  for (const vh of objs(firstDefined(rc, 'virtual_hosts', 'virtualHosts'))) {
    const routes = objs(vh.routes).map((r: JsonObject) => describeMatch(r.match)).join(', ');
    const domains = describeDomains(vh);
    vhosts.push(domains === '' ? routes : `${domains} ${routes}`);
  }
  return `Inline Route: ${vhosts.join('; ')}`;
}

function typedConfigOf(filter: JsonObject): JsonObject | undefined {
  return firstDefined(filter, 'typed_config', 'typedConfig') ?? filter.config;
}

function containsString(v: unknown, needle: string, depth = 0): boolean {
  if (typeof v === 'string') return v.includes(needle);
  if (depth > 8 || v === null || typeof v !== 'object') return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (containsString(x, needle, depth + 1)) return true;
  return false;
}

/** istioctl getFilterType: the DESTINATION column of one filter chain. Only v3 well-known names count. */
export function describeFilters(filters: JsonObject[] | undefined): string {
  for (const f of objs(filters)) {
    if (f.name === HCM) {
      const hcm = typedConfigOf(f) ?? {};
      const rc = firstDefined(hcm, 'route_config', 'routeConfig');
      if (rc) return describeRouteConfig(rc);
      const rds = hcm.rds;
      const name = rds ? firstDefined(rds, 'route_config_name', 'routeConfigName') : undefined;
      if (name) return `Route: ${name}`;
      return 'HTTP';
    } else if (f.name === TCP_PROXY) {
      const tc = typedConfigOf(f) ?? {};
      if (!containsString(tc, 'BlackHoleCluster')) {
        const cluster = String(tc.cluster ?? '');
        return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
      }
    }
  }
  return 'Non-HTTP/Non-TCP';
}

/** Listener TYPE: HTTP, TCP, HTTP+TCP or UNKNOWN, over every chain and the default chain. */
export function listenerType(chains: JsonObject[]): string {
  let http = false;
  let tcp = false;
  for (const fc of chains) {
    for (const f of objs(fc.filters)) {
      if (f.name === HCM) http = true;
      else if (f.name === TCP_PROXY && !containsString(typedConfigOf(f), 'BlackHoleCluster')) tcp = true;
    }
  }
  if (http && tcp) return 'HTTP+TCP';
  if (http) return 'HTTP';
  if (tcp) return 'TCP';
  return 'UNKNOWN';
}

const APP_LABELS: [string, string[]][] = [
  ['HTTP', ['http/1.0', 'http/1.1', 'h2c']],
  ['HTTP TLS', ['http/1.0', 'http/1.1', 'h2c', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['Istio HTTP Plain', ['istio', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['TCP TLS', ['istio-peer-exchange', 'istio']],
];

function wrapped(v: unknown): number | undefined {
  if (v == null) return undefined;
  if (typeof v === 'object') return Number((v as JsonObject).value ?? 0);
  return Number(v);
}

/** istioctl's MATCH text for one filter_chain_match. */
export function describeChainMatch(m: JsonObject | undefined): { text: string; sni?: string[]; port?: number } {
  const match = m ?? {};
  const descrs: string[] = [];
  const sni: string[] = strs(firstDefined(match, 'server_names', 'serverNames'));
  if (sni.length > 0) descrs.push(`SNI: ${sni.join(',')}`);
  const tp = firstDefined(match, 'transport_protocol', 'transportProtocol');
  if (tp) descrs.push(`Trans: ${tp}`);
  const app: string[] = strs(firstDefined(match, 'application_protocols', 'applicationProtocols'));
  if (app.length > 0) {
    const label = APP_LABELS.find(([, l]) => l.length === app.length && l.every((x, i) => x === app[i]));
    descrs.push(`App: ${label ? label[0] : app.join(',')}`);
  }
  const dp = wrapped(firstDefined(match, 'destination_port', 'destinationPort'));
  const port = dp !== undefined ? `:${dp}` : '';
  const ranges: JsonObject[] = objs(firstDefined(match, 'prefix_ranges', 'prefixRanges'));
  if (ranges.length > 0) {
    const pf = ranges.map((r) => `${firstDefined(r, 'address_prefix', 'addressPrefix') ?? ''}/${wrapped(firstDefined(r, 'prefix_len', 'prefixLen')) ?? 0}`);
    descrs.push(`Addr: ${pf.join(',')}${port}`);
  } else if (port !== '') descrs.push(`Addr: *${port}`);
  return { text: descrs.length === 0 ? 'ALL' : descrs.join('; '), ...(sni.length ? { sni } : {}), ...(dp !== undefined ? { port: dp } : {}) };
}

function weightedClusters(wc: JsonObject | undefined): EnvoyWeightedCluster[] | undefined {
  const list = wc?.clusters;
  if (!Array.isArray(list)) return undefined;
  return objs(list).map((c: JsonObject) => ({ name: String(c.name ?? ''), weight: wrapped(c.weight) ?? 0 }));
}

export { weightedClusters, wrapped };

/** One chain summary: istioctl's MATCH/DESTINATION plus what the join needs (RDS name, TCP clusters), legacy names tolerated. */
export function summarizeChain(fc: JsonObject, inlineRoutes: (rc: JsonObject) => EnvoyFilterChainSummary['inlineRoutes']): EnvoyFilterChainSummary {
  const m = describeChainMatch(firstDefined(fc, 'filter_chain_match', 'filterChainMatch'));
  const summary: EnvoyFilterChainSummary = { match: m.text, destination: describeFilters(fc.filters) };
  if (m.sni) summary.sniHosts = m.sni;
  if (m.port !== undefined) summary.destinationPort = m.port;
  for (const f of objs(fc.filters)) {
    const tc = typedConfigOf(f) ?? {};
    if (f.name === HCM || f.name === LEGACY_HCM) {
      const name = tc.rds ? firstDefined(tc.rds, 'route_config_name', 'routeConfigName') : undefined;
      if (name) summary.routeConfigName = String(name);
      const rc = firstDefined(tc, 'route_config', 'routeConfig');
      if (rc) summary.inlineRoutes = inlineRoutes(rc);
      break;
    }
    if (f.name === TCP_PROXY || f.name === LEGACY_TCP) {
      if (typeof tc.cluster === 'string') summary.tcpCluster = tc.cluster;
      const w = weightedClusters(firstDefined(tc, 'weighted_clusters', 'weightedClusters'));
      if (w) summary.tcpWeightedClusters = w;
      break;
    }
  }
  return summary;
}
