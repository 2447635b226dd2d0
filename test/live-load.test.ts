// Live loading against the HTTPS test API server, through the real client-node (never mocked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, kubeconfigYaml, type TestClusters } from './support/apiserver/index.js';
import { loadLiveContexts, k8s, parseDuration, loadKubeconfig, selectContexts } from '../src/sources/kube/index.js';
import type { ContextSnapshot } from '../src/model/context.js';

const SEED = join(import.meta.dirname, 'support/apiserver/seed');
let clusters: TestClusters;

before(async () => {
  await k8s(); // pay client-node's import once, outside the timing assertions
  clusters = await startTestClusters({ a: { seedDir: join(SEED, 'a') }, b: { seedDir: join(SEED, 'b'), istioVersions: ['v1beta1', 'v1alpha3'] } });
});
after(async () => { await clusters.close(); });

const kinds = (s: ContextSnapshot) => new Set(s.objects.map((o) => o.obj.kind));

test('two contexts load concurrently: ok, managedFields stripped, kind/apiVersion set, no Secret read', async () => {
  const seen: string[] = [];
  const snaps = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a,b'], requestTimeout: '5s', onProgress: (s) => seen.push(`${s.name}:${s.status}`) });
  assert.deepEqual(snaps.map((s) => [s.name, s.status]), [['a', 'ok'], ['b', 'ok']]);
  assert.ok(seen.includes('a:loading') && seen.includes('b:ok'));
  for (const s of snaps) {
    assert.equal(s.objects.length, 18);
    assert.ok(!kinds(s).has('Secret'));
    for (const { obj } of s.objects) {
      assert.ok(obj.apiVersion && obj.kind, 'list items carry apiVersion and kind');
      assert.equal(obj.metadata.managedFields, undefined);
    }
  }
  const vs = snaps[1].objects.find((o) => o.obj.kind === 'VirtualService')!.obj;
  assert.equal(vs.apiVersion, 'networking.istio.io/v1beta1', 'b serves v1beta1 as its best version');
  assert.equal(snaps[0].istioVersion, 'v1');
  for (const srv of Object.values(clusters.servers)) assert.ok(!srv.requests.some((r) => r.resource === 'secrets'), 'Secrets are never requested');
});

test('lists page through limit/continue and give the same objects as one page', async () => {
  const before = clusters.servers.a.requests.length;
  const [paged] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], pageSize: 2 });
  const podPages = clusters.servers.a.requests.slice(before).filter((r) => r.verb === 'list' && r.resource === 'pods');
  assert.equal(podPages.length, 4, '8 pods in pages of 2');
  assert.ok(podPages.slice(1).every((r) => r.query.includes('continue=')));
  const [whole] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'] });
  assert.deepEqual(paged.objects.map((o) => o.obj), whole.objects.map((o) => o.obj));
});

test('403 on one kind: partial with the reason, everything else loads', async () => {
  clusters.servers.a.faults.push({ resource: 'destinationrules', verb: 'list', namespace: 'app', status: 403 });
  try {
    const [a] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], namespace: 'app' });
    assert.equal(a.status, 'partial');
    assert.equal(a.reason, 'DestinationRule (networking.istio.io/v1): forbidden: cannot list destinationrules.networking.istio.io in namespace app');
    assert.ok(!kinds(a).has('DestinationRule'));
    for (const k of ['Namespace', 'Service', 'Pod', 'EndpointSlice', 'VirtualService', 'Gateway', 'ServiceEntry']) assert.ok(kinds(a).has(k), k);
    assert.ok(a.objects.every((o) => o.obj.metadata.namespace === 'app' || o.obj.kind === 'Namespace'));
    assert.ok(a.issues.some((i) => i.severity === 'error' && i.message.startsWith('DestinationRule (networking.istio.io/v1): forbidden')));
  } finally {
    clusters.servers.a.faults.length = 0;
  }
});

test('a black-holed context errors at the timeout; the other finishes well before', async () => {
  clusters.servers.b.setBlackhole(true);
  try {
    const done: Record<string, number> = {};
    const t0 = Date.now();
    const snaps = await loadLiveContexts({
      kubeconfig: clusters.kubeconfig, contexts: ['a', 'b'], requestTimeout: '3s',
      onProgress: (s) => { if (s.status !== 'loading') done[s.name] ??= Date.now() - t0; },
    });
    assert.equal(snaps[0].status, 'ok');
    assert.equal(snaps[1].status, 'error');
    assert.equal(snaps[1].reason, 'timeout after 3s');
    // Order, not speed: the healthy context (same timeout, room for a busy machine) is done before the dead one's
    // timeout. The dead one errors at its 3 s timeout, not before; the upper bound is generous and only catches a load
    // waiting for ever.
    assert.ok(done.a < done.b, `healthy context done after ${done.a} ms, dead one after ${done.b} ms`);
    assert.ok(done.b >= 2950 && done.b < 20_000, `dead context errored after ${done.b} ms`);
  } finally {
    clusters.servers.b.setBlackhole(false);
  }
});

test('401, connection refused and Istio-less contexts say what failed', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = (closed.address() as { port: number }).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const noIstio = await import('./support/apiserver/index.js').then((m) => m.startApiServer({ seedDir: join(SEED, 'a'), istioVersions: [] }));
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-kc-'));
  try {
    const kc = join(dir, 'config');
    writeFileSync(kc, kubeconfigYaml([
      { context: 'badtoken', server: clusters.servers.a.url, caPem: clusters.servers.a.caPem, token: 'wrong' },
      { context: 'refused', server: `https://127.0.0.1:${deadPort}`, caPem: clusters.servers.a.caPem },
      { context: 'noistio', server: noIstio.url, caPem: noIstio.caPem },
    ]));
    const snaps = await loadLiveContexts({ kubeconfig: kc, allContexts: true, requestTimeout: '2s' });
    assert.deepEqual(snaps.map((s) => [s.name, s.status, s.reason]), [
      ['badtoken', 'error', 'unauthorized'],
      ['refused', 'error', 'connection refused'],
      ['noistio', 'ok', undefined],
    ]);
    assert.deepEqual(snaps[2].absent, ['Istio not installed (no networking.istio.io CRDs)', 'no Istio security CRDs']);
    assert.ok(kinds(snaps[2]).has('Pod'));
  } finally {
    await noIstio.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('500 on a kind is retried, then reported', async () => {
  clusters.servers.a.faults.push({ resource: 'gateways', verb: 'list', status: 500, times: 1 });
  clusters.servers.a.faults.push({ resource: 'sidecars', verb: 'list', status: 500 });
  try {
    const [a] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'] });
    assert.ok(kinds(a).has('Gateway'), 'one 500 is retried');
    assert.equal(a.status, 'partial');
    assert.match(a.reason ?? '', /^Sidecar \(networking\.istio\.io\/v1\): server error 500/);
  } finally {
    clusters.servers.a.faults.length = 0;
  }
});

test('KUBECONFIG merges several files like kubectl: first file wins per name and for current-context', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-kc-'));
  try {
    const f1 = join(dir, 'one'), f2 = join(dir, 'two');
    writeFileSync(f1, kubeconfigYaml([{ context: 'x', server: 'https://one:1' }]));
    writeFileSync(f2, kubeconfigYaml([{ context: 'x', server: 'https://two:2' }, { context: 'y', server: 'https://two:3' }], 'y'));
    const kc = await loadKubeconfig(undefined, { KUBECONFIG: `${f1}:${join(dir, 'missing')}:${f2}` });
    assert.deepEqual(kc.contexts.map((c) => c.name), ['x', 'y']);
    assert.equal(kc.clusters[0].server, 'https://one:1');
    assert.deepEqual(selectContexts(kc, []), ['x']);
    assert.deepEqual(selectContexts(kc, [], true), ['x', 'y']);
    assert.throws(() => selectContexts(kc, ['nope']), /context "nope" not found in kubeconfig \(x, y\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--request-timeout takes kubectl durations', () => {
  assert.equal(parseDuration('10s'), 10_000);
  assert.equal(parseDuration('1m'), 60_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('3'), 3000);
  assert.equal(parseDuration('0'), 0);
  assert.throws(() => parseDuration('ten'), /invalid duration "ten"/);
});
