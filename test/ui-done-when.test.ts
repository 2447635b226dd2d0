// On the demo at 120×40 as a new user: key budgets from launch, each a test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { untilText } from './support/poll.js';
import { KEYS, start, type Driver } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';

const SIZE = { columns: 120, rows: 40 };

function counter(ui: Driver) {
  const typed: string[] = [];
  return { typed, press: async (...k: string[]) => { typed.push(...k); await ui.press(...k); } };
}

/** The frame (or file) once it matches; the shared poll's generous bound only stops a test that would hang. */
const until = (read: () => string, re: RegExp) => untilText(read, re, { timeoutMs: 10_000, intervalMs: 10 });

test('0 keys: the landing screen names the stale frontend proxy and the demo faults', async () => {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, SIZE, plugins);
  const f = ui.frame();
  assert.match(f, /≠ stale proxy app\/frontend-7c55c868cf-p5rrv/);
  // The Gateway API fault (MS0403) is an error, so it takes a top line; the warnings (MS0007 among them) are under !.
  for (const code of ['IST0173', 'MS0202', 'MS0403', 'IST0101']) assert.match(f, new RegExp(`\\[${code}\\]`));
  assert.match(f, /…and 3 more \(!\)/);
  ui.unmount();
});

test('≤ 12 keys: the jason rule\'s destinations and their endpoints in cluster-b are on screen; ≤ 3 more keys: the trace verdict', async () => {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, SIZE, plugins);
  const k = counter(ui);
  await k.press('/', ...'jason', KEYS.enter);
  const f = ui.frame();
  assert.ok(k.typed.length <= 12, `${k.typed.length} keys`);
  assert.match(f, /│›?rule http\[0\] -n default @cluster-a/);
  assert.match(f, /reviews\.default\.global subset v2/);
  assert.match(f, /reviews\.default\.global subset v3/);
  assert.match(f, /✓ \[cluster-b\] reviews\.default v2 \(1\/1 ready\)\s*\n.*✓ {3}10\.244\.0\.13:9080 reviews-v2-65c4dc6fdc-bq7xh/);
  assert.match(f, /✓ \[cluster-b\] reviews\.default v3 \(1\/1 ready\)\s*\n.*✓ {3}10\.244\.1\.14:9080 reviews-v3-7bf8b6d4b9-m8r5t/);
  const before = k.typed.length;
  await k.press('t');
  await until(ui.frame, /trace from cluster-a/);
  await new Promise((r) => setTimeout(r, 50)); // the form reads keys once mounted
  await k.press(KEYS.enter);
  const v = await until(ui.frame, /verdict:/);
  assert.ok(k.typed.length - before <= 3);
  assert.match(v.replace(/[│\s]+/g, ' '), /\(lines 1-\d+ of \d+\) verdict: ✓ goes to reviews\.default\.svc\.cluster\.local subset v2 \[cluster-b\]/);
  ui.unmount();
});

test('≤ 10 keys: /demo⏎ e 0 a y rolls demoapp\'s canary to 0 through a confirmed write', async () => {
  const dir = demoCopy();
  const file = join(dir, 'cluster-a/app/demoapp.yaml');
  const { data, plugins } = await snapshotApp(dir);
  const ui = await start(data, SIZE, plugins);
  const k = counter(ui);
  await k.press('/', ...'demo', KEYS.enter, 'e');
  await until(ui.frame, /Edit weights/);
  await k.press('0', 'a');
  await until(ui.frame, /Apply to context cluster-a, namespace app, VirtualService demoapp\?/);
  await k.press('y');
  const after = await until(() => readFileSync(file, 'utf8'), /subset: v2-canary\n\s+weight: 0/);
  assert.match(after, /subset: v2-canary\n\s+weight: 0/);
  assert.ok(k.typed.length <= 10, `${k.typed.length} keys: ${k.typed.join(' ')}`);
  ui.unmount();
});
