// Problem badges from the analyzers, the `!` problem list (jump + highlighted field) and the `t` trace key,
// on fixtures/demo through the real load → join → tree → adapter path, asserted on the frame text.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh, type Mesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { renderTreeText } from '../src/mesh/tree-format.js';
import type { TreeNode } from '../src/mesh/tree-types.js';
import type { MeshInput } from '../src/model/context.js';
import { meshData } from '../src/app/data-adapter.js';
import { analyzeLoaded, problemAndTracePlugins, treeProblems } from '../src/app/problems.js';
import { initProblemList, problemListKey, type ProblemItem } from '../src/ui/problems/reducer.js';
import { yamlPathLine } from '../src/ui/problems/yaml-path.js';
import { columnWidths, detailLines, problemRow } from '../src/ui/problems/ProblemList.js';
import type { MeshData, UiPlugin } from '../src/ui/types.js';
import { KEYS, start, type Driver } from './ui-support.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let input: MeshInput;

before(async () => {
  input = await loadSnapshotFolder(resolve(repoRoot, 'fixtures/demo'));
});

/** A fresh join + tree + adapter per test: badges are put on the tree's nodes. */
async function demo(): Promise<{ mesh: Mesh; data: MeshData; plugins: UiPlugin[] }> {
  const mesh = joinMesh(input);
  const data = meshData(input, mesh, buildMeshTree(mesh), { source: 'fixtures/demo', readOnly: true, refresh: () => {}, yaml, views });
  return { mesh, data, plugins: await problemAndTracePlugins(mesh, { noColor: true }) };
}

function find(roots: TreeNode[], pred: (n: TreeNode) => boolean): TreeNode {
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (pred(n)) return n;
    stack.push(...n.children);
  }
  throw new Error('node not found');
}

const rowOf = (frame: string, re: RegExp) => frame.split('\n').find((l) => re.test(l)) ?? '';

/** `/query`, then the match whose result row matches `row`, then Enter. */
async function selectRow(ui: Driver, query: string, row: RegExp): Promise<void> {
  await ui.press('/', query);
  const lines = ui.frame().split('\n');
  const at = lines.findIndex((l) => row.test(l)) - lines.findIndex((l) => /Matches for/.test(l)) - 1;
  assert.ok(at >= 0, `a match for ${row} in\n${ui.frame()}`);
  for (let i = 0; i < at; i++) await ui.press(KEYS.down);
  await ui.press(KEYS.enter);
}

test('tree: ✗/⚠/≠ markers on the faulty nodes, rolled up to namespaces and contexts', async () => {
  const { data, plugins } = await demo();
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  let f = ui.frame();
  assert.match(rowOf(f, /ctx cluster-a/), /✗4 ⚠3 ≠1\s*│/, 'cluster-a: IST0173 + MS0202 + MS0403 + MS0505 errors, MS0007 + MS0203 + MS0204 warnings, MS0201 drift');
  assert.match(rowOf(f, /ctx cluster-b/), /✗2\s*│/, 'cluster-b: IST0101 and the ambient fault MS0602');
  assert.doesNotMatch(rowOf(f, /ctx cluster-b/), /⚠|≠/);
  assert.match(rowOf(f, /ns app/), /≠1/);
  assert.match(rowOf(f, /ns istio-system ✗1 ⚠1/), /ns istio-system/);
  // Collapsed namespaces show what is wrong below them; cluster-b's istio-system has nothing.
  assert.doesNotMatch((f.split('\n').filter((l) => /ns istio-system/.test(l))[1] ?? '').split('│')[0]!, /[✗⚠≠]/);

  await selectRow(ui, 'ratings', /│[ ›](vs) default\/ratings @cluster-b/);
  f = ui.frame();
  assert.match(f, /│›?vs ratings -n default @cluster-b ✗1/);
  assert.match(rowOf(f, /▸ vs ratings/), /✗1/);
  assert.match(rowOf(f, /VirtualServices 2/), /✗1/);
  assert.match(f, /✗ \[IST0101\] Referenced host\+subset in destinationrule not found/);

  await ui.press('/', 'weight-based', KEYS.enter);
  f = ui.frame();
  assert.match(rowOf(f, /rule http\[0\] weight-based-routing/), /≠1/, "demoapp's rule shows the drift");
  assert.match(rowOf(f, /vs demoapp/), /≠1/);
  assert.match(f, /≠ \[MS0201\]/);
  ui.unmount();
});

test('badges: the join and the analyzers agree on codes; one problem per code and node', async () => {
  const mesh = joinMesh(input);
  const roots = buildMeshTree(mesh);
  const joinProblems = () => JSON.stringify([
    mesh.problems('cluster-a/Gateway/istio-system/http-gateway'),
    ...[...mesh.allRules()].map((r) => mesh.problems(r.id)), ...[...mesh.allDestinations()].map((d) => d.problems),
  ]);
  const before = joinProblems();
  const tp = treeProblems(input, mesh, roots);
  const ratingsDest = find(roots, (n) => n.kind === 'destination' && n.context === 'cluster-b' && n.label === 'ratings v2');
  assert.equal(ratingsDest.badges.problems?.filter((p) => p.code === 'IST0101').length, 1, 'join and analyzer IST0101 merged');
  assert.equal(ratingsDest.badges.problems?.find((p) => p.code === 'IST0101')?.severity, 'error');
  const gw = find(roots, (n) => n.id === 'cluster-a/Gateway/istio-system/http-gateway');
  assert.deepEqual(gw.badges.problems?.map((p) => p.code), ['MS0007'], "the join's MS0101 is the analyzers' MS0007");
  assert.ok(find(roots, (n) => n.id === `${gw.id}/server[0]`).badges.problems?.some((p) => p.code === 'MS0007'), 'the path points at server 0');
  const subset = find(roots, (n) => n.id === 'cluster-a/DestinationRule/default/details/subset:v2');
  assert.deepEqual(subset.badges.problems?.map((p) => `${p.severity} ${p.code}`), ['error IST0173'], 'at the analyzer level');
  const rule = find(roots, (n) => n.kind === 'rule' && n.label === 'http[0] weight-based-routing');
  assert.deepEqual(rule.badges.problems?.map((p) => `${p.code} ${p.drift}`), ['MS0201 true', 'MS0203 undefined']);
  assert.equal(joinProblems(), before, "the join's own problems are untouched: badges get new arrays");
  // Roll-up: counted once each, wherever they show.
  assert.deepEqual(tp.counts.get('cluster-a'), { error: 4, warning: 3, info: 1, drift: 1 });
  assert.deepEqual(tp.counts.get('cluster-b'), { error: 2, warning: 0, info: 0, drift: 0 });
  assert.deepEqual(tp.counts.get('cluster-a/VirtualService/app/demoapp'), { error: 0, warning: 2, info: 0, drift: 1 });
  // `meshscope tree` prints the same codes.
  const text = renderTreeText(roots);
  for (const code of ['IST0101', 'IST0173', 'MS0007', 'MS0201', 'MS0202', 'MS0203', 'MS0204']) assert.match(text, new RegExp(`\\[${code}\\]`));
  assert.doesNotMatch(text, /\[MS0101\]/);
  assert.match(text, /ratings {2}ratings\.default\.svc\.cluster\.local {2}gateways mesh {2}\[✗ \[IST0101\] Referenced host\+subset in destinationrule not found: "ratings\+v2"\]/);
  assert.equal(tp.items.length, analyzeLoaded(input, mesh).length);
});

test('! lists exactly the ten demo faults and the refused request, most severe first; Enter on IST0101 jumps and highlights subset: v2', async () => {
  const { data, plugins } = await demo();
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('!');
  let f = ui.frame();
  assert.match(f, /Problems \(11\): 6 errors, 4 warnings, 1 info/);
  const rows = f.split('\n').filter((l) => /^│ [› ] (Error|Warning|Info) /.test(l));
  const expected = [
    /Error +\[IST0173\] +cluster-a +DestinationRule default\/details +The Subset v2 defined/,
    /Error +\[MS0202\] +cluster-a +VirtualService istio-system\/grafana-v\S* +Proxy istio-system\/istio-ingressgateway/,
    /Error +\[MS0403\] +cluster-a +HTTPRoute web\/storefront +backendRef default\/reviews is in another names/,
    /Error +\[MS0505\] +cluster-a +DestinationRule app\/frontend +DestinationRule sends plain text/,
    /Error +\[IST0101\] +cluster-b +VirtualService default\/ratings +Referenced host\+subset/,
    /Error +\[MS0602\] +cluster-b +Service shop\/inventory +istio\.io\/use-waypoint names waypoint/,
    /Warning +\[MS0007\] +cluster-a +Gateway istio-system\/http-gateway +Gateway host test\.nginx\.com/,
    /Warning +\[MS0201\] +cluster-a +VirtualService app\/demoapp +Proxy app\/frontend-/,
    /Warning +\[MS0203\] +cluster-a +VirtualService app\/demoapp +Destination demoapp v2-canary/,
    /Warning +\[MS0204\] +cluster-a +VirtualService app\/demoapp +Destination demoapp v2-canary/,
    /Info +\[MS0508\] +cluster-a +AuthorizationPolicy default\/deny-app-\S* +Proxy default\/productpage-/,
  ];
  assert.equal(rows.length, expected.length, rows.join('\n'));
  rows.forEach((r, i) => assert.match(r, expected[i]!));
  assert.match(f, /› Error {3}\[IST0173\]/);
  assert.match(f, /path spec\.subsets\[1\]\.labels · cluster-a\/default\/bookinfo\.yaml:323/);

  await ui.press('j', 'j', 'j', 'j', 'j', 'k');
  f = ui.frame();
  assert.match(f, /› Error {3}\[IST0101\] cluster-b VirtualService default\/ratings/);
  assert.match(f, /path spec\.http\[0\]\.route\[0\]\.destination\.subset/);
  await ui.press(KEYS.enter);
  f = ui.frame();
  assert.doesNotMatch(f, /Problems \(\d+\)/, 'the list closed');
  assert.match(f, /│›?vs ratings -n default @cluster-b ✗1/, 'the ratings VirtualService is selected');
  assert.match(f, /▾ ctx cluster-b/);
  assert.match(f, /▾ ns default ✗1/, 'its ancestors are expanded');
  assert.match(f, /│ {12}subset: v2 ◀/, 'the offending field is highlighted and in view');
  assert.equal(f.split('\n').filter((l) => l.includes('◀')).length, 1);

  // Esc goes back to where the user was; ! and Esc close the list without moving.
  await ui.press(KEYS.esc);
  assert.doesNotMatch(ui.frame(), /subset: v2 ◀/);
  await ui.press('!', KEYS.esc);
  assert.doesNotMatch(ui.frame(), /Problems \(\d+\)/);
  ui.unmount();
});

test('! at 80×24: every line fits; Enter on the drift finding goes to the stale proxy, whose page links the rule', async () => {
  const { data, plugins } = await demo();
  const ui = await start(data, { columns: 80, rows: 24 }, plugins);
  await ui.press('!');
  for (const l of ui.frame().split('\n')) assert.ok([...l].length <= 80, `fits: ${l}`);
  assert.match(ui.frame(), /Warning \[MS0201\]/);
  await ui.press('G', 'k', 'k', 'k', KEYS.enter);
  let f = ui.frame();
  assert.match(f, /│›?pod frontend-7c55c868cf-p5rrv -n app/, 'Enter on MS0201 goes to the proxy');
  assert.match(f, /│STALE: this proxy does not run/);
  await ui.press(KEYS.tab, KEYS.down, KEYS.down, KEYS.down, KEYS.down);
  for (let i = 0; i < 6 && !/│›≠ VirtualService app\/demoapp/.test(ui.frame()); i++) await ui.press(KEYS.down);
  await ui.press(KEYS.enter);
  f = ui.frame();
  assert.match(f, /vs demoapp/);
  ui.unmount();
});

test('t on the productpage pod: the form traces jason to reviews v2/v3 50/50 in cluster-b', async () => {
  const { data, plugins } = await demo();
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await selectRow(ui, 'ratings', /│[ ›](vs) default\/ratings @cluster-b/);
  await ui.press('t');
  assert.match(ui.frame().replace(/[│\s]+/g, ' '), /trace from cluster-b · pod \S+ · VirtualService default\/ratings/, 'on a VirtualService: from a client pod');
  await ui.press(KEYS.esc);
  await selectRow(ui, 'productpage-v1', /│[ ›](pod) default\/productpage-v1-/);
  assert.match(ui.frame(), /│›?pod productpage-v1-7bbd79f8fd-k6j79 -n default @cluster-a/);
  await ui.press('t');
  let f = ui.frame();
  assert.match(f, /trace from cluster-a · pod default\/productpage-v1-7bbd79f8fd-k6j79/);
  assert.match(f, /› host/);
  await ui.press('reviews', KEYS.tab, KEYS.tab, KEYS.tab, KEYS.tab, 'end-user=jason', KEYS.enter);
  await new Promise((r) => setTimeout(r, 20));
  f = ui.frame();
  assert.match(f, /trace GET http:\/\/reviews\/ from pod default\/productpage-v1-7bbd79f8fd-k6j79 in cluster-a, headers end-user=jason/);
  assert.match(f, /✓ rule\s+spec\.http\[0\]: match end-user=jason/);
  assert.match(f, /reviews\.default\.global subset v2 port 9080: 50%/);
  assert.match(f, /reviews\.default\.global subset v3 port 9080: 50%/);
  assert.match(f, /→ cluster-b 172\.29\.2\.201:15443: gateway istio-system\/istio-ingressgateway in cluster-b/);
  assert.match(f, /there: default\/reviews subset v2/);
  await ui.press('q');
  assert.doesNotMatch(ui.frame(), /trace from/, 'q closes the result');
  ui.unmount();
});

test('? help and the footer list ! and t', async () => {
  const { data, plugins } = await demo();
  const ui = await start(data, { columns: 120, rows: 60 }, plugins);
  assert.match(ui.frame(), / ! problems t trace /);
  await ui.press('?');
  const f = ui.frame();
  assert.match(f, / {2}! +problems: every analyzer finding, most severe/);
  assert.match(f, / {2}t +trace a request from the selected pod or/);
  ui.unmount();
});

test('problem list reducer: moves within bounds, scrolls, Enter jumps, Esc/q/! close', () => {
  const item = (level: ProblemItem['level'], code: string): ProblemItem => ({ level, code, context: 'c', origin: `VirtualService ns/${code}`, message: 'm', nodeId: code });
  let s = initProblemList([item('Info', 'I1'), item('Warning', 'W1'), item('Error', 'E1'), item('Warning', 'W2')]);
  assert.deepEqual(s.items.map((i) => i.code), ['E1', 'W1', 'W2', 'I1'], 'severity order, stable within a level');
  const key = (input: string, k: Parameters<typeof problemListKey>[2] = {}) => {
    const r = problemListKey(s, input, k, 2);
    s = r.state;
    return r.effect;
  };
  key('k');
  assert.equal(s.sel, 0);
  key('j'); key('', { downArrow: true }); key('j'); key('j');
  assert.equal(s.sel, 3);
  assert.equal(s.top, 2, 'the window follows the selection');
  key('g');
  assert.deepEqual([s.sel, s.top], [0, 0]);
  key('G');
  assert.deepEqual(key('', { return: true }), { type: 'jump', item: s.items[3] });
  assert.deepEqual(key('', { escape: true }), { type: 'close' });
  assert.deepEqual(key('q'), { type: 'close' });
  assert.deepEqual(key('!'), { type: 'close' });
  s = initProblemList([]);
  assert.deepEqual(key('', { return: true }), { type: 'none' });
});

test('yamlPathLine: the key line of a path, the item line of a list index, the deepest existing part', () => {
  const text = yaml.stringify({ spec: { http: [{ name: 'a', route: [{ destination: { host: 'r', subset: 'v1' } }, { destination: { host: 'r', subset: 'v2' } }] }], subsets: [{ name: 'x' }, { name: 'y', labels: { v: '2' } }] } });
  const lines = text.split('\n');
  assert.equal(lines[yamlPathLine(text, 'spec.http[0].route[1].destination.subset')!]!.trim(), 'subset: v2');
  assert.equal(lines[yamlPathLine(text, 'spec.subsets[1]')!]!.trim(), '- name: y');
  assert.equal(lines[yamlPathLine(text, 'spec.subsets[1].labels')!]!.trim(), 'labels:');
  assert.equal(lines[yamlPathLine(text, 'spec.http[0].mirror.host')!]!.trim(), '- name: a');
  assert.equal(yamlPathLine(text, 'metadata.name'), undefined);
  assert.equal(yamlPathLine('a: [unclosed', 'a'), 0);
});

test('problem rows: hostile strings are sanitized and every row is cut to the width', () => {
  const p: ProblemItem = {
    level: 'Error', code: 'IST0101\x1b[2J', context: 'ctx\x1b]0;pwned\x07', origin: 'VirtualService ns/\x1b[31mred',
    message: `Referenced host not found: "evil\x1b[H\x1b[2Jhost" ${'x'.repeat(300)}`, path: 'spec.http[0]\x1b[1m',
  };
  const row = problemRow(p, columnWidths([p], 76), 76);
  assert.ok([...row].length <= 76, row);
  assert.doesNotMatch(row, /[\x00-\x08\x0b-\x1f\x7f]/);
  assert.match(row, /^Error +\[IST0101/);
  for (const l of detailLines(p, 60)) {
    assert.ok([...l].length <= 60, l);
    assert.doesNotMatch(l, /[\x00-\x1f\x7f]/);
  }
});
