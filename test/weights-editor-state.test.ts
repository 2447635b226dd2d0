// The weight editor's reducer without Ink: events in, state and effect descriptors out (apply with the copies chosen,
// progress, results, undo, close).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { initWeightEditor, weightEditorStep, type WeightEditorEvent, type WeightEditorState } from '../src/ui/weights/use-weight-editor-state.js';
import type { EditTarget, PreparedEdit } from '../src/edit/prepare.js';
import type { KubeObject } from '../src/model/resources.js';

const TEXT = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demoapp, namespace: app, resourceVersion: "41"}
spec:
  hosts: [demoapp]
  http:
  - name: default
    route:
    - destination: {host: demoapp, subset: v2}
      weight: 90
    - destination: {host: demoapp, subset: v2-canary}
      weight: 10
`;

function target(context = 'cluster-a', text = TEXT): EditTarget {
  const object = parseAllDocuments(text)[0]!.toJS() as KubeObject;
  return { context, source: 'snapshot', object: object as EditTarget['object'], text, textName: `${context}/demoapp.yaml`, loc: { docIndex: 0 } };
}

const key = (input: string, k = {}): WeightEditorEvent => ({ type: 'key', input, key: k });

function steps(w: WeightEditorState, ...events: WeightEditorEvent[]) {
  let effect;
  for (const e of events) [w, effect] = weightEditorStep(w, e);
  return { w, effect };
}

const editor = (w: WeightEditorState) => {
  assert.notEqual(typeof w.editor, 'string');
  return w.editor as Exclude<WeightEditorState['editor'], string>;
};

test('keys re-plan the edit; a y in the confirmation asks to apply the edit and each selected copy', () => {
  const w0 = initWeightEditor({ target: target(), copies: [target('cluster-b'), target('cluster-c')] });
  assert.equal(editor(w0).focus, 1, 'focus starts on the canary');
  assert.equal((w0.prepared as PreparedEdit).edits.length, 0, 'nothing changed yet');
  const { w: w1, effect: e1 } = steps(w0, key('0'), key('a'));
  assert.deepEqual(e1, { type: 'none' });
  assert.equal(editor(w1).mode, 'confirm');
  assert.deepEqual((w1.prepared as PreparedEdit).values.weights, [100, 0]);
  assert.equal(w1.copyPlans.length, 2, 'copies are planned when the confirmation opens');
  assert.ok(w1.copyPlans.every((c) => c.prep));
  const { w: w2, effect: e2 } = steps(w1, key('2'), key('y'));
  assert.equal(editor(w2).mode, 'busy');
  assert.equal(e2?.type, 'apply');
  const preps = (e2 as { preps: PreparedEdit[] }).preps;
  assert.deepEqual(preps.map((p) => p.target.context), ['cluster-a', 'cluster-b'], 'cluster-c was deselected');
});

test('progress and results come back as events; any key then closes with the results', () => {
  const w0 = initWeightEditor({ target: target() });
  const { w } = steps(w0, key('0'), key('a'), key('y'), { type: 'progress', context: 'cluster-a', stage: 'dry-run' }, { type: 'progress', context: 'cluster-a', stage: 'done' });
  assert.deepEqual(editor(w).progress, ['cluster-a: server-side dry run…']);
  const results = [{ context: 'cluster-a', ok: true as const, dryRun: false, noop: false, message: 'applied' }];
  const { w: done, effect } = steps(w, { type: 'applied', results }, key('x'));
  assert.equal(editor(done).mode, 'result');
  assert.deepEqual(effect, { type: 'close', results });
});

test('a failed apply shows as a result; escape without an apply closes without results', () => {
  const { w } = steps(initWeightEditor({ target: target() }), key('0'), key('a'), key('y'), { type: 'apply-failed', message: 'boom' });
  assert.deepEqual(editor(w).results, [{ context: 'cluster-a', ok: false, stage: 'write', reason: 'error', message: 'boom' }]);
  assert.deepEqual(steps(initWeightEditor({ target: target() }), key('', { escape: true })).effect, { type: 'close', results: undefined });
});

test('u asks for the undo; a prepared undo is confirmed and applied, a reason goes back to editing', () => {
  const w0 = initWeightEditor({ target: target() });
  const { w: loading, effect } = steps(w0, key('u'));
  assert.deepEqual(effect, { type: 'prepare-undo' });
  assert.equal(editor(loading).mode, 'undo-loading');
  const none = steps(loading, { type: 'undo-prepared', result: 'nothing to undo' }).w;
  assert.equal(editor(none).mode, 'edit');
  assert.equal(editor(none).message, 'nothing to undo');
  const undo = [w0.prepared as PreparedEdit];
  const { w: confirm } = steps(loading, { type: 'undo-prepared', result: undo });
  assert.equal(editor(confirm).mode, 'undo-confirm');
  assert.deepEqual(steps(confirm, key('y')).effect, { type: 'apply', preps: undo });
});

test('read-only refuses a and u; a rule that cannot be edited closes on any key', () => {
  const ro = steps(initWeightEditor({ target: target(), readOnly: 'context cluster-a is read-only' }), key('0'), key('a'));
  assert.equal(editor(ro.w).mode, 'edit');
  assert.equal(editor(ro.w).message, 'context cluster-a is read-only');
  const bad = initWeightEditor({ target: target(), rule: 'nope' });
  assert.match(bad.editor as string, /has no rule "nope"/);
  assert.deepEqual(steps(bad, key('x')).effect, { type: 'close' });
});
