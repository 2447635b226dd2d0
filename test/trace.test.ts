// Request trace on fixtures/demo: three traces through its paths, plus faults and the CLI (text, JSON, exit codes).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh, type Mesh } from '../src/mesh/join.js';
import { traceRequest } from '../src/trace/trace.js';
import { renderTraceText } from '../src/trace/format.js';
import { TraceInputError, type Trace, type TraceRequest } from '../src/trace/types.js';
import { runCliChildSync } from './support/cli.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = resolve(repoRoot, 'fixtures/demo');
let mesh: Mesh;

before(async () => {
  mesh = joinMesh(await loadSnapshotFolder(demo));
});

function run(req: Omit<TraceRequest, 'context'> & { context?: string }): { trace: Trace; text: string } {
  const trace = traceRequest(mesh, { context: 'cluster-a', ...req });
  return { trace, text: renderTraceText(trace) };
}

const PRODUCTPAGE = { kind: 'pod' as const, namespace: 'default', name: 'productpage-v1-7bbd79f8fd-k6j79' };

test("jason's request for reviews goes 50/50 to v2/v3 in cluster-b", () => {
  const { trace, text } = run({ from: PRODUCTPAGE, host: 'reviews', headers: { 'end-user': 'jason' } });
  assert.equal(trace.ok, true, text);
  assert.equal(trace.disagreements.length, 0, text);
  const top = trace.segments[0]!;
  const rule = top.steps.find((s) => s.kind === 'rule' && s.matched)!;
  assert.equal(rule.name, 'spec.http[0]');
  const dests = top.steps.filter((s) => s.side === 'intent' && s.kind === 'destination');
  assert.deepEqual(dests.map((d) => [d.details?.cluster, d.details?.weight]), [
    ['outbound|9080|v2|reviews.default.global', 50], ['outbound|9080|v3|reviews.default.global', 50],
  ]);
  const route = top.steps.find((s) => s.side === 'envoy' && s.kind === 'route' && s.matched)!;
  assert.match(route.reason, /outbound\|9080\|v2\|reviews\.default\.global 50%, outbound\|9080\|v3\|reviews\.default\.global 50%/);
  // Two hops into cluster-b's gateway, one per subset, each ending at that subset's pod.
  const hops = trace.segments.filter((s) => s.depth === 1);
  assert.deepEqual(hops.map((s) => s.context), ['cluster-b', 'cluster-b']);
  assert.match(hops[0]!.via!, /172\.29\.2\.201:15443 SNI outbound_\.9080_\.v2_\.reviews\.default\.global .*intent and Envoy/);
  assert.match(text, /↳ \[cluster-b\] gateway istio-system\/istio-ingressgateway/);
  for (const [seg, pod, ip] of [[hops[0]!, 'reviews-v2-65c4dc6fdc-bq7xh', '10.244.0.13'], [hops[1]!, 'reviews-v3-7bf8b6d4b9-m8r5t', '10.244.1.14']] as const) {
    const intentPods = seg.steps.find((s) => s.side === 'intent' && s.kind === 'pods')!;
    assert.match(intentPods.reason, new RegExp(pod));
    const eps = seg.steps.find((s) => s.side === 'envoy' && s.kind === 'envoy-endpoints')!;
    assert.match(eps.reason, new RegExp(`${ip.replace(/\./g, '\\.')}:9080 HEALTHY ${pod}`));
    assert.ok(seg.steps.some((s) => s.kind === 'gateway-server' && s.matched && /AUTO_PASSTHROUGH/.test(s.reason)));
  }
  assert.match(text, /result: ✓ intent and Envoy agree/);
});

test('a request without end-user goes to reviews v1 in cluster-a, and says why http[0] did not match', () => {
  const { trace, text } = run({ from: PRODUCTPAGE, host: 'reviews' });
  const top = trace.segments[0]!;
  const skipped = top.steps.find((s) => s.kind === 'rule' && !s.matched)!;
  assert.equal(skipped.name, 'spec.http[0]');
  assert.equal(skipped.reason, 'header end-user (absent) ≠ exact "jason"');
  assert.ok(top.steps.find((s) => s.kind === 'rule' && s.matched && s.name === 'spec.http[1]'));
  const envoySkipped = top.steps.find((s) => s.side === 'envoy' && s.kind === 'route' && !s.matched)!;
  assert.match(envoySkipped.reason, /header end-user \(absent\) ≠ exact "jason"/);
  assert.match(text, /✓ cluster\s+outbound\|9080\|v1\|reviews\.default\.svc\.cluster\.local: 100%/);
  assert.equal(trace.segments.length, 1, 'no hop');
  assert.equal(trace.disagreements.length, 0);
});

test("b.nginx.com enters cluster-a's ingress gateway and ends at cluster-b's nginx pods", () => {
  const { trace, text } = run({ from: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, host: 'b.nginx.com' });
  assert.equal(trace.ok, true, text);
  const top = trace.segments[0]!;
  assert.ok(top.steps.some((s) => s.kind === 'gateway-server' && s.matched && s.name.startsWith('Gateway istio-system/http-gateway')));
  const rules = top.steps.filter((s) => s.kind === 'rule');
  assert.deepEqual(rules.map((r) => [r.name, r.matched]), [['spec.http[0] "a-nginx"', false], ['spec.http[1] "b-nginx"', true]]);
  assert.equal(rules[0]!.reason, 'authority "b.nginx.com" ≠ exact "a.nginx.com"');
  assert.ok(top.steps.some((s) => s.side === 'envoy' && s.kind === 'listener' && s.name === '0.0.0.0_8080'));
  assert.ok(top.steps.some((s) => s.side === 'envoy' && s.kind === 'cluster' && s.name === 'outbound|80||b.nginx.com' && s.matched));
  const remote = trace.segments[1]!;
  assert.equal(remote.context, 'cluster-b');
  assert.match(remote.via!, /^172\.29\.2\.201:80 /);
  const eps = remote.steps.find((s) => s.side === 'envoy' && s.kind === 'envoy-endpoints')!;
  assert.match(eps.reason, /10\.244\.1\.10:80 HEALTHY nginx-5d9c7f6b8d-b7hxw/);
  assert.match(eps.reason, /10\.244\.0\.11:80 HEALTHY nginx-5d9c7f6b8d-n4zpq/);
  const pods = remote.steps.find((s) => s.side === 'intent' && s.kind === 'pods')!;
  assert.match(pods.reason, /2\/2 ready: nginx-5d9c7f6b8d-b7hxw .*nginx-5d9c7f6b8d-n4zpq/);
  // Text: hop indented one level deeper.
  assert.match(text, /\n {4}↳ \[cluster-b\] gateway istio-system\/istio-ingressgateway .* via 172\.29\.2\.201:80/);
  assert.match(text, /\n {8}✓ envoy-endpoints 2 endpoints: /);
});

test('the stale frontend proxy: intent 90/10, Envoy 100/0, and the trace points at the difference', () => {
  const { trace, text } = run({ from: { kind: 'pod', namespace: 'app', name: 'frontend-7c55c868cf-p5rrv' }, host: 'demoapp' });
  assert.equal(trace.ok, false);
  const steps = trace.segments[0]!.steps;
  const dests = steps.filter((s) => s.side === 'intent' && s.kind === 'destination');
  assert.deepEqual(dests.map((d) => d.details?.weight), [90, 10]);
  assert.equal(trace.disagreements.length, 1, text);
  const d = trace.disagreements[0]!;
  assert.equal(d.side, 'envoy');
  assert.equal(d.proxy, 'app/frontend-7c55c868cf-p5rrv');
  assert.match(d.reason, /outbound\|8080\|v2\|demoapp\.app\.svc\.cluster\.local: intent 90%, Envoy 100%/);
  assert.match(d.reason, /outbound\|8080\|v2-canary\|demoapp\.app\.svc\.cluster\.local: intent 10%, Envoy 0%/);
  assert.match(d.reason, /version 2025-03-14T08:51:07Z\/41.*2025-03-14T09:26:53Z\/57: a stale push/);
  // Placed right after the Envoy route step where they part.
  const i = steps.indexOf(d);
  assert.equal(steps[i - 1]!.kind, 'route');
  assert.equal(steps[i - 1]!.matched, true);
  assert.match(text, /✗ DISAGREEMENT\s+weights: intent and Envoy part here/);
  assert.match(text, /result: ✗ intent and Envoy disagree \(1\)/);

  const fresh = run({ from: { kind: 'pod', namespace: 'app', name: 'frontend-7c55c868cf-fhd87' }, host: 'demoapp' });
  assert.equal(fresh.trace.disagreements.length, 0, fresh.text);
  assert.equal(fresh.trace.ok, true, fresh.text);
});

test('faults: a subset missing from the DestinationRule (503 NC) and an unready endpoint (503 UH)', () => {
  const ratings = run({ context: 'cluster-b', from: { kind: 'pod', namespace: 'default', name: 'reviews-v2' }, host: 'ratings' });
  assert.equal(ratings.trace.ok, false);
  const steps = ratings.trace.segments[0]!.steps;
  assert.match(steps.find((s) => s.kind === 'subset')!.reason, /subset "v2" not found in DestinationRule default\/ratings/);
  assert.match(steps.find((s) => s.side === 'envoy' && s.kind === 'cluster')!.reason, /not in CDS on this proxy: Envoy answers 503 \(NC\)/);

  const grafana = run({ from: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, host: 'grafana.dujie.com' });
  assert.equal(grafana.trace.ok, false);
  const g = grafana.trace.segments[0]!.steps;
  assert.match(g.find((s) => s.side === 'envoy' && s.kind === 'cluster')!.reason, /0\/1 endpoints healthy .*503 \(UH\)/);
  assert.match(grafana.text, /UNHEALTHY grafana-548947586b-6f9zh/);
});

test('TCP through the gateway: tcp-echo 80/20 on port 31400, intent and Envoy agree', () => {
  const { trace, text } = run({ from: { kind: 'gateway', namespace: 'istio-system', name: 'istio-ingressgateway' }, host: 'tcp-echo.example', port: 31400 });
  assert.equal(trace.disagreements.length, 0, text);
  const steps = trace.segments[0]!.steps;
  assert.deepEqual(steps.filter((s) => s.side === 'intent' && s.kind === 'destination').map((s) => [s.details?.cluster, s.details?.weight]), [
    ['outbound|9000|v1|tcp-echo.default.svc.cluster.local', 80], ['outbound|9000|v2|tcp-echo.default.svc.cluster.local', 20],
  ]);
  assert.match(steps.find((s) => s.side === 'envoy' && s.kind === 'route')!.reason, /tcp_proxy weighted clusters .*v1.* 80%, .*v2.* 20%/);
});

test('a pod without an Envoy dump: intent only, and the result says Envoy was not checked', () => {
  const { trace, text } = run({ from: { kind: 'pod', namespace: 'default', name: 'details-v1' }, host: 'reviews' });
  assert.equal(trace.ok, true, text);
  assert.ok(trace.segments[0]!.steps.some((s) => s.side === 'envoy' && s.kind === 'note' && /no Envoy config dump/.test(s.reason)));
  assert.match(text, /result: ✓ intent routes the request; Envoy not checked for cluster-a sidecar default\/details-v1-6997d94bb9-lzw6q \(no config dump\)/);
});

test('unknown sources are input errors that name the context', () => {
  assert.throws(() => run({ from: { kind: 'pod', namespace: 'default', name: 'nope' }, host: 'reviews' }), (e: unknown) => e instanceof TraceInputError && /pod default\/nope not found in context cluster-a/.test(e.message));
  assert.throws(() => run({ context: 'cluster-z', from: PRODUCTPAGE, host: 'reviews' }), /context cluster-z is not loaded \(loaded: cluster-a, cluster-b\)/);
  assert.throws(() => run({ from: { kind: 'gateway', namespace: 'istio-system', name: 'nope' }, host: 'x' }), /no Gateway, gateway Service or gateway pod istio-system\/nope/);
});

const cli = (args: string[]) => runCliChildSync(['--fixtures', demo, ...args]);

test('meshscope trace: text, JSON, exit codes, sanitized output', () => {
  const ok = cli(['trace', '--context', 'cluster-a', '--from', 'productpage-v1-7bbd79f8fd-k6j79.default', '--host', 'reviews', '--header', 'end-user=jason']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^trace GET http:\/\/reviews\/ from pod default\/productpage-v1-7bbd79f8fd-k6j79 in cluster-a, headers end-user=jason\n/);
  assert.match(ok.out, /reviews-v3-7bf8b6d4b9-m8r5t/);

  const json = cli(['trace', '--context', 'cluster-a', '--from', 'frontend-7c55c868cf-p5rrv.app', '--host', 'demoapp', '-o', 'json']);
  assert.equal(json.code, 1, 'a disagreement exits 1');
  const doc = JSON.parse(json.out) as { ok: boolean; steps: Record<string, unknown>[]; disagreements: { details: { intent: Record<string, number>; envoy: Record<string, number> } }[] };
  assert.equal(doc.ok, false);
  for (const k of ['side', 'kind', 'name', 'context', 'matched', 'reason']) assert.ok(k in doc.steps[0]!, k);
  assert.deepEqual(doc.disagreements[0]!.details.envoy, { 'outbound|8080|v2|demoapp.app.svc.cluster.local': 100, 'outbound|8080|v2-canary|demoapp.app.svc.cluster.local': 0 });

  const hostile = cli(['trace', '--context', 'cluster-a', '--from', 'gateway/istio-ingressgateway.istio-system', '--host', 'b.nginx.com', '--header', 'x-evil=\x1b]0;owned\x07\x1b[31mred']);
  assert.equal(hostile.code, 0, hostile.err);
  assert.doesNotMatch(hostile.out, /\x1b/);

  assert.equal(cli(['trace', '--context', 'cluster-a', '--from', 'productpage-v1.default']).code, 2, 'missing --host is a usage error');
  const missing = cli(['trace', '--context', 'cluster-a', '--from', 'nope.default', '--host', 'reviews']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^meshscope: pod default\/nope not found in context cluster-a\n$/);
});
