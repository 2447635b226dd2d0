// ztunnel admin over port-forward, as istioctl ztunnel-config reads it: GET /config_dump on port 15000.
import type { KubeObject } from '../model/resources.js';
import type { ZtunnelDumpFile } from '../model/context.js';
import type { KubeClient } from './kube/client.js';
import { adminGet, type ProxyFetchOptions } from './envoy-admin.js';
import { KubeRequestError } from './kube/errors.js';
import { isZtunnelPod } from '../model/ztunnel/pick.js';

export const ZTUNNEL_ADMIN_PORT = 15000;

/** The /config_dump text of one ztunnel pod; rejects with a one-line KubeRequestError. */
export async function fetchZtunnelConfigDump(client: KubeClient, namespace: string, pod: string, opts: ProxyFetchOptions = {}): Promise<string> {
  return adminGet(client, namespace, pod, opts.adminPort ?? ZTUNNEL_ADMIN_PORT, '/config_dump', opts);
}

async function listPods(client: KubeClient, namespace: string, labelSelector?: string): Promise<KubeObject[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const res = await client.request<{ items?: KubeObject[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods${q}`, { what: { verb: 'list', resource: 'pods', namespace } });
  return (res.body.items ?? []).map((p) => ({ ...p, kind: 'Pod', apiVersion: 'v1' }));
}

/** The pods a ztunnel pick needs: the Istio namespace's ztunnels and, when named, the argument's pod. */
export async function listZtunnelPickPods(client: KubeClient, istioNamespace: string, podArg: string | undefined, namespaceFlag: string | undefined): Promise<KubeObject[]> {
  const pods = await listPods(client, istioNamespace, 'app=ztunnel');
  if (podArg && !podArg.includes('/')) {
    const dot = podArg.lastIndexOf('.');
    const name = dot > 0 ? podArg.slice(0, dot) : podArg;
    const namespace = dot > 0 ? podArg.slice(dot + 1) : namespaceFlag || istioNamespace;
    if (!pods.some((p) => p.metadata.name === name && p.metadata.namespace === namespace)) {
      try {
        const res = await client.request<KubeObject>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`, { what: { verb: 'get', resource: 'pods', namespace, name } });
        pods.push({ ...res.body, kind: 'Pod', apiVersion: 'v1' });
      } catch (err) {
        if (!(err instanceof KubeRequestError && err.status === 404)) throw err;
      }
    }
  }
  return pods;
}

/** The ztunnel pods among a context's objects (app=ztunnel, or named ztunnel… without an app label). */
export function ztunnelPodsOf(objects: { obj: KubeObject }[]): KubeObject[] {
  return objects.map((o) => o.obj).filter((p) => p.kind === 'Pod' && isZtunnelPod(p));
}

/** The /config_dump of each ztunnel pod, parsed as JSON (not interpreted). Never rejects: failures are in `error`. */
export async function fetchZtunnelDumps(client: KubeClient, pods: KubeObject[], opts: ProxyFetchOptions = {}): Promise<ZtunnelDumpFile[]> {
  const out: ZtunnelDumpFile[] = [];
  for (const p of pods) {
    const entry: ZtunnelDumpFile = { context: client.context, pod: p.metadata.name, ...(p.spec?.nodeName ? { node: p.spec.nodeName as string } : {}), fetchedAt: new Date() };
    try {
      entry.configDump = JSON.parse(await fetchZtunnelConfigDump(client, p.metadata.namespace ?? 'istio-system', p.metadata.name, opts));
    } catch (err) {
      entry.error = err instanceof KubeRequestError ? err.reason : err instanceof SyntaxError ? 'config_dump is not valid JSON (truncated?)' : err instanceof Error ? err.message : String(err);
    }
    out.push(entry);
  }
  return out;
}
