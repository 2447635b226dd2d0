// istiod's view of proxies, read through the istiod Service's proxy subresource on its monitoring port (15014):
// /debug/config_dump?proxyID=POD.NS (what istiod last sent) and /debug/syncz (sent/acked nonces per type).
// compareProxy() sets that view against what Envoy runs: SYNCED / STALE / NOT SENT per xDS type.
import { structuredPatch } from 'diff';
import type { KubeClient } from './kube/client.js';
import { KubeRequestError } from './kube/errors.js';

export interface IstiodTarget { namespace?: string; service?: string; port?: number }

export type SyncState = 'SYNCED' | 'STALE' | 'NOT SENT';
export const XDS_TYPES = ['CDS', 'LDS', 'EDS', 'RDS'] as const;
export type XdsType = (typeof XDS_TYPES)[number];

/** One row of istiod's /debug/syncz. */
export interface SyncStatus {
  cluster_id?: string;
  proxy: string;
  proxy_type?: string;
  istio_version?: string;
  istiod?: string;
  cluster_sent?: string; cluster_acked?: string;
  listener_sent?: string; listener_acked?: string;
  route_sent?: string; route_acked?: string;
  endpoint_sent?: string; endpoint_acked?: string;
}

function proxyPath(t: IstiodTarget, sub: string): string {
  const ns = t.namespace ?? 'istio-system';
  return `/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(t.service ?? 'istiod')}:${t.port ?? 15014}/proxy/${sub}`;
}

/** What istiod last sent to proxy `POD.NS`. Rejects with a KubeRequestError (404: not connected to this istiod). */
export async function fetchIstiodConfigDump(client: KubeClient, proxyId: string, t: IstiodTarget = {}): Promise<unknown> {
  const res = await client.request('GET', proxyPath(t, 'debug/config_dump'), {
    query: { proxyID: proxyId },
    what: { verb: 'get', resource: 'services/proxy', namespace: t.namespace ?? 'istio-system', name: t.service ?? 'istiod' },
  }).catch((err: unknown) => {
    if (err instanceof KubeRequestError && err.status === 404) throw new KubeRequestError(`istiod has no proxy ${proxyId} (not connected to this istiod?)`, 'http', 404);
    throw err;
  });
  if (typeof res.body !== 'object' || res.body === null) throw new KubeRequestError(`istiod's config_dump for ${proxyId} is not JSON`, 'protocol');
  return res.body;
}

export async function fetchSyncz(client: KubeClient, t: IstiodTarget = {}): Promise<SyncStatus[]> {
  const res = await client.request<unknown>('GET', proxyPath(t, 'debug/syncz'), {
    what: { verb: 'get', resource: 'services/proxy', namespace: t.namespace ?? 'istio-system', name: t.service ?? 'istiod' },
  });
  if (!Array.isArray(res.body)) throw new KubeRequestError(`istiod's /debug/syncz is not a list`, 'protocol');
  return res.body as SyncStatus[];
}

/** syncz nonces → state: NOT SENT when nothing was sent, SYNCED when the ack matches, else STALE. */
export function syncStates(s: SyncStatus): Record<XdsType, SyncState> {
  const st = (sent?: string, acked?: string): SyncState => (!sent ? 'NOT SENT' : sent === acked ? 'SYNCED' : 'STALE');
  return {
    CDS: st(s.cluster_sent, s.cluster_acked), LDS: st(s.listener_sent, s.listener_acked),
    EDS: st(s.endpoint_sent, s.endpoint_acked), RDS: st(s.route_sent, s.route_acked),
  };
}

// ---- comparing istiod's view with Envoy's dump ----

const SECTION: Record<XdsType, { type: string; list: string[]; inner: string[]; name: string[] }> = {
  CDS: { type: 'ClustersConfigDump', list: ['dynamic_active_clusters', 'dynamicActiveClusters'], inner: ['cluster'], name: ['name'] },
  LDS: { type: 'ListenersConfigDump', list: ['dynamic_listeners', 'dynamicListeners'], inner: ['active_state', 'activeState'], name: ['name'] },
  RDS: { type: 'RoutesConfigDump', list: ['dynamic_route_configs', 'dynamicRouteConfigs'], inner: ['route_config', 'routeConfig'], name: ['name'] },
  EDS: { type: 'EndpointsConfigDump', list: ['dynamic_endpoint_configs', 'dynamicEndpointConfigs'], inner: ['endpoint_config', 'endpointConfig'], name: ['cluster_name', 'clusterName'] },
};

type Obj = Record<string, unknown>;
const pick = (o: Obj | undefined, keys: string[]): unknown => (o ? keys.map((k) => o[k]).find((v) => v !== undefined) : undefined);

function configSection(dump: unknown, type: string): Obj | undefined {
  const configs = (dump as { configs?: unknown } | null)?.configs;
  if (!Array.isArray(configs)) return undefined;
  return configs.find((c: Obj) => typeof c?.['@type'] === 'string' && (c['@type'] as string).endsWith(`.${type}`)) as Obj | undefined;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => !['version_info', 'versionInfo', 'last_updated', 'lastUpdated'].includes(k)).map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

/** The dynamic resources of one type, version and last_updated stripped, sorted by name. undefined: section absent. */
export function dynamicResources(dump: unknown, t: XdsType): unknown[] | undefined {
  const spec = SECTION[t];
  const section = configSection(dump, spec.type);
  if (!section) return undefined;
  const list = (pick(section, spec.list) as Obj[] | undefined) ?? [];
  const items = list.map((e) => {
    let inner = pick(e, spec.inner) as Obj | undefined;
    if (t === 'LDS') inner = pick(inner, ['listener']) as Obj | undefined;
    return strip(inner ?? e) as Obj;
  });
  const nameOf = (o: Obj) => String(pick(o, spec.name) ?? '');
  return items.sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
}

/** Per type: NOT SENT when istiod's view lacks it, SYNCED when istiod's and Envoy's resources are equal, else STALE. */
export function compareProxy(istiodDump: unknown, envoyDump: unknown): Record<XdsType, SyncState> {
  const out = {} as Record<XdsType, SyncState>;
  for (const t of XDS_TYPES) {
    const a = dynamicResources(istiodDump, t);
    if (a === undefined || a.length === 0) { out[t] = 'NOT SENT'; continue; }
    out[t] = JSON.stringify(a) === JSON.stringify(dynamicResources(envoyDump, t) ?? []) ? 'SYNCED' : 'STALE';
  }
  return out;
}

function unified(a: string, b: string, from: string, to: string): string {
  const p = structuredPatch(from, to, a, b, '', '', { context: 7 });
  const lines = [`--- ${from}`, `+++ ${to}`];
  for (const h of p.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    lines.push(...h.lines);
  }
  return `${lines.join('\n')}\n`;
}

/** Go's time.RFC1123 in UTC: "Mon, 02 Jan 2006 15:04:05 UTC". */
function rfc1123(d: Date): string {
  return d.toUTCString().replace(/GMT$/, 'UTC');
}

/** istioctl's `proxy-status POD` comparison text: Clusters/Listeners/Routes Match, or Don't Match plus a unified diff. */
export function diffProxy(istiodDump: unknown, envoyDump: unknown): string {
  const out: string[] = [];
  for (const [t, label] of [['CDS', 'Clusters'], ['LDS', 'Listeners'], ['RDS', 'Routes']] as const) {
    const a = JSON.stringify(dynamicResources(istiodDump, t) ?? [], null, 4);
    const b = JSON.stringify(dynamicResources(envoyDump, t) ?? [], null, 4);
    if (a === b) {
      let suffix = '';
      if (t === 'RDS') {
        const routes = (pick(configSection(envoyDump, 'RoutesConfigDump'), SECTION.RDS.list) as Obj[] | undefined) ?? [];
        const times = routes.map((r) => Date.parse(String(pick(r, ['last_updated', 'lastUpdated']) ?? ''))).filter((n) => !Number.isNaN(n));
        if (times.length > 0) suffix = ` (RDS last loaded at ${rfc1123(new Date(Math.max(...times)))})`;
      }
      out.push(`${label} Match${suffix}\n`);
    } else {
      out.push(`${label} Don't Match\n${unified(a, b, `Istiod ${label}`, `Envoy ${label}`)}`);
    }
  }
  return out.join('');
}
