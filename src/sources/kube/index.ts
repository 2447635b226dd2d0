// Public surface of the live kube source.
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
export { openKubeClient } from './open-client.js';
export type { OpenClientOptions } from './open-client.js';
