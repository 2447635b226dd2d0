// The rows and filtered objects of each `istioctl ztunnel-config` view (istioctl/pkg/writer/ztunnel/configdump/).
import type {
  ServiceFields, WorkloadFields, ZCert, ZCertificate, ZPolicy, ZService, ZtunnelDump, ZWorkload, ZWorkloadState,
} from './types.js';
import {
  indexWaypoint, S_COLS, S_ENDPOINTS, S_HOSTNAME, S_NAME, S_NAMESPACE, S_VIPS, TableRows, W_ADDRESS, W_COLS, W_NAME, W_NAMESPACE, W_NODE,
  W_PROTOCOL,
} from './table-rows.js';

export interface WorkloadFilter { namespace?: string; address?: string; node?: string; name?: string }
export interface ServiceFilter { namespace?: string }
export interface PolicyFilter { namespace?: string }
export interface ConnectionsFilter { namespace?: string; workload?: string; direction?: string; raw?: boolean }

const eqFold = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The parts of a dump the tables print. */
export interface TablesDump {
  workloads: readonly WorkloadFields[];
  services: readonly ServiceFields[];
  policies: readonly ZPolicy[];
  certificates: readonly ZCertificate[];
  workloadState: readonly ZWorkloadState[];
  /** The workloads' and services' rows, when gathered while reading (readTablesDump). */
  rows?: TableRows;
}

/** The dump's rows: gathered while it was read, or now. */
export function rowsOf(d: TablesDump): TableRows {
  return d.rows ?? TableRows.of(d.workloads, d.services);
}

/** Rows of a table: `cols` cells a row, row after row, printed in `order` (row positions) when given. */
export interface Cells { cols: number; cells: string[]; order?: readonly number[] }

export function workloadMatches(w: WorkloadFields, f: WorkloadFilter): boolean {
  if (f.namespace && !eqFold(w.namespace ?? '', f.namespace)) return false;
  if (f.name && !eqFold(w.name ?? '', f.name)) return false;
  if (f.address && !(w.workloadIps ?? []).some((ip) => eqFold(ip, f.address!))) return false;
  if (f.node && !eqFold(w.node ?? '', f.node)) return false;
  return true;
}

/** Workloads the filter keeps, in dump order (what -o json prints). */
export function filteredWorkloads(d: ZtunnelDump, f: WorkloadFilter = {}): ZWorkload[] {
  return d.workloads.filter((w) => workloadMatches(w, f));
}

/** Waypoint destination (`<ns>/<hostname>` or a `<network>/<vip>`) → name of the first service it names. */
export function waypointIndex(services: readonly ServiceFields[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const s of services) indexWaypoint(index, s.namespace ?? '', s.hostname ?? '', s.name ?? '', s.vips ?? []);
  return index;
}

/**
 * Rows of `cells` ordered by the string `${namespace}.${name}` (columns 0 and 1), then `tie`, then position. With no
 * dot in any namespace that order is the namespaces' order (as `ns.`) then the names', so no joined key is built.
 */
function byNamespaceDotName(cells: readonly string[], cols: number, tie: (a: number, b: number) => number): number[] {
  const n = cells.length / cols;
  const rank = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!rank.has(cells[i * cols])) rank.set(cells[i * cols], 0);
  const order = new Array<number>(n);
  if ([...rank.keys()].some((x) => x.includes('.'))) {
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[order[i] = i] = `${cells[i * cols]}.${cells[i * cols + 1]}`;
    return order.sort((a, b) => cmp(keys[a], keys[b]) || tie(a, b) || a - b);
  }
  const sorted = [...rank.keys()].sort((a, b) => cmp(`${a}.`, `${b}.`));
  sorted.forEach((x, r) => rank.set(x, r));
  // Counting sort by namespace, then each namespace's run by name.
  const starts = new Array<number>(sorted.length + 1).fill(0);
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; i++) starts[(ranks[i] = rank.get(cells[i * cols])!) + 1]++;
  for (let r = 0; r < sorted.length; r++) starts[r + 1] += starts[r];
  const next = starts.slice(0, sorted.length);
  for (let i = 0; i < n; i++) order[next[ranks[i]]++] = i;
  const byName = (a: number, b: number) => cmp(cells[a * cols + 1], cells[b * cols + 1]) || tie(a, b) || a - b;
  for (let r = 0; r < sorted.length; r++) {
    const run = order.slice(starts[r], starts[r + 1]).sort(byName);
    for (let k = 0; k < run.length; k++) order[starts[r] + k] = run[k];
  }
  return order;
}

/** Workload table cells (namespace, pod name, address, node, waypoint, protocol), sorted by `namespace.name` then node. */
export function workloadCells(d: TablesDump, f: WorkloadFilter = {}): Cells {
  const filtered = f.namespace || f.name || f.address || f.node;
  const rows = filtered ? TableRows.of(d.workloads.filter((w) => workloadMatches(w, f)), d.services) : rowsOf(d);
  const w = rows.workloads;
  const order = byNamespaceDotName(w, W_COLS, (a, b) => cmp(w[a * W_COLS + W_NODE], w[b * W_COLS + W_NODE]));
  return { cols: 6, cells: workloadRowCells(rows), order };
}

/** The workload table's cells in dump order (where the dump's strings lie in memory). */
function workloadRowCells(rows: TableRows): string[] {
  const names = rows.waypointNames();
  const w = rows.workloads;
  const wps = rows.workloadWaypoints;
  const cells = new Array<string>(wps.length * 6);
  for (let i = 0, c = 0; i < wps.length; i++) {
    const at = i * W_COLS;
    const wp = wps[i];
    cells[c++] = w[at + W_NAMESPACE];
    cells[c++] = w[at + W_NAME];
    cells[c++] = w[at + W_ADDRESS];
    cells[c++] = w[at + W_NODE];
    cells[c++] = wp < 0 ? 'None' : names[wp];
    cells[c++] = w[at + W_PROTOCOL];
  }
  return cells;
}

const byNamespaceNameHost = (a: ZService, b: ZService) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.hostname, b.hostname);

export function sortedServices(d: ZtunnelDump, f: ServiceFilter = {}): ZService[] {
  return d.services.filter((s) => !f.namespace || eqFold(s.namespace, f.namespace)).sort(byNamespaceNameHost);
}

/** Service table cells (namespace, service name, VIPs, waypoint, healthy/all endpoints). */
export function serviceCells(d: TablesDump, f: ServiceFilter = {}): Cells {
  const rows = rowsOf(d);
  const sv = rows.services;
  const keep: number[] = [];
  for (let i = 0; i < sv.length / S_COLS; i++) if (!f.namespace || eqFold(sv[i * S_COLS + S_NAMESPACE], f.namespace)) keep.push(i);
  const col = (i: number, c: number) => sv[i * S_COLS + c];
  keep.sort((a, b) => cmp(col(a, S_NAMESPACE), col(b, S_NAMESPACE)) || cmp(col(a, S_NAME), col(b, S_NAME)) || cmp(col(a, S_HOSTNAME), col(b, S_HOSTNAME)) || a - b);
  const names = rows.waypointNames();
  const cells = new Array<string>(keep.length * 5);
  for (let k = 0, c = 0; k < keep.length; k++) {
    const i = keep[k];
    const wp = rows.serviceWaypoints[i];
    cells[c++] = col(i, S_NAMESPACE);
    cells[c++] = col(i, S_NAME);
    cells[c++] = col(i, S_VIPS);
    cells[c++] = wp < 0 ? 'None' : names[wp];
    cells[c++] = col(i, S_ENDPOINTS);
  }
  return { cols: 5, cells };
}

export function sortedPolicies(d: Pick<TablesDump, 'policies'>, f: PolicyFilter = {}): ZPolicy[] {
  return d.policies.filter((p) => !f.namespace || eqFold(p.namespace, f.namespace)).sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
}

export interface CertificateRow { identity: string; type: string; state: string; valid: boolean; serial: string; notAfter: string; notBefore: string }

/** A decimal serial number in lower-case hex, as Go's %x of a big.Int (`<nil>` when it is not a number). */
export function serialHex(decimal: string): string {
  if (!/^[+-]?\d+$/.test(decimal)) return '<nil>';
  const n = BigInt(decimal);
  return n < 0n ? `-${(-n).toString(16)}` : n.toString(16);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True when `now` lies strictly between the certificate's validFrom and expirationTime. */
export function certValid(c: ZCert, now: Date): boolean {
  if (c.expirationTime === '' && c.validFrom === '') return false;
  if (!RFC3339.test(c.expirationTime) || !RFC3339.test(c.validFrom)) return false;
  const t = now.getTime();
  return t > Date.parse(c.validFrom) && t < Date.parse(c.expirationTime);
}

const orNA = (s: string) => (s === '' ? 'NA' : s);

export function certificateRows(d: Pick<TablesDump, 'certificates'>, now: Date): CertificateRow[] {
  const rows: CertificateRow[] = [];
  for (const c of d.certificates) {
    const state = c.state.includes('Unavailable') ? 'Unavailable' : c.state;
    const chain = c.certChain ?? [];
    if (chain.length === 0) {
      rows.push({ identity: c.identity, type: 'NA', state, valid: false, serial: 'NA', notAfter: 'NA', notBefore: 'NA' });
      continue;
    }
    const legacy = (c.rootCerts ?? []).length === 0;
    const row = (cert: ZCert, type: string): CertificateRow => ({ identity: c.identity, type, state, valid: certValid(cert, now), serial: serialHex(cert.serialNumber), notAfter: orNA(cert.expirationTime), notBefore: orNA(cert.validFrom) });
    chain.forEach((cert, i) => rows.push(row(cert, i === 0 ? 'Leaf' : i === chain.length - 1 && legacy ? 'Root' : 'Intermediate')));
    for (const cert of c.rootCerts ?? []) rows.push(row(cert, 'Root'));
  }
  return rows;
}

/** `name.namespace` split at the first dot when no namespace is given. */
function workloadRef(f: ConnectionsFilter): { name?: string; namespace?: string } {
  if (!f.workload) return { namespace: f.namespace || undefined };
  if (f.namespace) return { name: f.workload, namespace: f.namespace };
  const i = f.workload.indexOf('.');
  return i > 0 ? { name: f.workload.slice(0, i), namespace: f.workload.slice(i + 1) } : { name: f.workload };
}

/** Workload states the filter keeps, sorted by namespace then name. */
export function sortedWorkloadStates(d: Pick<TablesDump, 'workloadState'>, f: ConnectionsFilter = {}): ZWorkloadState[] {
  const ref = workloadRef(f);
  return d.workloadState
    .filter((s) => (!ref.namespace || s.info.namespace === ref.namespace) && (!ref.name || s.info.name === ref.name))
    .sort((a, b) => cmp(a.info.namespace, b.info.namespace) || cmp(a.info.name, b.info.name));
}

/** Go's net.SplitHostPort, reduced to what the lookup needs: undefined when `addr` is not host:port. */
function splitHostPort(addr: string): { host: string; port: string } | undefined {
  if (addr.startsWith('[')) {
    const end = addr.indexOf(']');
    if (end < 0 || addr[end + 1] !== ':') return undefined;
    const port = addr.slice(end + 2);
    return port.includes(':') || port.includes('[') || port.includes(']') ? undefined : { host: addr.slice(1, end), port };
  }
  const i = addr.lastIndexOf(':');
  if (i < 0) return undefined;
  const host = addr.slice(0, i);
  return host.includes(':') || host.includes('[') || host.includes(']') ? undefined : { host, port: addr.slice(i + 1) };
}

/** The host `lookup` asks for (none when `addr` is not host:port). */
const hostOf = (addr: string) => splitHostPort(addr)?.host ?? '';

const joinHostPort = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Address → the last position in `first` that holds it, for the addresses in `hosts`. */
function workloadsAt(first: readonly string[], hosts: ReadonlySet<string>): Map<string, number> {
  const at = new Map<string, number>();
  for (let i = 0; i < first.length; i++) if (hosts.has(first[i])) at.set(first[i], i);
  return at;
}

/** Connection table cells (workload, direction, local, remote, remote target, protocol). */
export function connectionCells(d: TablesDump, f: ConnectionsFilter = {}): Cells {
  const states = sortedWorkloadStates(d, f);
  // Address → name, for the hosts the connections name (the last service or workload with that address wins).
  const hosts = new Set<string>();
  if (!f.raw) {
    for (const s of states) {
      for (const c of s.connections.inbound ?? []) hosts.add(hostOf(c.actualDst)).add(hostOf(c.src));
      for (const c of s.connections.outbound ?? []) hosts.add(hostOf(c.src)).add(hostOf(c.actualDst)).add(hostOf(c.originalDst));
    }
  }
  // Workload address → row: the last workload with that first address.
  const rows = hosts.size > 0 ? rowsOf(d) : undefined;
  const workloads = rows ? workloadsAt(rows.firstAddresses, hosts) : new Map<string, number>();
  const lookup = (addr: string): string => {
    if (f.raw || !rows) return addr;
    const hp = splitHostPort(addr);
    if (!hp) return addr;
    const s = rows.serviceHosts.get(hp.host);
    if (s !== undefined) return joinHostPort(s, hp.port);
    const w = workloads.get(hp.host);
    if (w !== undefined) return joinHostPort(`${rows.workloads[w * W_COLS + W_NAME]}.${rows.workloads[w * W_COLS + W_NAMESPACE]}`, hp.port);
    return addr;
  };
  const cells: string[] = [];
  for (const s of states) {
    const name = `${s.info.name}.${s.info.namespace}`;
    if (f.direction !== 'outbound') {
      for (const c of s.connections.inbound ?? []) cells.push(name, 'Inbound', lookup(c.actualDst), lookup(c.src), c.originalDst, c.protocol);
    }
    if (f.direction !== 'inbound') {
      for (const c of s.connections.outbound ?? []) cells.push(name, 'Outbound', lookup(c.src), lookup(c.actualDst), lookup(c.originalDst), c.protocol);
    }
  }
  return { cols: 6, cells };
}
