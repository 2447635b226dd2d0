// istiod's view of proxies, read through the istiod Service's proxy subresource on its monitoring port (15014):
// /debug/config_dump?proxyID=POD.NS (what istiod last sent) and /debug/syncz (sent/acked nonces per type).
// I/O only: the comparison lives in model/proxy-compare.ts (re-exported here) and the writers in format/proxy-*.ts.
import type { KubeClient } from './kube/client.js';
import { KubeRequestError } from './kube/errors.js';
import { nonceStatus, toSyncResponse, type SyncResponse, type SyncStatus } from '../model/proxy-status.js';
import type { SyncState, XdsType } from '../model/proxy-compare.js';
import type { LoadIssue } from '../model/context.js';

export { XDS_TYPES, compareProxy, dynamicResources } from '../model/proxy-compare.js';
export type { SyncState, XdsType } from '../model/proxy-compare.js';
export type { SyncStatus, SyncResponse } from '../model/proxy-status.js';

export interface IstiodTarget { namespace?: string; service?: string; port?: number }

function proxyPath(t: IstiodTarget, sub: string): string {
  const ns = t.namespace ?? 'istio-system';
  return `/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(t.service ?? 'istiod')}:${t.port ?? 15014}/proxy/${sub}`;
}

const what = (t: IstiodTarget) => ({ verb: 'get', resource: 'services/proxy', namespace: t.namespace ?? 'istio-system', name: t.service ?? 'istiod' });

/** "Service istio-system/istiod": the object istiod's debug endpoints are read through. */
const istiodService = (t: IstiodTarget) => `Service ${t.namespace ?? 'istio-system'}/${t.service ?? 'istiod'}`;

/**
 * A failed debug fetch says what was fetched and who refused it: a 403 with a Kubernetes Status is the API server's
 * RBAC; a 403 with any other body passed through the proxy is istiod's own answer.
 */
function fetchFailure(err: unknown, endpoint: string): unknown {
  if (!(err instanceof KubeRequestError)) return err;
  const fromIstiod = err.status === 403 && !isStatus(err.body);
  const said = fromIstiod ? `istiod answered 403${err.body?.trim() ? `: ${err.body.trim().split('\n')[0].slice(0, 200)}` : ''}` : err.reason;
  return new KubeRequestError(`${said} (GET ${endpoint})`, err.kind, err.status, err.body, err.retryAfterSeconds);
}

function isStatus(body: string | undefined): boolean {
  try {
    return (JSON.parse(body ?? '') as { kind?: unknown }).kind === 'Status';
  } catch {
    return false;
  }
}

/** A located issue of istiod's debug fetches: the context, istiod's Service, and what failed (the endpoint and the reason). */
export function istiodIssue(context: string, message: string, t: IstiodTarget = {}): LoadIssue {
  return { context, severity: 'warning', object: istiodService(t), message };
}

/** What istiod last sent to proxy `POD.NS`. Rejects with a KubeRequestError (404: not connected to this istiod). */
export async function fetchIstiodConfigDump(client: KubeClient, proxyId: string, t: IstiodTarget = {}): Promise<unknown> {
  const res = await client.request('GET', proxyPath(t, 'debug/config_dump'), { query: { proxyID: proxyId }, what: what(t) }).catch((err: unknown) => {
    if (err instanceof KubeRequestError && err.status === 404 && !isStatus(err.body)) throw new KubeRequestError(`istiod has no proxy ${proxyId} (not connected to this istiod?)`, 'http', 404);
    throw fetchFailure(err, `/debug/config_dump?proxyID=${proxyId}`);
  });
  if (typeof res.body !== 'object' || res.body === null) throw new KubeRequestError(`istiod's config_dump for ${proxyId} is not JSON`, 'protocol');
  return res.body;
}

/** istiod's /debug/syncz as it answers (a list of nonce rows; newer istiods may answer a DiscoveryResponse). */
async function fetchSynczBody(client: KubeClient, t: IstiodTarget): Promise<unknown> {
  const res = await client.request<unknown>('GET', proxyPath(t, 'debug/syncz'), { what: what(t) }).catch((err: unknown) => { throw fetchFailure(err, '/debug/syncz'); });
  if (typeof res.body !== 'object' || res.body === null) throw new KubeRequestError(`istiod's /debug/syncz is not JSON`, 'protocol');
  return res.body;
}

export async function fetchSyncz(client: KubeClient, t: IstiodTarget = {}): Promise<SyncStatus[]> {
  const body = await fetchSynczBody(client, t);
  if (!Array.isArray(body)) throw new KubeRequestError(`istiod's /debug/syncz is not a list`, 'protocol');
  return body as SyncStatus[];
}

/** The running istiod pods behind the Service (label app=istiod); the error when they cannot be listed. */
async function istiodPods(client: KubeClient, t: IstiodTarget): Promise<{ pods: string[]; error?: string }> {
  const ns = t.namespace ?? 'istio-system';
  try {
    const res = await client.request<{ items?: { metadata?: { name?: string; labels?: Record<string, string> }; status?: { phase?: string } }[] }>(
      'GET', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
      { query: { labelSelector: 'app=istiod' }, what: { verb: 'list', resource: 'pods', namespace: ns }, retries: 0 },
    );
    return {
      pods: (res.body.items ?? [])
        .filter((p) => p.metadata?.labels?.app === 'istiod' && (p.status?.phase ?? 'Running') === 'Running')
        .map((p) => p.metadata?.name ?? '').filter(Boolean),
    };
  } catch (err) {
    return { pods: [], error: `istiod pods (app=istiod) not listed: ${err instanceof Error ? err.message : String(err)}; istiod is named after its Service` };
  }
}

export interface IstiodSync {
  /** istioctl's syncz DiscoveryResponse of the istiod that answered. */
  response: SyncResponse;
  /** Running istiod replicas seen (the Service reaches one of them). */
  replicas: string[];
  /** Why the replicas are not known (their pods could not be listed). */
  replicasError?: string;
}

/**
 * istiod's sync status as istioctl's `istio.io/debug/syncz` answer. The istiod is named after its pod when one is
 * running (else after the Service, `istiod.istio-system`).
 */
export async function fetchSyncResponse(client: KubeClient, t: IstiodTarget = {}): Promise<IstiodSync> {
  const [body, { pods: replicas, error }] = await Promise.all([fetchSynczBody(client, t), istiodPods(client, t)]);
  const id = replicas.length === 1 ? replicas[0] : `${t.service ?? 'istiod'}.${t.namespace ?? 'istio-system'}`;
  try {
    return { response: toSyncResponse(body, { id }), replicas, ...(error ? { replicasError: error } : {}) };
  } catch (err) {
    throw new KubeRequestError(err instanceof Error ? err.message : String(err), 'protocol');
  }
}

/** syncz nonces → state: NOT SENT when nothing was sent, SYNCED when the ack matches, else STALE. */
export function syncStates(s: SyncStatus): Record<XdsType, SyncState> {
  const st = (sent?: string, acked?: string): SyncState => {
    const v = nonceStatus(sent, acked);
    return v === 'NOT_SENT' ? 'NOT SENT' : v === 'SYNCED' ? 'SYNCED' : 'STALE';
  };
  return {
    CDS: st(s.cluster_sent, s.cluster_acked), LDS: st(s.listener_sent, s.listener_acked),
    EDS: st(s.endpoint_sent, s.endpoint_acked), RDS: st(s.route_sent, s.route_acked),
  };
}
