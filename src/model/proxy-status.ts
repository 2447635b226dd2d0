// proxy-status model (pure): istiod's sync status of each proxy, as istioctl reads it.
// istioctl asks every istiod for the `istio.io/debug/syncz` xDS type and gets a DiscoveryResponse whose resources are
// envoy.service.status.v3.ClientConfig (node + genericXdsConfigs with a configStatus per subscribed type). istiod's
// HTTP /debug/syncz (monitoring port) gives the same facts as sent/acked nonces; synczToResponse() turns those rows
// into that DiscoveryResponse so one writer serves both.

export const CLIENT_CONFIG_TYPE = 'type.googleapis.com/envoy.service.status.v3.ClientConfig';

export const TYPE_URL = {
  CDS: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  LDS: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  RDS: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  EDS: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  ECDS: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig',
  SDS: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
  NDS: 'type.googleapis.com/istio.networking.nds.v1.NameTable',
  PCDS: 'type.googleapis.com/istio.mesh.v1alpha1.ProxyConfig',
} as const;

const SHORT: Record<string, string> = {
  ...Object.fromEntries(Object.entries(TYPE_URL).map(([k, v]) => [v, k])),
  'type.googleapis.com/istio.workload.Address': 'WDS',
  'type.googleapis.com/istio.workload.Workload': 'WDS',
  'type.googleapis.com/istio.security.Authorization': 'WADS',
};

/** istiod's short name of an xDS type (CDS, LDS…); an unknown type URL is its own name. */
export function shortType(typeUrl: string): string {
  return SHORT[typeUrl] ?? typeUrl;
}

/** envoy.service.status.v3.ConfigStatus names. */
export type ConfigStatus = 'UNKNOWN' | 'SYNCED' | 'NOT_SENT' | 'STALE' | 'ERROR';

export interface GenericXdsConfig {
  typeUrl?: string;
  name?: string;
  versionInfo?: string;
  lastUpdated?: string;
  configStatus?: ConfigStatus | string;
  [field: string]: unknown;
}

export interface ClientConfig {
  '@type'?: string;
  node?: { id?: string; metadata?: Record<string, unknown>; [field: string]: unknown };
  genericXdsConfigs?: GenericXdsConfig[];
  [field: string]: unknown;
}

/** The syncz DiscoveryResponse of one istiod (JSON form, camelCase as jsonpb prints it; snake_case is read too). */
export interface SyncResponse {
  versionInfo?: string;
  resources?: ClientConfig[];
  typeUrl?: string;
  controlPlane?: { identifier?: string };
  [field: string]: unknown;
}

/** One row of istiod's HTTP /debug/syncz (pilot/pkg/xds SyncStatus). */
export interface SyncStatus {
  cluster_id?: string;
  proxy: string;
  proxy_type?: string;
  proxy_version?: string;
  istio_version?: string;
  /** Not sent by istiod: who answered, when the caller knows it. */
  istiod?: string;
  cluster_sent?: string; cluster_acked?: string;
  listener_sent?: string; listener_acked?: string;
  route_sent?: string; route_acked?: string;
  endpoint_sent?: string; endpoint_acked?: string;
  extensionconfig_sent?: string; extensionconfig_acked?: string;
}

type JsonObject = Record<string, unknown>;
const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const field = (o: JsonObject | undefined, camel: string, snake: string): unknown => (o ? (o[camel] ?? o[snake]) : undefined);

/** The nonce rule istiod applies per watched type: nothing sent, acked what was sent, or sent and not (yet) acked. */
export function nonceStatus(sent?: string, acked?: string): ConfigStatus {
  if (!sent) return 'NOT_SENT';
  return sent === acked ? 'SYNCED' : 'STALE';
}

/** The identifier istiod puts in controlPlane (a JSON string). */
export function controlPlaneIdentifier(id: string, version = ''): string {
  return JSON.stringify({ Component: 'istiod', ID: id, Info: { version, revision: '', golang_version: '', status: '', tag: '' } });
}

/** Proxy id `pod.ns` → ns (what istiod has as node metadata NAMESPACE). */
function namespaceOfId(id: string): string {
  const dot = id.lastIndexOf('.');
  return dot < 0 ? '' : id.slice(dot + 1);
}

/**
 * istiod's HTTP /debug/syncz rows → the syncz DiscoveryResponse istioctl would have received from that istiod.
 * CDS/LDS/EDS/RDS are always watched by an Envoy; ECDS only when istiod reports extensionconfig nonces.
 */
export function synczToResponse(rows: SyncStatus[], istiod: { id: string; version?: string }): SyncResponse {
  const resources: ClientConfig[] = rows.map((r) => {
    const metadata: JsonObject = {};
    if (r.cluster_id) metadata.CLUSTER_ID = r.cluster_id;
    if (r.istio_version) metadata.ISTIO_VERSION = r.istio_version;
    const ns = namespaceOfId(r.proxy ?? '');
    if (ns) metadata.NAMESPACE = ns;
    const configs: GenericXdsConfig[] = [
      { typeUrl: TYPE_URL.CDS, configStatus: nonceStatus(r.cluster_sent, r.cluster_acked) },
      { typeUrl: TYPE_URL.LDS, configStatus: nonceStatus(r.listener_sent, r.listener_acked) },
      { typeUrl: TYPE_URL.RDS, configStatus: nonceStatus(r.route_sent, r.route_acked) },
      { typeUrl: TYPE_URL.EDS, configStatus: nonceStatus(r.endpoint_sent, r.endpoint_acked) },
    ];
    if ('extensionconfig_sent' in r || 'extensionconfig_acked' in r) {
      configs.push({ typeUrl: TYPE_URL.ECDS, configStatus: nonceStatus(r.extensionconfig_sent, r.extensionconfig_acked) });
    }
    return { '@type': CLIENT_CONFIG_TYPE, node: { id: r.proxy, metadata }, genericXdsConfigs: configs };
  });
  return {
    resources,
    typeUrl: CLIENT_CONFIG_TYPE,
    controlPlane: { identifier: controlPlaneIdentifier(istiod.id, istiod.version) },
  };
}

/** istiod's answer as read from HTTP: the nonce rows, or already a syncz DiscoveryResponse (newer istiods). */
export function toSyncResponse(body: unknown, istiod: { id: string; version?: string }): SyncResponse {
  if (Array.isArray(body)) return synczToResponse(body as SyncStatus[], istiod);
  if (isObj(body) && Array.isArray(body.resources)) return body as SyncResponse;
  throw new Error(`istiod's /debug/syncz is neither a list of proxies nor a DiscoveryResponse`);
}

/** The control plane instance named in a response (istioctl's CpInfo): MISSING / INVALID when absent or unreadable. */
export function istiodOf(r: SyncResponse): { id: string; version: string } {
  const identifier = field(field(r, 'controlPlane', 'control_plane') as JsonObject | undefined, 'identifier', 'identifier');
  if (identifier === undefined) return { id: 'MISSING', version: '1.3?' };
  try {
    const cp = JSON.parse(String(identifier)) as { ID?: unknown; Info?: { version?: unknown } };
    if (!isObj(cp)) throw new Error('not an object');
    return { id: String(cp.ID ?? ''), version: String(cp.Info?.version ?? '') };
  } catch {
    return { id: 'INVALID', version: '1.3?' };
  }
}

function clientConfigs(r: SyncResponse): ClientConfig[] {
  const list = field(r, 'resources', 'resources');
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is ClientConfig => isObj(c) && (c['@type'] === undefined || c['@type'] === CLIENT_CONFIG_TYPE));
}

function metadataOf(c: ClientConfig): JsonObject {
  const m = c.node?.metadata;
  return isObj(m) ? m : {};
}

/** Node metadata NAMESPACE of a ClientConfig (what `--namespace` filters on). */
export function namespaceOf(c: ClientConfig): string {
  const ns = metadataOf(c).NAMESPACE;
  return typeof ns === 'string' ? ns : '';
}

/** A copy of the response that keeps only the proxies of `namespace` (istioctl's -o json|yaml filter). */
export function filterResponse(r: SyncResponse, namespace?: string): SyncResponse {
  if (!namespace) return r;
  const resources = (field(r, 'resources', 'resources') as unknown[] | undefined ?? [])
    .filter((c) => isObj(c) && namespaceOf(c as ClientConfig) === namespace);
  return { ...r, resources: resources as ClientConfig[] };
}

export interface TypeState { status: ConfigStatus; lastUpdated?: string }

/** One proxy as one istiod sees it. */
export interface ProxyStatusRow {
  proxy: string;
  cluster: string;
  istiod: string;
  version: string;
  namespace: string;
  /** Per type URL, in the order istiod listed them. */
  types: Map<string, TypeState>;
}

const STATUSES = new Set(['UNKNOWN', 'SYNCED', 'NOT_SENT', 'STALE', 'ERROR']);
function statusOf(g: GenericXdsConfig): ConfigStatus {
  const s = field(g, 'configStatus', 'config_status');
  if (typeof s === 'number') return (['UNKNOWN', 'SYNCED', 'NOT_SENT', 'STALE', 'ERROR'] as const)[s] ?? 'UNKNOWN';
  return typeof s === 'string' && STATUSES.has(s) ? (s as ConfigStatus) : 'UNKNOWN';
}

/** Every proxy of every istiod (keyed by istiod), merged and sorted by proxy id; `namespace` filters on NAMESPACE. */
export function proxyStatusRows(responses: Record<string, SyncResponse>, namespace?: string): ProxyStatusRow[] {
  const rows: ProxyStatusRow[] = [];
  for (const key of Object.keys(responses).sort()) {
    const r = responses[key];
    const cp = istiodOf(r);
    for (const c of clientConfigs(r)) {
      if (namespace && namespaceOf(c) !== namespace) continue;
      const md = metadataOf(c);
      const types = new Map<string, TypeState>();
      const generic = field(c, 'genericXdsConfigs', 'generic_xds_configs');
      for (const g of Array.isArray(generic) ? generic : []) {
        if (!isObj(g)) continue;
        const url = String(field(g, 'typeUrl', 'type_url') ?? '');
        const lastUpdated = field(g, 'lastUpdated', 'last_updated');
        types.set(url, { status: statusOf(g), ...(typeof lastUpdated === 'string' ? { lastUpdated } : {}) });
      }
      rows.push({
        proxy: String(c.node?.id ?? ''),
        cluster: typeof md.CLUSTER_ID === 'string' ? md.CLUSTER_ID : '',
        istiod: cp.id,
        version: typeof md.ISTIO_VERSION === 'string' ? md.ISTIO_VERSION : '',
        namespace: namespaceOf(c),
        types,
      });
    }
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort((a, b) => cmp(a.proxy, b.proxy) || cmp(a.istiod, b.istiod) || cmp(a.cluster, b.cluster));
}

/** Types a proxy subscribes to (status known): CDS, LDS, EDS, RDS first, then the others by type URL. */
export function subscribedTypes(row: ProxyStatusRow): string[] {
  const urls = [...row.types].filter(([, t]) => t.status !== 'UNKNOWN').map(([u]) => u);
  const core = [TYPE_URL.CDS, TYPE_URL.LDS, TYPE_URL.EDS, TYPE_URL.RDS] as string[];
  const others = urls.filter((u) => !core.includes(u)).sort();
  return [...core.filter((u) => urls.includes(u)), ...others].map(shortType);
}

/** The verbose columns: the types seen on any row plus CDS/LDS/EDS/RDS/ECDS, ordered by full type URL. */
export function verboseTypes(rows: ProxyStatusRow[]): string[] {
  const urls = new Set<string>([TYPE_URL.CDS, TYPE_URL.LDS, TYPE_URL.EDS, TYPE_URL.RDS, TYPE_URL.ECDS]);
  for (const r of rows) for (const u of r.types.keys()) urls.add(u);
  return [...urls].sort();
}

/** kubectl's human age (k8s.io/apimachinery duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(seconds / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** One verbose cell: IGNORED (not subscribed), NOT SENT, or the status with the age of its last update. */
export function statusCell(t: TypeState | undefined, now: Date): string {
  if (!t || t.status === 'UNKNOWN') return 'IGNORED';
  if (t.status === 'NOT_SENT') return 'NOT SENT';
  if (t.lastUpdated === undefined) return t.status;
  const at = Date.parse(t.lastUpdated);
  return Number.isNaN(at) ? t.status : `${t.status} (${humanDuration(now.getTime() - at)})`;
}
