// What the workload, service and connection tables print of each workload and service, gathered in dump order by
// one read of each object: readTablesDump gathers it while it checks them, so the tables never go back to the dump.
import type { ServiceFields, WorkloadFields } from './types.js';
import { UidHealth } from './uid-health.js';

/** Columns of `workloads`. */
export const W_NAMESPACE = 0;
export const W_NAME = 1;
export const W_ADDRESS = 2;
export const W_NODE = 3;
export const W_PROTOCOL = 4;
export const W_COLS = 5;

/** Columns of `services`. */
export const S_NAMESPACE = 0;
export const S_NAME = 1;
export const S_HOSTNAME = 2;
export const S_VIPS = 3;
export const S_ENDPOINTS = 4;
export const S_COLS = 5;

/** Adds a service to a waypoint index: `<ns>/<hostname>` and each VIP → its name, the first service deciding. */
export function indexWaypoint(index: Map<string, string>, ns: string, host: string, name: string, vips: readonly string[]): void {
  const key = `${ns}/${host}`;
  if (!index.has(key)) index.set(key, name);
  for (const vip of vips) if (!index.has(vip)) index.set(vip, name);
}

/** Each endpoint's workload uid, in the dump's order (a ZService's Map or the dump's own object). */
function eachEndpointUid(s: ServiceFields, fn: (uid: string) => void): void {
  const eps = s.endpoints;
  if (eps instanceof Map) {
    for (const ep of eps.values()) fn(ep.workloadUid);
  } else if (eps) {
    const o = eps as Readonly<Record<string, { workloadUid?: string }>>;
    for (const k in o) fn(o[k].workloadUid ?? '');
  }
}

/**
 * What the tables print of services, without the workloads' health, packed for the trip between threads: their
 * strings end to end and, per service, its counts and each string's length. (A structured clone of thousands of small
 * objects costs tens of milliseconds each way; one string and one Int32Array cost almost nothing.)
 */
export interface PackedServices { text: string; layout: Int32Array }

export class ServicePacker {
  private readonly parts: string[] = [];
  private readonly layout: number[] = [];

  /** Layout of a service: VIP count, 1 with a waypoint, endpoint count; then the lengths of its namespace, name,
   * hostname, VIPs, waypoint destination and endpoint workload uids. */
  add(s: ServiceFields): void {
    const vips = s.vips ?? [];
    const at = this.layout.length;
    this.layout.push(vips.length, s.waypoint ? 1 : 0, 0);
    this.str(s.namespace ?? '');
    this.str(s.name ?? '');
    this.str(s.hostname ?? '');
    for (const v of vips) this.str(v);
    if (s.waypoint) this.str(s.waypoint.destination ?? '');
    let n = 0;
    eachEndpointUid(s, (uid) => {
      n++;
      this.str(uid);
    });
    this.layout[at + 2] = n;
  }

  finish(): PackedServices {
    return { text: this.parts.join(''), layout: Int32Array.from(this.layout) };
  }

  private str(x: string): void {
    this.parts.push(x);
    this.layout.push(x.length);
  }
}

export class TableRows {
  /** W_COLS cells a workload, in dump order. */
  readonly workloads: string[] = [];
  /** Each workload's waypoint (an index into the destinations), or -1. */
  readonly workloadWaypoints: number[] = [];
  /** Each workload's first address ('None' when it has none), for connection lookups. */
  readonly firstAddresses: string[] = [];
  /** S_COLS cells a service, in dump order; ENDPOINTS is healthy/all, health from the workloads gathered before. */
  readonly services: string[] = [];
  readonly serviceWaypoints: number[] = [];
  /** A service's first VIP address ('None' when it has none) → its hostname, the last service deciding. */
  readonly serviceHosts = new Map<string, string>();
  private readonly health = new UidHealth();
  private readonly destinations: string[] = [];
  private readonly destinationIds = new Map<string, number>();
  /** Waypoint destination (`<ns>/<hostname>` or a `<network>/<vip>`) → the first service it names. */
  private readonly waypointIndex = new Map<string, string>();

  /** Rows of these workloads and services (all the workloads first: the services' health reads them). */
  static of(workloads: readonly WorkloadFields[], services: readonly ServiceFields[]): TableRows {
    const rows = new TableRows();
    for (const w of workloads) rows.workload(w);
    for (const s of services) rows.service(s);
    return rows;
  }

  private destination(waypoint: { destination?: string } | undefined): number {
    if (!waypoint) return -1;
    const d = waypoint.destination ?? '';
    let id = this.destinationIds.get(d);
    if (id === undefined) {
      this.destinationIds.set(d, (id = this.destinations.length));
      this.destinations.push(d);
    }
    return id;
  }

  workload(w: WorkloadFields): void {
    const ipList = w.workloadIps;
    const ips = !ipList ? '' : ipList.length === 1 ? ipList[0] : ipList.join(',');
    const first = ipList && ipList.length > 0 ? ipList[0] : '';
    this.workloads.push(w.namespace ?? '', w.name ?? '', ips.length > 0 ? ips : w.hostname ?? '', w.node ?? '', w.protocol ?? '');
    this.workloadWaypoints.push(this.destination(w.waypoint));
    this.firstAddresses.push(first === '' ? 'None' : first);
    this.health.set(w.uid ?? '', w.status === 'Healthy');
  }

  service(s: ServiceFields): void {
    this.addService(s.namespace ?? '', s.name ?? '', s.hostname ?? '', s.vips ?? [], s.waypoint, this.endpoints(s));
  }

  /** Services read elsewhere (ServicePacker), in their order: their endpoints' health from the workloads gathered here. */
  packedServices(p: PackedServices): void {
    const { text, layout } = p;
    let li = 0;
    let at = 0;
    const next = () => {
      const len = layout[li++];
      at += len;
      return text.slice(at - len, at);
    };
    while (li < layout.length) {
      const vipCount = layout[li++];
      const hasWaypoint = layout[li++] === 1;
      const endpoints = layout[li++];
      const ns = next();
      const name = next();
      const host = next();
      const vips = new Array<string>(vipCount);
      for (let j = 0; j < vipCount; j++) vips[j] = next();
      const waypoint = hasWaypoint ? { destination: next() } : undefined;
      let ok = 0;
      for (let j = 0; j < endpoints; j++) if (this.health.isHealthy(next())) ok++;
      this.addService(ns, name, host, vips, waypoint, `${ok}/${endpoints}`);
    }
  }

  private addService(ns: string, name: string, host: string, vipList: readonly string[], waypoint: { destination?: string } | undefined, endpoints: string): void {
    let vips = '';
    for (let j = 0; j < vipList.length; j++) {
      const v = vipList[j];
      const slash = v.indexOf('/');
      vips += (j > 0 ? ',' : '') + (slash >= 0 ? v.slice(slash + 1) : '');
    }
    this.services.push(ns, name, host, vips, endpoints);
    this.serviceWaypoints.push(this.destination(waypoint));
    indexWaypoint(this.waypointIndex, ns, host, name, vipList);
    const first = vipList[0];
    const ip = first !== undefined ? first.slice(first.indexOf('/') + 1 || first.length) : '';
    this.serviceHosts.set(ip === '' ? 'None' : ip, host);
  }

  /** healthy/all endpoints. */
  private endpoints(s: ServiceFields): string {
    let ok = 0;
    let all = 0;
    eachEndpointUid(s, (uid) => {
      all++;
      if (this.health.isHealthy(uid)) ok++;
    });
    return `${ok}/${all}`;
  }

  /** The WAYPOINT cell of each destination index (None for -1 is the caller's). */
  waypointNames(): string[] {
    return this.destinations.map((d) => this.waypointIndex.get(d) ?? 'NA');
  }
}
