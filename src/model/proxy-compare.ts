// istiod's view of one proxy (its debug config_dump) against the config_dump of the Envoy itself, as istioctl's
// `proxy-status POD` prepares them: only the dynamic resources of each type, version_info and last_updated removed,
// sorted by name (and a route config's virtual hosts by name), draining listener states dropped.

export type SyncState = 'SYNCED' | 'STALE' | 'NOT SENT';
export const XDS_TYPES = ['CDS', 'LDS', 'EDS', 'RDS'] as const;
export type XdsType = (typeof XDS_TYPES)[number];

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const firstDefined = (o: unknown, ...keys: string[]): unknown => (isObj(o) ? keys.map((k) => o[k]).find((v) => v !== undefined) : undefined);

export const SECTION_TYPE: Record<XdsType, string> = {
  CDS: 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
  LDS: 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump',
  RDS: 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump',
  EDS: 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump',
};
const RESOURCE_TYPE: Record<XdsType, string> = {
  CDS: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  LDS: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  RDS: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  EDS: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
};
const LIST: Record<XdsType, [string, string]> = {
  CDS: ['dynamic_active_clusters', 'dynamicActiveClusters'],
  LDS: ['dynamic_listeners', 'dynamicListeners'],
  RDS: ['dynamic_route_configs', 'dynamicRouteConfigs'],
  EDS: ['dynamic_endpoint_configs', 'dynamicEndpointConfigs'],
};
const INNER: Record<XdsType, [string, string]> = {
  CDS: ['cluster', 'cluster'],
  LDS: ['listener', 'listener'],
  RDS: ['route_config', 'routeConfig'],
  EDS: ['endpoint_config', 'endpointConfig'],
};

/** The config_dump section of one type (v2 or v3 admin type), or undefined. */
export function configSection(dump: unknown, t: XdsType): JsonObject | undefined {
  const configs = firstDefined(dump, 'configs');
  if (!Array.isArray(configs)) return undefined;
  const suffix = SECTION_TYPE[t].slice(SECTION_TYPE[t].lastIndexOf('.'));
  return configs.find((c): c is JsonObject => isObj(c) && typeof c['@type'] === 'string' && c['@type'].endsWith(suffix));
}

const byName = (name: (o: JsonObject) => string) => (x: JsonObject, y: JsonObject) => {
  const a = name(x), b = name(y);
  return a < b ? -1 : a > b ? 1 : 0;
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** An Any's type rewritten to v3, as istioctl does before comparing. */
function asV3(inner: unknown, t: XdsType): unknown {
  return isObj(inner) ? { ...inner, '@type': RESOURCE_TYPE[t] } : inner;
}

/**
 * The dynamic entries of one type as istioctl compares them (the entry objects: `{cluster}`, `{name, active_state}`,
 * `{route_config}`, `{endpoint_config}`), or undefined when the dump has no such section.
 */
export function dynamicEntries(dump: unknown, t: XdsType): JsonObject[] | undefined {
  const section = configSection(dump, t);
  if (!section) return undefined;
  const list = firstDefined(section, ...LIST[t]);
  const entries = (Array.isArray(list) ? list : []).filter(isObj);
  const [snake, camel] = INNER[t];
  const key = (e: JsonObject) => (e[snake] !== undefined ? snake : camel);
  const strip = (e: JsonObject): JsonObject => Object.fromEntries(Object.entries(e).filter(([k]) => !['version_info', 'versionInfo', 'last_updated', 'lastUpdated'].includes(k)));
  if (t === 'LDS') {
    return entries
      .map((e) => {
        const { draining_state: _d, drainingState: _D, ...rest } = e;
        const active = firstDefined(rest, 'active_state', 'activeState');
        if (!isObj(active)) return undefined;
        const k = rest.active_state !== undefined ? 'active_state' : 'activeState';
        return { ...rest, [k]: strip({ ...active, listener: asV3(active.listener, t) }) };
      })
      .filter((e): e is JsonObject => e !== undefined)
      .sort(byName((e) => str(firstDefined(firstDefined(firstDefined(e, 'active_state', 'activeState'), 'listener'), 'name'))));
  }
  const out = entries.map((e) => {
    const k = key(e);
    let inner = asV3(e[k], t);
    if (t === 'RDS' && isObj(inner)) {
      const vk = inner.virtual_hosts !== undefined ? 'virtual_hosts' : 'virtualHosts';
      const vhosts = inner[vk];
      if (Array.isArray(vhosts)) inner = { ...inner, [vk]: [...vhosts].sort((x, y) => byName((v) => str(firstDefined(v, 'name')))(x as JsonObject, y as JsonObject)) };
    }
    return strip({ ...e, [k]: inner });
  });
  const nameKeys = t === 'EDS' ? ['cluster_name', 'clusterName'] : ['name'];
  return out.sort(byName((e) => str(firstDefined(e[key(e)], ...nameKeys))));
}

/** The resources themselves (Cluster, Listener, RouteConfiguration, ClusterLoadAssignment), compared and sorted. */
export function dynamicResources(dump: unknown, t: XdsType): unknown[] | undefined {
  const entries = dynamicEntries(dump, t);
  if (!entries) return undefined;
  return entries.map((e) => (t === 'LDS' ? firstDefined(firstDefined(e, 'active_state', 'activeState'), 'listener') : e[INNER[t][0]] ?? e[INNER[t][1]]));
}

const SNAKE_TO_CAMEL = /_([a-z0-9])/g;
/** Deep equality where snake_case and camelCase field names are the same field and key order does not matter. */
export function sameConfig(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameConfig(x, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const norm = (o: JsonObject) => new Map(Object.entries(o).map(([k, v]) => [k.replace(SNAKE_TO_CAMEL, (_m, c: string) => c.toUpperCase()), v]));
    const ma = norm(a), mb = norm(b);
    if (ma.size !== mb.size) return false;
    for (const [k, v] of ma) if (!mb.has(k) || !sameConfig(v, mb.get(k))) return false;
    return true;
  }
  return a === b;
}

/** Per type: NOT SENT when istiod's view has none of it, SYNCED when istiod's and Envoy's resources are equal, else STALE. */
export function compareProxy(istiodDump: unknown, envoyDump: unknown): Record<XdsType, SyncState> {
  const out = {} as Record<XdsType, SyncState>;
  for (const t of XDS_TYPES) {
    const a = dynamicEntries(istiodDump, t);
    if (a === undefined || a.length === 0) { out[t] = 'NOT SENT'; continue; }
    out[t] = sameConfig(a, dynamicEntries(envoyDump, t) ?? []) ? 'SYNCED' : 'STALE';
  }
  return out;
}

/** The newest last_updated of the dynamic route configs of a dump (when Envoy last loaded RDS), or undefined. */
export function lastRdsUpdate(dump: unknown): Date | undefined {
  const list = firstDefined(configSection(dump, 'RDS'), ...LIST.RDS);
  let max: number | undefined;
  for (const e of Array.isArray(list) ? list : []) {
    const ms = Date.parse(str(firstDefined(e, 'last_updated', 'lastUpdated')));
    if (!Number.isNaN(ms) && (max === undefined || ms > max)) max = ms;
  }
  return max === undefined ? undefined : new Date(max);
}
