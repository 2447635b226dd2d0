// `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line) in turn.
// Each case prints one line: `name: value unit (ratio ×reference)`.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { sanitize } from '../../src/core/sanitize.js';

export interface BenchLine { name: string; value: number; unit: string; ratio?: number; reference?: string }
export type Report = (line: BenchLine) => void;

export function formatBenchLine(l: BenchLine): string {
  const v = l.value >= 100 ? l.value.toFixed(0) : l.value >= 10 ? l.value.toFixed(1) : l.value.toFixed(2);
  const tail = l.ratio === undefined ? '' : ` (${l.ratio.toFixed(2)} ×${l.reference ?? 'reference'})`;
  return `${l.name}: ${v} ${l.unit}${tail}`;
}

const here = dirname(fileURLToPath(import.meta.url));
const ONE = '--one';

if (process.argv[2] === ONE) {
  // Child: run one bench file, so its peak RSS and heap are its own.
  const f = process.argv[3]!;
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run: (report: Report) => Promise<void> };
  try {
    await mod.run((line) => console.log(formatBenchLine(line)));
  } catch (err) {
    console.log(`${f}: failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
} else {
  const only = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  let failed = false;
  for (const f of files) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ONE, f], {
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    // Only the bench lines: a case that drives a terminal may leave control sequences on stdout.
    process.stdout.write(sanitize(child.stdout ?? ''));
    process.stderr.write(sanitize(child.stderr ?? ''));
    if (child.status !== 0) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
