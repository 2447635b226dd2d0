// Public surface of the live kube source.
import { KubeClient } from './client.js';
import { parseDuration } from './duration.js';
import { loadKubeconfig, selectContexts } from './kubeconfig.js';

export { KubeClient, k8s, timeoutMiddleware } from './client.js';
export type { RequestOptions, KubeResponse, KubeClientOptions } from './client.js';
export { KubeRequestError } from './errors.js';
export { parseDuration, formatDuration } from './duration.js';
export { loadKubeconfig, selectContexts, kubeconfigPaths, contextInfo } from './kubeconfig.js';
export type { MergedKubeconfig, ContextInfo } from './kubeconfig.js';
export { loadLiveContexts, loadLiveContext, liveStateOf, resolveContexts } from './load.js';
export type { LiveLoadOptions, LiveState } from './load.js';
export { watchLiveContexts } from './watch.js';
export type { LiveChange, WatchHandle } from './watch.js';
export { CORE_KINDS, istioKinds, listPath, objectPath, ISTIO_VERSIONS } from './kinds.js';
export type { LiveKind } from './kinds.js';

export interface OpenClientOptions {
  kubeconfig?: string;
  /** Default: current-context. */
  context?: string;
  /** kubectl duration, default 10s. */
  requestTimeout?: string;
  env?: NodeJS.ProcessEnv;
}

/** A client for one context (e.g. for `pc VIEW POD.NS --context C` or a weight PATCH). */
export async function openKubeClient(opts: OpenClientOptions = {}): Promise<KubeClient> {
  const kc = loadKubeconfig(opts.kubeconfig, opts.env);
  const [name] = selectContexts(kc, opts.context ? [opts.context] : []);
  return KubeClient.create(kc, name, { timeoutMs: parseDuration(opts.requestTimeout ?? '10s') });
}
