// Rows show what tells them apart: Envoy cluster rows under a destination name their proxy, long names lose their
// middle (subset, service and pod suffix stay), `<` `>` change the tree's width and `z` zooms the focused pane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, miniData, start, type Driver } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { clusterName, middle, podName } from '../src/ui/shorten.js';
import { fitLine, treeRow } from '../src/ui/format.js';
import { textWidth } from '../src/ui/text-width.js';

const SIZES = [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }];
const SUFFIXES = ['9dl8s', 'fhd87', 'p5rrv', 'k6j79'];

test('shortening keeps the subset, the service and the pod suffix', () => {
  const c = 'outbound|9080|v2|reviews.default.svc.cluster.local';
  assert.equal(clusterName(c, 60), c);
  assert.equal(clusterName(c, 40), 'outbound|9080|v2|reviews.default');
  assert.equal(clusterName(c, 28), 'out|9080|v2|reviews.default');
  assert.equal(clusterName(c, 20), 'out|9080|v2|reviews…');
  assert.equal(clusterName(c, 12), 'v2|reviews.…');
  for (let w = 1; w <= 60; w++) assert.ok(textWidth(clusterName(c, w)) <= w, `width ${w}`);
  assert.equal(podName('app/frontend-7c55c868cf-p5rrv', 28), 'frontend-7c55c868cf-p5rrv');
  assert.equal(podName('frontend-7c55c868cf-p5rrv', 14), 'fronten…-p5rrv');
  assert.equal(podName('frontend-7c55c868cf-p5rrv', 12), 'fronte-p5rrv'.replace('fronte', 'front…'));
  assert.equal(podName('frontend-7c55c868cf-p5rrv', 6), '…p5rrv');
  assert.equal(middle('abcdefghij', 5), 'ab…ij');
});

test('a row too wide loses the detail first, then the middle of its label; badges stay', () => {
  const node = { id: 'p', kind: 'Pod' as const, label: 'productpage-v1-7bbd79f8fd-k6j79', detail: '10.244.0.9  Running', badges: { healthy: 1, total: 1 }, children: [] };
  const at = (w: number) => fitLine(treeRow(node, 2, false), w).map((s) => s.text).join('');
  assert.equal(at(80), '      pod productpage-v1-7bbd79f8fd-k6j79 10.244.0.9  Running 1/1');
  assert.equal(at(55), '      pod productpage-v1-7bbd79f8fd-k6j79 10.244.0… 1/1');
  assert.match(at(30), /^ {6}pod product\S*…-k6j79 1\/1$/);
});

async function jasonV2(size: { columns: number; rows: number }): Promise<Driver> {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, size, plugins);
  // The jason rule, its v2 destination open: its Envoy clusters, one per proxy.
  await ui.press('/', ...'jason', KEYS.enter, 'l', 'j', 'l');
  return ui;
}

function clusterRows(frame: string): string[] {
  return frame.split('\n').filter((l) => /cluster .*50%/.test(l)).map((l) => l.split('│')[0]!.trim());
}

for (const size of SIZES) {
  test(`${size.columns}×${size.rows}: the four v2 cluster rows differ and name their proxy (zoomed when narrow)`, async () => {
    const ui = await jasonV2(size);
    if (size.columns < 80) await ui.press('z', 'j', 'j', 'j', 'j', 'j', 'j');
    const f = ui.frame();
    const rows = clusterRows(f);
    assert.equal(rows.length, 4, f);
    assert.equal(new Set(rows).size, 4, f);
    for (const s of SUFFIXES) assert.ok(rows.some((r) => r.includes(s)), `${s} in\n${f}`);
    if (size.columns >= 120) for (const r of rows) assert.match(r, /cluster v2\|revi.* on /);
    assert.ok(f.split('\n').length <= size.rows);
    for (const l of f.split('\n')) assert.ok([...l].length <= size.columns);
    ui.unmount();
  });
}

test('z gives the focused pane the whole width and z again restores; Tab keeps the zoom on the other pane', async () => {
  const ui = await jasonV2({ columns: 120, rows: 40 });
  assert.match(ui.frame(), /│ Details/);
  await ui.press('z');
  let f = ui.frame();
  assert.doesNotMatch(f, /│/);
  assert.match(f, /cluster outbound\|9080\|v2\|reviews\.default\.global on app\/frontend-7c55c868cf-p5rrv ███░░ 50% 1\/1/);
  await ui.press(KEYS.tab);
  f = ui.frame();
  assert.match(f, / Details/);
  assert.doesNotMatch(f, /Tree \(/);
  await ui.press('z');
  f = ui.frame();
  assert.match(f, /Tree \(.*│ Details/);
  ui.unmount();
});

test('< and > change the tree width, within bounds, at 120×40, 80×24 and 60×20', async () => {
  for (const size of SIZES) {
    const ui = await start(miniData(), size);
    const sep = () => ui.frame().split('\n')[3]!.indexOf('│');
    const before = sep();
    await ui.press('>');
    assert.equal(sep(), before + 4);
    await ui.press('<', '<');
    assert.equal(sep(), before - 4);
    for (let i = 0; i < 40; i++) await ui.press('>');
    assert.ok(sep() <= size.columns - 17, `the details keep 16 columns at ${size.columns}`);
    assert.match(ui.frame(), /as wide as it gets/);
    await ui.press('<');
    assert.ok(sep() < size.columns - 17);
    assert.ok(ui.frame().split('\n').length <= size.rows);
    ui.unmount();
  }
});
