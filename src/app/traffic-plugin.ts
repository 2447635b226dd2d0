// The TUI's `s` key wired to its data: offline the recorded stats.json, live two reads of the proxies' counters.
import type { GlobalOptions } from '../core/options.js';
import type { MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { UiPlugin } from '../ui/types.js';
import { trafficPlugin } from '../ui/traffic/plugin.js';

export const TUI_SAMPLE_WINDOW_MS = 10_000;

export function trafficPluginFor(input: MeshInput, mesh: Mesh | undefined, globals: GlobalOptions): UiPlugin {
  const live = !globals.fixtures && input.contexts.some((c) => c.source.kind === 'live');
  return trafficPlugin({
    mesh,
    windowText: '10s',
    sample: live ? async (rules) => (await import('../app/traffic-live.js')).sampleLiveStats(input, rules, TUI_SAMPLE_WINDOW_MS) : undefined,
  });
}
