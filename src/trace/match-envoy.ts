// Envoy's routing decisions for a simulated request: virtual host domain match, route match (path, prefix, regex,
// headers, query parameters), and filter chain match. Mirrors Envoy's order: first match wins.
import type { EnvoyRoute, EnvoyRouteMatch, EnvoyVirtualHost } from '../model/envoy/types.js';
import { firstDefined } from '../model/envoy/describe.js';
import { fullRegex, hostWithoutPort, inCidr, type RequestView } from './match-istio.js';

type JsonObject = Record<string, any>;
const q = (s: string | undefined): string => (s === undefined ? '(absent)' : JSON.stringify(s));

export type DomainMatchKind = 'exact' | 'suffix' | 'prefix' | 'any';

/** How one Envoy virtual host domain matches a (lower-cased) host, or undefined. Wildcards must cover ≥ 1 character. */
export function domainMatch(domain: string, host: string): DomainMatchKind | undefined {
  const d = domain.toLowerCase();
  const h = host.toLowerCase();
  if (d === '*') return 'any';
  if (d.startsWith('*')) {
    const suffix = d.slice(1);
    return h.length > suffix.length && h.endsWith(suffix) ? 'suffix' : undefined;
  }
  if (d.endsWith('*')) {
    const prefix = d.slice(0, -1);
    return h.length > prefix.length && h.startsWith(prefix) ? 'prefix' : undefined;
  }
  return d === h ? 'exact' : undefined;
}

export interface VirtualHostChoice {
  vhost?: EnvoyVirtualHost;
  domain?: string;
  kind?: DomainMatchKind;
  /** The host Envoy matched on (port stripped with ignore_port_in_host_matching). */
  host: string;
}

/**
 * Envoy's virtual host selection: an exact domain anywhere wins, then the longest `*suffix`, then the longest
 * `prefix*`, then `*`.
 */
export function selectVirtualHost(vhosts: EnvoyVirtualHost[], authority: string, ignorePort = false): VirtualHostChoice {
  const host = (ignorePort ? hostWithoutPort(authority) : authority).toLowerCase();
  let best: { vhost: EnvoyVirtualHost; domain: string; kind: DomainMatchKind; rank: number; len: number } | undefined;
  const rankOf: Record<DomainMatchKind, number> = { exact: 3, suffix: 2, prefix: 1, any: 0 };
  for (const vh of vhosts) {
    for (const d of vh.domains) {
      const kind = domainMatch(d, host);
      if (!kind) continue;
      const rank = rankOf[kind];
      const len = d.length;
      if (!best || rank > best.rank || (rank === best.rank && len > best.len)) best = { vhost: vh, domain: d, kind, rank, len };
      if (kind === 'exact') return { vhost: vh, domain: d, kind, host };
    }
  }
  return best ? { vhost: best.vhost, domain: best.domain, kind: best.kind, host } : { host };
}

/** Envoy StringMatcher (exact, prefix, suffix, contains, safe_regex; ignore_case). */
function envoyStringMatch(stringMatcher: JsonObject, value: string): boolean {
  const ic = Boolean(firstDefined(stringMatcher, 'ignore_case', 'ignoreCase'));
  const v = ic ? value.toLowerCase() : value;
  const norm = (s: unknown): string => (ic ? String(s).toLowerCase() : String(s));
  if (stringMatcher.exact !== undefined) return v === norm(stringMatcher.exact);
  if (stringMatcher.prefix !== undefined) return v.startsWith(norm(stringMatcher.prefix));
  if (stringMatcher.suffix !== undefined) return v.endsWith(norm(stringMatcher.suffix));
  if (stringMatcher.contains !== undefined) return v.includes(norm(stringMatcher.contains));
  const re = firstDefined(stringMatcher, 'safe_regex', 'safeRegex');
  if (re && typeof re.regex === 'string') return fullRegex(re.regex)?.test(value) ?? false;
  return true;
}

function describeEnvoyStringMatch(stringMatcher: JsonObject): string {
  for (const k of ['exact', 'prefix', 'suffix', 'contains']) if (stringMatcher[k] !== undefined) return `${k} ${q(String(stringMatcher[k]))}`;
  const re = firstDefined(stringMatcher, 'safe_regex', 'safeRegex');
  if (re) return `regex ${q(String(re.regex))}`;
  return 'any';
}

/** One Envoy HeaderMatcher (raw proto JSON, any era) against the request; undefined when it matches. */
export function headerMatchFailure(h: JsonObject, req: RequestView): string | undefined {
  const name = String(h.name ?? '').toLowerCase();
  let value = req.headers[name];
  if (value === undefined && firstDefined(h, 'treat_missing_header_as_empty', 'treatMissingHeaderAsEmpty')) value = '';
  const invert = Boolean(firstDefined(h, 'invert_match', 'invertMatch'));
  let ok: boolean;
  let want: string;
  const present = firstDefined(h, 'present_match', 'presentMatch');
  const stringMatcher = firstDefined(h, 'string_match', 'stringMatch');
  const exact = firstDefined(h, 'exact_match', 'exactMatch');
  const prefix = firstDefined(h, 'prefix_match', 'prefixMatch');
  const suffix = firstDefined(h, 'suffix_match', 'suffixMatch');
  const contains = firstDefined(h, 'contains_match', 'containsMatch');
  const safeRe = firstDefined(h, 'safe_regex_match', 'safeRegexMatch');
  if (present !== undefined) {
    ok = (value !== undefined) === Boolean(present);
    want = present ? 'present' : 'absent';
  } else if (value === undefined) {
    ok = false;
    want = stringMatcher ? describeEnvoyStringMatch(stringMatcher) : exact !== undefined ? `exact ${q(String(exact))}` : prefix !== undefined ? `prefix ${q(String(prefix))}` : 'present';
  } else if (stringMatcher) {
    ok = envoyStringMatch(stringMatcher, value);
    want = describeEnvoyStringMatch(stringMatcher);
  } else if (exact !== undefined) { ok = value === String(exact); want = `exact ${q(String(exact))}`; }
  else if (prefix !== undefined) { ok = value.startsWith(String(prefix)); want = `prefix ${q(String(prefix))}`; }
  else if (suffix !== undefined) { ok = value.endsWith(String(suffix)); want = `suffix ${q(String(suffix))}`; }
  else if (contains !== undefined) { ok = value.includes(String(contains)); want = `contains ${q(String(contains))}`; }
  else if (safeRe && typeof safeRe.regex === 'string') { ok = fullRegex(safeRe.regex)?.test(value) ?? false; want = `regex ${q(safeRe.regex)}`; }
  else if (typeof firstDefined(h, 'regex_match', 'regexMatch') === 'string') {
    const r = String(firstDefined(h, 'regex_match', 'regexMatch'));
    ok = fullRegex(r)?.test(value) ?? false;
    want = `regex ${q(r)}`;
  } else { ok = true; want = 'present'; }
  if (invert) ok = !ok;
  if (ok) return undefined;
  return `header ${name} ${q(value)} ${invert ? 'matches' : '≠'} ${want}${invert ? ' (inverted)' : ''}`;
}

/** Path part of a route match; undefined when it matches. */
export function pathMatchFailure(m: EnvoyRouteMatch, path: string): string | undefined {
  const cs = m.caseSensitive !== false;
  const p = cs ? path : path.toLowerCase();
  const norm = (s: string): string => (cs ? s : s.toLowerCase());
  if (m.prefix !== undefined) return p.startsWith(norm(m.prefix)) ? undefined : `path ${q(path)} does not start with ${q(m.prefix)}`;
  if (m.path !== undefined) return p === norm(m.path) ? undefined : `path ${q(path)} ≠ ${q(m.path)}`;
  if (m.pathSeparatedPrefix !== undefined) {
    const pre = norm(m.pathSeparatedPrefix);
    return p === pre || p.startsWith(`${pre}/`) ? undefined : `path ${q(path)} is not under ${q(m.pathSeparatedPrefix)}`;
  }
  if (m.regex !== undefined) {
    const re = fullRegex(m.regex, !cs);
    if (!re) return `regex ${q(m.regex)} is not valid`;
    return re.test(path) ? undefined : `path ${q(path)} does not match regex ${q(m.regex)}`;
  }
  return undefined;
}

/** Every reason an Envoy route does not match the request (empty when it matches). */
export function routeMatchFailures(route: EnvoyRoute, req: RequestView): string[] {
  const out: string[] = [];
  const pf = pathMatchFailure(route.match, req.path);
  if (pf) out.push(pf);
  const raw: JsonObject | undefined = route.raw?.match;
  const headers: JsonObject[] = Array.isArray(raw?.headers) ? raw!.headers : route.match.headers.map((h) => ({
    name: h.name, exact_match: h.exact, prefix_match: h.prefix, safe_regex_match: h.regex !== undefined ? { regex: h.regex } : undefined,
    present_match: h.present, invert_match: h.invert,
  }));
  for (const h of headers) {
    const why = headerMatchFailure(h, req);
    if (why) out.push(why);
  }
  for (const qp of (raw ? firstDefined(raw, 'query_parameters', 'queryParameters') : undefined) ?? []) {
    const name = String(qp.name ?? '');
    const v = req.query[name];
    const stringMatcher = firstDefined(qp, 'string_match', 'stringMatch');
    const present = firstDefined(qp, 'present_match', 'presentMatch');
    if (v === undefined) { out.push(`query ${name} is absent`); continue; }
    if (stringMatcher && !present && !envoyStringMatch(stringMatcher, v)) out.push(`query ${name} ${q(v)} ≠ ${describeEnvoyStringMatch(stringMatcher)}`);
  }
  return out;
}

/** Raw filter_chain_match against the connection: undefined when it matches. */
export function filterChainMatchFailure(fcm: JsonObject | undefined, conn: { port: number; ip?: string; sni?: string; transport: string; alpn: string[] }): string | undefined {
  if (!fcm) return undefined;
  const dp = firstDefined(fcm, 'destination_port', 'destinationPort');
  const dpv = typeof dp === 'object' && dp !== null ? dp.value : dp;
  if (dpv !== undefined && Number(dpv) !== conn.port) return `destination port ${conn.port} ≠ ${dpv}`;
  const ranges: JsonObject[] = firstDefined(fcm, 'prefix_ranges', 'prefixRanges') ?? [];
  if (ranges.length > 0 && conn.ip) {
    const cidrs = ranges.map((r) => `${firstDefined(r, 'address_prefix', 'addressPrefix')}/${(firstDefined(r, 'prefix_len', 'prefixLen')?.value ?? firstDefined(r, 'prefix_len', 'prefixLen')) ?? 32}`);
    if (!cidrs.some((c) => inCidr(conn.ip!, c))) return `destination ${conn.ip} not in ${cidrs.join(',')}`;
  }
  const names: string[] = firstDefined(fcm, 'server_names', 'serverNames') ?? [];
  if (names.length > 0) {
    if (!conn.sni) return `server names ${names.join(',')}: no SNI`;
    if (!names.some((n) => domainMatch(n, conn.sni!) !== undefined && domainMatch(n, conn.sni!) !== 'prefix')) return `SNI ${conn.sni} not in ${names.join(',')}`;
  }
  const tp = firstDefined(fcm, 'transport_protocol', 'transportProtocol');
  if (tp && tp !== conn.transport) return `transport ${conn.transport} ≠ ${tp}`;
  const ap: string[] = firstDefined(fcm, 'application_protocols', 'applicationProtocols') ?? [];
  if (ap.length > 0 && !ap.some((a) => conn.alpn.includes(a))) return `application protocols ${ap.join(',')} ≠ ${conn.alpn.join(',') || '(none)'}`;
  return undefined;
}

/** How many filter_chain_match fields are set: Envoy prefers the most specific chain. */
export function filterChainSpecificity(fcm: JsonObject | undefined): number {
  if (!fcm) return 0;
  let n = 0;
  for (const [s, c] of [['destination_port', 'destinationPort'], ['prefix_ranges', 'prefixRanges'], ['server_names', 'serverNames'],
    ['transport_protocol', 'transportProtocol'], ['application_protocols', 'applicationProtocols']] as const) {
    const v = firstDefined(fcm, s, c);
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) n++;
  }
  return n;
}
