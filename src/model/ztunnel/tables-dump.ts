// The dump as the tables read it (`zc all`): a workload or a service whose object already has the shape istioctl
// decodes (member names exact, values of their type) is used as it is, not copied into a ZWorkload or ZService;
// any other is read by parse.ts, so the errors and the values are parseZtunnelDump's.
import { readZtunnelDump } from './parse.js';
import { TableRows } from './table-rows.js';
import type { ServiceFields, WorkloadFields } from './types.js';
import type { TablesDump } from './views.js';

const STR = 0;
const NUM = 1;
const BOOL = 2;
/** A list of strings. */
const STRS = 3;
/** An object of numbers (or nulls). */
const NUMS = 4;
/** cidrVips: strings or CIDR objects. */
const CIDRS = 5;
/** endpoints: an object of ENDPOINT objects. */
const ENDPOINTS = 6;

type Kind = number | Shape;

/** The most member names a shape remembers (the caches outlive a dump). */
const CACHED = 256;

/**
 * The members of one struct and their kinds; `ignored` caches member names that are none of them in any case, and
 * `order`/`orderKinds` the member names of the last object read, in its order (objects of a dump share one).
 */
interface Shape { kinds: Map<string, Kind>; lower: Set<string>; ignored: Map<string, boolean>; order: string[]; orderKinds: (Kind | undefined)[] }

function shape(kinds: Record<string, Kind>): Shape {
  const names = Object.keys(kinds);
  return { kinds: new Map(names.map((k) => [k, kinds[k]])), lower: new Set(names.map((k) => k.toLowerCase())), ignored: new Map(), order: [], orderKinds: [] };
}

const GATEWAY = shape({ destination: STR });
const WORKLOAD = shape({
  uid: STR, workloadIps: STRS, waypoint: GATEWAY, networkGateway: GATEWAY, protocol: STR, name: STR, namespace: STR,
  serviceAccount: STR, workloadName: STR, workloadType: STR, canonicalName: STR, canonicalRevision: STR, clusterId: STR,
  trustDomain: STR, locality: shape({ region: STR, zone: STR, subzone: STR }), node: STR, network: STR, status: STR,
  hostname: STR, capacity: NUM, applicationTunnel: shape({ protocol: STR, port: NUM }), authorizationPolicies: STRS,
});
const CIDR = shape({ cidr: STR, network: STR });
const ENDPOINT = shape({ workloadUid: STR, service: STR, address: STR, port: NUMS });
const SERVICE = shape({
  name: STR, namespace: STR, hostname: STR, vips: STRS, cidrVips: CIDRS, ports: NUMS,
  loadBalancer: shape({ mode: STR, routingPreferences: STRS, healthPolicy: STR }), waypoint: GATEWAY, endpoints: ENDPOINTS,
  subjectAltNames: STRS, ipFamilies: STR, canonical: BOOL,
});

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A member name Go would not match to any member of `s` (in any letter case). */
function ignored(s: Shape, k: string): boolean {
  let yes = s.ignored.get(k);
  if (yes === undefined) {
    yes = !s.lower.has(k.toLowerCase());
    if (s.ignored.size < CACHED) s.ignored.set(k, yes);
  }
  return yes;
}

function allStrings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/** An object of numbers or nulls (its keys listed: port maps have index keys, which for-in enumerates slowly). */
function numbers(v: unknown): boolean {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const x = v[keys[i]];
    if (typeof x !== 'number' && x !== null) return false;
  }
  return true;
}

/** True when `v` is an object of shape `s` whose members read as themselves (no null, no other letter case). */
function exact(v: unknown, s: Shape): v is JsonObject {
  if (!isObj(v)) return false;
  const order = s.order;
  const orderKinds = s.orderKinds;
  let i = 0;
  for (const k in v) {
    let kind: Kind | undefined;
    if (order[i] === k) kind = orderKinds[i];
    else {
      kind = s.kinds.get(k);
      if (i < CACHED) {
        order[i] = k;
        orderKinds[i] = kind;
      }
    }
    i++;
    const x = v[k];
    if (kind === STR) {
      if (typeof x !== 'string') return false;
    } else if (kind === undefined) {
      if (!ignored(s, k)) return false;
    } else if (typeof kind === 'object') {
      if (!exact(x, kind)) return false;
    } else if (!fits(x, kind)) return false;
  }
  return true;
}

function fits(x: unknown, kind: number): boolean {
  switch (kind) {
    case NUM: return typeof x === 'number';
    case BOOL: return typeof x === 'boolean';
    case STRS: return allStrings(x);
    case NUMS: return numbers(x);
    case CIDRS:
      if (!Array.isArray(x)) return false;
      for (let i = 0; i < x.length; i++) if (typeof x[i] !== 'string' && !exact(x[i], CIDR)) return false;
      return true;
    case ENDPOINTS:
      if (!isObj(x)) return false;
      for (const k in x) if (!exact(x[k], ENDPOINT)) return false;
      return true;
    default: return typeof x === 'string';
  }
}

/** The object itself when it has istioctl's shape, else undefined (parse.ts reads it). */
export const tableWorkload = (v: unknown): WorkloadFields | undefined => (exact(v, WORKLOAD) ? (v as WorkloadFields) : undefined);
export const tableService = (v: unknown): ServiceFields | undefined => (exact(v, SERVICE) ? (v as ServiceFields) : undefined);

/** The parsed JSON of a dump → what the tables print, their rows gathered as it is read; parseZtunnelDump's errors. */
export function readTablesDump(raw: unknown, source: string): TablesDump {
  const rows = new TableRows();
  const d = readZtunnelDump<WorkloadFields, ServiceFields>(raw, source, {
    workload: tableWorkload, service: tableService, eachWorkload: (w) => rows.workload(w), eachService: (s) => rows.service(s),
  });
  return { ...d, rows };
}
