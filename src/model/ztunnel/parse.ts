// Parses ztunnel's /config_dump into ZtunnelDump. Accepts both layouts istioctl accepts: workloads, services,
// policies and certificates as a list or as an object keyed by address/name (only the values count), and member
// names in any letter case (Go's encoding/json matches them case-insensitively). A value of the wrong type is a
// located error, as it is for istioctl.
import type {
  GatewayAddress, ZCert, ZCertificate, ZCidrVip, ZConnection, ZEndpoint, ZPolicy, ZPolicyMatch, ZService, ZtunnelDump,
  ZWorkload, ZWorkloadState,
} from './types.js';

export class ZtunnelDumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZtunnelDumpError';
  }
}

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

/**
 * An object and whether every member name is one of the struct's own (then no case-insensitive search is needed),
 * found on the first member that is absent.
 */
interface View { o: JsonObject; known: ReadonlySet<string>; exact: boolean | undefined }

const view = (o: JsonObject, known: ReadonlySet<string>): View => ({ o, known, exact: undefined });

/** Member `key`: the exact name first, else the first name equal ignoring case (as Go decodes). */
function member(v: View, key: string): unknown {
  const x = v.o[key];
  if (x !== undefined) return x;
  if (v.exact === undefined) {
    v.exact = true;
    for (const k in v.o) if (!v.known.has(k)) { v.exact = false; break; }
  }
  if (v.exact) return undefined;
  const lower = key.toLowerCase();
  for (const k in v.o) if (k.length === key.length && k.toLowerCase() === lower) return v.o[k];
  return undefined;
}

const keys = (...names: string[]): ReadonlySet<string> => new Set(names);
const WORKLOAD = keys('uid', 'workloadIps', 'waypoint', 'networkGateway', 'protocol', 'name', 'namespace', 'serviceAccount', 'workloadName', 'workloadType', 'canonicalName', 'canonicalRevision', 'clusterId', 'trustDomain', 'locality', 'node', 'network', 'status', 'hostname', 'capacity', 'applicationTunnel', 'authorizationPolicies');
const LOCALITY = keys('region', 'zone', 'subzone');
const TUNNEL = keys('protocol', 'port');
const GATEWAY = keys('destination');
const SERVICE = keys('name', 'namespace', 'hostname', 'vips', 'cidrVips', 'ports', 'loadBalancer', 'waypoint', 'endpoints', 'subjectAltNames', 'ipFamilies', 'canonical');
const LB = keys('mode', 'routingPreferences', 'healthPolicy');
const CIDR = keys('cidr', 'network');
const ENDPOINT = keys('workloadUid', 'service', 'address', 'port');
const POLICY = keys('name', 'namespace', 'scope', 'action', 'rules');
const CERTS = keys('identity', 'state', 'certChain', 'rootCerts');
const CERT = keys('pem', 'serialNumber', 'validFrom', 'expirationTime');
const STATE = keys('state', 'connections', 'info');
const CONNS = keys('inbound', 'outbound');
const CONN = keys('src', 'originalDst', 'actualDst', 'protocol');
const INFO = keys('name', 'namespace', 'trustDomain', 'serviceAccount');
const DUMP = keys('workloads', 'services', 'policies', 'certificates', 'workloadState');
const EMPTY: JsonObject = {};
const NO_LOCALITY = { region: '', zone: '', subzone: '' };
const NO_TUNNEL = { protocol: '' };

type Item<T> = (r: Reader, v: unknown, path: string) => T;

// Paths in errors are `path` + `sub` + `.key`, built only when a value is wrong: a dump holds many thousand objects.
class Reader {
  constructor(private readonly source: string) {}

  fail(path: string, what: string, v: unknown): never {
    throw new ZtunnelDumpError(`${this.source}: ${path} must be ${what}, not ${typeName(v)}`);
  }

  /** An object value (absent or null: undefined); `at()` is its path. */
  obj(v: unknown, path: string, sub = '', key = ''): JsonObject | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) this.fail(`${path}${sub}${key === '' ? '' : `.${key}`}`, 'an object', v);
    return v;
  }

  str(o: View, key: string, path: string, sub = ''): string {
    const v = member(o, key);
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return '';
    this.fail(`${path}${sub}.${key}`, 'a string', v);
  }

  num(o: View, key: string, path: string): number {
    const v = member(o, key);
    if (typeof v === 'number') return v;
    if (v === undefined || v === null) return 0;
    this.fail(`${path}.${key}`, 'a number', v);
  }

  bool(o: View, key: string, path: string): boolean {
    const v = member(o, key);
    if (typeof v === 'boolean') return v;
    if (v === undefined || v === null) return false;
    this.fail(`${path}.${key}`, 'true or false', v);
  }

  list<T>(o: View, key: string, path: string, item: (v: unknown, path: string) => T, sub = ''): T[] | null {
    const v = member(o, key);
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) this.fail(`${path}${sub}.${key}`, 'a list', v);
    const out = new Array<T>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = item(v[i], `${path}${sub}.${key}[${i}]`);
    return out;
  }

  /** A list of strings: the dump's own array when every item is a string (null items read as ""). */
  strings(o: View, key: string, path: string, sub = ''): string[] | null {
    const v = member(o, key);
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) this.fail(`${path}${sub}.${key}`, 'a list', v);
    let i = 0;
    while (i < v.length && typeof v[i] === 'string') i++;
    if (i === v.length) return v as string[];
    return v.map((x, j) => {
      if (typeof x === 'string') return x;
      if (x === null) return '';
      return this.fail(`${path}${sub}.${key}[${j}]`, 'a string', x);
    });
  }

  /** An object of numbers (null reads as 0), kept as read. */
  numbers(o: View, key: string, path: string): Readonly<Record<string, number | null>> | null {
    const m = this.obj(member(o, key), path, '', key);
    if (!m) return null;
    for (const k in m) {
      const v = m[k];
      if (typeof v !== 'number' && v !== null) this.fail(`${path}.${key}["${k}"]`, 'a number', v);
    }
    return m as Record<string, number | null>;
  }

  numberMap(o: View, key: string, path: string): Map<string, number> | null {
    const m = this.numbers(o, key, path);
    return m ? numberMapOf(m) : null;
  }

  gateway(o: View, key: string, path: string): GatewayAddress | undefined {
    const g = this.obj(member(o, key), path, '', key);
    return g ? { destination: this.str(view(g, GATEWAY), 'destination', path, `.${key}`) } : undefined;
  }
}

/** service port → target port (null as 0). */
export function numberMapOf(m: Readonly<Record<string, number | null>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const k in m) out.set(k, m[k] ?? 0);
  return out;
}

/**
 * Every item of a list, or every value of an object, of member `key` (absent or null: none), read by `item`. `fast`,
 * when given, reads an item first (undefined: not its shape); the path is built only for `item`. `each` sees every
 * item once read.
 */
function entries<T>(r: Reader, dump: View, key: string, item: Item<T>, fast?: (v: unknown) => T | undefined, each?: (x: T) => void): T[] {
  const v = member(dump, key);
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) {
    const out = new Array<T>(v.length);
    for (let i = 0; i < v.length; i++) {
      const got = fast?.(v[i]) ?? item(r, v[i], `${key}[${i}]`);
      each?.(got);
      out[i] = got;
    }
    return out;
  }
  if (!isObj(v)) r.fail(key, 'a list or an object', v);
  // The key list, not for-in: for-in over an object of many members checks each key again as it goes.
  const names = Object.keys(v);
  const out = new Array<T>(names.length);
  for (let i = 0; i < names.length; i++) {
    const x = v[names[i]];
    const got = fast?.(x) ?? item(r, x, `${key}["${names[i]}"]`);
    each?.(got);
    out[i] = got;
  }
  return out;
}

function workload(r: Reader, v: unknown, p: string): ZWorkload {
  const o = view(r.obj(v, p) ?? EMPTY, WORKLOAD);
  const locObj = r.obj(member(o, 'locality'), p, '.locality');
  const loc = locObj ? view(locObj, LOCALITY) : undefined;
  const tunnelObj = r.obj(member(o, 'applicationTunnel'), p, '.applicationTunnel');
  const tunnel = tunnelObj ? view(tunnelObj, TUNNEL) : undefined;
  const tunnelPort = tunnel ? member(tunnel, 'port') : undefined;
  if (tunnelPort !== undefined && tunnelPort !== null && typeof tunnelPort !== 'number') r.fail(`${p}.applicationTunnel.port`, 'a number', tunnelPort);
  return {
    uid: r.str(o, 'uid', p),
    workloadIps: r.strings(o, 'workloadIps', p),
    waypoint: r.gateway(o, 'waypoint', p),
    networkGateway: r.gateway(o, 'networkGateway', p),
    protocol: r.str(o, 'protocol', p),
    name: r.str(o, 'name', p),
    namespace: r.str(o, 'namespace', p),
    serviceAccount: r.str(o, 'serviceAccount', p),
    workloadName: r.str(o, 'workloadName', p),
    workloadType: r.str(o, 'workloadType', p),
    canonicalName: r.str(o, 'canonicalName', p),
    canonicalRevision: r.str(o, 'canonicalRevision', p),
    clusterId: r.str(o, 'clusterId', p),
    trustDomain: r.str(o, 'trustDomain', p),
    locality: loc ? { region: r.str(loc, 'region', p, '.locality'), zone: r.str(loc, 'zone', p, '.locality'), subzone: r.str(loc, 'subzone', p, '.locality') } : NO_LOCALITY,
    node: r.str(o, 'node', p),
    network: r.str(o, 'network', p),
    status: r.str(o, 'status', p),
    hostname: r.str(o, 'hostname', p),
    capacity: r.num(o, 'capacity', p),
    applicationTunnel: tunnel ? { protocol: r.str(tunnel, 'protocol', p, '.applicationTunnel'), ...(typeof tunnelPort === 'number' ? { port: tunnelPort } : {}) } : NO_TUNNEL,
    authorizationPolicies: r.strings(o, 'authorizationPolicies', p),
  };
}

function cidrVip(r: Reader, v: unknown, p: string): ZCidrVip {
  if (typeof v === 'string') {
    const i = v.indexOf('/');
    return i >= 0 && v.indexOf('/', i + 1) >= 0 ? { network: v.slice(0, i), cidr: v.slice(i + 1) } : { network: '', cidr: v };
  }
  const o = view(r.obj(v, p) ?? EMPTY, CIDR);
  return { cidr: r.str(o, 'cidr', p), network: r.str(o, 'network', p) };
}

function endpoint(r: Reader, v: unknown, p: string): ZEndpoint {
  const o = view(r.obj(v, p) ?? EMPTY, ENDPOINT);
  return { workloadUid: r.str(o, 'workloadUid', p), service: r.str(o, 'service', p), address: r.str(o, 'address', p), port: r.numbers(o, 'port', p) };
}

function service(r: Reader, v: unknown, p: string): ZService {
  const o = view(r.obj(v, p) ?? EMPTY, SERVICE);
  const lbObj = r.obj(member(o, 'loadBalancer'), p, '.loadBalancer');
  const lb = lbObj ? view(lbObj, LB) : undefined;
  const eps = r.obj(member(o, 'endpoints'), p, '.endpoints');
  let endpoints: Map<string, ZEndpoint> | null = null;
  if (eps) {
    endpoints = new Map();
    for (const k in eps) endpoints.set(k, endpoint(r, eps[k], `${p}.endpoints["${k}"]`));
  }
  return {
    name: r.str(o, 'name', p),
    namespace: r.str(o, 'namespace', p),
    hostname: r.str(o, 'hostname', p),
    vips: r.strings(o, 'vips', p),
    cidrVips: r.list(o, 'cidrVips', p, (x, q) => cidrVip(r, x, q)),
    ports: r.numberMap(o, 'ports', p),
    ...(lb ? { loadBalancer: { mode: r.str(lb, 'mode', p, '.loadBalancer'), routingPreferences: r.strings(lb, 'routingPreferences', p, '.loadBalancer'), healthPolicy: r.str(lb, 'healthPolicy', p, '.loadBalancer') } } : {}),
    waypoint: r.gateway(o, 'waypoint', p),
    endpoints,
    subjectAltNames: r.strings(o, 'subjectAltNames', p),
    ipFamilies: r.str(o, 'ipFamilies', p),
    canonical: r.bool(o, 'canonical', p),
  };
}

function policy(r: Reader, v: unknown, p: string): ZPolicy {
  const o = view(r.obj(v, p) ?? EMPTY, POLICY);
  const rules = r.list(o, 'rules', p, (rule, rp) => {
    if (rule === null) return [];
    if (!Array.isArray(rule)) r.fail(rp, 'a list', rule);
    return rule.map((clause, ci) => {
      if (clause === null) return [];
      if (!Array.isArray(clause)) r.fail(`${rp}[${ci}]`, 'a list', clause);
      return clause.map((m, mi) => (r.obj(m, `${rp}[${ci}][${mi}]`) ?? {}) as ZPolicyMatch);
    });
  });
  return { name: r.str(o, 'name', p), namespace: r.str(o, 'namespace', p), scope: r.str(o, 'scope', p), action: r.str(o, 'action', p), rules };
}

function cert(r: Reader, v: unknown, p: string): ZCert {
  const o = view(r.obj(v, p) ?? EMPTY, CERT);
  return { pem: r.str(o, 'pem', p), serialNumber: r.str(o, 'serialNumber', p), validFrom: r.str(o, 'validFrom', p), expirationTime: r.str(o, 'expirationTime', p) };
}

function certificate(r: Reader, v: unknown, p: string): ZCertificate {
  const o = view(r.obj(v, p) ?? EMPTY, CERTS);
  return {
    identity: r.str(o, 'identity', p),
    state: r.str(o, 'state', p),
    certChain: r.list(o, 'certChain', p, (x, q) => cert(r, x, q)),
    rootCerts: r.list(o, 'rootCerts', p, (x, q) => cert(r, x, q)),
  };
}

function connection(r: Reader, v: unknown, p: string): ZConnection {
  const o = view(r.obj(v, p) ?? EMPTY, CONN);
  return { src: r.str(o, 'src', p), originalDst: r.str(o, 'originalDst', p), actualDst: r.str(o, 'actualDst', p), protocol: r.str(o, 'protocol', p) };
}

function workloadState(r: Reader, v: unknown, p: string): ZWorkloadState {
  const o = view(r.obj(v, p) ?? EMPTY, STATE);
  const c = view(r.obj(member(o, 'connections'), p, '.connections') ?? EMPTY, CONNS);
  const info = view(r.obj(member(o, 'info'), p, '.info') ?? EMPTY, INFO);
  return {
    state: r.str(o, 'state', p),
    connections: { inbound: r.list(c, 'inbound', p, (x, q) => connection(r, x, q), '.connections'), outbound: r.list(c, 'outbound', p, (x, q) => connection(r, x, q), '.connections') },
    info: { name: r.str(info, 'name', p, '.info'), namespace: r.str(info, 'namespace', p, '.info'), trustDomain: r.str(info, 'trustDomain', p, '.info'), serviceAccount: r.str(info, 'serviceAccount', p, '.info') },
  };
}

/** True when a parsed JSON value looks like a ztunnel config dump rather than Envoy's (which has `configs`). */
function isZtunnelDump(v: unknown): boolean {
  return isObj(v) && !('configs' in v) && ['workloads', 'services', 'policies', 'certificates'].some((k) => member(view(v, DUMP), k) !== undefined);
}

/** The dump as istioctl primes it. `source` names the file or pod in every error. */
export function parseZtunnelDump(raw: unknown, source: string): ZtunnelDump {
  return readZtunnelDump(raw, source, {});
}

/** How readZtunnelDump may read workloads and services: `workload`/`service` first (undefined: not their shape). */
export interface DumpReading<W, S> {
  workload?: (v: unknown) => W | undefined;
  service?: (v: unknown) => S | undefined;
  /** Sees each workload once read, in dump order, before any service. */
  eachWorkload?: (w: W | ZWorkload) => void;
  /** Sees each service once read, in dump order. */
  eachService?: (s: S | ZService) => void;
}

/** A dump read as parseZtunnelDump reads it, in the same order and with the same errors. */
export function readZtunnelDump<W = ZWorkload, S = ZService>(
  raw: unknown, source: string, how: DumpReading<W, S>,
): Omit<ZtunnelDump, 'workloads' | 'services'> & { workloads: (W | ZWorkload)[]; services: (S | ZService)[] } {
  const r = new Reader(source);
  if (!isObj(raw)) throw new ZtunnelDumpError(`${source}: not a ztunnel config dump (expected a JSON object, got ${typeName(raw)})`);
  const dump = view(raw, DUMP);
  const state = r.obj(member(dump, 'workloadState'), 'workloadState') ?? {};
  return {
    source,
    workloads: entries<W | ZWorkload>(r, dump, 'workloads', workload, how.workload, how.eachWorkload),
    services: entries<S | ZService>(r, dump, 'services', service, how.service, how.eachService),
    policies: entries(r, dump, 'policies', policy),
    certificates: entries(r, dump, 'certificates', certificate),
    workloadState: Object.keys(state).map((k) => workloadState(r, state[k], `workloadState["${k}"]`)),
    raw,
  };
}

/** The JSON of a config dump; empty or invalid JSON is an error naming `source`. */
export function parseDumpJson(text: string, source: string): unknown {
  if (text.trim() === '') throw new ZtunnelDumpError(`${source}: empty ztunnel config dump`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ZtunnelDumpError(`${source}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Text of a config dump → ZtunnelDump; empty or invalid JSON is an error naming `source`. */
export function parseZtunnelDumpText(text: string, source: string): ZtunnelDump {
  return parseZtunnelDump(parseDumpJson(text, source), source);
}
