// `istioctl ztunnel-config` output, byte for byte: tables through Go's tabwriter (padding 1; certificates 5), and
// -o json|yaml as Go's json.MarshalIndent of istioctl's structs (4-space indent, fields in struct order, empty
// optional fields left out, map keys sorted) then a newline; YAML converted from that JSON with sorted keys.
import { tabwriteAscii, tabwriteCells } from './tabwriter.js';
import { goQuote } from './jsonpb-writer.js';
import { toGoYaml } from './goyaml.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import { numberMapOf } from '../model/ztunnel/parse.js';
import type { ZCert, ZEndpoint, ZPolicy, ZService, ZtunnelDump, ZWorkload, ZWorkloadState } from '../model/ztunnel/types.js';
import {
  certificateRows, connectionCells, filteredWorkloads, serviceCells, sortedPolicies, sortedServices, sortedWorkloadStates,
  rowsOf, workloadCells, type Cells, type ConnectionsFilter, type PolicyFilter, type ServiceFilter, type TablesDump, type WorkloadFilter,
} from '../model/ztunnel/views.js';

export type ZtunnelView = 'workload' | 'service' | 'policy' | 'certificate' | 'connections' | 'all';
export type ZtunnelFormat = 'short' | 'json' | 'yaml';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
const clean = (s: string) => (UNSAFE.test(s) ? sanitizeLine(s) : s);

function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The table, its cells made safe for a terminal: plain ASCII in one pass, else one scan of the text finds whether any
 * cell needs it.
 */
function table(header: string[], { cols, cells, order }: Cells, padding = 1): string {
  const ascii = tabwriteAscii(header, cells, padding, order);
  if (ascii !== undefined) return ascii;
  const rows = [header];
  for (let r = 0; r < cells.length / cols; r++) {
    const at = (order ? order[r] : r) * cols;
    rows.push(cells.slice(at, at + cols));
  }
  const opts = { minwidth: 0, tabwidth: 8, padding };
  const text = tabwriteCells(rows, opts);
  if (!UNSAFE_BUT_NEWLINE.test(text) && newlines(text) === rows.length) return text;
  for (const r of rows) for (let i = 0; i < r.length; i++) r[i] = clean(r[i]);
  return tabwriteCells(rows, opts);
}

const flat = (rows: string[][], cols: number): Cells => ({ cols, cells: rows.flat() });

export function renderWorkloadTable(d: TablesDump, f: WorkloadFilter = {}): string {
  return table(['NAMESPACE', 'POD NAME', 'ADDRESS', 'NODE', 'WAYPOINT', 'PROTOCOL'], workloadCells(d, f));
}

export function renderServiceTable(d: TablesDump, f: ServiceFilter = {}): string {
  return table(['NAMESPACE', 'SERVICE NAME', 'SERVICE VIP', 'WAYPOINT', 'ENDPOINTS'], serviceCells(d, f));
}

export function renderPolicyTable(d: Pick<TablesDump, 'policies'>, f: PolicyFilter = {}): string {
  const rows = sortedPolicies(d, f).map((p) => [p.namespace, p.name, p.action, p.scope]);
  return table(['NAMESPACE', 'POLICY NAME', 'ACTION', 'SCOPE'], flat(rows, 4));
}

export function renderCertificateTable(d: Pick<TablesDump, 'certificates'>, now: Date): string {
  const rows = certificateRows(d, now).map((r) => [r.identity, r.type, r.state, String(r.valid), r.serial, r.notAfter, r.notBefore]);
  return table(['CERTIFICATE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'], flat(rows, 7), 5);
}

export function renderConnectionTable(d: TablesDump, f: ConnectionsFilter = {}): string {
  return table(['WORKLOAD', 'DIRECTION', 'LOCAL', 'REMOTE', 'REMOTE TARGET', 'PROTOCOL'], connectionCells(d, f));
}

/** `zc all`: every table, each after a blank line (and a `------ X INFO ------` header with --with-headers). */
export function renderAllTables(dump: TablesDump, opts: { withHeaders?: boolean; now: Date }): string {
  const d = { ...dump, rows: rowsOf(dump) };
  const sections: [string, () => string][] = [
    ['WORKLOAD', () => renderWorkloadTable(d)],
    ['SERVICE', () => renderServiceTable(d)],
    ['POLICY', () => renderPolicyTable(d)],
    ['SECRET', () => renderCertificateTable(d, opts.now)],
    ['CONNECTIONS', () => renderConnectionTable(d)],
  ];
  return sections.map(([name, render]) => (opts.withHeaders ? `\n------ ${name} INFO ------\n\n` : '\n') + render()).join('');
}

// ---- Go encoding/json ----

/** A Go map: printed with its keys sorted as strings. Plain objects are structs: fields in insertion order. */
type GoValue = string | number | boolean | null | GoValue[] | Map<string, GoValue> | { [field: string]: GoValue | undefined };

function goJson(v: GoValue, indent: string, out: string[]): void {
  if (v === null) out.push('null');
  else if (typeof v === 'string') out.push(goQuote(v));
  else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  else if (Array.isArray(v)) {
    if (v.length === 0) { out.push('[]'); return; }
    const inner = indent + '    ';
    out.push('[\n');
    v.forEach((x, i) => { out.push(inner); goJson(x, inner, out); out.push(i < v.length - 1 ? ',\n' : '\n'); });
    out.push(indent, ']');
  } else {
    const pairs: [string, GoValue][] = v instanceof Map
      ? [...v.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((k) => [k, v.get(k)!])
      : Object.keys(v).filter((k) => v[k] !== undefined).map((k) => [k, v[k]!]);
    if (pairs.length === 0) { out.push('{}'); return; }
    const inner = indent + '    ';
    out.push('{\n');
    pairs.forEach(([k, x], i) => { out.push(inner, goQuote(k), ': '); goJson(x, inner, out); out.push(i < pairs.length - 1 ? ',\n' : '\n'); });
    out.push(indent, '}');
  }
}

/** json.MarshalIndent(v, "", "    "), made safe for a terminal (C1 and DEL escaped as \u00XX). */
export function goMarshalIndent(v: GoValue): string {
  const out: string[] = [];
  goJson(v, '', out);
  return terminalSafeJson(out.join(''));
}

const omitEmpty = <T>(list: T[] | null): T[] | undefined => (list && list.length > 0 ? list : undefined);
const omitEmptyString = (s: string) => (s === '' ? undefined : s);
const strings = (list: string[] | null): GoValue => list;

function workloadJson(w: ZWorkload): GoValue {
  const loc: Record<string, GoValue | undefined> = { region: omitEmptyString(w.locality.region), zone: omitEmptyString(w.locality.zone), subzone: omitEmptyString(w.locality.subzone) };
  return {
    uid: w.uid, workloadIps: strings(w.workloadIps),
    waypoint: w.waypoint ? { destination: w.waypoint.destination } : undefined,
    networkGateway: w.networkGateway ? { destination: w.networkGateway.destination } : undefined,
    protocol: w.protocol, name: w.name, namespace: w.namespace, serviceAccount: w.serviceAccount,
    workloadName: w.workloadName, workloadType: w.workloadType, canonicalName: w.canonicalName,
    canonicalRevision: w.canonicalRevision, clusterId: w.clusterId, trustDomain: omitEmptyString(w.trustDomain),
    locality: loc, node: w.node, network: omitEmptyString(w.network), status: w.status, hostname: w.hostname,
    capacity: w.capacity,
    applicationTunnel: { protocol: w.applicationTunnel.protocol, port: w.applicationTunnel.port },
    authorizationPolicies: omitEmpty(w.authorizationPolicies),
  };
}

const numberMap = (m: Map<string, number> | null): GoValue => m;

function endpointJson(e: ZEndpoint): GoValue {
  return { workloadUid: e.workloadUid, service: e.service, address: omitEmptyString(e.address), port: e.port ? numberMapOf(e.port) : null };
}

function serviceJson(s: ZService): GoValue {
  let endpoints: Map<string, GoValue> | null = null;
  if (s.endpoints) {
    endpoints = new Map();
    for (const [k, e] of s.endpoints) endpoints.set(k, endpointJson(e));
  }
  return {
    name: s.name, namespace: s.namespace, hostname: s.hostname, vips: strings(s.vips),
    cidrVips: omitEmpty(s.cidrVips)?.map((c) => `${c.network}/${c.cidr}`),
    ports: numberMap(s.ports),
    loadBalancer: s.loadBalancer ? { mode: s.loadBalancer.mode, routingPreferences: strings(s.loadBalancer.routingPreferences), healthPolicy: s.loadBalancer.healthPolicy } : undefined,
    waypoint: s.waypoint ? { destination: s.waypoint.destination } : undefined,
    endpoints, subjectAltNames: omitEmpty(s.subjectAltNames), ipFamilies: s.ipFamilies,
    canonical: s.canonical ? true : undefined,
  };
}

const STRING_MATCH_LISTS = ['namespaces', 'notNamespaces', 'principals', 'notPrincipals'];
const PLAIN_LISTS = ['sourceIps', 'notSourceIps', 'destinationIps', 'notDestinationIps', 'destinationPorts', 'notDestinationPorts'];
const ACCOUNT_LISTS = ['serviceAccounts', 'notServiceAccounts'];

function field(o: Record<string, unknown>, key: string): unknown {
  if (o[key] !== undefined) return o[key];
  const lower = key.toLowerCase();
  for (const k in o) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** A value as it was in the dump (strings and numbers kept, objects with their keys sorted as Go's map[string]any). */
function anyJson(v: unknown): GoValue {
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map(anyJson);
  if (typeof v === 'object' && v !== null) return new Map(Object.entries(v).map(([k, x]) => [k, anyJson(x)]));
  return v as GoValue;
}

function listOf(v: unknown): unknown[] | undefined {
  return Array.isArray(v) && v.length > 0 ? v : undefined;
}

function matchJson(m: Record<string, unknown>): GoValue {
  const out: Record<string, GoValue | undefined> = {};
  const str = (o: Record<string, unknown>, k: string) => { const v = field(o, k); return typeof v === 'string' && v !== '' ? v : undefined; };
  for (const k of [...STRING_MATCH_LISTS, ...PLAIN_LISTS, ...ACCOUNT_LISTS]) {
    const list = listOf(field(m, k));
    if (!list) continue;
    if (STRING_MATCH_LISTS.includes(k)) {
      out[k] = list.map((x) => {
        const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
        const presence = field(o, 'Presence');
        return { Exact: str(o, 'Exact'), Suffix: str(o, 'Suffix'), Prefix: str(o, 'Prefix'), Presence: presence === undefined || presence === null ? undefined : anyJson(presence) };
      });
    } else if (ACCOUNT_LISTS.includes(k)) {
      out[k] = list.map((x) => {
        const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
        return { namespace: str(o, 'namespace') ?? '', serviceAccount: str(o, 'serviceAccount') ?? '' };
      });
    } else out[k] = list.map(anyJson);
  }
  // Keep the struct's field order whatever order the dump used.
  const ordered: Record<string, GoValue | undefined> = {};
  for (const k of [...STRING_MATCH_LISTS, ...PLAIN_LISTS, ...ACCOUNT_LISTS]) if (out[k] !== undefined) ordered[k] = out[k];
  return ordered;
}

function policyJson(p: ZPolicy): GoValue {
  return { name: p.name, namespace: p.namespace, scope: p.scope, action: p.action, rules: p.rules ? p.rules.map((r) => r.map((c) => c.map(matchJson))) : null };
}

const certJson = (c: ZCert): GoValue => ({ pem: c.pem, serialNumber: c.serialNumber, validFrom: c.validFrom, expirationTime: c.expirationTime });

function stateJson(s: ZWorkloadState): GoValue {
  const conns = (list: ZWorkloadState['connections']['inbound']) => (list ? list.map((c) => ({ src: c.src, originalDst: c.originalDst, actualDst: c.actualDst, protocol: c.protocol })) : null);
  return {
    state: omitEmptyString(s.state),
    connections: { inbound: conns(s.connections.inbound), outbound: conns(s.connections.outbound) },
    info: { name: s.info.name, namespace: s.info.namespace, trustDomain: s.info.trustDomain, serviceAccount: s.info.serviceAccount },
  };
}

function formatted(v: GoValue, format: 'json' | 'yaml'): string {
  const json = goMarshalIndent(v);
  return format === 'json' ? json + '\n' : toGoYaml(JSON.parse(json)) + '\n';
}

export function workloadData(d: ZtunnelDump, f: WorkloadFilter, format: 'json' | 'yaml'): string {
  return formatted(filteredWorkloads(d, f).map(workloadJson), format);
}
export function serviceData(d: ZtunnelDump, f: ServiceFilter, format: 'json' | 'yaml'): string {
  return formatted(sortedServices(d, f).map(serviceJson), format);
}
export function policyData(d: ZtunnelDump, f: PolicyFilter, format: 'json' | 'yaml'): string {
  return formatted(sortedPolicies(d, f).map(policyJson), format);
}
export function certificateData(d: ZtunnelDump, format: 'json' | 'yaml'): string {
  return formatted(d.certificates.map((c) => ({ identity: c.identity, state: c.state, certChain: c.certChain ? c.certChain.map(certJson) : null, rootCerts: c.rootCerts ? c.rootCerts.map(certJson) : null })), format);
}
export function connectionData(d: ZtunnelDump, f: ConnectionsFilter, format: 'json' | 'yaml'): string {
  return formatted(sortedWorkloadStates(d, f).map(stateJson), format);
}

/** `all -o json|yaml`: the dump itself (its text unchanged when given), then a newline. */
export function fullDumpData(d: ZtunnelDump, format: 'json' | 'yaml', text?: string): string {
  if (format === 'json') return terminalSafeJson(text ?? JSON.stringify(d.raw)) + '\n';
  return toGoYaml(d.raw) + '\n';
}
