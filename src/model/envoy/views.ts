// One small pure row builder per proxy-config view, as istioctl's pkg/writer/envoy/configdump has one writer per view.
// Rows hold the cell text istioctl prints; the CLI renders them with tabwriter, the TUI reads them directly.
import { describeMatch } from './describe.js';
import { goSortSlice } from './go-sort.js';
import type { EnvoyCluster, EnvoyEndpoint, EnvoyListener, EnvoyLoadAssignment, EnvoyRoute, EnvoyRouteConfig, ParsedDump } from './types.js';

// ---------- cluster ----------
export interface ClusterFilter { fqdn?: string; port?: number; subset?: string; direction?: string }
export interface ClusterRow {
  name: string;
  /** FQDN, or the whole name for names that are not `direction|port|subset|fqdn`. */
  fqdn: string;
  /** Port text, `-` for unparsed names. */
  port: string;
  subset: string;
  direction: string;
  type: string;
  destinationRule: string;
  /** True when the name was parsed as direction|port|subset|fqdn. */
  parsed: boolean;
  cluster: EnvoyCluster;
}

/** One string that sorts bytewise like istioctl's (FQDN, subset, port as int, direction) comparison. */
function sortKey(fqdn: string, subset: string, port: number, direction: string): string {
  const p = String(port);
  return `${fqdn}\0${subset}\0${'0'.repeat(Math.max(0, 16 - p.length))}${p}\0${direction}`;
}

function clusterSortKey(c: EnvoyCluster): string {
  if (c.fqdn !== undefined) return sortKey(c.fqdn, c.subset ?? '', c.port ?? 0, c.direction ?? '');
  return sortKey(c.name, '', 0, '');
}

export function matchesClusterFilter(name: string, f: ClusterFilter): boolean {
  if (f.fqdn && !name.includes(f.fqdn)) return false;
  if (f.direction && !name.includes(f.direction)) return false;
  if (f.subset && !name.includes(f.subset)) return false;
  if (f.port && !name.includes(`|${f.port}|`)) return false;
  return true;
}

/** Active and static clusters (warming ones are not shown), sorted by FQDN, subset, port, direction. */
export function sortedClusters(parsed: ParsedDump): EnvoyCluster[] {
  const list = parsed.clusters.filter((c) => !c.warming);
  const keyed = list.map((c) => ({ c, k: clusterSortKey(c) }));
  goSortSlice(keyed, (x, y) => x.k < y.k);
  return keyed.map((x) => x.c);
}

export function clusterRows(parsed: ParsedDump, filter: ClusterFilter = {}): ClusterRow[] {
  const rows: ClusterRow[] = [];
  for (const c of sortedClusters(parsed)) {
    if (!matchesClusterFilter(c.name, filter)) continue;
    const parsedName = c.fqdn !== undefined;
    rows.push({
      name: c.name,
      fqdn: parsedName ? (c.fqdn as string) : c.name,
      port: parsedName ? String(c.port ?? 0) : '-',
      subset: parsedName ? c.subset || '-' : '-',
      direction: parsedName ? (c.direction as string) : '-',
      type: c.type,
      destinationRule: c.destinationRule,
      parsed: parsedName,
      cluster: c,
    });
  }
  return rows;
}

// ---------- listener ----------
export interface ListenerFilter { address?: string; port?: number; type?: string }
export interface ListenerRow {
  name: string;
  addresses: string;
  port: number;
  /** Verbose rows: one per filter chain. */
  match: string;
  destination: string;
  type: string;
  listener: EnvoyListener;
}

function isInternal(l: EnvoyListener): boolean {
  const r = l.raw as Record<string, unknown> | undefined;
  return r != null && (r.internal_listener !== undefined || r.internalListener !== undefined);
}

export function matchesListenerFilter(l: EnvoyListener, f: ListenerFilter): boolean {
  if (f.address) {
    const want = f.address.toLowerCase();
    if (!l.addresses.split(',').some((a) => a.toLowerCase() === want)) return false;
  }
  if (f.port && l.port !== f.port) return false;
  if (f.type && l.type.toLowerCase() !== f.type.toLowerCase()) return false;
  return true;
}

export function sortedListeners(parsed: ParsedDump, filter: ListenerFilter = {}): EnvoyListener[] {
  const list = parsed.listeners.filter((l) => matchesListenerFilter(l, filter));
  return goSortSlice(list, (a, b) => {
    if (isInternal(a) && isInternal(b)) return a.name < b.name;
    if (a.port !== b.port) return a.port < b.port;
    if (a.address !== b.address) return a.address < b.address;
    return a.type < b.type;
  });
}

/** Verbose: one row per filter chain, sorted by DESTINATION descending within a listener. Otherwise one row per listener. */
export function listenerRows(parsed: ParsedDump, filter: ListenerFilter = {}, verbose = true): ListenerRow[] {
  const rows: ListenerRow[] = [];
  for (const l of sortedListeners(parsed, filter)) {
    if (!verbose) {
      rows.push({ name: l.name, addresses: l.addresses, port: l.port, match: '', destination: '', type: l.type, listener: l });
      continue;
    }
    const chains = l.chains.map((c) => ({ match: c.match, destination: c.destination }));
    goSortSlice(chains, (a, b) => a.destination > b.destination);
    for (const c of chains) rows.push({ name: l.name, addresses: l.addresses, port: l.port, match: c.match, destination: c.destination, type: l.type, listener: l });
  }
  return rows;
}

// ---------- route ----------
export interface RouteFilter { name?: string }
export interface RouteRow {
  name: string;
  vhost: string;
  domains: string;
  match: string;
  virtualService: string;
  /** Number of virtual hosts (the non-verbose VIRTUAL HOSTS column). */
  virtualHosts: number;
  routeConfig: EnvoyRouteConfig;
  /** The route of a verbose row (absent for a virtual host without routes). */
  route?: EnvoyRoute;
}

function unexpandDomains(domains: string[]): string[] {
  const unique = new Set(domains);
  const drop = new Set<string>();
  for (const h of domains) {
    const full = h.endsWith('.svc.cluster.local') ? h.slice(0, -'.svc.cluster.local'.length) : h;
    if (full !== h && unique.has(full)) drop.add(h);
    const partial = h.endsWith('.svc') ? h.slice(0, -'.svc'.length) : h;
    if (partial !== h && unique.has(partial)) drop.add(h);
  }
  return domains.filter((h) => !drop.has(h));
}

export function describeRouteDomains(domains: string[]): string {
  if (domains.length === 0) return '';
  if (domains.length === 1) return domains[0];
  const withoutPort: string[] = [];
  for (const d of domains) {
    if (!d.includes(':')) withoutPort.push(d);
    else if (d.split(':').length - 1 > 2 && d.endsWith(']')) withoutPort.push(d);
  }
  const left = unexpandDomains(withoutPort);
  if (left.length > 2) return `${left[0]}, ${left[1]} + ${left.length - 2} more...`;
  return left.join(', ');
}

function isNumeric(s: string): boolean {
  return /^[+-]?\d+$/.test(s) && Math.abs(Number(s)) <= Number.MAX_SAFE_INTEGER;
}

/** Dynamic then static route configs, sorted by istioctl's numeric-only comparator. */
export function sortedRouteConfigs(parsed: ParsedDump): EnvoyRouteConfig[] {
  return goSortSlice(parsed.routeConfigs.slice(), (a, b) => isNumeric(a.name) && isNumeric(b.name) && Number(a.name) < Number(b.name));
}

function isPassthrough(raw: Record<string, any>): boolean {
  return raw?.route?.cluster === 'PassthroughCluster';
}

export function routeRows(parsed: ParsedDump, filter: RouteFilter = {}, verbose = true): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const rc of sortedRouteConfigs(parsed)) {
    if (filter.name && filter.name !== rc.name) continue;
    const count = rc.virtualHosts.length;
    if (!verbose) {
      rows.push({ name: rc.name, vhost: '', domains: '', match: '', virtualService: '', virtualHosts: count, routeConfig: rc });
      continue;
    }
    for (const vh of rc.virtualHosts) {
      const domains = describeRouteDomains(vh.domains);
      for (const r of vh.routes) {
        if (isPassthrough(r.raw)) continue;
        rows.push({ name: rc.name, vhost: vh.name, domains, match: describeMatch(r.raw?.match), virtualService: r.virtualService, virtualHosts: count, routeConfig: rc, route: r });
      }
      if (vh.routes.length === 0) rows.push({ name: rc.name, vhost: vh.name, domains, match: '/*', virtualService: '404', virtualHosts: count, routeConfig: rc });
    }
  }
  return rows;
}

// ---------- eds ----------
export interface EndpointFilter { address?: string; port?: number; cluster?: string; status?: string }
export interface EdsRow { name: string; status: string; locality: string; cluster: string; endpoint: EnvoyEndpoint }

function edsEndpointMatches(e: EnvoyEndpoint, f: EndpointFilter): boolean {
  if (f.address && !(e.addresses ?? []).includes(f.address)) return false;
  if (f.port) {
    const ports = (e.addresses ?? []).map((a) => Number(a.slice(a.lastIndexOf(':') + 1)));
    if (!(e.port === f.port || ports.includes(f.port))) return false;
  }
  if (f.cluster && f.cluster !== e.cluster) return false;
  if (f.status && e.health.toLowerCase() !== f.status.toLowerCase()) return false;
  return true;
}

export interface FilteredAssignment { assignment: EnvoyLoadAssignment; endpoints: EnvoyEndpoint[] }

/** Assignments with at least one matching endpoint, sorted like clusters. */
export function filteredAssignments(parsed: ParsedDump, filter: EndpointFilter = {}): FilteredAssignment[] {
  const out: FilteredAssignment[] = [];
  const all = parsed.edsAssignments ?? [];
  const ordered = all.filter((a) => a.dynamic).concat(all.filter((a) => !a.dynamic));
  const any = Boolean(filter.address || filter.port || filter.cluster || filter.status);
  for (const a of ordered) {
    const endpoints = any ? a.endpoints.filter((e) => edsEndpointMatches(e, filter)) : a.endpoints;
    if (endpoints.length > 0) out.push({ assignment: a, endpoints });
  }
  const keyed = out.map((x) => ({ x, k: nameSortKey(x.assignment.clusterName) }));
  goSortSlice(keyed, (p, q) => p.k < q.k);
  return keyed.map((p) => p.x);
}

function nameSortKey(name: string): string {
  if (name.indexOf('|') >= 0) {
    const parts = name.split('|');
    if (parts.length > 3) return sortKey(parts[3], parts[2], /^\d{1,15}$/.test(parts[1]) ? Number(parts[1]) : 0, parts[0]);
  }
  return sortKey(name, '', 0, '');
}

export function edsRows(parsed: ParsedDump, filter: EndpointFilter = {}): EdsRow[] {
  const rows: EdsRow[] = [];
  for (const fa of filteredAssignments(parsed, filter)) {
    for (const e of fa.endpoints) {
      rows.push({ name: e.addresses === undefined ? '' : e.addresses.length === 1 ? e.addresses[0] : e.addresses.join(','), status: e.health, locality: e.locality ?? '', cluster: e.cluster, endpoint: e });
    }
  }
  return rows;
}

// ---------- endpoint (/clusters) ----------
export interface EndpointRow { endpoint: string; status: string; outlierCheck: string; cluster: string; host: EnvoyEndpoint }

function hostAddress(e: EnvoyEndpoint): string {
  switch (e.addressKind) {
    case 'socket':
    case 'internal':
      return e.address;
    case 'pipe':
      return `unix://${e.address}`;
    default:
      return 'unknown';
  }
}

function hostMatches(e: EnvoyEndpoint, f: EndpointFilter): boolean {
  if (f.address && e.address.toLowerCase() !== f.address.toLowerCase()) return false;
  if (f.port && e.port !== f.port) return false;
  if (f.cluster && e.cluster.toLowerCase() !== f.cluster.toLowerCase()) return false;
  if (f.status && e.health.toLowerCase() !== f.status.toLowerCase()) return false;
  return true;
}

/** Rows of `pc endpoint` from parseClustersJson output, sorted by address, port, cluster. */
export function endpointRows(hosts: EnvoyEndpoint[], filter: EndpointFilter = {}): EndpointRow[] {
  const list = hosts.filter((h) => hostMatches(h, filter)).map((h) => ({ h, a: hostAddress(h) }));
  goSortSlice(list, (x, y) => {
    if (x.a === y.a) {
      if (x.h.port === y.h.port) return x.h.cluster < y.h.cluster;
      return x.h.port < y.h.port;
    }
    return x.a < y.a;
  });
  return list.map(({ h, a }) => ({
    endpoint: h.port !== 0 ? `${a}:${h.port}` : a,
    status: h.health,
    outlierCheck: h.outlierFailed ? 'FAILED' : 'OK',
    cluster: h.cluster,
    host: h,
  }));
}

/** The whole ClusterStatus objects (in input order) that have at least one matching host: `pc endpoint -o json`. */
export function endpointClusterStatuses(hosts: EnvoyEndpoint[], filter: EndpointFilter = {}): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const h of hosts) if (hostMatches(h, filter) && !seen.has(h.raw)) {
    seen.add(h.raw);
    out.push(h.raw);
  }
  return out;
}
