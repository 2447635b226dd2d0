// VirtualServiceApi on @kubernetes/client-node 1.4 (loaded lazily: snapshots never pay for it).
import type { KubeObject } from '../../model/resources.js';
import type { JsonPatchOp, VirtualServiceApi } from './live-writer.js';

export interface LiveAccess {
  api: VirtualServiceApi;
  /** The kubeconfig user name of the context (never a token or key). */
  user: string;
}

/** kubectl-style duration ("10s", "500ms", "1m", "0" = none) → milliseconds. */
export function parseTimeout(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] ?? 's'] as number);
  return n > 0 ? n : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A read (GET: idempotent) retried on 429, 5xx (not 501) and connection resets, at most `retries` times, with a
 * backoff of 100 ms, 200 ms, … or the server's Retry-After, capped at `capMs`. Writes never come through here.
 */
export async function retryRead<T>(read: () => Promise<T>, retries = 2, capMs = 1000): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const e = err as { code?: unknown; headers?: Record<string, string>; cause?: { code?: string } };
      const status = typeof e?.code === 'number' ? e.code : undefined;
      const reset = [e?.code, e?.cause?.code].some((c) => c === 'ECONNRESET' || c === 'EPIPE');
      const retryable = status === 429 || (status !== undefined && status >= 500 && status !== 501) || reset;
      if (!retryable || attempt >= retries) throw err;
      const ra = Number(e.headers?.['retry-after']);
      await sleep(Math.min(capMs, Number.isFinite(ra) && ra >= 0 ? ra * 1000 : 100 * 2 ** attempt));
    }
  }
}

/**
 * Access to VirtualServices in `context` through client-node's CustomObjectsApi. The kubeconfig is resolved as
 * kubectl does (--kubeconfig, else $KUBECONFIG merged, else ~/.kube/config) by src/sources/kube/kubeconfig.ts.
 */
export async function liveAccess(context: string, apiVersion: string, opts: { kubeconfig?: string; timeoutMs?: number } = {}): Promise<LiveAccess> {
  const { loadKubeconfig, contextInfo, singleContextYaml } = await import('../kube/kubeconfig.js');
  const { k8s, timeoutMiddleware } = await import('../kube/client.js');
  const merged = loadKubeconfig(opts.kubeconfig);
  const info = contextInfo(merged, context);
  const k = await k8s();
  const kc = new k.KubeConfig();
  kc.loadFromString(singleContextYaml(merged, context));
  const api = kc.makeApiClient(k.CustomObjectsApi);
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['networking.istio.io', apiVersion];
  const plural = 'virtualservices';
  const base = { middleware: [timeoutMiddleware(k, opts.timeoutMs ?? 10000)], middlewareMergeStrategy: 'append' as const };
  return {
    user: info.user || 'unknown',
    api: {
      async get(namespace: string, name: string): Promise<KubeObject> {
        return retryRead(async () => (await api.getNamespacedCustomObject({ group, version, namespace, plural, name }, base)) as KubeObject);
      },
      async patch(namespace: string, name: string, ops: JsonPatchOp[], dryRun: boolean): Promise<KubeObject> {
        // patchNamespacedCustomObject would pick merge-patch by default: set the JSON-patch content type explicitly.
        const options = k.setHeaderOptions('Content-Type', k.PatchStrategy.JsonPatch, base);
        return (await api.patchNamespacedCustomObject(
          { group, version, namespace, plural, name, body: ops, dryRun: dryRun ? 'All' : undefined, fieldManager: 'meshscope' },
          options,
        )) as KubeObject;
      },
    },
  };
}
