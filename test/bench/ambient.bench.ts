// Ambient benches. Budgets: `zc all` on a 50 MB ztunnel dump ≤ 1.5 × JSON.parse of the same bytes; the join (with
// ambient enrollment, ztunnel dumps and the tree) of 20,000 ambient workloads across 10 contexts ≤ 1.0 × load time
// (the join budget of join.bench.ts).
import { readFileSync } from 'node:fs';
import type { Report } from './run.js';
import { ensureAmbientSnapshot, ensureLargeZtunnelDump } from './gen-ambient.js';
import { allTablesOutput } from '../../src/cli/zc-all.js';
import { loadSnapshotFolder } from '../../src/sources/snapshot.js';
import { joinMesh } from '../../src/mesh/join.js';
import { buildMeshTree } from '../../src/mesh/tree.js';
import { buildAmbient } from '../../src/mesh/ambient.js';

function best(fn: () => void, runs = 3): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

async function bestAsync(fn: () => Promise<void>, runs = 3): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export async function run(report: Report): Promise<void> {
  const file = ensureLargeZtunnelDump();
  const text = readFileSync(file, 'utf8');
  // One warm-up round each, as the other benches: the first `zc all` in a process also starts its worker thread.
  JSON.parse(text);
  const parse = best(() => { JSON.parse(text); });
  // What `meshscope zc all -f FILE` does once the file is read (the line count is not part of it).
  let out = '';
  const zcAll = async () => { out = await allTablesOutput(text, file, { now: new Date('2026-01-01T00:00:00Z') }); };
  await zcAll();
  const zc = await bestAsync(zcAll);
  const lines = out.split('\n').length;
  report({ name: `ambient: zc all on a ${(text.length / 1e6).toFixed(0)} MB ztunnel dump (${lines} lines)`, value: zc, unit: 'ms', ratio: zc / parse, reference: 'JSON.parse (budget 1.5)' });

  const dir = ensureAmbientSnapshot();
  const t0 = performance.now();
  const input = await loadSnapshotFolder(dir);
  const load = performance.now() - t0;
  const t1 = performance.now();
  const ambient = buildAmbient(input.contexts);
  const mesh = joinMesh(input);
  buildMeshTree(mesh);
  const join = performance.now() - t1;
  const pods = [...ambient.contexts.values()].reduce((n, c) => n + [...c.pods.values()].filter((p) => p.mode.startsWith('ambient')).length, 0);
  report({ name: `ambient: enrollment + join + tree, ${pods} ambient workloads in ${input.contexts.length} contexts`, value: join, unit: 'ms', ratio: join / load, reference: 'load (budget 1.0)' });
}
