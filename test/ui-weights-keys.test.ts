// Keystrokes: on (a copy of) fixtures/demo, rolling demoapp's canary back to 0% takes at most 8 keys from
// start to the confirmation prompt, a search counting as the keys typed: / d e m Enter e 0 a.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, start } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { untilText } from './support/poll.js';

/** Polls the frame (the editor reads the file asynchronously). */
function until(frame: () => string, re: RegExp, ms = 20_000): Promise<string> {
  return untilText(frame, re, { timeoutMs: ms, intervalMs: 10 }).catch(() => frame());
}

test('/dem Enter e 0 a: 8 keys from start to the confirmation naming cluster-a, app, demoapp with the 10 → 0 diff', async () => {
  const dir = demoCopy();
  const file = join(dir, 'cluster-a/app/demoapp.yaml');
  const before = readFileSync(file, 'utf8');
  const { data, plugins } = await snapshotApp(dir);
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  const typed: string[] = [];
  const press = async (...k: string[]) => { typed.push(...k); await ui.press(...k); };
  await press('/', 'd', 'e', 'm');
  assert.match(ui.frame(), /Matches for "dem" \(\d+\)\s*\n.*│[ ›]vs app\/demoapp @cluster-a/, 'the demoapp VirtualService is the first match');
  await press(KEYS.enter);
  assert.match(ui.frame(), /│›?vs demoapp -n app @cluster-a/);
  await press('e');
  const editor = await until(ui.frame, /Edit weights/);
  assert.match(editor, /▸ demoapp\s+v2-canary\s+10 → 10/, 'the editor opens with the canary focused');
  await press('0', 'a');
  assert.equal(typed.length, 8, 'eight keys');
  const f = await until(ui.frame, /Apply to context/);
  const flat = f.replace(/[│╭╮╰╯]/g, ' ');
  assert.match(flat, /Apply to context cluster-a, namespace app, VirtualService demoapp\?/);
  assert.match(flat, /v2-canary\s+10 → 0 /, 'the canary row shows 10 → 0');
  assert.match(flat, /demoapp v2 90→100, demoapp v2-canary 10→0/);
  assert.match(flat, /subset: v2-canary\s*\n\s*- {6}weight: 10\s*\n\s*\+ {6}weight: 0\s*\n/, 'the diff turns the canary weight 10 into 0');
  assert.match(flat, /- {6}weight: 90\s*\n\s*\+ {6}weight: 100\s*\n/);
  assert.equal(readFileSync(file, 'utf8'), before, 'nothing is written before the confirmation');
  await ui.press('n');
  ui.unmount();
});
