// The demo's Gateway API story in the TUI at 120×40: `/` finds the HTTPRoute web/storefront, `e` opens the weight
// editor on it (proportions: weight as written and share), `0` rolls the canary to 0 with a diff of the route's
// file, `a` `y` write the demo copy, and `u` undoes it. All-zero is refused unless forced, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, start } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { untilText } from './support/poll.js';

const SIZE = { columns: 120, rows: 40 };

function until(frame: () => string, re: RegExp, ms = 20_000): Promise<string> {
  return untilText(frame, re, { timeoutMs: ms, intervalMs: 10 }).catch(() => frame());
}

/** `/storefront`, then down the matches to the HTTPRoute, Enter. */
async function toRoute(ui: Awaited<ReturnType<typeof start>>): Promise<void> {
  await ui.press('/', ...'storefront');
  for (let i = 0; i < 10 && !/│› ?\S*HTTPRoute web\/storefront @cluster-a/.test(ui.frame()); i++) await ui.press(KEYS.down);
  assert.match(ui.frame(), /│› ?\S*HTTPRoute web\/storefront @cluster-a shop\.example\.com/, ui.frame());
  await ui.press(KEYS.enter);
}

test('/ finds the HTTPRoute; e rolls its canary to 0 with a diff of the route\'s file; a y writes it; u undoes it', async () => {
  const dir = demoCopy();
  const file = join(dir, 'cluster-a/web/storefront.yaml');
  const before = readFileSync(file, 'utf8');
  const { data, plugins } = await snapshotApp(dir);
  const ui = await start(data, SIZE, plugins);
  await toRoute(ui);
  assert.match(ui.frame(), /^› *▸ HTTPRoute web\/storefront shop\.example\.com/m, 'the route is selected in the tree');
  await ui.press('e');
  let f = await until(ui.frame, /Edit weights/);
  assert.match(f, /Edit weights {2}cluster-a {2}web\/storefront {2}rules\[0\] canary/);
  assert.match(f, /backendRef weights are proportions/);
  assert.match(f, /storefront:8080\s+weight 9 → 9\s+90% → 90%/);
  assert.match(f, /▸ storefront-canary:8080\s+weight 1 → 1\s+10% → 10%/, 'the canary is focused');
  await ui.press('0');
  f = ui.frame();
  assert.match(f, /▸ storefront-canary:8080\s+weight 1 → 0\s+10% → 0%/);
  assert.match(f, /storefront:8080\s+weight 9 → 9\s+90% → 100%/, 'the other backendRef keeps its weight, its share grows');
  const flat = f.replace(/[│╭╮╰╯]/g, ' ');
  assert.match(flat, /storefront\.yaml/, 'the diff is of the route\'s file');
  assert.match(flat, /name: storefront-canary\s*\n\s*port: 8080\s*\n\s*- {6}weight: 1\s*\n\s*\+ {6}weight: 0\s*\n/, 'the diff turns the canary weight 1 into 0');
  assert.equal(readFileSync(file, 'utf8'), before, 'nothing written yet');
  await ui.press('a');
  f = await until(ui.frame, /Apply to context/);
  assert.match(f.replace(/[│╭╮╰╯]/g, ' '), /Apply to context cluster-a, namespace web, HTTPRoute storefront\?/);
  await ui.press('y');
  f = await until(ui.frame, /✓/);
  assert.match(f, /✓ .*cluster-a/);
  const written = readFileSync(file, 'utf8');
  assert.notEqual(written, before);
  assert.match(written, /name: storefront-canary\n {6}port: 8080\n {6}weight: 0\n/);
  assert.equal(written.replace(/(name: storefront-canary\n {6}port: 8080\n {6}weight: )0\n/, '$11\n'), before, 'only the canary weight changed');

  // u on the result prepares the undo, y applies it: the file is back.
  await ui.press('u');
  f = await until(ui.frame, /Undo in context cluster-a, namespace web, HTTPRoute storefront/);
  assert.match(f, /Undo in context cluster-a, namespace web, HTTPRoute storefront/, f);
  await ui.press('y');
  await until(ui.frame, /✓/);
  for (let i = 0; i < 200 && readFileSync(file, 'utf8') !== before; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(readFileSync(file, 'utf8'), before, 'the undo restores the file');
  ui.unmount();
});

test('e on a backendRef: every weight at 0 is refused with the reason until f forces it', async () => {
  const dir = demoCopy();
  const { data, plugins } = await snapshotApp(dir, { readOnly: true });
  const ui = await start(data, SIZE, plugins);
  await toRoute(ui);
  await ui.press('e');
  await until(ui.frame, /Edit weights/);
  await ui.press('0', KEYS.up, '0');
  let f = ui.frame();
  assert.match(f, /every backendRef would have weight 0, so istiod answers every request with HTTP 500/);
  assert.match(f, /f forces it anyway/);
  await ui.press('f');
  f = ui.frame();
  assert.doesNotMatch(f, /istiod answers every request with HTTP 500/);
  assert.match(f, /forced: every backendRef at 0/);
  assert.match(f, /\+ {6}weight: 0/);
  ui.unmount();
});
