// The TUI on the real demo mesh (fixtures/demo → load → join → tree → MeshData adapter), via ink-testing-library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadMesh } from '../src/sources/load.js';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { meshData } from '../src/app/data-adapter.js';
import { KEYS, start } from './ui-support.js';
import { repoRoot, snapshotApp } from './ui-demo-support.js';
import { resolve } from 'node:path';

async function demo() {
  const input = await loadMesh({ fixtures: 'fixtures/demo', context: [], readOnly: true });
  const mesh = joinMesh(input);
  return meshData(input, mesh, buildMeshTree(mesh), { source: 'fixtures/demo', readOnly: true, refresh: () => {}, yaml, views });
}

test('first render of the demo; /rev Enter finds the reviews VirtualService with its jason rule', async () => {
  const ui = await start(await demo(), { columns: 120, rows: 40 });
  let f = ui.frame();
  assert.match(f, /fixtures\/demo/);
  assert.match(f, /READ-ONLY/);
  assert.match(f, /● cluster-a \d+ objects \d+ proxies/);
  assert.match(f, /● cluster-b \d+ objects \d+ proxies/);
  assert.match(f, /▾ ctx cluster-a/);
  await ui.press('/', 'rev', KEYS.enter);
  assert.match(ui.frame(), /│›?vs reviews -n default @cluster-a/);
  await ui.press('l');
  f = ui.frame();
  assert.match(f, /jason/);
  assert.match(f, /reviews\.default\.global subset v2/);
  ui.unmount();
});

test('demo: :pc routes on a frontend pod shows the pc columns and the 90/10 demoapp split', async () => {
  const ui = await start(await demo(), { columns: 160, rows: 60 });
  await ui.press(':', 'pc routes frontend', KEYS.enter);
  let f = ui.frame();
  assert.match(f, /NAME\s+VHOST NAME\s+DOMAINS/);
  await ui.press('L', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'L', 'L');
  assert.match(ui.frame(), /MATCH\s+VIRTUAL SERVICE/, 'L scrolls the wide table');
  assert.match(ui.frame(), /demoapp\.app/);
  await ui.press('H', 'H', 'H', 'H', 'H', 'H', 'H', 'H', 'H', 'H');
  let seen = f;
  for (let i = 0; i < 8 && !/v2 90%, v2-canary 10%/.test(seen); i++) { await ui.press(KEYS.pgdn); seen += ui.frame(); }
  assert.match(seen, /demoapp\.app\.svc\.cluster\.local:8080 → v2 90%, v2-canary 10%/);
  ui.unmount();
});

test('demo at 80×24: every line fits', async () => {
  const ui = await start(await demo(), { columns: 80, rows: 24 });
  await ui.press('/', 'demoapp', KEYS.enter, 'l', KEYS.tab);
  for (const l of ui.frame().split('\n')) assert.ok([...l].length <= 80, `fits: ${l}`);
  assert.equal(ui.frame().split('\n').length, 23);
  ui.unmount();
});

test('? at 120×40 with every plugin: keys in columns, the command bar section visible without scrolling', async () => {
  const { data, plugins } = await snapshotApp(resolve(repoRoot, 'fixtures/demo'), { readOnly: true });
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('?');
  const f = ui.frame();
  for (const k of ['Everywhere', 'Tree', 'Details pane', 'Search (/)', 'Command bar (:)', 'Badges', ':pc VIEW POD', ':ctx NAME', 'fuzzy search']) {
    assert.ok(f.includes(k), `help shows ${k} at once:\n${f}`);
  }
  assert.match(f, / e +edit the weights/);
  assert.match(f, / ! +problems:/);
  assert.match(f, / t +trace a request/);
  assert.doesNotMatch(f, /j\/k PgUp\/PgDn scroll/, 'everything fits: no scrolling needed');
  assert.match(f, /^Everywhere {10,}\S/m, 'two columns side by side');
  for (const l of f.split('\n')) assert.ok([...l].length <= 120, `fits: ${l}`);
  assert.doesNotMatch(f, /…/, 'no text is cut');
  ui.unmount();
});

test('? at 80×24: one column, nothing cut, scrolling reaches the command bar and the badges', async () => {
  const { data, plugins } = await snapshotApp(resolve(repoRoot, 'fixtures/demo'), { readOnly: true });
  const ui = await start(data, { columns: 80, rows: 24 }, plugins);
  assert.match(ui.frame(), /\? help +q quit/, 'the footer keeps ? help at 80 columns');
  await ui.press('?');
  let seen = '';
  let f = ui.frame();
  assert.match(f, /lines 1-\d+ of \d+, j\/k PgUp\/PgDn scroll/);
  for (let i = 0; i < 6 && !/Badges/.test(seen); i++) {
    for (const l of f.split('\n')) {
      assert.ok([...l].length <= 80, `fits: ${l}`);
      assert.ok(!l.includes('…'), `not cut: ${l}`);
    }
    seen += f;
    await ui.press(KEYS.pgdn);
    f = ui.frame();
  }
  seen += f;
  for (const k of [':pc VIEW POD', ':ctx +NAME / -NAME', 'intent / Envoy drift', 'edit the weights']) assert.ok(seen.includes(k), `scrolling shows ${k}`);
  assert.equal(f.split('\n').length, 23);
  const last = /lines (\d+)-(\d+) of (\d+)/.exec(f)!;
  assert.equal(last[2], last[3], 'PgDn stops at the end');
  await ui.press('j', 'j', 'k');
  assert.match(ui.frame(), new RegExp(`lines ${Number(last[1]) - 1}-`), 'j past the end does not pile up: one k scrolls back');
  await ui.press('x');
  assert.doesNotMatch(ui.frame(), /Keys +any other key/);
  ui.unmount();
});
