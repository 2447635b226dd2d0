// Verdict first: the landing screen says what is broken (per context: findings by severity, the top
// problems one line each, stale proxies, failed contexts), Enter on a line goes there; a stale proxy is flagged on its
// pod row (≠), its page starts with what differs, and Enter on the MS0201 finding in `!` goes to the proxy's pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, miniData, start, type Driver } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { overviewSections } from '../src/ui/overview.js';

const STALE = 'frontend-7c55c868cf-p5rrv';

function fits(ui: Driver, size: { columns: number; rows: number }) {
  const lines = ui.frame().split('\n');
  assert.ok(lines.length <= size.rows, `${lines.length} lines:\n${ui.frame()}`);
  for (const l of lines) assert.ok([...l].length <= size.columns, l);
}

/** Tab into the details, move the cursor to the first line matching `re`, Enter. */
async function enterOn(ui: Driver, re: RegExp): Promise<void> {
  await ui.press(KEYS.tab);
  for (let i = 0; i < 40 && !ui.frame().split('\n').some((l) => /│›/.test(l) && re.test(l)); i++) await ui.press(KEYS.down);
  assert.ok(ui.frame().split('\n').some((l) => /│›/.test(l) && re.test(l)), `cursor on ${re}:\n${ui.frame()}`);
  await ui.press(KEYS.enter);
}

test('overviewSections: counts per severity, failed contexts with their reason, drift as stale proxies', () => {
  const s = overviewSections(
    [{ name: 'a', status: 'ok' }, { name: 'b', status: 'error', reason: 'connect ECONNREFUSED' }, { name: 'c', status: 'partial', reason: '2 load errors' }],
    [
      { level: 'Error', code: 'IST0101', context: 'a', origin: 'VirtualService x/y', message: 'm1', nodeId: 'n1' },
      { level: 'Warning', code: 'MS0201', context: 'a', origin: 'VirtualService x/z', message: 'drift', proxy: 'x/pod-1', nodeId: 'n2', proxyNodeId: 'p1' },
    ],
    { proxyNode: () => 'p1' },
  );
  assert.equal(s[0]!.title, 'Overview: 3 contexts, 1 error, 1 drift');
  assert.deepEqual(s[0]!.items.slice(0, 2).map((i) => i.text), ['context b failed: connect ECONNREFUSED', 'context c loaded partly: 2 load errors']);
  assert.equal(s[1]!.title, 'a: ok, 1 error, 1 drift');
  assert.deepEqual(s[1]!.items.map((i) => [i.mark, i.targetId]), [['≠', 'p1'], ['✗', 'n1']]);
  assert.match(s[1]!.items[0]!.text, /^stale proxy x\/pod-1 /);
});

for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }]) {
  test(`landing at ${size.columns}×${size.rows}: without a key pressed the overview names the stale frontend proxy and the faults`, async () => {
    const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
    const ui = await start(data, size, plugins);
    fits(ui, size);
    const f = ui.frame();
    assert.match(f, /Overview: 2 contexts, 6 err/);
    assert.match(f, /cluster-a: ok, 4 errors, 3 w/);
    assert.match(f, /⊘ 403 by Authoriza/, 'the refused request is on the landing');
    assert.match(f, /≠ stale proxy app\/frontend/);
    if (size.columns >= 120) {
      assert.match(f, /Overview: 2 contexts, 6 errors, 3 warnings, 1 info, 1 drift/);
      assert.match(f, /⊘ 403 by AuthorizationPolicy default\/deny-app-api on default\/p/);
      assert.match(f, new RegExp(`≠ stale proxy app/${STALE}`));
      for (const code of ['IST0173', 'MS0202', 'MS0403', 'MS0505', 'IST0101', 'MS0602']) assert.match(f, new RegExp(`\\[${code}\\]`));
      assert.match(f, /cluster-b: ok, 2 errors/);
    }
    ui.unmount();
  });
}

test('Enter on the stale proxy line goes to its pod: the row carries ≠, the page starts with what differs', async () => {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const size = { columns: 120, rows: 40 };
  const ui = await start(data, size, plugins);
  await enterOn(ui, /≠ stale proxy/);
  fits(ui, size);
  const f = ui.frame();
  const lines = f.split('\n');
  assert.ok(lines.some((l) => new RegExp(`^›?\\s*▸? ?pod ${STALE}.*≠`).test(l.split('│')[0]!)), `the pod row carries ≠:\n${f}`);
  const details = lines.map((l) => l.split('│')[1] ?? '');
  const title = details.findIndex((l) => new RegExp(`pod ${STALE} -n app @cluster-a`).test(l));
  assert.ok(title >= 0, f);
  const stale = details.findIndex((l) => /^STALE: this proxy does not run what intent says/.test(l));
  assert.ok(stale > title && stale < title + 6, 'the page starts with what differs');
  assert.match(details[stale + 1]!, /^≠ VirtualService app\/demoapp spec\.http\[0\]: Proxy app\/frontend-/);
  ui.unmount();
});

test('! then Enter on the MS0201 finding goes to the stale proxy pod', async () => {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, { columns: 80, rows: 24 }, plugins);
  await ui.press('!');
  for (let i = 0; i < 10 && !/› Warning \[MS0201\]/.test(ui.frame()); i++) await ui.press('j');
  assert.match(ui.frame(), /› Warning \[MS0201\]/);
  await ui.press(KEYS.enter);
  assert.match(ui.frame(), new RegExp(`│›?pod ${STALE} -n app`));
  ui.unmount();
});

test('mini mesh: the failed context and its reason are on the landing page', async () => {
  const ui = await start(miniData(), { columns: 100, rows: 30 });
  assert.match(ui.frame(), /ctx cluster-a/);
  ui.unmount();
});
