// Parses an Envoy /config_dump (any era: v2/v3 types, snake_case or camelCase) once into a ParsedDump,
// and /clusters?format=json into endpoints. Pure: no I/O.
import type {
  EnvoyCluster, EnvoyEcdsFilter, EnvoyEndpoint, EnvoyListener, EnvoyLoadAssignment, EnvoyRoute, EnvoyRouteConfig,
  EnvoySecret, EnvoyVirtualHost, ParsedDump,
} from './types.js';
import { istioConfigPath, parseRouteMatch, firstDefined, renderConfigPath, summarizeChain, weightedClusters, wrapped, listenerType } from './describe.js';

type JsonObject = Record<string, any>;

/** The input is not what it claims to be (not a config dump, not a /clusters JSON). */
export class DumpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DumpFormatError';
  }
}

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object elements of an array (a dump may hold null or scalars where objects belong); [] for a non-array. */
function arr(v: unknown): JsonObject[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** `type.googleapis.com/envoy.admin.v3.ClustersConfigDump` → `ClustersConfigDump`. */
function sectionName(type: unknown): string {
  if (typeof type !== 'string') return '';
  return type.slice(type.lastIndexOf('.') + 1);
}

const MIRROR_DENOMINATOR: Record<string, number> = { HUNDRED: 100, TEN_THOUSAND: 10000, MILLION: 1000000 };

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function parseCluster(c: JsonObject, dynamic: boolean, warming: boolean): EnvoyCluster {
  const name: string = typeof c.name === 'string' ? c.name : '';
  const drPath = c.metadata === undefined ? undefined : istioConfigPath(c.metadata);
  const out: EnvoyCluster = {
    name,
    type: typeof c.type === 'string' ? c.type : 'STATIC',
    destinationRule: renderConfigPath(drPath),
    dynamic,
    warming,
    raw: c,
  };
  if (drPath !== undefined) out.destinationRulePath = drPath;
  if (name.indexOf('|') >= 0) {
    const parts = name.split('|');
    if (parts.length > 3) {
      out.direction = parts[0];
      out.port = isDigits(parts[1]) ? Number(parts[1]) : 0;
      out.subset = parts[2];
      out.fqdn = parts[3];
    }
  }
  return out;
}

function parseRoute(r: JsonObject): EnvoyRoute {
  const vsPath = istioConfigPath(r.metadata);
  const action = r.route ? 'route' : r.redirect ? 'redirect' : firstDefined(r, 'direct_response', 'directResponse') ? 'direct_response'
    : firstDefined(r, 'filter_action', 'filterAction') ? 'filter_action' : 'route';
  const out: EnvoyRoute = { match: parseRouteMatch(r.match), virtualService: renderConfigPath(vsPath), action, raw: r };
  if (typeof r.name === 'string') out.name = r.name;
  if (vsPath !== undefined) out.virtualServicePath = vsPath;
  const ra = r.route;
  if (ra) {
    if (typeof ra.cluster === 'string') out.cluster = ra.cluster;
    const w = weightedClusters(firstDefined(ra, 'weighted_clusters', 'weightedClusters'));
    if (w) out.weightedClusters = w;
    const mirrors: JsonObject[] = arr(firstDefined(ra, 'request_mirror_policies', 'requestMirrorPolicies'));
    const single = firstDefined(ra, 'request_mirror_policy', 'requestMirrorPolicy');
    if (isObj(single)) mirrors.push(single);
    if (mirrors.length > 0) {
      out.mirrors = mirrors.map((m) => {
        const dv = firstDefined(firstDefined(m, 'runtime_fraction', 'runtimeFraction'), 'default_value', 'defaultValue');
        let percent = 100;
        if (isObj(dv)) percent = (Number(dv.numerator ?? 0) / (MIRROR_DENOMINATOR[String(dv.denominator ?? 'HUNDRED')] ?? 100)) * 100;
        return { cluster: String(m.cluster ?? ''), percent };
      });
    }
  }
  return out;
}

export function parseRouteConfig(rc: JsonObject, dynamic: boolean): EnvoyRouteConfig {
  const virtualHosts: EnvoyVirtualHost[] = [];
  for (const vh of arr(firstDefined(rc, 'virtual_hosts', 'virtualHosts'))) {
    const routes = arr(vh.routes).map(parseRoute);
    virtualHosts.push({ name: String(vh.name ?? ''), domains: Array.isArray(vh.domains) ? vh.domains.map(String) : [], routes });
  }
  return { name: typeof rc.name === 'string' ? rc.name : '', dynamic, virtualHosts, raw: rc };
}

/** Address of a listener: socket address, pipe path, or envoy:// internal address; '' when absent. */
export function addressString(a: JsonObject | undefined): string {
  if (!isObj(a)) return '';
  const sa = firstDefined(a, 'socket_address', 'socketAddress');
  if (isObj(sa)) return String(sa.address ?? '');
  if (isObj(a.pipe)) return String(a.pipe.path ?? '');
  const ia = firstDefined(a, 'envoy_internal_address', 'envoyInternalAddress');
  if (isObj(ia)) {
    const sln = firstDefined(ia, 'server_listener_name', 'serverListenerName');
    if (sln !== undefined) return `envoy://${sln}/${firstDefined(ia, 'endpoint_id', 'endpointId') ?? ''}`;
  }
  return '';
}

function addressPort(a: JsonObject | undefined): number {
  const sa = isObj(a) ? firstDefined(a, 'socket_address', 'socketAddress') : undefined;
  return isObj(sa) ? Number(firstDefined(sa, 'port_value', 'portValue') ?? 0) : 0;
}

export function parseListener(l: JsonObject, dynamic: boolean): EnvoyListener {
  const chains: JsonObject[] = arr(firstDefined(l, 'filter_chains', 'filterChains')).slice();
  const def = firstDefined(l, 'default_filter_chain', 'defaultFilterChain');
  if (isObj(def)) chains.push(def);
  const address = addressString(l.address);
  const extra = arr(firstDefined(l, 'additional_addresses', 'additionalAddresses')).map((x) => {
    const sa = firstDefined(x.address, 'socket_address', 'socketAddress');
    return String(sa?.address ?? '');
  });
  return {
    name: typeof l.name === 'string' ? l.name : '',
    address,
    port: addressPort(l.address),
    addresses: [address, ...extra].join(','),
    type: listenerType(chains),
    dynamic,
    chains: chains.map((fc) => summarizeChain(fc, (rc) => parseRouteConfig(rc, false))),
    raw: l,
  };
}

function endpointAddress(ep: JsonObject | undefined): { kind: EnvoyEndpoint['addressKind']; address: string; port: number; text: string } {
  const a = ep?.address;
  if (isObj(a)) {
    const sa = firstDefined(a, 'socket_address', 'socketAddress');
    if (isObj(sa)) {
      const port = Number(firstDefined(sa, 'port_value', 'portValue') ?? 0);
      const ip = String(sa.address ?? '');
      return { kind: 'socket', address: ip, port, text: `${ip}:${port}` };
    }
    if (isObj(a.pipe)) {
      const path = String(a.pipe.path ?? '');
      return { kind: 'pipe', address: path, port: 0, text: path };
    }
    const internal = addressString(a);
    if (internal) return { kind: 'internal', address: internal, port: 0, text: internal };
  }
  return { kind: 'unknown', address: '', port: 0, text: '' };
}

function localityString(l: JsonObject | undefined): string {
  if (!isObj(l) || !l.region) return '';
  let s = String(l.region);
  if (l.zone) {
    s += `/${l.zone}`;
    const sz = firstDefined(l, 'sub_zone', 'subZone');
    if (sz) s += `/${sz}`;
  }
  return s;
}

function parseAssignment(cla: JsonObject, dynamic: boolean): EnvoyLoadAssignment {
  const clusterName = String(firstDefined(cla, 'cluster_name', 'clusterName') ?? '');
  const endpoints: EnvoyEndpoint[] = [];
  const groups = cla.endpoints;
  if (Array.isArray(groups)) {
    for (const group of arr(groups)) {
      const locality = localityString(group.locality);
      const lbs = firstDefined(group, 'lb_endpoints', 'lbEndpoints');
      if (!Array.isArray(lbs)) continue;
      for (const lb of arr(lbs)) {
        const main = endpointAddress(lb.endpoint);
        const addresses = [main.text];
        const extra = lb.endpoint?.additional_addresses ?? lb.endpoint?.additionalAddresses;
        if (Array.isArray(extra)) for (const x of arr(extra)) addresses.push(endpointAddress(x).text);
        const e: EnvoyEndpoint = {
          cluster: clusterName,
          address: main.address,
          port: main.port,
          health: String(lb.health_status ?? lb.healthStatus ?? 'UNKNOWN'),
          from: 'eds',
          addressKind: main.kind,
          addresses,
          raw: cla,
        };
        if (locality) e.locality = locality;
        const w = wrapped(lb.load_balancing_weight ?? lb.loadBalancingWeight);
        if (w !== undefined) e.weight = w;
        endpoints.push(e);
      }
    }
  }
  return { clusterName, endpoints, dynamic, raw: cla };
}

function unwrapSecret(s: JsonObject, state: EnvoySecret['state']): EnvoySecret {
  const secret = isObj(s.secret) ? s.secret : undefined;
  return { name: String(s.name ?? secret?.name ?? ''), state, ...(secret ? { secret } : {}), raw: s };
}

/** Parses a config dump once. `source` (file or pod) is named in errors. */
export function parseConfigDump(raw: unknown, source = 'config dump'): ParsedDump {
  if (!isObj(raw) || !Array.isArray(raw.configs)) {
    const what = Array.isArray(raw) ? 'a JSON array' : isObj(raw) ? `an object with keys ${Object.keys(raw).slice(0, 5).join(', ') || '(none)'}` : `a ${raw === null ? 'null' : typeof raw}`;
    throw new DumpFormatError(`${source}: not an Envoy config dump (expected an object with a "configs" array, got ${what})`);
  }
  const out: ParsedDump = { clusters: [], listeners: [], routeConfigs: [], edsEndpoints: [], sections: [], raw, source };
  const eds: EnvoyLoadAssignment[] = [];
  const dynamicRoutes: EnvoyRouteConfig[] = [];
  const staticRoutes: EnvoyRouteConfig[] = [];
  for (const [i, sec] of (raw.configs as unknown[]).entries()) {
    if (!isObj(sec)) throw new DumpFormatError(`${source}: configs[${i}] is not an object`);
    const name = sectionName(sec['@type']);
    out.sections.push(name);
    switch (name) {
      case 'BootstrapConfigDump':
        out.bootstrap = sec.bootstrap;
        out.bootstrapSection = sec;
        break;
      case 'ClustersConfigDump':
        for (const c of arr(firstDefined(sec, 'static_clusters', 'staticClusters'))) if (isObj(c.cluster)) out.clusters.push(parseCluster(c.cluster, false, false));
        for (const c of arr(firstDefined(sec, 'dynamic_active_clusters', 'dynamicActiveClusters'))) if (isObj(c.cluster)) out.clusters.push(parseCluster(c.cluster, true, false));
        for (const c of arr(firstDefined(sec, 'dynamic_warming_clusters', 'dynamicWarmingClusters'))) if (isObj(c.cluster)) out.clusters.push(parseCluster(c.cluster, true, true));
        break;
      case 'ListenersConfigDump':
        for (const l of arr(firstDefined(sec, 'static_listeners', 'staticListeners'))) if (isObj(l.listener)) out.listeners.push(parseListener(l.listener, false));
        for (const l of arr(firstDefined(sec, 'dynamic_listeners', 'dynamicListeners'))) {
          const active = firstDefined(l, 'active_state', 'activeState');
          if (isObj(active?.listener)) out.listeners.push(parseListener(active.listener, true));
        }
        // v2 (Istio ≤1.3) layout
        for (const l of arr(firstDefined(sec, 'dynamic_active_listeners', 'dynamicActiveListeners'))) if (isObj(l.listener)) out.listeners.push(parseListener(l.listener, true));
        break;
      case 'RoutesConfigDump':
        for (const r of arr(firstDefined(sec, 'dynamic_route_configs', 'dynamicRouteConfigs'))) {
          const rc = firstDefined(r, 'route_config', 'routeConfig');
          if (isObj(rc)) dynamicRoutes.push(parseRouteConfig(rc, true));
        }
        for (const r of arr(firstDefined(sec, 'static_route_configs', 'staticRouteConfigs'))) {
          const rc = firstDefined(r, 'route_config', 'routeConfig');
          if (isObj(rc)) staticRoutes.push(parseRouteConfig(rc, false));
        }
        break;
      case 'EndpointsConfigDump':
        for (const e of arr(firstDefined(sec, 'static_endpoint_configs', 'staticEndpointConfigs'))) {
          const cla = firstDefined(e, 'endpoint_config', 'endpointConfig');
          if (isObj(cla)) eds.push(parseAssignment(cla, false));
        }
        for (const e of arr(firstDefined(sec, 'dynamic_endpoint_configs', 'dynamicEndpointConfigs'))) {
          const cla = firstDefined(e, 'endpoint_config', 'endpointConfig');
          if (isObj(cla)) eds.push(parseAssignment(cla, true));
        }
        break;
      case 'SecretsConfigDump': {
        const secrets = (out.secrets ??= []);
        for (const s of arr(firstDefined(sec, 'dynamic_warming_secrets', 'dynamicWarmingSecrets'))) secrets.push(unwrapSecret(s, 'WARMING'));
        for (const s of arr(firstDefined(sec, 'dynamic_active_secrets', 'dynamicActiveSecrets'))) secrets.push(unwrapSecret(s, 'ACTIVE'));
        break;
      }
      case 'EcdsConfigDump': {
        const filters = (out.ecdsFilters ??= []);
        for (const f of arr(firstDefined(sec, 'ecds_filters', 'ecdsFilters'))) {
          const tec = firstDefined(f, 'ecds_filter', 'ecdsFilter') ?? {};
          const tc = firstDefined(tec, 'typed_config', 'typedConfig');
          const type = typeof tc?.['@type'] === 'string' ? (tc['@type'] as string).replace(/^type\.googleapis\.com\//, '') : '';
          filters.push({ name: String(tec.name ?? ''), type, raw: f } satisfies EnvoyEcdsFilter);
        }
        break;
      }
      default:
        break; // ScopedRoutes and unknown sections are kept in `raw` only
    }
  }
  out.routeConfigs = dynamicRoutes.concat(staticRoutes);
  if (eds.length > 0) {
    out.edsAssignments = eds;
    for (const a of eds) for (const e of a.endpoints) out.edsEndpoints.push(e);
  } else if (out.sections.includes('EndpointsConfigDump')) out.edsAssignments = [];
  return out;
}

/** Parses Envoy admin /clusters?format=json into one endpoint per host (raw = its ClusterStatus). */
export function parseClustersJson(raw: unknown, source = '/clusters output'): EnvoyEndpoint[] {
  const statuses = isObj(raw) ? firstDefined(raw, 'cluster_statuses', 'clusterStatuses') : undefined;
  if (!isObj(raw) || (statuses !== undefined && !Array.isArray(statuses)) || (statuses === undefined && Array.isArray(raw.configs))) {
    const hint = isObj(raw) && Array.isArray(raw.configs) ? ' (this looks like a config dump; endpoint needs /clusters?format=json)' : '';
    throw new DumpFormatError(`${source}: not an Envoy /clusters?format=json output (expected an object with "cluster_statuses")${hint}`);
  }
  const out: EnvoyEndpoint[] = [];
  for (const cs of arr(statuses)) {
    const cluster = String(cs.name ?? '');
    for (const h of arr(firstDefined(cs, 'host_statuses', 'hostStatuses'))) {
      const a = endpointAddress(h);
      const hs = firstDefined(h, 'health_status', 'healthStatus') ?? {};
      const e: EnvoyEndpoint = {
        cluster,
        address: a.kind === 'pipe' ? a.address : a.address,
        port: a.port,
        health: String(firstDefined(hs, 'eds_health_status', 'edsHealthStatus') ?? 'UNKNOWN'),
        outlierFailed: Boolean(firstDefined(hs, 'failed_outlier_check', 'failedOutlierCheck')),
        from: 'clusters',
        addressKind: a.kind,
        addresses: [a.text],
        raw: cs,
      };
      const loc = localityString(h.locality);
      if (loc) e.locality = loc;
      const w = wrapped(firstDefined(h, 'weight', 'weight'));
      if (w !== undefined) e.weight = w;
      out.push(e);
    }
  }
  return out;
}
