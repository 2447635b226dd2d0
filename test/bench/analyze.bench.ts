// analyze over the 10-context large snapshot (test/bench/gen-large-snapshot.ts, shared with the join bench):
// join + every check, against the join alone. Target: ≤ 2× the join time.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Report } from './run.js';
import type { MeshInput } from '../../src/model/context.js';
import { joinMesh } from '../../src/mesh/join.js';
import { envoyParser } from '../../src/analyze/envoy-parser.js';
import { buildAnalysisInput } from '../../src/analyze/model.js';
import { runChecks } from '../../src/analyze/registry.js';

const here = dirname(fileURLToPath(import.meta.url));

async function largeInput(): Promise<MeshInput> {
  const gen = join(here, 'gen-large-snapshot.ts');
  if (!existsSync(gen)) throw new Error('test/bench/gen-large-snapshot.ts (the join bench generator) is not there yet');
  const mod = (await import(pathToFileURL(gen).href)) as Record<string, unknown>;
  for (const name of ['generateLargeSnapshot', 'largeSnapshot', 'generateLargeMeshInput', 'default']) {
    const f = mod[name];
    if (typeof f === 'function') {
      const v = (await (f as () => unknown)()) as MeshInput | { input: MeshInput };
      return 'contexts' in v ? v : v.input;
    }
  }
  throw new Error(`gen-large-snapshot.ts exports none of generateLargeSnapshot/largeSnapshot/default (has: ${Object.keys(mod).join(', ')})`);
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
  const joinMs = best(3, () => { joinMesh(input, { parser: envoyParser }); });
  let findings = 0;
  const analyzeMs = best(3, () => {
    const mesh = joinMesh(input, { parser: envoyParser });
    findings = runChecks(buildAnalysisInput(input, { mesh })).length;
  });
  report({ name: `analyze ${input.contexts.length} contexts (join + all checks, ${findings} findings)`, value: analyzeMs, unit: 'ms', ratio: analyzeMs / joinMs, reference: 'join' });
}
