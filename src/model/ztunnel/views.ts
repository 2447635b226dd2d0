// The rows and filtered objects of each `istioctl ztunnel-config` view (istioctl/pkg/writer/ztunnel/configdump/).
import type { ZCert, ZService, ZtunnelDump, ZWorkload, ZWorkloadState } from './types.js';

export interface WorkloadFilter { namespace?: string; address?: string; node?: string; name?: string }
export interface ServiceFilter { namespace?: string }
export interface PolicyFilter { namespace?: string }
export interface ConnectionsFilter { namespace?: string; workload?: string; direction?: string; raw?: boolean }

const eqFold = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function workloadMatches(w: ZWorkload, f: WorkloadFilter): boolean {
  if (f.namespace && !eqFold(w.namespace, f.namespace)) return false;
  if (f.name && !eqFold(w.name, f.name)) return false;
  if (f.address && !(w.workloadIps ?? []).some((ip) => eqFold(ip, f.address!))) return false;
  if (f.node && !eqFold(w.node, f.node)) return false;
  return true;
}

/** Workloads the filter keeps, in dump order (what -o json prints). */
export function filteredWorkloads(d: ZtunnelDump, f: WorkloadFilter = {}): ZWorkload[] {
  return d.workloads.filter((w) => workloadMatches(w, f));
}

/** Waypoint destination (`<ns>/<hostname>` or a `<network>/<vip>`) → name of the first service it names. */
export function waypointIndex(services: ZService[]): Map<string, string> {
  const index = new Map<string, string>();
  const add = (k: string, name: string) => { if (!index.has(k)) index.set(k, name); };
  for (const s of services) {
    add(`${s.namespace}/${s.hostname}`, s.name);
    for (const vip of s.vips ?? []) add(vip, s.name);
  }
  return index;
}

function waypointName(waypoint: { destination: string } | undefined, index: Map<string, string>): string {
  if (!waypoint) return 'None';
  return index.get(waypoint.destination) ?? 'NA';
}

/** Workload table cells (namespace, pod name, address, node, waypoint, protocol), sorted by `namespace.name` then node. */
export function workloadCells(d: ZtunnelDump, f: WorkloadFilter = {}, index = waypointIndex(d.services)): string[][] {
  const list = filteredWorkloads(d, f);
  const keys = list.map((w) => `${w.namespace}.${w.name}`);
  const order = list.map((_, i) => i);
  order.sort((a, b) => cmp(keys[a], keys[b]) || cmp(list[a].node, list[b].node));
  return order.map((i) => {
    const w = list[i];
    const ips = w.workloadIps === null ? '' : w.workloadIps.length === 1 ? w.workloadIps[0] : w.workloadIps.join(',');
    return [w.namespace, w.name, ips.length > 0 ? ips : w.hostname, w.node, waypointName(w.waypoint, index), w.protocol];
  });
}

const byNamespaceNameHost = (a: ZService, b: ZService) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.hostname, b.hostname);

export function sortedServices(d: ZtunnelDump, f: ServiceFilter = {}): ZService[] {
  return d.services.filter((s) => !f.namespace || eqFold(s.namespace, f.namespace)).sort(byNamespaceNameHost);
}

/** Service table cells (namespace, service name, VIPs, waypoint, healthy/all endpoints). */
export function serviceCells(d: ZtunnelDump, f: ServiceFilter = {}, index = waypointIndex(d.services)): string[][] {
  const services = sortedServices(d, f);
  const healthyUid = new Map<string, boolean>();
  if (services.some((s) => s.endpoints !== null && s.endpoints.size > 0)) for (const w of d.workloads) healthyUid.set(w.uid, w.status === 'Healthy');
  return services.map((s) => {
    let healthy = 0;
    if (s.endpoints) for (const ep of s.endpoints.values()) if (healthyUid.get(ep.workloadUid) === true) healthy++;
    let vips = '';
    const list = s.vips ?? [];
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      const slash = v.indexOf('/');
      vips += (i > 0 ? ',' : '') + (slash >= 0 ? v.slice(slash + 1) : '');
    }
    return [s.namespace, s.name, vips, waypointName(s.waypoint, index), `${healthy}/${s.endpoints?.size ?? 0}`];
  });
}

export function sortedPolicies(d: ZtunnelDump, f: PolicyFilter = {}) {
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

export function certificateRows(d: ZtunnelDump, now: Date): CertificateRow[] {
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
export function sortedWorkloadStates(d: ZtunnelDump, f: ConnectionsFilter = {}): ZWorkloadState[] {
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

const joinHostPort = (host: string, port: string) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Connection table cells (workload, direction, local, remote, remote target, protocol). */
export function connectionCells(d: ZtunnelDump, f: ConnectionsFilter = {}): string[][] {
  // Address → name maps, built on the first lookup (the last service or workload with an address wins).
  let serviceNames: Map<string, string> | undefined;
  let workloads: Map<string, ZWorkload> | undefined;
  const names = () => {
    serviceNames = new Map();
    for (const s of d.services) {
      const first = s.vips?.[0];
      const ip = first !== undefined ? first.slice(first.indexOf('/') + 1 || first.length) : '';
      serviceNames.set(ip === '' ? 'None' : ip, s.hostname);
    }
    workloads = new Map();
    for (const w of d.workloads) {
      const ip = w.workloadIps?.[0] ?? '';
      workloads.set(ip === '' ? 'None' : ip, w);
    }
  };
  const lookup = (addr: string): string => {
    if (f.raw) return addr;
    const hp = splitHostPort(addr);
    if (!hp) return addr;
    if (!serviceNames) names();
    const s = serviceNames!.get(hp.host);
    if (s !== undefined) return joinHostPort(s, hp.port);
    const w = workloads!.get(hp.host);
    if (w !== undefined) return joinHostPort(`${w.name}.${w.namespace}`, hp.port);
    return addr;
  };
  const rows: string[][] = [];
  for (const s of sortedWorkloadStates(d, f)) {
    const name = `${s.info.name}.${s.info.namespace}`;
    if (f.direction !== 'outbound') {
      for (const c of s.connections.inbound ?? []) rows.push([name, 'Inbound', lookup(c.actualDst), lookup(c.src), c.originalDst, c.protocol]);
    }
    if (f.direction !== 'inbound') {
      for (const c of s.connections.outbound ?? []) rows.push([name, 'Outbound', lookup(c.src), lookup(c.actualDst), lookup(c.originalDst), c.protocol]);
    }
  }
  return rows;
}
