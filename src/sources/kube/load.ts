// Loads several live contexts concurrently and independently into ContextSnapshots. A slow, dead, unauthorized or
// Istio-less context never blocks the others; each says what failed (status error/partial with a one-line reason).
import type { ContextSnapshot, LoadIssue } from '../../model/context.js';
import type { KubeObject } from '../../model/resources.js';
import { KubeClient } from './client.js';
import { discoverKinds, kindFailureMessage, type Discovery } from './discovery.js';
import { parseDuration } from './duration.js';
import { KubeRequestError, transportError } from './errors.js';
import { objectPath, normalizeItem, type LiveKind } from './kinds.js';
import { loadKubeconfig, selectContexts, contextInfo, type MergedKubeconfig } from './kubeconfig.js';
import { listAll } from './list.js';
import { readCaConfigMaps } from './configmaps.js';
import { liveShapeIssue } from './validate.js';
import type { Limits } from '../limits.js';

export interface LiveLoadOptions {
  kubeconfig?: string;
  /** --context values (already split on commas). Empty: current-context. */
  contexts?: string[];
  allContexts?: boolean;
  namespace?: string;
  /** kubectl duration, default "10s". */
  requestTimeout?: string;
  /** Page size of lists (limit). Default 500. */
  pageSize?: number;
  /** Retries of idempotent reads on 429/5xx/reset. Default 2. */
  retries?: number;
  /** Called whenever a context's snapshot changes while loading (status, progress, objects). */
  onProgress?: (snap: ContextSnapshot) => void;
  /** Fetch Envoy dumps of gateway pods after the objects load (default false). */
  gatewayProxies?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Size and count bounds (sources/limits.ts); default: resolveLimits() of the environment. */
  limits?: Limits;
}

/** What later live operations (watch, refresh, proxy fetches) need for a loaded context. */
export interface LiveState {
  client: KubeClient;
  kinds: LiveKind[];
  namespace?: string;
  /** list resourceVersion per kind (for watches). */
  resourceVersions: Map<string, string>;
}

const liveStates = new WeakMap<ContextSnapshot, LiveState>();
export function liveStateOf(snap: ContextSnapshot): LiveState | undefined {
  return liveStates.get(snap);
}

/** Resolves the kubeconfig and the context names the options ask for (UserError when a name is unknown). */
export async function resolveContexts(opts: LiveLoadOptions): Promise<{ kubeconfig: MergedKubeconfig; names: string[] }> {
  const kubeconfig = await loadKubeconfig(opts.kubeconfig, opts.env);
  return { kubeconfig, names: selectContexts(kubeconfig, opts.contexts ?? [], opts.allContexts) };
}

/** Loads every selected context; never rejects for a per-context failure (that becomes status error). */
export async function loadLiveContexts(opts: LiveLoadOptions = {}): Promise<ContextSnapshot[]> {
  const timeoutMs = parseDuration(opts.requestTimeout ?? '10s');
  const { kubeconfig, names } = await resolveContexts(opts);
  return Promise.all(names.map((name) => loadLiveContext(kubeconfig, name, { ...opts, timeoutMs })));
}

export async function loadLiveContext(kubeconfig: MergedKubeconfig, name: string, opts: LiveLoadOptions & { timeoutMs: number }): Promise<ContextSnapshot> {
  const snap: ContextSnapshot = {
    name, source: { kind: 'live', server: contextInfo(kubeconfig, name).server }, objects: [], proxies: [], issues: [],
    status: 'loading', progress: { done: 0, total: 1 },
  };
  const report = () => opts.onProgress?.(snap);
  report();
  const fail = (reason: string) => {
    snap.status = 'error';
    snap.reason = reason;
    snap.issues.push({ context: name, severity: 'error', message: reason });
    snap.updatedAt = new Date();
    report();
    return snap;
  };
  let client: KubeClient;
  try {
    client = await KubeClient.create(kubeconfig, name, { timeoutMs: opts.timeoutMs, retries: opts.retries });
  } catch (err) {
    return fail(transportError(err, opts.timeoutMs).reason);
  }
  let discovery: Discovery;
  try {
    discovery = await discoverKinds(client);
  } catch (err) {
    return fail(transportError(err, opts.timeoutMs).reason);
  }
  snap.istioVersion = discovery.kinds.find((k) => k.kind === 'VirtualService' && k.group === 'networking.istio.io')?.version;
  if (discovery.absent.length > 0) snap.absent = discovery.absent;
  const kinds = discovery.kinds;
  const state: LiveState = { client, kinds, namespace: opts.namespace, resourceVersions: new Map() };
  liveStates.set(snap, state);
  snap.progress = { done: 1, total: 1 + kinds.length };
  report();

  // Each failure names the kind, its group and version: "EnvoyFilter (networking.istio.io/v1alpha3): forbidden".
  const failures: string[] = [];
  const reasons = new Set<string>();
  const kindFailed = (k: { kind: string; group: string }, version: string, reason: string) => {
    const message = kindFailureMessage(k, version, reason);
    failures.push(message);
    reasons.add(reason);
    snap.issues.push({ context: name, severity: 'error', message, resource: { group: k.group, kind: k.kind } });
  };
  for (const f of discovery.failures) kindFailed(f.spec, f.version, f.reason);
  const results = await Promise.all(kinds.map(async (k) => {
    try {
      const items = await listKind(client, k, opts.namespace, opts.pageSize, state, opts.limits?.maxObjects);
      return { k, items, ok: true };
    } catch (err) {
      kindFailed(k, k.version, transportError(err, opts.timeoutMs).reason);
      return { k, items: [] as KubeObject[], ok: false };
    } finally {
      snap.progress = { done: (snap.progress?.done ?? 0) + 1, total: 1 + kinds.length };
      report();
    }
  }));
  const listed = results.filter((r) => r.ok).length;
  // Keep a stable order (kind table order, then the server's order) whatever order the lists finished in. Objects
  // with fields of the wrong type are skipped with a located issue, as in snapshot files.
  const skipped: LoadIssue[] = [];
  for (const r of results) {
    for (const obj of r.items) {
      const bad = liveShapeIssue(name, obj);
      if (bad) skipped.push(bad);
      else snap.objects.push({ obj, origin: { context: name } });
    }
  }
  snap.issues.push(...skipped);
  // The CA bundles Gateway API objects name: GET each one (ConfigMaps are never listed).
  if (listed > 0) await readCaConfigMaps(client, snap, opts.namespace, opts.timeoutMs);
  if (skipped.length > 0) failures.push(`${skipped.length === 1 ? '1 object' : `${skipped.length} objects`} skipped (fields of the wrong type)`);
  if (listed === 0) {
    // Nothing listed: when every kind failed alike (a timeout, a refused connection), that is the context's reason.
    snap.status = 'error';
    snap.reason = reasons.size === 1 ? [...reasons][0] : failures[0];
  } else if (failures.length > 0) {
    snap.status = 'partial';
    snap.reason = failures.length > 1 ? `${failures[0]} (+${failures.length - 1} more)` : failures[0];
  } else {
    snap.status = 'ok';
  }
  snap.updatedAt = new Date();
  if (opts.gatewayProxies && snap.status !== 'error') {
    report(); // the objects are in: show them while the gateways' Envoy dumps are read
    const { fetchProxyDumps, isGatewayPod } = await import('../envoy-admin.js');
    const gws = snap.objects.filter((o) => o.obj.kind === 'Pod' && isGatewayPod(o.obj)).map((o) => o.obj);
    snap.proxies.push(...await fetchProxyDumps(client, gws, { sizeCapBytes: opts.limits?.maxDumpBytes }));
    for (const p of snap.proxies) if (p.error) snap.issues.push(proxyIssue(name, p.namespace, p.pod, p.error));
    const { fetchZtunnelDumps, ztunnelPodsOf } = await import('../ztunnel-admin.js');
    const ztunnelPods = ztunnelPodsOf(snap.objects);
    if (ztunnelPods.length > 0) {
      snap.ztunnels = await fetchZtunnelDumps(client, ztunnelPods, { sizeCapBytes: opts.limits?.maxDumpBytes });
      for (const z of snap.ztunnels) if (z.error) snap.issues.push({ context: name, severity: 'warning', object: `Pod istio-system/${z.pod}`, message: `ztunnel config not read: ${z.error}` });
    }
  }
  report();
  return snap;
}

export function proxyIssue(context: string, namespace: string, pod: string, error: string): LoadIssue {
  return { context, severity: 'warning', object: `Pod ${namespace}/${pod}`, message: `Envoy config not read: ${error}` };
}

async function listKind(client: KubeClient, k: LiveKind, namespace: string | undefined, pageSize: number | undefined, state: LiveState, maxObjects?: number): Promise<KubeObject[]> {
  if (k.kind === 'Namespace' && namespace) {
    // -n: read just that namespace (a namespaced user may not list namespaces).
    const res = await client.request<Record<string, unknown>>('GET', objectPath(k, undefined, namespace), { what: { verb: 'get', resource: 'namespaces', name: namespace } })
      .catch((err: unknown) => { if (err instanceof KubeRequestError && err.status === 404) return undefined; throw err; });
    return res ? [normalizeItem(k, 'v1', res.body)] : [];
  }
  const r = await listAll(client, k, namespace, pageSize, maxObjects);
  if (r.resourceVersion) state.resourceVersions.set(k.kind, r.resourceVersion);
  return r.items;
}
