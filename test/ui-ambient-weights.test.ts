// The TUI's weight editor on the route a waypoint runs (demo cluster-b shop/cart, 90/10): `e` opens it, `0 a`
// drains the canary and asks for confirmation naming cluster-b, shop and cart; nothing is written before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { untilText } from './support/poll.js';
import { KEYS, start } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';

/** The frame (or file) once it matches; the shared poll's generous bound only stops a test that would hang. */
const until = (read: () => string, re: RegExp) => untilText(read, re, { timeoutMs: 10_000, intervalMs: 10 });

test('e on the waypoint-served VirtualService shop/cart edits its weights', async () => {
  const dir = demoCopy();
  const file = join(dir, 'cluster-b/shop/cart.yaml');
  const before = readFileSync(file, 'utf8');
  const { data, plugins } = await snapshotApp(dir);
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('/', 'c', 'a', 'r', 't');
  const matches = ui.frame();
  const lines = matches.split('\n');
  const vsLine = lines.findIndex((l) => /│[› ]vs shop\/cart @cluster-b/.test(l));
  assert.ok(vsLine >= 0, matches);
  const first = lines.findIndex((l) => /│[› ]\w+ [\w-]+\/[\w.-]+ @/.test(l));
  for (let i = first; i < vsLine; i++) await ui.press(KEYS.down);
  await ui.press(KEYS.enter);
  assert.match(ui.frame(), /│›?vs cart -n shop @cluster-b/);
  await ui.press('e');
  const editor = await until(ui.frame, /Edit weights/);
  assert.match(editor, /▸ cart\s+v2\s+10 → 10/, 'the editor opens on the canary');
  await ui.press('0', 'a');
  const f = (await until(ui.frame, /Apply to context/)).replace(/[│╭╮╰╯]/g, ' ');
  assert.match(f, /Apply to context cluster-b, namespace shop, VirtualService cart\?/);
  assert.match(f, /cart v1 90→100, cart v2 10→0/);
  assert.equal(readFileSync(file, 'utf8'), before);
  await ui.press('n');
  ui.unmount();
});
