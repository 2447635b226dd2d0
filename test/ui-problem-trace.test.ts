// `t` in the `!` problem list: a trace through the finding's object opens at once, on the demo, asserted on frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { meshData } from '../src/app/data-adapter.js';
import { problemAndTracePlugins } from '../src/app/problems.js';
import { KEYS, start, type Driver } from './ui-support.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function demoUi(columns: number, rows: number): Promise<Driver> {
  const input = await loadSnapshotFolder(resolve(repoRoot, 'fixtures/demo'));
  const mesh = joinMesh(input);
  const data = meshData(input, mesh, buildMeshTree(mesh), { source: 'fixtures/demo', readOnly: true, refresh: () => {}, yaml, views });
  return start(data, { columns, rows }, await problemAndTracePlugins(mesh, { noColor: true }));
}

/** Moves the problem list's selection to the row matching `row`. */
async function selectProblem(ui: Driver, row: RegExp): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const sel = ui.frame().split('\n').find((l) => /›/.test(l) && /\[(IST|MS)\d{4}\]/.test(l)) ?? '';
    if (row.test(sel)) return;
    await ui.press('j');
  }
  assert.fail(`no problem row ${row} in\n${ui.frame()}`);
}

for (const [columns, rows] of [[120, 40], [80, 24]] as const) {
  test(`! then t on a VirtualService finding traces through it from a client pod (${columns}×${rows})`, async () => {
    const ui = await demoUi(columns, rows);
    await ui.press('!');
    assert.match(ui.frame(), /t: trace/);
    await selectProblem(ui, /IST0101/);
    await ui.press('t');
    const f = ui.frame();
    assert.match(f.replace(/[│\s]+/g, ' '), /trace from cluster-\w · pod \S+ · VirtualService default\/ratings/);
    assert.doesNotMatch(f, /Problems \(\d+\)/, 'the problem list gave way to the trace');
    for (const l of f.split('\n')) assert.ok([...l].length <= columns, `fits: ${l}`);
    assert.ok(f.split('\n').length <= rows, 'no taller than the terminal');
    ui.unmount();
  });
}

test('! then t on the stale-proxy finding (MS0201) traces through its VirtualService', async () => {
  const ui = await demoUi(120, 40);
  await ui.press('!');
  await selectProblem(ui, /MS0201/);
  await ui.press('t');
  assert.match(ui.frame().replace(/[│\s]+/g, ' '), /trace from cluster-a · pod \S+ · VirtualService app\/demoapp/);
  await ui.press(KEYS.esc);
  assert.doesNotMatch(ui.frame(), /trace from/);
  ui.unmount();
});
