// The TUI on the real demo mesh (fixtures/demo → load → join → tree → MeshData adapter), via ink-testing-library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadMesh } from '../src/sources/load.js';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { meshData } from '../src/cli/tui.js';
import { KEYS, start } from './ui-support.js';

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
  assert.match(ui.frame(), /│vs reviews -n default @cluster-a/);
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
