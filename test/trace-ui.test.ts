// The TUI trace form: pure reducer, and the Ink component driven by keys with assertions on the frame text.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import { render } from 'ink-testing-library';
import { formInput, formKey, initForm, runFinished, type TraceFormInput } from '../src/ui/trace/reducer.js';
import { TraceForm, type TraceFormProps } from '../src/ui/trace/TraceForm.js';
import { tracePlugin, traceStartOfNode } from '../src/ui/trace/plugin.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh, type Mesh } from '../src/mesh/join.js';
import { traceOrMessage } from '../src/trace/trace.js';
import type { TreeNode } from '../src/mesh/tree-types.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let mesh: Mesh;
before(async () => {
  mesh = joinMesh(await loadSnapshotFolder(resolve(repoRoot, 'fixtures/demo')));
});

const tick = () => new Promise((r) => setImmediate(r));
async function press(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick();
  }
  await tick();
}
const KEY = { up: '\x1b[A', down: '\x1b[B', esc: '\x1b', enter: '\r', tab: '\t', backspace: '\x7f' };

test('reducer: typing, field focus, validation, run, result scrolling, close', () => {
  let s = initForm();
  const key = (input: string, k: Parameters<typeof formKey>[2] = {}) => {
    const r = formKey(s, input, k, 3);
    s = r.state;
    return r.effect;
  };
  assert.equal(key('', { return: true }), 'none');
  assert.equal(s.error, 'host is required');
  key('reviewz');
  key('', { backspace: true });
  key('s');
  assert.equal(s.values.host, 'reviews');
  assert.equal(s.error, undefined);
  key('', { tab: true });
  key('9O80');
  assert.equal(key('', { return: true }), 'none');
  assert.equal(s.error, 'port must be 1-65535, not "9O80"');
  key('u', { ctrl: true });
  key('9080');
  key('', { downArrow: true });
  key('', { downArrow: true });
  key('', { downArrow: true });
  key('end-user=jason; x-b: 1\x1b[31m');
  assert.equal(s.values.headers, 'end-user=jason; x-b: 1[31m', 'control characters never reach a field');
  key('', { upArrow: true });
  assert.equal(s.focus, 3);
  assert.equal(key('', { return: true }), 'run');
  assert.equal(s.mode, 'running');
  assert.deepEqual(formInput(s.values), { host: 'reviews', port: 9080, path: '/', method: 'GET', headers: { 'end-user': 'jason', 'x-b': '1[31m' } } satisfies TraceFormInput);
  s = runFinished(s, { lines: ['a', 'b', 'c', 'd', 'e'], ok: true });
  assert.equal(s.mode, 'result');
  key('', { downArrow: true });
  key('', { downArrow: true });
  key('', { downArrow: true });
  assert.equal(s.scroll, 2, 'scroll stops at the last page');
  key('g');
  assert.equal(s.scroll, 0);
  key('', { escape: true });
  assert.equal(s.mode, 'form', 'Esc on the result goes back to the form');
  assert.equal(s.values.host, 'reviews');
  s = runFinished(s, 'pod default/x not found');
  assert.equal(s.error, 'pod default/x not found');
  assert.equal(key('', { escape: true }), 'close');
});

function mount(over: Partial<TraceFormProps> = {}) {
  const calls: TraceFormInput[] = [];
  let closed = 0;
  const props: TraceFormProps = {
    source: 'cluster-a · pod default/productpage-v1-7bbd79f8fd-k6j79',
    onRun: (input) => {
      calls.push(input);
      return traceOrMessage(mesh, { context: 'cluster-a', from: { kind: 'pod', namespace: 'default', name: 'productpage-v1-7bbd79f8fd-k6j79' }, ...input });
    },
    onClose: () => { closed++; },
    isActive: true,
    noColor: true,
    height: 200,
    ...over,
  };
  const r = render(React.createElement(TraceForm, props));
  return { ...r, calls, closed: () => closed };
}

test('TraceForm: asks host, port, path, method, headers, then shows the trace', async () => {
  const ui = mount();
  let frame = ui.lastFrame()!;
  assert.match(frame, /trace from cluster-a · pod default\/productpage-v1-7bbd79f8fd-k6j79/);
  for (const f of ['host', 'port', 'path', 'method', 'headers']) assert.match(frame, new RegExp(`${f}`));
  assert.match(frame, /› host/);
  await press(ui.stdin, KEY.enter);
  assert.match(ui.lastFrame()!, /host is required/);
  await press(ui.stdin, 'reviews', KEY.tab, KEY.tab, KEY.tab, KEY.tab, 'end-user=jason');
  frame = ui.lastFrame()!;
  assert.match(frame, /host\s+reviews/);
  assert.match(frame, /› headers\s+end-user=jason/);
  await press(ui.stdin, KEY.enter);
  await tick();
  assert.deepEqual(ui.calls, [{ host: 'reviews', path: '/', method: 'GET', headers: { 'end-user': 'jason' } }]);
  frame = ui.lastFrame()!;
  assert.match(frame, /trace GET http:\/\/reviews\/ from pod default\/productpage-v1-7bbd79f8fd-k6j79 in cluster-a, headers\s*│\n│\s+end-user=jason/);
  assert.match(frame, /✓ rule\s+spec\.http\[0\]: match end-user=jason/);
  assert.match(frame, /↳ \[cluster-b\] gateway istio-system\/istio-ingressgateway/);
  assert.match(frame, /reviews-v3-7bf8b6d4b9-m8r5t/);
  assert.match(frame, /result: ✓ intent and Envoy agree/);
  // Back to the form with the values kept, then close.
  await press(ui.stdin, KEY.esc);
  await tick();
  frame = ui.lastFrame()!;
  assert.match(frame, /host\s+reviews/);
  assert.equal(ui.closed(), 0);
  await press(ui.stdin, KEY.esc);
  await tick();
  assert.equal(ui.closed(), 1);
  ui.unmount();
});

test('TraceForm: a run error is shown under the form; results scroll', async () => {
  const bad = mount({ onRun: () => 'pod default/nope not found in context cluster-a' });
  await press(bad.stdin, 'reviews', KEY.enter);
  await tick();
  assert.match(bad.lastFrame()!, /pod default\/nope not found in context cluster-a/);
  assert.match(bad.lastFrame()!, /› host\s+reviews/);
  bad.unmount();

  const small = mount({ height: 5, initial: { host: 'demoapp' }, onRun: (input) => traceOrMessage(mesh, { context: 'cluster-a', from: { kind: 'pod', namespace: 'app', name: 'frontend-7c55c868cf-p5rrv' }, ...input }) });
  await press(small.stdin, KEY.enter);
  await tick();
  let frame = small.lastFrame()!;
  assert.match(frame, /lines 1-5 of \d+/);
  assert.doesNotMatch(frame, /DISAGREEMENT/);
  await press(small.stdin, 'G');
  frame = small.lastFrame()!;
  assert.match(frame, /intent 90%, Envoy 100%/);
  assert.match(frame, /a stale push/);
  await press(small.stdin, 'k');
  assert.match(small.lastFrame()!, /result: ✗ intent and Envoy disagree \(1\)/);
  small.unmount();
});

test('tracePlugin: applies to pods, Gateways and Services; the form runs the trace from the node', async () => {
  const node = (kind: string, ns: string, name: string): TreeNode => ({ id: `cluster-a/${kind}/${ns}/${name}`, kind: kind as TreeNode['kind'], label: name, badges: {}, children: [], ref: { context: 'cluster-a', kind, namespace: ns, name } });
  assert.deepEqual(traceStartOfNode(node('Gateway', 'istio-system', 'http-gateway')), { context: 'cluster-a', from: { kind: 'gateway', namespace: 'istio-system', name: 'http-gateway' } });
  assert.equal(traceStartOfNode(node('DestinationRule', 'default', 'reviews')), undefined);
  const plugin = tracePlugin((start, input) => traceOrMessage(mesh, { ...start, ...input }));
  assert.equal(plugin.key, 't');
  assert.equal(plugin.appliesTo!(node('Pod', 'default', 'productpage-v1-7bbd79f8fd-k6j79')), true);
  let closed = false;
  const el = plugin.open({ node: node('Gateway', 'istio-system', 'http-gateway'), data: {} as never, close: () => { closed = true; }, flash: () => {}, jump: () => {} });
  const ui = render(React.cloneElement(el, { isActive: true, noColor: true, height: 200 } as Partial<TraceFormProps>));
  assert.match(ui.lastFrame()!, /trace from cluster-a · gateway istio-system\/http-gateway/);
  await press(ui.stdin, 'b.nginx.com', KEY.enter);
  await tick();
  assert.match(ui.lastFrame()!, /nginx-5d9c7f6b8d-n4zpq/);
  await press(ui.stdin, 'q');
  assert.equal(closed, true);
  ui.unmount();
});

test('TraceForm on a Gateway API gateway pod: the HTTPRoute as istiod translates it, and the pod\'s Envoy agreeing', async () => {
  const ui = mount({
    source: 'cluster-a · pod web/public-istio-6f8b9d7c54-w2j7q',
    onRun: (input) => traceOrMessage(mesh, { context: 'cluster-a', from: { kind: 'pod', namespace: 'web', name: 'public-istio-6f8b9d7c54-w2j7q' }, ...input }),
  });
  await press(ui.stdin, 'shop.example.com', KEY.enter);
  await tick();
  const frame = ui.lastFrame()!;
  assert.match(frame, /Gateway web\/public/);
  assert.match(frame, /web\/web~public~istio-autogenerated-k8s-gateway~http~shop\.example\.com/);
  assert.match(frame, /storefront\.web\.svc\.cluster\.local:8080.*weight 9 → 90%/);
  assert.match(frame, /storefront-canary\.web\.svc\.cluster\.local:8080.*weight 1 → 10%/);
  assert.match(frame, /outbound\|8080\|\|storefront-canary\.web\.svc\.cluster\.local/);
  assert.match(frame, /verdict: ✓ goes to storefront\.web\.svc\.cluster\.local:8080,[\s│]+storefront-canary\.web\.svc\.cluster\.local:8080; Envoy agrees/);
  assert.doesNotMatch(frame, /no Gateway resource selects these pods|disagreement/);
});
