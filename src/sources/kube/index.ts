// Public surface of the live kube source.
export { KubeClient, k8s } from './client.js';
export { KubeRequestError } from './errors.js';
export { parseDuration } from './duration.js';
export { loadKubeconfig, selectContexts } from './kubeconfig.js';
export { loadLiveContexts, liveStateOf, resolveContexts } from './load.js';
export { watchLiveContexts } from './watch.js';
export type { LiveChange } from './watch.js';
export { openKubeClient } from './open-client.js';
export { objectPath } from './kinds.js';
