// Copies of a Gateway API route edit: the same route (kind, namespace/name) in the other loaded contexts gets the same
// rule's backendRefs set to the same weights, in the TUI editor (offered in the confirmation) and in `weights set`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { createWeightsEditorEnv } from '../src/app/weights-env.js';
import { initWeightEditor, weightEditorStep, type WeightEditorEvent, type WeightEditorState } from '../src/ui/weights/use-weight-editor-state.js';
import type { PreparedEdit } from '../src/edit/prepare.js';
import { readAudit } from '../src/sources/edit/audit.js';
import { runCli } from './support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-route-copies-'));
after(() => rmSync(root, { recursive: true, force: true }));

const route = (kind: string, c: string, backends: [string, number][], ruleName = 'main') => `# ${c}
apiVersion: gateway.networking.k8s.io/${kind === 'HTTPRoute' ? 'v1' : 'v1alpha2'}
kind: ${kind}
metadata: {name: shop, namespace: app}
spec:
  parentRefs:
  - name: gw
  rules:
  - name: ${ruleName}
    backendRefs:
${backends.map(([n, w]) => `    - name: ${n}\n      port: 80\n      weight: ${w}\n`).join('')}`;

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop, namespace: app}
spec:
  hosts: [shop]
  http:
  - route:
    - destination: {host: shop}
`;

function mesh(files: Record<string, Record<string, string>>): string {
  const dir = mkdtempSync(join(root, 'mesh-'));
  for (const [c, byName] of Object.entries(files)) {
    mkdirSync(join(dir, c), { recursive: true });
    for (const [f, text] of Object.entries(byName)) writeFileSync(join(dir, c, f), text);
  }
  return dir;
}

const key = (input: string): WeightEditorEvent => ({ type: 'key', input, key: {} });
function steps(w: WeightEditorState, ...events: WeightEditorEvent[]) {
  let effect;
  for (const e of events) [w, effect] = weightEditorStep(w, e);
  return { w, effect };
}

for (const kind of ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']) {
  test(`TUI editor: a ${kind} edit is offered and applied to the same ${kind} in the other contexts, and undone in both`, async () => {
    const backends: [string, number][] = [['shop', 9], ['shop-canary', 1]];
    const dir = mesh({
      'cluster-a': { 'route.yaml': route(kind, 'cluster-a', backends) },
      'cluster-b': { 'route.yaml': route(kind, 'cluster-b', backends), 'vs.yaml': VS },
      'cluster-c': { 'route.yaml': route(kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute', 'cluster-c', backends) },
    });
    const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
    const input = await loadSnapshotFolder(dir);
    const ed = createWeightsEditorEnv(input, { fixtures: dir, context: [], readOnly: false }, { env });
    const opened = ed.open({ context: 'cluster-a', kind, namespace: 'app', name: 'shop' });
    assert.ok(typeof opened === 'object', String(opened));
    assert.deepEqual(opened.copies.map((c) => [c.context, c.object.kind]), [['cluster-b', kind]], 'same kind only: not the VirtualService, not another route kind');
    const { w, effect } = steps(initWeightEditor({ target: opened.target, copies: opened.copies }), key('0'), key('a'), key('y'));
    assert.equal(w.copyPlans.length, 1);
    assert.ok(w.copyPlans[0]!.prep, w.copyPlans[0]!.problem);
    assert.equal(effect?.type, 'apply');
    const preps = (effect as { preps: PreparedEdit[] }).preps;
    assert.deepEqual(preps.map((p) => [p.target.context, p.values.weights]), [['cluster-a', [9, 0]], ['cluster-b', [9, 0]]]);
    assert.ok((await ed.apply(preps)).every((r) => r.ok));
    for (const c of ['cluster-a', 'cluster-b']) assert.equal(readFileSync(join(dir, c, 'route.yaml'), 'utf8'), route(kind, c, [['shop', 9], ['shop-canary', 0]]));
    const undo = await ed.prepareUndo();
    assert.ok(Array.isArray(undo) && undo.length === 2, String(undo));
    assert.ok((await ed.apply(undo)).every((r) => r.ok));
    for (const c of ['cluster-a', 'cluster-b']) assert.equal(readFileSync(join(dir, c, 'route.yaml'), 'utf8'), route(kind, c, backends));
    assert.deepEqual(readAudit(join(dir, 'state', 'meshscope', 'audit.log')).map((e) => [e.action, e.kind, e.context]),
      [['set', kind, 'cluster-a'], ['set', kind, 'cluster-b'], ['undo', kind, 'cluster-b'], ['undo', kind, 'cluster-a']]);
  });
}

test('TUI editor: a route copy whose rule or backendRefs differ is shown with the reason, not planned', async () => {
  const dir = mesh({
    'cluster-a': { 'route.yaml': route('HTTPRoute', 'cluster-a', [['shop', 9], ['shop-canary', 1]]) },
    'cluster-b': { 'route.yaml': route('HTTPRoute', 'cluster-b', [['shop', 9], ['shop-v3', 1]]) },
    'cluster-c': { 'route.yaml': route('HTTPRoute', 'cluster-c', [['shop', 9], ['shop-canary', 1]], 'other') },
  });
  const input = await loadSnapshotFolder(dir);
  const ed = createWeightsEditorEnv(input, { fixtures: dir, context: [], readOnly: false }, { env: { HOME: dir, XDG_STATE_HOME: join(dir, 'state') } });
  const opened = ed.open({ context: 'cluster-a', kind: 'HTTPRoute', namespace: 'app', name: 'shop' });
  assert.ok(typeof opened === 'object');
  const { w } = steps(initWeightEditor({ target: opened.target, copies: opened.copies }), key('0'), key('a'));
  assert.deepEqual(w.copyPlans.map((c) => c.target.context), ['cluster-b', 'cluster-c']);
  assert.match(w.copyPlans[0]!.problem ?? '', /shop-v3/);
  assert.match(w.copyPlans[1]!.problem ?? '', /no rule rules\[0\] main/);
  assert.ok(w.copyPlans.every((c) => !c.prep));
});

test('TUI editor: all-zero allowed with f carries over to the copies', async () => {
  const dir = mesh({
    'cluster-a': { 'route.yaml': route('TCPRoute', 'cluster-a', [['db', 1]]) },
    'cluster-b': { 'route.yaml': route('TCPRoute', 'cluster-b', [['db', 1]]) },
  });
  const input = await loadSnapshotFolder(dir);
  const ed = createWeightsEditorEnv(input, { fixtures: dir, context: [], readOnly: false }, { env: { HOME: dir, XDG_STATE_HOME: join(dir, 'state') } });
  const opened = ed.open({ context: 'cluster-a', kind: 'TCPRoute', namespace: 'app', name: 'shop' });
  assert.ok(typeof opened === 'object');
  const { w } = steps(initWeightEditor({ target: opened.target, copies: opened.copies }), key('f'), key('0'), key('a'));
  assert.ok(w.copyPlans[0]!.prep, w.copyPlans[0]!.problem);
  assert.deepEqual(w.copyPlans[0]!.prep!.values.weights, [0]);
});

test('weights set httproute/NAME changes the same route in every context of the snapshot, and undo reverts both', async () => {
  const backends: [string, number][] = [['shop', 9], ['shop-canary', 1]];
  const dir = mesh({
    'cluster-a': { 'route.yaml': route('HTTPRoute', 'cluster-a', backends) },
    'cluster-b': { 'route.yaml': route('HTTPRoute', 'cluster-b', backends) },
  });
  const audit = join(dir, 'audit.log');
  const r = await runCli(['--fixtures', dir, 'weights', 'set', 'httproute/shop', '-n', 'app', 'shop-canary=0', '--yes', '--audit-log', audit]);
  assert.equal(r.code, 0, r.stderr);
  for (const c of ['cluster-a', 'cluster-b']) assert.equal(readFileSync(join(dir, c, 'route.yaml'), 'utf8'), route('HTTPRoute', c, [['shop', 9], ['shop-canary', 0]]));
  const u = await runCli(['--fixtures', dir, 'weights', 'undo', '--yes', '--audit-log', audit]);
  assert.equal(u.code, 0, u.stderr);
  for (const c of ['cluster-a', 'cluster-b']) assert.equal(readFileSync(join(dir, c, 'route.yaml'), 'utf8'), route('HTTPRoute', c, backends));
});
