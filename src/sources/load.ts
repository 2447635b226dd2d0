// Chooses the source from the global flags: a snapshot folder (--fixtures) or live clusters.
import type { GlobalOptions } from '../core/options.js';
import { UsageError } from '../core/errors.js';
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import { loadSnapshotFolder } from './snapshot.js';
import { resolveLimits } from './limits.js';

export async function loadMesh(opts: GlobalOptions, live?: LiveHooks): Promise<MeshInput> {
  const limits = resolveLimits(opts);
  if (opts.fixtures) {
    if (opts.kubeconfig) {
      throw new UsageError(`--kubeconfig applies to live clusters and cannot be combined with --fixtures ${opts.fixtures}; drop one of them`);
    }
    return loadSnapshotFolder(opts.fixtures, { contexts: opts.context, namespace: opts.namespace, limits });
  }
  // Live clusters: client-node is imported only on this branch.
  const { loadLiveContexts } = await import('./kube/load.js');
  const contexts = await loadLiveContexts({
    kubeconfig: opts.kubeconfig, contexts: opts.context, allContexts: opts.allContexts, namespace: opts.namespace,
    requestTimeout: opts.requestTimeout, gatewayProxies: true, onProgress: live?.onProgress, limits,
  });
  return { contexts };
}

/** Live-only hooks for loadMesh (the TUI header shows each context's progress). */
export interface LiveHooks { onProgress?: (snap: ContextSnapshot) => void }
