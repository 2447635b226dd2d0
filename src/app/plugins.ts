// The later features' keys in the TUI (`e` weights, `!` problems, `t` trace): stand-ins from the first frame, then
// the real plugins once their modules are in (loaded after the first frame), rebuilt for each new mesh.
import type { GlobalOptions } from '../core/options.js';
import type { MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { UiPlugin } from '../ui/types.js';
import type { EditorEnvOptions } from './weights-env.js';

type Keys = typeof import('../ui/plugin-keys.js');

/** Builds the plugins of one loaded mesh, synchronously. */
export type PluginFactory = (input: MeshInput, mesh: Mesh | undefined) => UiPlugin[];

const WHAT = { weights: 'weight editor', problems: 'problem list', trace: 'trace form' };

/** Stand-ins for `e`, `!` and `t` while their modules load: each key opens its feature as soon as it is in. */
export function pendingPlugins(keys: Keys): UiPlugin[] {
  return [
    keys.pendingPlugin(keys.WEIGHTS_KEY, WHAT.weights),
    keys.pendingPlugin(keys.PROBLEMS_KEY, WHAT.problems),
    keys.pendingPlugin(keys.TRACE_KEY, WHAT.trace),
  ];
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: string };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then((value) => ({ ok: true as const, value }), (err: unknown) => ({ ok: false as const, error: message(err) }));

/**
 * Loads the features' modules once. A feature that fails to load (or to build) keeps its key, which says why; it is
 * never fatal.
 */
export async function loadPluginFactory(globals: GlobalOptions, keys: Keys, hooks: Pick<EditorEnvOptions, 'afterWrite'> = {}): Promise<PluginFactory> {
  const [weights, others, traffic] = await Promise.all([
    settle(Promise.all([import('../ui/weights/plugin.js'), import('./weights-env.js')])),
    settle(import('./problems.js').then((m) => m.problemAndTraceFactory())),
    settle(import('./traffic-plugin.js')),
  ]);
  const failed = (key: keyof typeof WHAT, error: string): UiPlugin => {
    if (process.env.MESHSCOPE_DEBUG) process.stderr.write(`${WHAT[key]} unavailable: ${error}\n`);
    return keys.pendingPlugin(key === 'weights' ? keys.WEIGHTS_KEY : key === 'problems' ? keys.PROBLEMS_KEY : keys.TRACE_KEY, WHAT[key], error);
  };
  return (input, mesh) => {
    const out: UiPlugin[] = [];
    if (weights.ok) {
      const [{ weightsPlugin }, { createWeightsEditorEnv }] = weights.value;
      try {
        out.push(weightsPlugin(createWeightsEditorEnv(input, globals, hooks)));
      } catch (err) {
        out.push(failed('weights', message(err)));
      }
    } else out.push(failed('weights', weights.error));
    let built: UiPlugin[] | string;
    try {
      built = others.ok ? others.value(mesh) : others.error;
    } catch (err) {
      built = message(err);
    }
    if (typeof built === 'string') out.push(failed('problems', built), failed('trace', built));
    else out.push(...built);
    if (traffic.ok) out.push(traffic.value.trafficPluginFor(input, mesh, globals));
    return out;
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
