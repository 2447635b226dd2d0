// Faults: the HTTPS test API server injects latency, resets, 500s, 429 + Retry-After, truncated bodies,
// dropped watches and port-forwards that die mid-transfer. meshscope retries idempotent reads with a capped backoff
// (counted in the server's request log), never re-sends a write, says honestly what is partial/stale/failed, and
// recovers when the server does. Everything goes through the real client-node.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { typeOfKind } from './support/apiserver/store.js';
import { loadLiveContexts, watchLiveContexts, k8s, type LiveChange } from '../src/sources/kube/index.js';
import { runSet, runGet, type WeightsIO } from '../src/cli/weights.js';
import { readAudit } from '../src/sources/edit/audit.js';
import type { GlobalOptions } from '../src/core/options.js';
import type { KubeObject } from '../src/model/resources.js';
import { requireCorpus } from './support/paths.js';
import { until as poll } from './support/poll.js';

const repoRoot = resolve(import.meta.dirname, '..');
const GW_DUMP = resolve(repoRoot, '../shared/conformance/istio/proxy-config/all/config_dump.json');
const SEED = join(import.meta.dirname, 'support/apiserver/seed');
const VS = typeOfKind('VirtualService')!;
const GW_POD = 'istio-system/istio-ingressgateway-6d9f7c-a1';
requireCorpus(GW_DUMP, 'the gateway config dump the test Envoy serves');
let clusters: TestClusters;
let dir: string;

before(async () => {
  await k8s();
  dir = mkdtempSync(join(tmpdir(), 'meshscope-faults-'));
  clusters = await startTestClusters({ a: { seedDir: join(SEED, 'a'), proxies: { [GW_POD]: { configDumpFile: GW_DUMP } } } });
});
after(async () => {
  await clusters.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => { clusters.servers.a.faults.length = 0; clusters.servers.a.latencyMs = 0; });

const srv = () => clusters.servers.a;
/** Requests logged from now on, filtered. */
function logFrom() {
  const start = srv().requests.length;
  return (pred: (r: (typeof srv extends () => infer S ? S : never)['requests'][number]) => boolean) => srv().requests.slice(start).filter(pred);
}
const load = (over: Record<string, unknown> = {}) => loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], requestTimeout: '2s', ...over }).then((s) => s[0]);
const kinds = (objs: { obj: KubeObject }[]) => new Set(objs.map((o) => o.obj.kind));

test('reads: a reset and 503s are retried (the log shows each attempt); a 500 that persists gives up after 3 tries', async () => {
  srv().faults.push(
    { verb: 'list', resource: 'pods', reset: true, times: 1 },
    { verb: 'list', resource: 'services', status: 503, times: 2 },
    { verb: 'list', resource: 'gateways', path: '/networking.istio.io/', status: 500 },
  );
  const log = logFrom();
  const a = await load();
  assert.equal(log((r) => r.verb === 'list' && r.resource === 'pods').length, 2, 'reset, then one retry');
  assert.equal(log((r) => r.verb === 'list' && r.resource === 'services').length, 3, 'two 503s, then success');
  assert.equal(log((r) => r.verb === 'list' && r.resource === 'gateways' && r.group === 'networking.istio.io').length, 3, '1 try + 2 retries, no more');
  assert.ok(kinds(a.objects).has('Pod') && kinds(a.objects).has('Service'));
  assert.ok(!a.objects.some((o) => o.obj.kind === 'Gateway' && o.obj.apiVersion.startsWith('networking.istio.io/')));
  assert.equal(a.status, 'partial');
  assert.match(a.reason ?? '', /^Gateway \(networking\.istio\.io\/v1\): server error 500: an error on the server/);
  assert.ok(a.issues.some((i) => i.message.startsWith('Gateway (networking.istio.io/v1): ') && i.severity === 'error'));
  // Backoff 100 ms then 200 ms: bounded, not a hot loop and not a long stall.
  const gw = log((r) => r.verb === 'list' && r.resource === 'gateways' && r.group === 'networking.istio.io');
  assert.ok(gw[1].at! - gw[0].at! >= 90 && gw[2].at! - gw[1].at! >= 190, 'exponential backoff between attempts');
  // Not a long stall: the pauses are 100 and 200 ms. The bound is generous on purpose (a loaded machine stretches
  // every request); it only catches a backoff grown to many seconds.
  assert.ok(gw[2].at! - gw[0].at! < 10_000, `the three tries took ${gw[2].at! - gw[0].at!} ms`);
  // The server recovers: the next load is complete.
  srv().faults.length = 0;
  const again = await load();
  assert.equal(again.status, 'ok');
  assert.ok(kinds(again.objects).has('Gateway'));
});

test('429 Retry-After is honoured, capped at 1 s; a 429 that persists is reported as such', async () => {
  srv().faults.push({ verb: 'list', resource: 'virtualservices', status: 429, retryAfterSeconds: 1, times: 1 });
  srv().faults.push({ verb: 'list', resource: 'destinationrules', status: 429, retryAfterSeconds: 3600, times: 1 });
  let log = logFrom();
  const a = await load();
  assert.equal(a.status, 'ok');
  const vs = log((r) => r.verb === 'list' && r.resource === 'virtualservices');
  assert.equal(vs.length, 2);
  assert.ok(vs[1].at! - vs[0].at! >= 950, `waited ${vs[1].at! - vs[0].at!} ms for Retry-After: 1`);
  const dr = log((r) => r.verb === 'list' && r.resource === 'destinationrules');
  assert.equal(dr.length, 2);
  assert.ok(dr[1].at! - dr[0].at! < 2000, `Retry-After: 3600 capped (waited ${dr[1].at! - dr[0].at!} ms)`);

  srv().faults.push({ verb: 'list', resource: 'sidecars', status: 429, retryAfterSeconds: 0 });
  log = logFrom();
  const b = await load();
  assert.equal(log((r) => r.resource === 'sidecars').length, 3);
  assert.equal(b.status, 'partial');
  assert.equal(b.reason, 'Sidecar (networking.istio.io/v1): too many requests (retry after 0s)');
});

test('a truncated list body is retried; one that stays truncated is a located failure, never half a list', async () => {
  srv().faults.push({ verb: 'list', resource: 'pods', truncateBytes: 60, times: 1 });
  let log = logFrom();
  const a = await load();
  assert.equal(log((r) => r.verb === 'list' && r.resource === 'pods').length, 2);
  assert.equal(a.status, 'ok');
  assert.equal(a.objects.filter((o) => o.obj.kind === 'Pod').length, 8);

  srv().faults.push({ verb: 'list', resource: 'pods', truncateBytes: 60 });
  log = logFrom();
  const b = await load();
  assert.equal(log((r) => r.verb === 'list' && r.resource === 'pods').length, 3);
  assert.equal(b.status, 'partial');
  assert.ok(!kinds(b.objects).has('Pod'), 'no partial list of pods');
  const issue = b.issues.find((i) => i.message.startsWith('Pod (v1): '));
  assert.ok(issue, 'the failed kind is named');
  assert.match(issue.message, /truncated|connection|closed|reset/i);
});

test('latency below the timeout is fine; a kind slower than --request-timeout fails alone, with the reason', async () => {
  srv().latencyMs = 150;
  const a = await load();
  assert.equal(a.status, 'ok');
  srv().latencyMs = 0;
  // The ServiceEntry list never answers: the load finishing at all shows the 3 s timeout cut it. The timeout and the bound
  // are generous on purpose (on a loaded machine the other lists must not hit it); the bound only says the load did not
  // wait for several timeouts in a row.
  srv().faults.push({ verb: 'list', resource: 'serviceentries', blackhole: true });
  const t0 = Date.now();
  const b = await load({ requestTimeout: '3s' });
  assert.ok(Date.now() - t0 < 8500, 'the silent kind does not hold the load past its timeout');
  assert.equal(b.status, 'partial');
  assert.equal(b.reason, 'ServiceEntry (networking.istio.io/v1): timeout after 3s');
  assert.ok(kinds(b.objects).has('VirtualService') && !kinds(b.objects).has('ServiceEntry'));
});

test('a port-forward that dies mid-transfer: the gateway dump is reported missing with the reason; the next load has it', async () => {
  srv().faults.push({ resource: 'pods/portforward', dieAfterBytes: 3000 });
  const a = await load({ gatewayProxies: true });
  assert.equal(a.status, 'ok', 'the objects all loaded');
  const p = a.proxies.find((x) => `${x.namespace}/${x.pod}` === GW_POD);
  assert.ok(p && p.configDump === undefined);
  assert.match(p.error ?? '', /connection closed before the response was complete/);
  assert.ok(a.issues.some((i) => i.severity === 'warning' && i.object === `Pod ${GW_POD}` && /Envoy config not read/.test(i.message)));
  srv().faults.length = 0;
  const b = await load({ gatewayProxies: true });
  const q = b.proxies.find((x) => `${x.namespace}/${x.pod}` === GW_POD);
  assert.equal(q?.error, undefined);
  assert.ok(q?.configDump);
});

function vsWrite(weights: number[]): void {
  const next = structuredClone(srv().store.get(VS, 'app', 'demoapp')!) as KubeObject;
  next.spec.http[0].route.forEach((r: { weight?: number }, i: number) => { r.weight = weights[i]; });
  srv().store.write(VS, next);
}
// Generous on purpose (a loaded machine): the bound only stops a test that would hang.
const until = (cond: () => boolean, ms = 20_000) => poll(cond, { timeoutMs: ms });

test('watches: a dropped watch resumes from its resourceVersion; a dead server marks the context stale with the reason, and it recovers', async () => {
  const a = await load({ requestTimeout: '500ms' });
  const changes: LiveChange[] = [];
  const errors: string[] = [];
  const h = watchLiveContexts([a], (c) => changes.push(c), { maxBackoffMs: 200, onError: (_c, r) => errors.push(r) });
  try {
    await until(() => srv().openWatchCount() >= 12);
    srv().dropWatches();
    vsWrite([10, 90]);
    await until(() => changes.some((c) => c.object.kind === 'VirtualService'));
    const vs = a.objects.find((o) => o.obj.kind === 'VirtualService')!.obj;
    assert.deepEqual(vs.spec.http[0].route.map((r: { weight: number }) => r.weight), [10, 90], 'the change made while the watch was down arrives');
    assert.equal(changes.filter((c) => c.object.kind === 'VirtualService').length, 1, 'no replayed duplicates');

    // The server goes dark: every watch fails to reconnect within the timeout, and the snapshot says so.
    srv().setBlackhole(true);
    srv().dropWatches();
    await until(() => a.stale !== undefined);
    assert.match(a.stale!.reason, /^watch of \w+ down: /);
    assert.ok(errors.length > 0);
    // The server comes back: watches reconnect, the change made meanwhile arrives, the stale mark goes away.
    srv().setBlackhole(false);
    vsWrite([30, 70]);
    await until(() => a.stale === undefined && changes.filter((c) => c.object.kind === 'VirtualService').length === 2);
    const vs2 = a.objects.find((o) => o.obj.kind === 'VirtualService')!.obj;
    assert.deepEqual(vs2.spec.http[0].route.map((r: { weight: number }) => r.weight), [30, 70]);
  } finally {
    h.stop();
  }
  await until(() => srv().openWatchCount() === 0);
});

// ---- writes ----

function io() {
  const o = { out: '', err: '' };
  const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
  const x: WeightsIO & { o: typeof o } = { o, out: (s) => { o.out += s; }, err: (s) => { o.err += s; }, color: false, env };
  return x;
}
const g = (): GlobalOptions => ({ kubeconfig: clusters.kubeconfig, context: ['a'], namespace: 'app', readOnly: false, requestTimeout: '2s' });
const audit = () => readAudit(join(dir, 'state', 'meshscope', 'audit.log'));
const weightsOnServer = () => (srv().store.get(VS, 'app', 'demoapp')!.spec.http[0].route as { weight?: number }[]).map((r) => r.weight);

for (const [label, effect, lands] of [
  ['a connection reset', { reset: true }, false],
  ['a 500', { status: 500 }, false],
  ['a reset after the server applied it', { resetAfterHandling: true }, true],
] as const) {
  test(`a write that gets ${label} is not re-sent; the user is told it may or may not have landed`, async () => {
    vsWrite([50, 50]);
    const before = audit().length;
    // The first PATCH (the dry run) passes; the real write meets the fault.
    srv().faults.push({ verb: 'patch', resource: 'virtualservices', times: 1 }, { verb: 'patch', resource: 'virtualservices', ...effect });
    const log = logFrom();
    const x = io();
    const code = await runSet(g(), 'demoapp', ['v2=80', 'v2-canary=20'], { yes: true }, x);
    assert.equal(code, 1);
    const patches = log((r) => r.verb === 'patch');
    assert.deepEqual(patches.map((r) => r.query.includes('dryRun=All')), [true, false], 'one dry run, one write: never re-sent');
    assert.match(x.o.err, /a: write failed: the write may or may not have landed \(.*\); it was not retried: reload and check \(`meshscope weights get demoapp -n app`\)/);
    assert.equal(audit().length, before, 'no audit line for a write whose outcome is unknown');
    assert.deepEqual(weightsOnServer(), lands ? [80, 20] : [50, 50]);
    // Reload and check: a fresh read shows the truth.
    srv().faults.length = 0;
    const y = io();
    assert.equal(await runGet(g(), 'demoapp', { output: 'json' }, y), 0, y.o.err);
    const got = JSON.parse(y.o.out)[0].rules[0].destinations.map((d: { weight: number }) => d.weight);
    assert.deepEqual(got, lands ? [80, 20] : [50, 50]);
  });
}

test('the read before a write is retried (503, reset); the write still goes once', async () => {
  vsWrite([50, 50]);
  srv().faults.push({ verb: 'get', resource: 'virtualservices', status: 503, retryAfterSeconds: 0, times: 1 }, { verb: 'get', resource: 'virtualservices', reset: true, times: 1 });
  const log = logFrom();
  const x = io();
  assert.equal(await runSet(g(), 'demoapp', ['v2=60', 'v2-canary=40'], { yes: true }, x), 0, x.o.err);
  assert.equal(log((r) => r.verb === 'get' && r.resource === 'virtualservices').length, 3);
  assert.equal(log((r) => r.verb === 'patch' && !r.query.includes('dryRun')).length, 1);
  assert.deepEqual(weightsOnServer(), [60, 40]);
});
