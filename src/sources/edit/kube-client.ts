// VirtualServiceApi on the live KubeClient (client-node loaded lazily: snapshots never pay for it).
import type { KubeObject } from '../../model/resources.js';
import type { JsonPatchOp, VirtualServiceApi } from './live-writer.js';

export interface LiveAccess {
  api: VirtualServiceApi;
  /** The kubeconfig user name of the context (never a token or key). */
  user: string;
  /** Per-request timeout of reads and writes (ms, 0 = none), from --request-timeout. */
  timeoutMs?: number;
}

/**
 * Access to VirtualServices in `context` through the same KubeClient that reads (src/sources/kube/client.ts): one
 * duration parser for --request-timeout (kubectl's format: `1m30s` is 90 s, `0` is none) and one retry policy (GETs
 * retried on 429/5xx/reset; a PATCH never). The kubeconfig is resolved as kubectl does.
 */
export async function liveAccess(context: string, apiVersion: string, opts: { kubeconfig?: string; requestTimeout?: string } = {}, kindName = 'VirtualService'): Promise<LiveAccess> {
  const { openKubeClient, objectPath, KubeRequestError } = await import('../kube/index.js');
  const client = await openKubeClient({ kubeconfig: opts.kubeconfig, context, requestTimeout: opts.requestTimeout });
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['networking.istio.io', apiVersion];
  const { KIND_SPECS } = await import('../kube/kinds.js');
  const spec = KIND_SPECS.find((k) => k.kind === kindName && k.group === group);
  if (!spec) throw new Error(`weights cannot edit ${kindName} (${apiVersion})`);
  const kind = { kind: spec.kind, plural: spec.plural, group, version, namespaced: true, istio: spec.istio };
  // The writer reads failures as { code: HTTP status, body: the server's Status, message }.
  const failure = (err: unknown) => (err instanceof KubeRequestError ? Object.assign(new Error(err.reason), { code: err.status, body: err.body }) : err);
  return {
    user: client.user || 'unknown',
    timeoutMs: client.timeoutMs,
    api: {
      async get(namespace: string, name: string): Promise<KubeObject> {
        try {
          const res = await client.request<KubeObject>('GET', objectPath(kind, namespace, name), { what: { verb: 'get', resource: kind.plural, group, namespace, name } });
          return res.body;
        } catch (err) { throw failure(err); }
      },
      async patch(namespace: string, name: string, ops: JsonPatchOp[], dryRun: boolean): Promise<KubeObject> {
        try {
          const res = await client.request<KubeObject>('PATCH', objectPath(kind, namespace, name), {
            body: ops, contentType: 'application/json-patch+json', query: { dryRun: dryRun ? 'All' : undefined, fieldManager: 'meshscope' },
            what: { verb: 'patch', resource: kind.plural, group, namespace, name },
          });
          return res.body;
        } catch (err) { throw failure(err); }
      },
    },
  };
}
