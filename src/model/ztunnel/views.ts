// The rows and filtered objects of each `istioctl ztunnel-config` view (istioctl/pkg/writer/ztunnel/configdump/).
import type { ZCert, ZCertificate, ZPolicy, ZService, ZtunnelDump, ZWorkload, ZWorkloadState } from './types.js';

export interface WorkloadFilter { namespace?: string; address?: string; node?: string; name?: string }
export interface ServiceFilter { namespace?: string }
export interface PolicyFilter { namespace?: string }
export interface ConnectionsFilter { namespace?: string; workload?: string; direction?: string; raw?: boolean }

const eqFold = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the tables read of a workload: a ZWorkload, or a dump's own object of its shape (absent fields undefined,
 * present ones of their type: tables-dump.ts).
 */
export interface WorkloadFields {
  uid?: string; workloadIps?: readonly string[] | null; waypoint?: { destination?: string }; protocol?: string;
  name?: string; namespace?: string; node?: string; status?: string; hostname?: string;
}

/** What the tables read of a service (as WorkloadFields); endpoints as a Map (ZService) or the dump's object. */
export interface ServiceFields {
  name?: string; namespace?: string; hostname?: string; vips?: readonly string[] | null; waypoint?: { destination?: string };
  endpoints?: ReadonlyMap<string, { workloadUid: string }> | Readonly<Record<string, { workloadUid?: string }>> | null;
}

/** The parts of a dump the tables print. */
export interface TablesDump {
  workloads: readonly WorkloadFields[];
  services: readonly ServiceFields[];
  policies: readonly ZPolicy[];
  certificates: readonly ZCertificate[];
  workloadState: readonly ZWorkloadState[];
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
  const add = (k: string, name: string) => { if (!index.has(k)) index.set(k, name); };
  for (const s of services) {
    add(`${s.namespace ?? ''}/${s.hostname ?? ''}`, s.name ?? '');
    for (const vip of s.vips ?? []) add(vip, s.name ?? '');
  }
  return index;
}

function waypointName(waypoint: { destination?: string } | undefined, index: Map<string, string>): string {
  if (!waypoint) return 'None';
  return index.get(waypoint.destination ?? '') ?? 'NA';
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

const WORKLOAD_COLS = 6;

/** Workload table cells (namespace, pod name, address, node, waypoint, protocol), sorted by `namespace.name` then node. */
export function workloadCells(d: TablesDump, f: WorkloadFilter = {}, index = waypointIndex(d.services)): Cells {
  const list = f.namespace || f.name || f.address || f.node ? d.workloads.filter((w) => workloadMatches(w, f)) : d.workloads;
  const n = list.length;
  // Each workload read once, in dump order; the sort orders rows, not workloads.
  const cells = new Array<string>(n * WORKLOAD_COLS);
  for (let i = 0, c = 0; i < n; i++) {
    const w = list[i];
    const ipList = w.workloadIps;
    const ips = !ipList ? '' : ipList.length === 1 ? ipList[0] : ipList.join(',');
    cells[c++] = w.namespace ?? '';
    cells[c++] = w.name ?? '';
    cells[c++] = ips.length > 0 ? ips : w.hostname ?? '';
    cells[c++] = w.node ?? '';
    cells[c++] = waypointName(w.waypoint, index);
    cells[c++] = w.protocol ?? '';
  }
  const order = byNamespaceDotName(cells, WORKLOAD_COLS, (a, b) => cmp(cells[a * WORKLOAD_COLS + 3], cells[b * WORKLOAD_COLS + 3]));
  return { cols: WORKLOAD_COLS, cells, order };
}

const byNamespaceNameHost = (a: ZService, b: ZService) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.hostname, b.hostname);

export function sortedServices(d: ZtunnelDump, f: ServiceFilter = {}): ZService[] {
  return d.services.filter((s) => !f.namespace || eqFold(s.namespace, f.namespace)).sort(byNamespaceNameHost);
}

/** The workload uids of a service's endpoints, and how many endpoints it has. */
function endpointCount(s: ServiceFields, healthy: ReadonlySet<string>): string {
  const eps = s.endpoints;
  let ok = 0;
  let all = 0;
  if (eps instanceof Map) {
    for (const ep of eps.values()) if (healthy.has(ep.workloadUid)) ok++;
    all = eps.size;
  } else if (eps) {
    const o = eps as Readonly<Record<string, { workloadUid?: string }>>;
    for (const k in o) {
      all++;
      if (healthy.has(o[k].workloadUid ?? '')) ok++;
    }
  }
  return `${ok}/${all}`;
}

/** Service table cells (namespace, service name, VIPs, waypoint, healthy/all endpoints). */
export function serviceCells(d: TablesDump, f: ServiceFilter = {}, index = waypointIndex(d.services)): Cells {
  const list = f.namespace ? d.services.filter((s) => eqFold(s.namespace ?? '', f.namespace!)) : d.services;
  const n = list.length;
  const ns = list.map((s) => s.namespace ?? '');
  const names = list.map((s) => s.name ?? '');
  const hosts = list.map((s) => s.hostname ?? '');
  const order = list.map((_, i) => i).sort((a, b) => cmp(ns[a], ns[b]) || cmp(names[a], names[b]) || cmp(hosts[a], hosts[b]) || a - b);
  // Workloads by uid, the last one of a uid deciding (as a Go map filled in order).
  const healthy = new Set<string>();
  if (list.some((s) => s.endpoints)) {
    for (const w of d.workloads) {
      if (w.status === 'Healthy') healthy.add(w.uid ?? '');
      else healthy.delete(w.uid ?? '');
    }
  }
  const cells = new Array<string>(n * 5);
  for (let k = 0, c = 0; k < n; k++) {
    const i = order[k];
    const s = list[i];
    let vips = '';
    const vipList = s.vips ?? [];
    for (let j = 0; j < vipList.length; j++) {
      const v = vipList[j];
      const slash = v.indexOf('/');
      vips += (j > 0 ? ',' : '') + (slash >= 0 ? v.slice(slash + 1) : '');
    }
    cells[c++] = ns[i];
    cells[c++] = names[i];
    cells[c++] = vips;
    cells[c++] = waypointName(s.waypoint, index);
    cells[c++] = endpointCount(s, healthy);
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
  const serviceNames = new Map<string, string>();
  const workloads = new Map<string, WorkloadFields>();
  if (hosts.size > 0) {
    for (const s of d.services) {
      const first = s.vips?.[0];
      const ip = first !== undefined ? first.slice(first.indexOf('/') + 1 || first.length) : '';
      const k = ip === '' ? 'None' : ip;
      if (hosts.has(k)) serviceNames.set(k, s.hostname ?? '');
    }
    for (const w of d.workloads) {
      const ip = w.workloadIps?.[0] ?? '';
      const k = ip === '' ? 'None' : ip;
      if (hosts.has(k)) workloads.set(k, w);
    }
  }
  const lookup = (addr: string): string => {
    if (f.raw) return addr;
    const hp = splitHostPort(addr);
    if (!hp) return addr;
    const s = serviceNames.get(hp.host);
    if (s !== undefined) return joinHostPort(s, hp.port);
    const w = workloads.get(hp.host);
    if (w !== undefined) return joinHostPort(`${w.name ?? ''}.${w.namespace ?? ''}`, hp.port);
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
