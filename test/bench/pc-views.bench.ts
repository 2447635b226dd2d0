// pc-views: time to build the four proxy-config views (cluster, listener, route, eds) from a large parsed dump,
// against JSON.parse of the same bytes (budget: ≤ 1.5×).
import { readFileSync, statSync, existsSync } from 'node:fs';
import type { Report } from './run.js';
import { generateLargeDump } from './gen-large-dump.js';
import { parseConfigDump } from '../../src/model/envoy/parse.js';
import { clusterRows, edsRows, listenerRows, routeRows } from '../../src/model/envoy/views.js';
import { renderClusterTable, renderEdsTable, renderListenerTable, renderRouteTable } from '../../src/format/proxy-config.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function run(report: Report): Promise<void> {
  const file = join(tmpdir(), 'meshscope-large-dump-v2-5000.json');
  if (!existsSync(file)) await generateLargeDump({ file });
  const text = readFileSync(file, 'utf8');
  const mb = statSync(file).size / 1e6;
  const parseTimes: number[] = [];
  const viewTimes: number[] = [];
  let lines = 0;
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const raw = JSON.parse(text) as unknown;
    parseTimes.push(performance.now() - t);
    t = performance.now();
    const parsed = parseConfigDump(raw, file);
    const out = [
      renderClusterTable(clusterRows(parsed)),
      renderListenerTable(listenerRows(parsed)),
      renderRouteTable(routeRows(parsed)),
      renderEdsTable(edsRows(parsed)),
    ];
    viewTimes.push(performance.now() - t);
    lines = out.reduce((n, s) => n + s.split('\n').length - 1, 0);
  }
  const p = median(parseTimes);
  const v = median(viewTimes);
  report({ name: `JSON.parse (${mb.toFixed(0)} MB config dump)`, value: p, unit: 'ms' });
  report({ name: `pc-views (${lines} rows: cluster+listener+route+eds)`, value: v, unit: 'ms', ratio: v / p, reference: 'JSON.parse' });
}
