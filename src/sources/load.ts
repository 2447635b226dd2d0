// Chooses the source from the global flags: a snapshot folder (--fixtures) or live clusters.
import type { GlobalOptions } from '../cli/global.js';
import { UsageError, UserError } from '../cli/errors.js';
import type { MeshInput } from '../model/context.js';
import { loadSnapshotFolder } from './snapshot.js';

export async function loadMesh(opts: GlobalOptions): Promise<MeshInput> {
  if (opts.fixtures) {
    if (opts.kubeconfig) {
      throw new UsageError(`--kubeconfig applies to live clusters and cannot be combined with --fixtures ${opts.fixtures}; drop one of them`);
    }
    return loadSnapshotFolder(opts.fixtures, { contexts: opts.context, namespace: opts.namespace });
  }
  throw new UserError(
    'live clusters are not supported yet: read a snapshot folder with --fixtures DIR (for example --fixtures fixtures/demo)',
  );
}
