// Live-cluster access of the TUI session: the sources it imports lazily (a snapshot never loads client-node) and the
// contexts resolved from the kubeconfig. Also the small text helpers the session modules share.
import type { GlobalOptions } from '../core/options.js';
import type { MergedKubeconfig } from '../sources/kube/kubeconfig.js';

export interface Live {
  load: typeof import('../sources/kube/load.js');
  watch: typeof import('../sources/kube/watch.js');
  envoy: typeof import('../sources/envoy-admin.js');
  istiod: typeof import('../sources/istiod.js');
  proxyDiff: typeof import('../format/proxy-diff.js');
  kubeconfig: MergedKubeconfig;
  timeoutMs: number;
}

/** Imports the live sources and resolves the selected contexts (a bad --context or kubeconfig throws). */
export async function openLive(globals: GlobalOptions): Promise<{ live: Live; names: string[] }> {
  const [load, watch, envoy, istiod, proxyDiff, duration] = await Promise.all([
    import('../sources/kube/load.js'), import('../sources/kube/watch.js'), import('../sources/envoy-admin.js'),
    import('../sources/istiod.js'), import('../format/proxy-diff.js'), import('../sources/kube/duration.js'),
  ]);
  const { kubeconfig, names } = await load.resolveContexts({ kubeconfig: globals.kubeconfig, contexts: globals.context, allContexts: globals.allContexts });
  const live = { load, watch, envoy, istiod, proxyDiff, kubeconfig, timeoutMs: duration.parseDuration(globals.requestTimeout ?? '10s') };
  return { live, names };
}

/** HH:MM:SS of a time (now when undefined). */
export const hms = (d: Date | undefined) => (d ?? new Date()).toTimeString().slice(0, 8);
export const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));
