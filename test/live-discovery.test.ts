// Live discovery against test API servers built from the released CRDs (../shared/conformance/crds): every kind is
// listed at a version its context serves (EnvoyFilter at v1alpha3), a context without Gateway API or Istio security
// CRDs is ok and says what is absent, an Istio 1.10-era CRD set (v1alpha3/v1beta1 only) loads, and a server never
// sees a request for a version its CRDs do not serve.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestClusters, type TestClusters, type TestApiServer } from './support/apiserver/index.js';
import { APISERVER_SEED } from './support/paths.js';
import { loadLiveContexts, k8s } from '../src/sources/kube/index.js';
import { forgetDiscovery } from '../src/sources/kube/discovery.js';
import { formatLoadIssue, type ContextSnapshot } from '../src/model/context.js';
import { formatSummary } from '../src/format/summary.js';
import { contextInfo } from '../src/app/data-adapter.js';
import { headerLines } from '../src/ui/screen.js';
import type { KubeObject } from '../src/model/resources.js';

const envoyFilter = (apiVersion: string): KubeObject => ({
  apiVersion, kind: 'EnvoyFilter', metadata: { name: 'lua-headers', namespace: 'app' },
  spec: { workloadSelector: { labels: { app: 'demoapp' } }, configPatches: [] },
});
const peerAuth: KubeObject = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } } };

let clusters: TestClusters;
before(async () => {
  await k8s();
  clusters = await startTestClusters({
    current: { seedDir: join(APISERVER_SEED, 'a'), seed: [envoyFilter('networking.istio.io/v1alpha3'), peerAuth] },
    nogateway: { seedDir: join(APISERVER_SEED, 'a'), crds: { gatewayApi: 'none' } },
    istio110: { seedDir: join(APISERVER_SEED, 'b'), seed: [envoyFilter('networking.istio.io/v1alpha3')], crds: { istio: 'istio-1.10', gatewayApi: 'none' } },
  });
});
after(async () => { await clusters.close(); });

const load = (names: string[]) => loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: names, requestTimeout: '5s' });
const versionOf = (s: ContextSnapshot, kind: string) => s.objects.find((o) => o.obj.kind === kind)?.obj.apiVersion;
/** Requests a server answered with an error: none is expected when meshscope asks only for what is served. */
const refused = (srv: TestApiServer) => srv.requests.filter((r) => (r.status ?? 0) >= 400).map((r) => `${r.status} ${r.method} ${r.path}`);

test('EnvoyFilter is listed at v1alpha3 (its only served version); the other Istio kinds at v1; no request is refused', async () => {
  const [snap] = await load(['current']);
  assert.equal(snap.status, 'ok', snap.reason);
  assert.equal(versionOf(snap, 'EnvoyFilter'), 'networking.istio.io/v1alpha3');
  assert.equal(versionOf(snap, 'VirtualService'), 'networking.istio.io/v1');
  assert.equal(versionOf(snap, 'PeerAuthentication'), 'security.istio.io/v1');
  assert.deepEqual(snap.absent ?? [], []);
  const srv = clusters.servers.current;
  assert.ok(srv.requests.some((r) => r.verb === 'list' && r.path === '/apis/networking.istio.io/v1alpha3/envoyfilters'));
  assert.deepEqual(refused(srv), []);
});

test('a context without Gateway API CRDs is ok and says so (summary and TUI header)', async () => {
  const [snap] = await load(['nogateway']);
  assert.equal(snap.status, 'ok', snap.reason);
  assert.deepEqual(snap.absent, ['Gateway API not installed']);
  assert.deepEqual(refused(clusters.servers.nogateway), []);
  const summary = formatSummary({ contexts: [snap] }).join('\n');
  assert.match(summary, /^context nogateway {2}· {2}ok {2}·/m);
  assert.match(summary, /^ {2}absent: Gateway API not installed$/m);
  const header = headerLines({ source: 'live', contexts: [contextInfo(snap)] } as never, 120, 0).map((l) => l.map((s) => s.text).join(''));
  assert.ok(header.some((l) => l.includes('nogateway: Gateway API not installed')), header.join('\n'));
});

test('an Istio 1.10-era CRD set (v1alpha3/v1beta1 only) loads: v1beta1 where served, else v1alpha3', async () => {
  const [snap] = await load(['istio110']);
  assert.equal(snap.status, 'ok', snap.reason);
  assert.equal(snap.istioVersion, 'v1beta1');
  assert.equal(versionOf(snap, 'VirtualService'), 'networking.istio.io/v1beta1');
  assert.equal(versionOf(snap, 'EnvoyFilter'), 'networking.istio.io/v1alpha3');
  assert.deepEqual(snap.absent, ['Gateway API not installed']);
  assert.deepEqual(refused(clusters.servers.istio110), []);
});

test('discovery is asked once per context for the session', async () => {
  forgetDiscovery('current');
  const srv = clusters.servers.current;
  const from = srv.requests.length;
  await load(['current']);
  await load(['current']);
  const discovery = srv.requests.slice(from).filter((r) => /^\/apis(\/[^/]+(\/[^/]+)?)?$/.test(r.path)).map((r) => r.path);
  assert.equal(discovery.filter((p) => p === '/apis').length, 1, discovery.join(' '));
  assert.equal(new Set(discovery).size, discovery.length, `each group version once: ${discovery.join(' ')}`);
  assert.ok(!discovery.includes('/apis/telemetry.istio.io/v1'), 'groups meshscope does not read are not asked about');
});

test('a load error names the context, the kind, its group and version', async () => {
  const srv = clusters.servers.current;
  srv.faults.push({ resource: 'envoyfilters', verb: 'list', status: 403 });
  try {
    const [snap] = await load(['current']);
    assert.equal(snap.status, 'partial');
    const lines = snap.issues.map(formatLoadIssue);
    assert.ok(lines.some((l) => l.startsWith('error: context current: EnvoyFilter (networking.istio.io/v1alpha3): forbidden')), lines.join('\n'));
    assert.match(snap.reason ?? '', /^EnvoyFilter \(networking\.istio\.io\/v1alpha3\): forbidden/);
    assert.ok(snap.issues.some((i) => i.resource?.kind === 'EnvoyFilter' && i.resource.group === 'networking.istio.io'), 'the issue names its kind as data, for the checks');
  } finally {
    srv.faults.length = 0;
  }
});
