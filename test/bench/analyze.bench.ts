// analyze over the 10-context large snapshot (test/bench/gen-large-snapshot.ts, shared with the join bench):
// join + every check, against the join alone. Target: ≤ 2× the join time.
import type { Report } from './run.js';
import { ensureLargeSnapshot } from './gen-large-snapshot.js';
import { loadSnapshotFolder } from '../../src/sources/snapshot.js';
import type { MeshInput } from '../../src/model/context.js';
import { joinMesh } from '../../src/mesh/join.js';
import { envoyParser } from '../../src/analyze/envoy-parser.js';
import { buildAnalysisInput } from '../../src/analyze/input.js';
import { runChecks } from '../../src/analyze/registry.js';

async function largeInput(): Promise<MeshInput> {
  return loadSnapshotFolder(ensureLargeSnapshot());
}

function best(times: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    f();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export async function run(report: Report): Promise<void> {
  const input = await largeInput();
  // Join once (timed), then the checks over that mesh (best of 2): analyze = join + checks.
  const t = performance.now();
  const mesh = joinMesh(input, { parser: envoyParser });
  const joinMs = performance.now() - t;
  let findings = 0;
  const checksMs = best(2, () => { findings = runChecks(buildAnalysisInput(input, { mesh })).length; });
  const analyzeMs = joinMs + checksMs;
  report({ name: `analyze ${input.contexts.length} contexts: join ${Math.round(joinMs)} ms + checks ${Math.round(checksMs)} ms (${findings} findings)`, value: analyzeMs, unit: 'ms', ratio: analyzeMs / joinMs, reference: 'join' });
}
