// Istio match semantics for a simulated request: StringMatch, HTTPMatchRequest, L4/TLS match attributes, Gateway hosts.
// Each matcher says why it did not match, in words an operator can act on.
import type { HTTPMatchRequest, L4MatchAttributes, StringMatch, TLSMatchAttributes } from '../model/resources.js';
import { hostsIntersect, isWildcard, resolveGatewayRef } from '../mesh/hosts.js';

/** The request as the matchers see it. Header names are lower case; pseudo-headers (:authority...) are included. */
export interface RequestView {
  /** Host header (may carry :port). */
  authority: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  method: string;
  scheme: string;
  headers: Record<string, string>;
  port: number;
  sni?: string;
  sourceLabels: Record<string, string>;
  sourceNamespace: string;
  /** `mesh` for sidecars, `ns/name` of every Gateway the request came through for gateways. */
  gateways: string[];
}

const q = (s: string | undefined): string => (s === undefined ? '(absent)' : JSON.stringify(s));

/** Full-string regex as RE2 / Envoy safe_regex use it; undefined when the pattern is not valid JS regex. */
export function fullRegex(pattern: string, ignoreCase = false): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, ignoreCase ? 'i' : '');
  } catch {
    return undefined;
  }
}

export function describeStringMatch(m: StringMatch | undefined): string {
  if (!m) return 'any';
  if (m.exact !== undefined) return `exact ${q(m.exact)}`;
  if (m.prefix !== undefined) return `prefix ${q(m.prefix)}`;
  if (m.regex !== undefined) return `regex ${q(m.regex)}`;
  return 'present';
}

/** Istio StringMatch (exact / prefix / regex, RE2 full match). An empty match means "present". */
export function stringMatch(m: StringMatch | undefined, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  if (!m) return true;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (m.exact !== undefined) return v === (ignoreCase ? m.exact.toLowerCase() : m.exact);
  if (m.prefix !== undefined) return v.startsWith(ignoreCase ? m.prefix.toLowerCase() : m.prefix);
  if (m.regex !== undefined) return fullRegex(m.regex, ignoreCase)?.test(value) ?? false;
  return true;
}

function check(label: string, m: StringMatch, value: string | undefined, ignoreCase = false): string | undefined {
  if (m.regex !== undefined && !fullRegex(m.regex, ignoreCase)) return `${label}: regex ${q(m.regex)} is not valid`;
  if (stringMatch(m, value, ignoreCase)) return undefined;
  return `${label} ${q(value)} ≠ ${describeStringMatch(m)}${ignoreCase ? ' (ignoring case)' : ''}`;
}

function labelsMatch(want: Record<string, string>, have: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(want)) {
    if (have[k] !== v) return `sourceLabels ${k}=${v}, source has ${k}=${have[k] ?? '(absent)'}`;
  }
  return undefined;
}

function gatewaysMatch(refs: string[], vsNamespace: string, current: string[]): string | undefined {
  const wanted = refs.map((r) => {
    const g = resolveGatewayRef(r, vsNamespace);
    return g.mesh ? 'mesh' : `${g.namespace}/${g.name}`;
  });
  if (wanted.some((w) => current.includes(w))) return undefined;
  return `gateways [${wanted.join(', ')}] do not include ${current.join(', ') || '(none)'}`;
}

/** Why one HTTPMatchRequest does not match the request: every failing condition, or none when it matches. */
export function httpMatchFailures(m: HTTPMatchRequest, req: RequestView, vsNamespace: string): string[] {
  const out: string[] = [];
  const add = (s: string | undefined): void => { if (s) out.push(s); };
  if (m.uri) add(check('uri', m.uri, req.path, Boolean(m.ignoreUriCase)));
  if (m.scheme) add(check('scheme', m.scheme, req.scheme));
  if (m.method) add(check('method', m.method, req.method));
  if (m.authority) add(check('authority', m.authority, req.authority));
  for (const [k, matcher] of Object.entries(m.headers ?? {})) add(check(`header ${k}`, matcher ?? {}, req.headers[k.toLowerCase()]));
  for (const [k, matcher] of Object.entries(m.queryParams ?? {})) add(check(`query ${k}`, matcher ?? {}, req.query[k]));
  for (const [k, matcher] of Object.entries(m.withoutHeaders ?? {})) {
    const v = req.headers[k.toLowerCase()];
    if (stringMatch(matcher ?? {}, v)) out.push(`withoutHeaders ${k}: request has ${q(v)}, which matches ${describeStringMatch(matcher ?? undefined)}`);
  }
  if (m.port !== undefined && m.port !== req.port) out.push(`port ${req.port} ≠ ${m.port}`);
  if (m.sourceLabels) add(labelsMatch(m.sourceLabels, req.sourceLabels));
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== req.sourceNamespace) {
    out.push(`sourceNamespace ${req.sourceNamespace} ≠ ${m.sourceNamespace}`);
  }
  if (m.gateways && m.gateways.length > 0) add(gatewaysMatch(m.gateways, vsNamespace, req.gateways));
  return out;
}

/** L4 (tcp) and TLS match attributes. `destinationIp` is the address the client dialled, when known. */
export function l4MatchFailures(m: L4MatchAttributes | TLSMatchAttributes, req: RequestView, vsNamespace: string, destinationIp?: string): string[] {
  const out: string[] = [];
  if (m.port !== undefined && m.port !== req.port) out.push(`port ${req.port} ≠ ${m.port}`);
  if (m.sourceLabels) {
    const why = labelsMatch(m.sourceLabels, req.sourceLabels);
    if (why) out.push(why);
  }
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== req.sourceNamespace) out.push(`sourceNamespace ${req.sourceNamespace} ≠ ${m.sourceNamespace}`);
  if (m.gateways && m.gateways.length > 0) {
    const why = gatewaysMatch(m.gateways, vsNamespace, req.gateways);
    if (why) out.push(why);
  }
  if (m.destinationSubnets && m.destinationSubnets.length > 0) {
    if (!destinationIp) out.push(`destinationSubnets ${m.destinationSubnets.join(',')}: destination address unknown`);
    else if (!m.destinationSubnets.some((c) => inCidr(destinationIp, c))) out.push(`destination ${destinationIp} not in ${m.destinationSubnets.join(',')}`);
  }
  const sni = (m as TLSMatchAttributes).sniHosts;
  if (sni && sni.length > 0) {
    if (!req.sni) out.push(`sniHosts ${sni.join(',')}: the request has no SNI`);
    else if (!sni.some((h) => hostsIntersect(h, req.sni!))) out.push(`SNI ${req.sni} not in sniHosts ${sni.join(',')}`);
  }
  return out;
}

export function inCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const toNum = (s: string): number | undefined => {
    const p = s.split('.').map(Number);
    if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
    return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
  };
  const a = toNum(ip);
  const b = toNum(net ?? '');
  if (a === undefined || b === undefined) return ip === net;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (bits === 0) return true;
  const mask = bits >= 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** A Gateway server host (`*`, `*.example.com`, `example.com`) against a request host: how it matched, or undefined. */
export function gatewayHostMatch(serverHost: string, host: string): 'exact' | 'wildcard' | undefined {
  const h = host.toLowerCase();
  const s = serverHost.toLowerCase();
  if (s === h) return 'exact';
  if (isWildcard(s) && hostsIntersect(s, h)) return 'wildcard';
  return undefined;
}

/** Strips `:port` from a Host header (IPv6 literals in brackets keep their colons). */
export function hostWithoutPort(authority: string): string {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end > 0 ? authority.slice(0, end + 1) : authority;
  }
  const i = authority.lastIndexOf(':');
  return i > 0 && /^\d+$/.test(authority.slice(i + 1)) ? authority.slice(0, i) : authority;
}
