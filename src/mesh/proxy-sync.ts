// Proxy sync without istiod (pure): each proxy's xDS versions (`version_info` of CDS, LDS, of every RDS route config
// and EDS cluster) read from its config_dump, compared with the other proxies of its context. istiod stamps every
// push with one version (e.g. `2025-03-14T09:26:53Z/57`), so a proxy whose version of a type is older than the newest
// one in its context missed a push: STALE, as `istioctl proxy-status` says from istiod's side.

export type XdsType = 'CDS' | 'LDS' | 'RDS' | 'EDS';
export const XDS_TYPES: XdsType[] = ['CDS', 'LDS', 'RDS', 'EDS'];

export interface ProxyVersions {
  context: string;
  proxy: string;
  /** Newest version_info of each type in this proxy's dump (absent: the dump has none). */
  versions: Partial<Record<XdsType, string>>;
  /** Route config name → its version_info. */
  routeConfigs: Record<string, string>;
}

/** NONE: the dump carries no version for the type (e.g. EDS in most dumps). */
export type SyncState = 'SYNCED' | 'STALE' | 'NONE';

export interface ProxySyncRow extends ProxyVersions {
  states: Record<XdsType, SyncState>;
  /** Route configs older than the newest version of the same name in the context. */
  staleRoutes: string[];
  stale: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const field = (o: Json | undefined, snake: string, camel: string): unknown => o?.[snake] ?? o?.[camel];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Orders istiod versions: `TIMESTAMP/N` by time then N; anything else as text. */
export function compareVersions(a: string, b: string): number {
  const aParts = /^(.*)\/(\d+)$/.exec(a);
  const bParts = /^(.*)\/(\d+)$/.exec(b);
  if (aParts && bParts) return aParts[1]! < bParts[1]! ? -1 : aParts[1]! > bParts[1]! ? 1 : Number(aParts[2]) - Number(bParts[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}

const newest = (vs: (string | undefined)[]): string | undefined =>
  vs.filter((v): v is string => v !== undefined).reduce<string | undefined>((m, v) => (m === undefined || compareVersions(v, m) > 0 ? v : m), undefined);

/** The versions in one config_dump (snake_case or camelCase, any @type version). */
export function dumpVersions(context: string, proxy: string, configDump: unknown): ProxyVersions {
  const out: ProxyVersions = { context, proxy, versions: {}, routeConfigs: {} };
  for (const c of arr(obj(configDump)?.configs)) {
    const o = obj(c);
    const type = String(o?.['@type'] ?? '');
    if (/ClustersConfigDump$/.test(type)) {
      out.versions.CDS = str(field(o, 'version_info', 'versionInfo')) ?? newest(arr(field(o, 'dynamic_active_clusters', 'dynamicActiveClusters')).map((x) => str(field(obj(x), 'version_info', 'versionInfo'))));
    } else if (/ListenersConfigDump$/.test(type)) {
      out.versions.LDS = str(field(o, 'version_info', 'versionInfo')) ?? newest(arr(field(o, 'dynamic_listeners', 'dynamicListeners')).map((x) => str(field(obj(field(obj(x), 'active_state', 'activeState')), 'version_info', 'versionInfo'))));
    } else if (/RoutesConfigDump$/.test(type)) {
      for (const r of arr(field(o, 'dynamic_route_configs', 'dynamicRouteConfigs'))) {
        const v = str(field(obj(r), 'version_info', 'versionInfo'));
        const name = str(obj(field(obj(r), 'route_config', 'routeConfig'))?.name);
        if (v && name) out.routeConfigs[name] = v;
      }
      out.versions.RDS = newest(Object.values(out.routeConfigs));
    } else if (/EndpointsConfigDump$/.test(type)) {
      out.versions.EDS = newest(arr(field(o, 'dynamic_endpoint_configs', 'dynamicEndpointConfigs')).map((x) => str(field(obj(x), 'version_info', 'versionInfo'))));
    }
  }
  return out;
}

/** Each proxy against the newest versions of its context: STALE where it is older, NONE where the dump has none. */
export function proxySync(all: ProxyVersions[]): ProxySyncRow[] {
  const byContext = new Map<string, ProxyVersions[]>();
  for (const p of all) byContext.set(p.context, [...(byContext.get(p.context) ?? []), p]);
  const rows: ProxySyncRow[] = [];
  for (const [, proxies] of byContext) {
    const top = Object.fromEntries(XDS_TYPES.map((t) => [t, newest(proxies.map((p) => p.versions[t]))])) as Partial<Record<XdsType, string>>;
    const routeTop = new Map<string, string>();
    for (const p of proxies) for (const [name, v] of Object.entries(p.routeConfigs)) {
      const cur = routeTop.get(name);
      if (!cur || compareVersions(v, cur) > 0) routeTop.set(name, v);
    }
    for (const p of proxies) {
      const staleRoutes = Object.entries(p.routeConfigs).filter(([name, v]) => compareVersions(v, routeTop.get(name)!) < 0).map(([name]) => name).sort();
      const states = Object.fromEntries(XDS_TYPES.map((t) => {
        const v = p.versions[t];
        if (v === undefined) return [t, 'NONE'];
        const behind = compareVersions(v, top[t]!) < 0 || (t === 'RDS' && staleRoutes.length > 0);
        return [t, behind ? 'STALE' : 'SYNCED'];
      })) as Record<XdsType, SyncState>;
      rows.push({ ...p, states, staleRoutes, stale: XDS_TYPES.some((t) => states[t] === 'STALE') });
    }
  }
  return rows.sort((a, b) => a.context.localeCompare(b.context) || Number(b.stale) - Number(a.stale) || a.proxy.localeCompare(b.proxy));
}
