// The TUI weight editor: pure reducer, and the Ink component driven by keys with assertions on the frame text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { parseAllDocuments } from 'yaml';
import { WeightEditor, type WeightEditorProps } from '../src/ui/weights/WeightEditor.js';
import { editorKey, initEditor, type EditorState } from '../src/ui/weights/use-weight-editor-state.js';
import { focusOfNode, ruleOfNode, weightsPlugin } from '../src/ui/weights/plugin.js';
import { resolveRule } from '../src/edit/planner.js';
import type { ContextResult, EditTarget, PreparedEdit } from '../src/edit/prepare.js';
import type { TreeNode } from '../src/mesh/tree-types.js';
import type { KubeObject } from '../src/model/resources.js';
import { untilText } from './support/poll.js';

const TEXT = `# demoapp in cluster-a
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: demoapp
  namespace: app
  resourceVersion: "41"
spec:
  hosts: [demoapp]
  http:
  - name: default
    route:
    - destination: {host: demoapp, subset: v2}
      weight: 90   # stable
    - destination: {host: demoapp, subset: v2-canary}
      weight: 10
    mirror: {host: gcpbackend.com}
    mirrorPercentage: {value: 5}
`;

function target(context = 'cluster-a', text = TEXT): EditTarget {
  const object = parseAllDocuments(text)[0].toJS() as KubeObject;
  return { context, source: 'snapshot', object: object as EditTarget['object'], text, textName: `${context}/app/demoapp.yaml`, loc: { docIndex: 0 } };
}

const tick = () => new Promise((r) => setImmediate(r));
async function press(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
  await tick();
}
/** Polls the frame until it matches (async callbacks and renders may take a few turns on a loaded machine). */
const until = (frame: () => string, re: RegExp) => untilText(frame, re, { timeoutMs: 10_000, intervalMs: 10 });
const KEY = { left: '\x1b[D', right: '\x1b[C', up: '\x1b[A', down: '\x1b[B', esc: '\x1b', enter: '\r' };

function mount(over: Partial<WeightEditorProps> = {}) {
  const calls: { applied: PreparedEdit[][]; cancelled: number; done: ContextResult[][] } = { applied: [], cancelled: 0, done: [] };
  const props: WeightEditorProps = {
    target: target(),
    onApply: async (preps, progress) => {
      calls.applied.push(preps);
      for (const p of preps) progress(p.target.context, 'dry-run');
      return preps.map((p) => ({ context: p.target.context, ok: true, dryRun: false, noop: false, resourceVersionAfter: '42', message: 'applied: resourceVersion 41 → 42' }));
    },
    onCancel: () => { calls.cancelled++; },
    onDone: (r) => { calls.done.push(r); },
    isActive: true,
    noColor: true,
    maxDiffLines: 30,
    ...over,
  };
  const r = render(React.createElement(WeightEditor, props));
  // The frame without the overlay's border, right-trimmed, so assertions read like the text on screen.
  const frame = () => (r.lastFrame() ?? '').split('\n').map((l) => l.replace(/^[│╭╰]\s?/, '').replace(/\s*[│╮╯]$/, '').replace(/\s+$/, '')).join('\n');
  const flat = () => frame().replace(/\s+/g, ' ');
  return { ...r, calls, frame, flat };
}

test('reducer: arrows, brackets, digits, =, 0, locks; focus starts on the canary', () => {
  const rule = resolveRule(target().object, 'default');
  let s: EditorState = initEditor(rule, 0);
  assert.equal(s.focus, 1, 'smallest non-zero weight: the canary');
  const k = (input: string, key = {}) => { [s] = editorKey(s, input, key); };
  k('', { rightArrow: true });
  assert.deepEqual(s.weights, [89, 11]);
  k(']');
  assert.deepEqual(s.weights, [79, 21]);
  k('0');
  assert.deepEqual(s.weights, [100, 0]);
  k('3'); k('5');
  assert.deepEqual(s.weights, [65, 35], 'typed 35');
  k('=');
  assert.deepEqual(s.weights, [50, 50]);
  k('', { upArrow: true }); k('l'); k('', { downArrow: true }); k('0');
  assert.deepEqual(s.weights, [50, 50], 'the other one is locked: nothing can move');
  k('', { downArrow: true });
  assert.equal(s.focus, 2, 'the mirror row');
  k('2'); k('5');
  assert.deepEqual(s.mirrors, [25]);
  const [, eff] = editorKey(s, 'a', {});
  assert.equal(eff, 'none');
  assert.equal(editorKey(s, 'a', {})[0].mode, 'confirm');
  assert.match(editorKey(s, 'a', {}, 'read-only mode (--read-only)')[0].message ?? '', /read-only/);
  assert.equal(editorKey(s, '', { escape: true })[1], 'close');
});

test('editor shows host, subset, current → new and a bar; every key refreshes the live diff', async () => {
  const ui = mount();
  const f0 = ui.frame();
  assert.match(f0, /Edit weights {2}cluster-a {2}app\/demoapp {2}http\[0\] default/);
  assert.match(f0, /demoapp +v2 +90 → 90 +█{18}░{2}/);
  assert.match(f0, /▸ demoapp +v2-canary +10 → 10 /);
  assert.match(f0, /mirror gcpbackend.com +5% → 5%/);
  assert.match(f0, /\(no change\)/);
  await press(ui.stdin, KEY.left);
  assert.match(ui.frame(), /v2-canary +10 → 9 /);
  assert.match(ui.frame(), /-      weight: 90   # stable\n\+      weight: 91   # stable/);
  assert.match(ui.frame(), /-      weight: 10\n\+      weight: 9\n/);
  await press(ui.stdin, '0');
  assert.match(ui.frame(), /v2-canary +10 → 0 /);
  assert.match(ui.frame(), /\+      weight: 100   # stable/);
  await press(ui.stdin, KEY.down, '1', '2');
  assert.match(ui.frame(), /mirror gcpbackend.com +5% → 12%/);
  assert.match(ui.frame(), /-    mirrorPercentage: \{value: 5\}\n\+    mirrorPercentage: \{value: 12\}/);
  ui.unmount();
});

test('rolling the canary back: 0 a y → confirmation naming context/namespace/object, dry run + write, result with resourceVersion', async () => {
  const ui = mount();
  await press(ui.stdin, '0', 'a');
  const confirm = ui.frame();
  assert.match(confirm, /Apply to context cluster-a, namespace app, VirtualService demoapp\?/);
  assert.match(confirm, /demoapp v2 90→100, demoapp v2-canary 10→0/);
  assert.match(confirm, /-      weight: 10\n\+      weight: 0/);
  await press(ui.stdin, 'y');
  await until(ui.frame, /✓ cluster-a/);
  assert.equal(ui.calls.applied.length, 1);
  assert.deepEqual(ui.calls.applied[0][0].values.weights, [100, 0]);
  assert.match(ui.frame(), /✓ cluster-a: applied: resourceVersion 41 → 42/);
  await press(ui.stdin, KEY.enter);
  assert.equal(ui.calls.done.length, 1, 'closing after an apply reports the results');
  ui.unmount();
});

test('a failure in one context is shown next to the success in the other; copies can be deselected', async () => {
  const ui = mount({
    copies: [target('cluster-b'), target('cluster-c', TEXT.replace('subset: v2-canary', 'subset: v3'))],
    onApply: async (preps) => preps.map((p, i) => (i === 0
      ? { context: p.target.context, ok: true as const, dryRun: false, noop: false, message: 'applied: resourceVersion 41 → 42' }
      : { context: p.target.context, ok: false as const, stage: 'write' as const, reason: 'conflict' as const, message: 'the object was changed by someone else since it was loaded' })),
  });
  await press(ui.stdin, '0', 'a');
  assert.match(ui.frame(), /\[x\] 1 also cluster-b: demoapp v2 90→100, demoapp v2-canary 10→0/);
  assert.match(ui.flat(), /\[-\] cluster-c: cannot copy: destination demoapp v3 of rule http\[0\] default is not in the edited rule/);
  await press(ui.stdin, '1');
  assert.match(ui.frame(), /\[ \] 1 also cluster-b/);
  await press(ui.stdin, '1', 'y');
  await until(ui.flat, /✗ cluster-b/);
  assert.match(ui.flat(), /✓ cluster-a: applied.*✗ cluster-b: write failed: the object was changed by someone else/);
  ui.unmount();
});

test('u prepares the undo as a diff and applies it after y', async () => {
  let undoPreps: PreparedEdit[] = [];
  const ui = mount({
    onPrepareUndo: async () => {
      const t = target('cluster-a', TEXT.replace('weight: 10\n', 'weight: 0\n').replace('weight: 90', 'weight: 100'));
      const { prepareEdit } = await import('../src/edit/prepare.js');
      const rule = resolveRule(t.object, 'default');
      undoPreps = [prepareEdit(t, rule, { weights: [90, 10], mirrors: [5] }, { action: 'undo' })];
      return undoPreps;
    },
  });
  await press(ui.stdin, 'u');
  await until(ui.flat, /Undo in context/);
  assert.match(ui.flat(), /Undo in context cluster-a, namespace app, VirtualService demoapp \(http\[0\] default\): demoapp v2 100→90, demoapp v2-canary 0→10\?/);
  assert.match(ui.frame(), /-      weight: 100   # stable\n\+      weight: 90   # stable/);
  // The rows are the undo's (now → restored), not the edit's before → after.
  assert.match(ui.frame(), /undo: what the rule runs now → what the undo restores/);
  assert.match(ui.frame(), /demoapp v2 +100 → 90 /);
  assert.match(ui.frame(), /demoapp v2-canary +0 → 10 /);
  await press(ui.stdin, 'y');
  await until(ui.frame, /✓ cluster-a/);
  assert.equal(ui.calls.applied[0], undoPreps);
  assert.match(ui.frame(), /✓ cluster-a: applied/);
  assert.match(ui.frame(), /demoapp v2 +100 → 90 /, 'after the undo, its rows stay until closed');
  assert.doesNotMatch(ui.frame(), /demoapp v2 +90 → 90 /);
  ui.unmount();
});

test('read-only disables applying visibly', async () => {
  const ui = mount({ readOnly: 'context cluster-a is read-only (readOnly: true in config.yaml)' });
  assert.match(ui.flat(), /READ-ONLY: context cluster-a is read-only \(readOnly: true in config.yaml\) \(editing disabled\)/);
  assert.doesNotMatch(ui.frame(), /a apply/);
  await press(ui.stdin, '0', 'a');
  assert.doesNotMatch(ui.frame(), /Apply to context/);
  assert.match(ui.frame(), /context cluster-a is read-only/);
  assert.equal(ui.calls.applied.length, 0);
  await press(ui.stdin, KEY.esc);
  assert.equal(ui.calls.cancelled, 1);
  ui.unmount();
});

test('hostile strings from the file never reach the screen', async () => {
  const evil = TEXT.replace('subset: v2-canary', 'subset: "v2-\\e]52;c;AAAA\\acanary\\e[2J"');
  const ui = mount({ target: target('cluster-a', evil) });
  await press(ui.stdin, '0');
  assert.ok(!ui.frame().includes('\x1b]52') && !ui.frame().includes('\x1b[2J'));
  assert.match(ui.frame(), /v2-canary/);
  ui.unmount();
});

test('plugin: e applies to VirtualService, rule and destination nodes; rule and focus come from the node', () => {
  const ref = { context: 'cluster-a', kind: 'VirtualService', namespace: 'app', name: 'demoapp' };
  const key = { kind: 'http' as const, index: 0, name: 'default' };
  const rule: TreeNode = { id: 'cluster-a/vs/app/demoapp/http:default', kind: 'rule', label: 'http[0] default', badges: {}, children: [], ref, rule: key };
  const dest: TreeNode = {
    id: 'cluster-a/vs/app/demoapp/http:default/route:demoapp|v2', kind: 'destination', label: 'demoapp v2', badges: {}, children: [], ref,
    rule: key, destination: { index: 0, mirror: false, host: 'demoapp', subset: 'v2' },
  };
  const mirror: TreeNode = {
    id: 'cluster-a/vs/app/demoapp/http[0]/mirror:gcp', kind: 'mirror', label: 'gcpbackend.com', badges: {}, children: [], ref,
    rule: { kind: 'http', index: 0 }, destination: { index: 0, mirror: true, host: 'gcpbackend.com' },
  };
  assert.deepEqual(ruleOfNode(rule), { kind: 'http', index: 0 });
  assert.equal(ruleOfNode(dest), 'default');
  assert.equal(focusOfNode(dest, target(), 'default'), 0);
  assert.equal(focusOfNode(mirror, target(), ruleOfNode(mirror)), 2);
  const p = weightsPlugin({ open: () => 'x', readOnly: () => undefined, apply: async () => [], prepareUndo: async () => 'none' });
  assert.equal(p.key, 'e');
  assert.ok(p.appliesTo!(dest) && p.appliesTo!(rule));
  assert.ok(!p.appliesTo!({ id: 'p', kind: 'Pod', label: 'x', badges: {}, children: [] }));
});

test('opened on a VirtualService with several rules: the first rule with a choice to make', () => {
  const text = TEXT.replace('  http:\n', '  http:\n  - name: pinned\n    match: [{headers: {x-canary: {exact: "1"}}}]\n    route:\n    - destination: {host: demoapp, subset: v2-canary}\n')
    + '  tcp:\n  - route:\n    - destination: {host: tcp-echo}\n      weight: 80\n    - destination: {host: tcp-echo, subset: v2}\n      weight: 20\n';
  const ui = mount({ target: target('cluster-a', text) });
  assert.match(ui.frame(), /Edit weights {2}cluster-a {2}app\/demoapp {2}http\[1\] default/);
  assert.match(ui.frame(), /▸ demoapp +v2-canary +10 → 10/);
  ui.unmount();
  const tcp = mount({ target: target('cluster-a', text), rule: 'tcp/0' });
  assert.match(tcp.frame(), /tcp\[0\][\s\S]*tcp-echo +80 → 80[\s\S]*▸ tcp-echo +v2 +20 → 20/);
  tcp.unmount();
});
