// The TUI on a snapshot folder as `meshscope --fixtures DIR` builds it: load → join → tree → MeshData adapter, with
// the same plugins (weights editor, problem list, trace). Audit log and config go to a temp folder.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadMesh } from '../src/sources/load.js';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { meshData } from '../src/app/data-adapter.js';
import { problemAndTracePlugins } from '../src/app/problems.js';
import { weightsPlugin } from '../src/ui/weights/plugin.js';
import { createWeightsEditorEnv } from '../src/app/weights-env.js';
import type { GlobalOptions } from '../src/core/options.js';
import type { MeshData, UiPlugin } from '../src/ui/types.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A throwaway copy of fixtures/demo (for tests that may write). */
export function demoCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-ui-demo-'));
  cpSync(join(repoRoot, 'fixtures/demo'), dir, { recursive: true });
  return dir;
}

export async function snapshotApp(dir: string, opts: { readOnly?: boolean } = {}): Promise<{ data: MeshData; plugins: UiPlugin[] }> {
  const readOnly = opts.readOnly ?? false;
  const globals: GlobalOptions = { fixtures: dir, context: [], readOnly };
  const input = await loadMesh(globals);
  const mesh = joinMesh(input);
  const data = meshData(input, mesh, buildMeshTree(mesh), { source: dir, readOnly, refresh: () => {}, yaml, views });
  const state = mkdtempSync(join(tmpdir(), 'meshscope-ui-state-'));
  const env = { XDG_STATE_HOME: state, XDG_CONFIG_HOME: state, HOME: state };
  const plugins = [weightsPlugin(createWeightsEditorEnv(input, globals, { env })), ...(await problemAndTracePlugins(mesh, { noColor: true }))];
  return { data, plugins };
}
