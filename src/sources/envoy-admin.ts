// Envoy admin over port-forward, the way istioctl reads it: the kube API port-forwards to the pod's admin port
// (15000, or the proxyAdminPort the pod declares) and a plain HTTP GET travels through it. Envoy admin listens on
// 127.0.0.1 inside the pod, so the pods/proxy subresource cannot reach it.
import { request as httpRequest } from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import type { ProxyDump } from '../model/context.js';
import type { KubeObject } from '../model/resources.js';
import type { KubeClient } from './kube/client.js';
import { openKubeClient, type OpenClientOptions } from './kube/open-client.js';
import { KubeRequestError, transportError } from './kube/errors.js';
import { formatDuration } from './kube/duration.js';
import { DEFAULT_MAX_DUMP_BYTES, overCapMessage, resolveLimits } from './limits.js';

export interface ProxyFetchOptions {
  /** Refuse a response larger than this (bytes). Default: resolveLimits() (512 MiB, --max-dump-size). */
  sizeCapBytes?: number;
  /** Overrides the admin port found on the pod. */
  adminPort?: number;
  /** Connect and idle timeout (ms). Default: the client's request timeout. */
  timeoutMs?: number;
  /** Skip /clusters?format=json. */
  skipClusters?: boolean;
}

export const DEFAULT_DUMP_CAP = DEFAULT_MAX_DUMP_BYTES;
export const DEFAULT_PROXY_CONCURRENCY = 4;

/** The Envoy admin port a pod declares: proxy.istio.io/config proxyAdminPort, the --proxyAdminPort arg, else 15000. */
export function adminPortOf(pod: KubeObject): number {
  const ann = pod.metadata.annotations?.['proxy.istio.io/config'];
  const m = ann ? /proxyAdminPort["']?\s*:\s*(\d+)/.exec(ann) : null;
  if (m) return Number(m[1]);
  const proxy = (pod.spec?.containers as { name: string; args?: string[] }[] | undefined)?.find((c) => c.name === 'istio-proxy');
  const args = proxy?.args ?? [];
  const i = args.findIndex((a) => a === '--proxyAdminPort' || a.startsWith('--proxyAdminPort='));
  if (i >= 0) {
    const v = args[i].includes('=') ? args[i].split('=')[1] : args[i + 1];
    if (v && /^\d+$/.test(v)) return Number(v);
  }
  return 15000;
}

export function hasSidecar(pod: KubeObject): boolean {
  return Boolean((pod.spec?.containers as { name: string }[] | undefined)?.some((c) => c.name === 'istio-proxy'));
}

/** Gateway pods: an istio-proxy container running as router, or the usual gateway labels. */
export function isGatewayPod(pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  const proxy = (pod.spec?.containers as { name: string; args?: string[] }[] | undefined)?.find((c) => c.name === 'istio-proxy');
  if (!proxy) return false;
  if (proxy.args?.includes('router')) return true;
  return /gateway/.test(labels.istio ?? '') || 'gateway.networking.k8s.io/gateway-name' in labels || labels['istio.io/gateway-name'] !== undefined;
}

/**
 * GETs an Envoy admin path in a pod through a port-forward. Resolves the body text; rejects with a one-line
 * KubeRequestError (port-forward refused, HTTP status, size cap, timeout, connection lost).
 */
export async function adminGet(client: KubeClient, namespace: string, pod: string, port: number, path: string, opts: ProxyFetchOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? client.timeoutMs;
  const cap = opts.sizeCapBytes ?? resolveLimits().maxDumpBytes;
  const toPod = new PassThrough();
  const fromPod = new PassThrough();
  const errText: Buffer[] = [];
  const errStream = new PassThrough();
  errStream.on('data', (d: Buffer) => errText.push(d));
  let ws: { close(): void; on?(ev: string, fn: (...a: unknown[]) => void): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const cleanup = () => { clearTimeout(timer); try { ws?.close(); } catch { /* already closed */ } };
  const where = `port-forward to pod ${namespace}/${pod} port ${port}`;
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string, kind: 'timeout' | 'network' | 'protocol' | 'http' = 'network', status?: number) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new KubeRequestError(reason, kind, status));
    };
    const arm = () => {
      clearTimeout(timer);
      if (timeoutMs > 0) timer = setTimeout(() => fail(`${where}: timeout after ${formatDuration(timeoutMs)}`, 'timeout'), timeoutMs);
    };
    arm();
    const forwarder = client.portForwarder();
    const started = performance.now();
    forwarder.portForward(namespace, pod, [port], fromPod, errStream, toPod).then((sock) => {
      client.noteForwardOpen(namespace, pod, performance.now() - started);
      ws = (typeof sock === 'function' ? sock() : sock) as typeof ws;
      if (settled) { cleanup(); return; }
      ws?.on?.('close', () => setTimeout(() => {
        const e = Buffer.concat(errText).toString('utf8').trim();
        fail(e ? `${where}: ${e.split('\n')[0]}` : `${where}: connection closed before the response was complete`);
      }, 20));
      const socket = Duplex.from({ readable: fromPod, writable: toPod });
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers: { connection: 'close', accept: 'application/json' }, createConnection: () => socket as never });
      req.on('error', (err) => fail(`${where}: ${err.message}`));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          arm();
          size += c.length;
          if (size > cap) { res.destroy(); fail(overCapMessage(`Envoy admin ${path.split('?')[0]} of pod ${namespace}/${pod}`, undefined, cap), 'protocol'); return; }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return fail(`Envoy admin ${path}: HTTP ${res.statusCode}${body.trim() ? `: ${body.trim().split('\n')[0].slice(0, 200)}` : ''}`, 'http', res.statusCode);
          settled = true;
          cleanup();
          resolve(body);
        });
        res.on('error', (err) => fail(`${where}: ${err.message}`));
      });
      req.end();
    }, (err: unknown) => {
      const e = err as { message?: string; error?: { message?: string } };
      const msg = e?.error?.message ?? e?.message ?? String(err);
      const status = /Unexpected server response: (\d+)/.exec(msg)?.[1];
      if (status === '401') return fail('unauthorized', 'http', 401);
      if (status === '403') return fail(`forbidden: cannot get pods/portforward in namespace ${namespace}`, 'http', 403);
      if (status === '404') {
        // The WebSocket error drops the server's Status; the same path without an upgrade gets the same answer
        // (kube-apiserver looks the pod's node up first), so ask it what it said: a missing pod, or a node it cannot reach.
        void refusalReason(client, namespace, pod, port).then((said) => fail(`${where}: refused by the API server: ${said}`, 'http', 404));
        return;
      }
      fail(`${where}: ${transportError(err, timeoutMs).reason}`);
    });
  });
}

/** What the API server answers to the port-forward path without an upgrade (its Status message), for a refusal. */
async function refusalReason(client: KubeClient, namespace: string, pod: string, port: number): Promise<string> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward`;
  try {
    await client.request('GET', path, { query: { ports: port }, retries: 0, what: { verb: 'get', resource: 'pods/portforward', namespace, name: pod } });
    return 'not found (404)';
  } catch (err) {
    const body = err instanceof KubeRequestError ? err.body : undefined;
    try {
      const message = (JSON.parse(body ?? '') as { message?: unknown }).message;
      if (typeof message === 'string' && message) return `${message} (404)`;
    } catch { /* not a Status */ }
    return err instanceof KubeRequestError ? err.reason : `pod ${namespace}/${pod} not found`;
  }
}

/** Reads a pod (for its admin port) unless given. */
async function podObject(client: KubeClient, namespace: string, pod: string | KubeObject): Promise<KubeObject> {
  if (typeof pod !== 'string') return pod;
  const res = await client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`, { what: { verb: 'get', resource: 'pods', namespace, name: pod } });
  return res.body;
}

/**
 * config_dump?include_eds=true and clusters?format=json of one pod. Never rejects: failures are in `error`
 * (config dump) and `clustersError`.
 */
export async function fetchProxyDump(kube: KubeClient | OpenClientOptions, namespace: string, pod: string | KubeObject, opts: ProxyFetchOptions = {}): Promise<ProxyDump> {
  const podName = typeof pod === 'string' ? pod : pod.metadata.name;
  let client: KubeClient;
  try {
    client = 'request' in kube ? kube : await openKubeClient(kube);
  } catch (err) {
    return { context: 'context' in kube ? kube.context ?? '' : '', namespace, pod: podName, error: err instanceof Error ? err.message : String(err) };
  }
  const out: ProxyDump = { context: client.context, namespace, pod: podName, fetchedAt: new Date() };
  let port: number;
  try {
    port = opts.adminPort ?? adminPortOf(await podObject(client, namespace, pod));
  } catch (err) {
    out.error = transportError(err, client.timeoutMs).reason;
    return out;
  }
  const get = (path: string) => adminGet(client, namespace, podName, port, path, opts);
  const [dump, clusters] = await Promise.allSettled([get('/config_dump?include_eds=true'), opts.skipClusters ? Promise.resolve(undefined) : get('/clusters?format=json')]);
  if (dump.status === 'fulfilled') {
    try { out.configDump = JSON.parse(dump.value); } catch { out.error = 'config_dump is not valid JSON (truncated?)'; }
  } else out.error = reasonOf(dump.reason);
  if (clusters.status === 'fulfilled') {
    if (clusters.value !== undefined) {
      try { out.clusters = JSON.parse(clusters.value); } catch { out.clustersError = 'clusters?format=json is not valid JSON (truncated?)'; }
    }
  } else out.clustersError = reasonOf(clusters.reason);
  return out;
}

function reasonOf(err: unknown): string {
  return err instanceof KubeRequestError ? err.reason : err instanceof Error ? err.message : String(err);
}

/** Fetches several pods with a concurrency limit, the slowest to reach first; one result per pod, in input order. */
export async function fetchProxyDumps(client: KubeClient, pods: KubeObject[], opts: ProxyFetchOptions & { concurrency?: number } = {}): Promise<ProxyDump[]> {
  const out: ProxyDump[] = new Array(pods.length);
  const order = client.slowestFirst(pods.map((p) => ({ namespace: p.metadata.namespace ?? 'default', pod: p.metadata.name })));
  let next = 0;
  const worker = async () => {
    while (next < pods.length) {
      const i = order[next++]!;
      const p = pods[i];
      out[i] = await fetchProxyDump(client, p.metadata.namespace ?? 'default', p, opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? DEFAULT_PROXY_CONCURRENCY, pods.length) }, worker));
  return out;
}
