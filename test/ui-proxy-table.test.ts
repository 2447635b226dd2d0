// Proxy-config tables are tools: zoomed they take the whole width, the first column stays while H/L scroll the rest
// (the tab bar does not move), rows are selected with j/k (›), Enter drills listener → routes → clusters → endpoints,
// `/` filters the rows, J shows a row's raw JSON, Esc goes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, start, type Driver } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { EMPTY_TABLE, tableReducer, visibleRows } from '../src/ui/table/use-table-state.js';
import { columnWidths, fitCell, tableLine } from '../src/ui/table/table-lines.js';
import type { ProxyTable } from '../src/ui/types.js';

const SIZES = [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }];
const POD = 'frontend-7c55c868cf-p5rrv';

const table: ProxyTable = {
  columns: ['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'],
  rows: [
    ['10.0.0.1:9080', 'HEALTHY', 'OK', 'outbound|9080|v1|reviews.default.svc.cluster.local'],
    ['10.0.0.2:9080', 'HEALTHY', 'OK', 'outbound|9080|v2|reviews.default.svc.cluster.local'],
    ['10.0.0.3:8080', 'UNHEALTHY', 'FAILED', 'outbound|8080||demoapp.app.svc.cluster.local'],
  ],
  keys: ['outbound|9080|v1|reviews.default.svc.cluster.local', 'outbound|9080|v2|reviews.default.svc.cluster.local', 'outbound|8080||demoapp.app.svc.cluster.local'],
};

test('the table reducer: filter typing, drill trail, raw JSON and back', () => {
  let s = tableReducer(EMPTY_TABLE, { type: 'startFilter' });
  for (const c of 'v2') s = tableReducer(s, { type: 'char', input: c });
  assert.deepEqual([...visibleRows(table, s)], [1]);
  s = tableReducer(s, { type: 'backspace' });
  assert.deepEqual([...visibleRows(table, s)], [0, 1, 2], '"v" is in every row (svc)');
  s = tableReducer(s, { type: 'endFilter', keep: true });
  assert.equal(s.typing, false);
  assert.equal(s.filter, 'v');
  s = tableReducer(s, { type: 'drill', from: { tab: 'clusters', filter: 'v', cursor: 9, top: 2 }, pin: { keys: [table.keys![2]!], label: 'cluster demoapp' } });
  assert.deepEqual([...visibleRows(table, s)], [2]);
  s = tableReducer(s, { type: 'raw', row: 2 });
  s = tableReducer(s, { type: 'back' });
  assert.equal(s.raw, undefined, 'Esc closes the raw JSON first');
  assert.ok(s.pin);
  s = tableReducer(s, { type: 'back' });
  assert.deepEqual([s.filter, s.typing, s.pin, s.trail], ['v', false, undefined, []]);
  s = tableReducer(s, { type: 'back' });
  assert.deepEqual([s.filter, s.pin, s.trail], ['', undefined, []]);
});

test('columns fit the width (the widest squeezed, cluster names keep their subset); the first column never scrolls', () => {
  assert.deepEqual(columnWidths(table, 200), [13, 9, 13, 50]);
  const w = columnWidths(table, 60);
  assert.ok(w.reduce((a, b) => a + b, 0) + 6 <= 60);
  assert.equal(w[0], 13);
  const line = tableLine(table.rows[1]!, w, 0).map((s) => s.text).join('');
  assert.match(line, /^ 10\.0\.0\.2:9080  HEALTHY +OK +out\|9080\|v2\|reviews/);
  const scrolled = tableLine(table.rows[1]!, w, 20).map((s) => s.text).join('');
  assert.match(scrolled, /^ 10\.0\.0\.2:9080  ⇠/);
  assert.ok(scrolled.includes('v2|reviews'));
  assert.match(fitCell('Cluster: outbound|9080|v2|reviews.default.svc.cluster.local', 30), /^Cluster: .*v2\|rev/);
});

async function podTable(size: { columns: number; rows: number }, view = 'listeners'): Promise<Driver> {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, size, plugins);
  await ui.press(':', `pc ${view} ${POD}`, KEYS.enter);
  return ui;
}

function fits(ui: Driver, size: { columns: number; rows: number }): string {
  const f = ui.frame();
  assert.ok(f.split('\n').length <= size.rows, `no frame taller than ${size.rows}:\n${f}`);
  for (const l of f.split('\n')) assert.ok([...l].length <= size.columns, `fits ${size.columns}: ${l}`);
  return f;
}

for (const size of SIZES) {
  test(`${size.columns}×${size.rows}: zoomed, the table has the whole width; j/k select rows; H/L move the table, not the tab bar`, async () => {
    const ui = await podTable(size);
    let f = fits(ui, size);
    assert.match(f, /│›0\.0\.0\.0 /, 'the cursor starts on the first row');
    await ui.press('z');
    f = fits(ui, size);
    assert.doesNotMatch(f, /│/, 'zoomed: one pane');
    assert.match(f, /^ ADDRESSES +PORT/m);
    assert.match(f, /^›0\.0\.0\.0 +\d+/m);
    await ui.press('j', 'j');
    f = fits(ui, size);
    const marked = f.split('\n').filter((l) => l.startsWith('›'));
    assert.equal(marked.length, 1);
    assert.match(marked[0]!, /^›10\.96\.\d+\.\d+ /);
    await ui.press('L', 'L', 'L');
    f = fits(ui, size);
    assert.match(f, /^ 1 listeners  2 routes  3 clusters  4 endpoints/m, 'the tab bar stays');
    assert.match(f, /^ ADDRESSES +⇠/m, 'the header scrolls with its columns');
    assert.match(f, /^›10\.96\.\d+\.\d+ +⇠/m, 'the first column stays put');
    assert.match(f, /⇠ 24 cols \(H\)/);
    await ui.press('H', 'H', 'H', 'z');
    f = fits(ui, size);
    assert.match(f, /│/, 'z again restores the two panes');
    ui.unmount();
  });
}

test('Enter drills a listener to its routes, a route to its clusters, a cluster to its endpoints; Esc goes back up', async () => {
  const size = { columns: 120, rows: 40 };
  const ui = await podTable(size);
  await ui.press('z', '/', ...'Route: 8080', KEYS.enter);
  let f = fits(ui, size);
  assert.match(f, /^ \/Route: 8080 {2}1 of \d+ rows {2}Esc back/m);
  assert.match(f, /^›0\.0\.0\.0 +8080 .*Route: 8080/m);
  await ui.press(KEYS.enter);
  f = fits(ui, size);
  assert.match(f, /^ \d+ of \d+ rows {2}Esc back {2}from route config 8080$/m);
  assert.match(f, /^›8080 +/m);
  for (const l of f.split('\n').filter((x) => /^[ ›]\d+ {2,}\S+:\d+ /.test(x))) assert.match(l, /^[ ›]8080 /, 'only route config 8080');
  await ui.press('/', ...'demoapp.app.svc', KEYS.enter, KEYS.enter);
  f = fits(ui, size);
  assert.match(f, /^ 2 of \d+ rows {2}Esc back {2}from route demoapp\.app\.svc\.cluster\.local:8080 /m);
  assert.match(f, /^›demoapp\.app\.svc\.cluster\.local +8080 +v2 +outbound/m);
  assert.match(f, /^ demoapp\.app\.svc\.cluster\.local +8080 +v2-canary +outbound/m);
  await ui.press(KEYS.enter);
  f = fits(ui, size);
  assert.match(f, /^ 3 of \d+ rows {2}Esc back {2}from cluster outbound\|8080\|v2\|demoapp\.app\.svc\.cluster\.local$/m);
  assert.equal(f.split('\n').filter((l) => /^[ ›]172\.16\.\d+\.\d+:8080 +HEALTHY +OK +outbound\|8080\|v2\|demoapp/.test(l)).length, 3);
  await ui.press(KEYS.esc);
  f = fits(ui, size);
  assert.match(f, /from route demoapp/);
  assert.match(f, /^›demoapp\.app\.svc\.cluster\.local +8080 +v2 +outbound/m, 'back on the row it drilled from');
  await ui.press(KEYS.esc, KEYS.esc);
  f = fits(ui, size);
  assert.match(f, /^›0\.0\.0\.0 +8080 .*Route: 8080/m, 'back on the listener');
  ui.unmount();
});

for (const size of SIZES) {
  test(`${size.columns}×${size.rows}: / filters the rows as typed; J shows the selected row's raw JSON; Esc closes and clears`, async () => {
    const ui = await podTable(size, 'clusters');
    await ui.press('/', ...'istiod');
    let f = fits(ui, size);
    assert.match(f, /\/istiod▏ {2}\d+ of \d+ rows/);
    await ui.press('z', 'z');
    f = fits(ui, size);
    assert.match(f, /\/istiodzz▏ {2}0 of \d+ rows/);
    assert.match(f, /no row matches/);
    assert.match(f, /│/, 'z is text while typing a filter, not zoom');
    await ui.press(KEYS.backspace, KEYS.backspace, KEYS.enter);
    f = fits(ui, size);
    assert.match(f, /\/istiod {2}4 of \d+ rows {2}Esc back/);
    await ui.press(KEYS.esc);
    f = fits(ui, size);
    assert.doesNotMatch(f, /rows {2}Esc back/, 'Esc clears the filter');
    await ui.press('/', ...'reviews', KEYS.enter, 'J');
    f = fits(ui, size);
    assert.match(f, /raw JSON of reviews/);
    assert.match(f, /"name": "outbound\|9080\|\|?[\w-]*\|?reviews/);
    await ui.press(KEYS.esc);
    f = fits(ui, size);
    assert.doesNotMatch(f, /raw JSON/);
    assert.match(f, /\/reviews {2}\d+ of \d+ rows/);
    ui.unmount();
  });
}

test('J on an endpoint row shows that endpoint\'s host status, not its whole cluster', async () => {
  const size = { columns: 120, rows: 40 };
  const ui = await podTable(size, 'endpoints');
  await ui.press('z', '/', ...'172.16.29.12:9080', KEYS.enter, 'J');
  const f = fits(ui, size);
  assert.match(f, /raw JSON of 172\.16\.29\.12:9080/);
  assert.match(f, /"host": \{/);
  assert.match(f, /"address": "172\.16\.29\.12"/);
  assert.doesNotMatch(f, /"address": "172\.16\.(?!29\.12")/, 'no other host');
  ui.unmount();
});
