// `t` on a plain Service traces from a client pod of the mesh (not as a gateway); `t` works from a route
// rule (its match pre-filled) and a destination; the result opens with its verdict; candidates that did not match
// are marked `·`, not ✗. On fixtures/demo through the real load → join → tree → adapter path.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh, type Mesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { traceStartFor } from '../src/trace/start-for-node.js';
import { traceRequest } from '../src/trace/trace.js';
import { traceVerdict } from '../src/trace/verdict.js';
import { traceResultLines } from '../src/ui/trace/result-lines.js';
import type { TreeNode } from '../src/mesh/tree-types.js';
import { untilText } from './support/poll.js';
import { KEYS, start, type Driver } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let mesh: Mesh;
let roots: TreeNode[];
before(async () => {
  mesh = joinMesh(await loadSnapshotFolder(resolve(repoRoot, 'fixtures/demo')));
  roots = buildMeshTree(mesh);
});

function find(pred: (n: TreeNode) => boolean): TreeNode {
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    if (pred(n)) return n;
    stack.push(...n.children);
  }
  throw new Error('node not found');
}

const flat = (f: string) => f.replace(/[│╭╮╰╯]/g, ' ').replace(/\s+/g, ' ');

async function selectRow(ui: Driver, query: string, row: RegExp): Promise<void> {
  await ui.press('/', query);
  const lines = ui.frame().split('\n');
  const at = lines.findIndex((l) => row.test(l)) - lines.findIndex((l) => /Matches for/.test(l)) - 1;
  assert.ok(at >= 0, `a match for ${row} in\n${ui.frame()}`);
  for (let i = 0; i < at; i++) await ui.press(KEYS.down);
  await ui.press(KEYS.enter);
}

test('traceStartFor: a plain Service starts at a client sidecar pod with the host pre-filled; a gateway Service at the gateway', () => {
  const svc = find((n) => n.ref?.kind === 'Service' && n.ref.name === 'productpage' && n.context === 'cluster-a');
  const s = traceStartFor(mesh, svc);
  assert.ok(s && typeof s === 'object', String(s));
  assert.equal(s.from.kind, 'pod');
  assert.doesNotMatch(s.from.name, /^productpage/, 'not one of the pods behind the Service');
  assert.equal(s.initial.host, s.from.namespace === 'default' ? 'productpage' : 'productpage.default.svc.cluster.local');
  const t = traceRequest(mesh, { context: s.context, from: s.from, host: s.initial.host! });
  assert.ok(!t.steps.some((x) => /no Gateway resource selects/.test(x.reason)));
  const gw = find((n) => n.ref?.kind === 'Service' && n.ref.name === 'istio-ingressgateway' && n.context === 'cluster-a');
  const g = traceStartFor(mesh, gw);
  assert.ok(g && typeof g === 'object');
  assert.equal(g.from.kind, 'gateway');
});

test('traceStartFor: the jason rule starts at a sidecar that runs its route, with end-user=jason pre-filled', () => {
  const rule = find((n) => n.kind === 'rule' && n.context === 'cluster-a' && /jason/.test(`${n.label} ${n.detail ?? ''}`));
  const s = traceStartFor(mesh, rule);
  assert.ok(s && typeof s === 'object', String(s));
  assert.equal(s.from.kind, 'pod');
  assert.match(s.initial.headers ?? '', /end-user=jason/);
  assert.equal(s.initial.host, s.from.namespace === 'default' ? 'reviews' : 'reviews.default.svc.cluster.local');
  assert.ok(mesh.proxyOf(s.context, s.from.namespace, s.from.name)?.routes.some((r) => r.rule?.id === rule.id), 'its Envoy runs the rule');
  const dest = rule.children.find((c) => c.kind === 'destination')!;
  const d = traceStartFor(mesh, dest);
  assert.ok(d && typeof d === 'object');
  assert.deepEqual(d.from, s.from, 'a destination traces its rule');
});

test('verdict: the jason request goes to reviews v2 and v3 in cluster-b and Envoy agrees; a non-matching rule is ·', () => {
  const from = { kind: 'pod' as const, namespace: 'default', name: 'productpage-v1-7bbd79f8fd-k6j79' };
  const t = traceRequest(mesh, { context: 'cluster-a', from, host: 'reviews', headers: { 'end-user': 'jason' } });
  const v = traceVerdict(t);
  assert.match(v, /^verdict: ✓ goes to .*subset v2 \[cluster-b\].*subset v3 \[cluster-b\]; Envoy agrees$/);
  const plain = traceResultLines(traceRequest(mesh, { context: 'cluster-a', from, host: 'reviews' }));
  assert.match(plain[0]!, /^verdict: /);
  assert.ok(plain.some((l) => /^\s+· rule\s+spec\.http\[0\]/.test(l)), plain.join('\n'));
  assert.ok(!plain.some((l) => /✗ rule/.test(l)), 'a rule that did not match is not a red ✗');
});

for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }]) {
  test(`t on Service default/productpage at ${size.columns}×${size.rows}: a client pod's trace, verdict first`, async () => {
    const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
    const ui = await start(data, size, plugins);
    await selectRow(ui, 'productpage', /│[ ›]svc default\/productpage/);
    await ui.press('t');
    await new Promise((r) => setTimeout(r, 50)); // the form reads keys once mounted
    let f = flat(ui.frame());
    assert.match(f, /trace from cluster-a · pod \S+ · to Service default\/productpage \(client pod: /);
    assert.match(f, / host\s+productpage/);
    await ui.press(KEYS.enter);
    f = await untilText(ui.frame, (t) => /verdict:/.test(flat(t)), { timeoutMs: 10_000 });
    assert.ok(f.split('\n').length <= size.rows);
    assert.doesNotMatch(f, /no Gateway resource selects/);
    assert.match(flat(f), /\(lines 1-\d+ of \d+\) verdict: ✓ goes to productpage/);
    ui.unmount();
  });
}

test('on the demo at 120×40: the jason rule → t Enter opens the trace with its verdict (2 keys after selecting the rule)', async () => {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await selectRow(ui, 'jason', /│[ ›]rule .*jason/);
  const keys = ['t', KEYS.enter];
  await ui.press('t');
  await new Promise((r) => setTimeout(r, 50)); // the form reads keys once mounted
  await ui.press(KEYS.enter);
  const f = flat(await untilText(ui.frame, (t) => /verdict:/.test(flat(t)), { timeoutMs: 10_000 }));
  assert.match(f, /\(lines 1-\d+ of \d+\) verdict: ✓ goes to reviews\.default\.svc\.cluster\.local subset v2 \[cluster-b\], reviews\.default\.svc\.cluster\.local subset v3 \[cluster-b\]; Envoy agrees/);
  assert.match(f, /headers end-user=jason/);
  assert.ok(keys.length <= 3);
  ui.unmount();
});
