// Envoy dumps over port-forward, proxy-status against istiod's view, and `meshscope snapshot`, all through the real
// client-node against the HTTPS test API server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { loadLiveContexts, k8s, openKubeClient } from '../src/sources/kube/index.js';
import { fetchProxyDump, fetchProxyDumps } from '../src/sources/envoy-admin.js';
import { compareProxy, fetchIstiodConfigDump } from '../src/sources/istiod.js';
import { diffProxy } from '../src/format/proxy-diff.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { takeSnapshot } from '../src/cli/snapshot.js';
import type { GlobalOptions } from '../src/core/options.js';
import { runCliChild } from './support/cli.js';
import { repoRoot, SIDECAR_DUMP, GATEWAY_DUMP, CLUSTERS_JSON, APISERVER_SEED } from './support/paths.js';
import { CORPUS_ROOT, requireCorpus } from './support/paths.js';

requireCorpus(CORPUS_ROOT, 'the config dumps the test Envoys serve');

let clusters: TestClusters;
let tmp: string;

before(async () => {
  await k8s();
  tmp = mkdtempSync(join(tmpdir(), 'meshscope-live-'));
  const proxies = (ctx: string) => ({
    [`istio-system/istio-ingressgateway-6d9f7c-${ctx}1`]: { configDumpFile: GATEWAY_DUMP },
    [`app/demoapp-v2-${ctx}0`]: { configDumpFile: SIDECAR_DUMP, clustersFile: CLUSTERS_JSON },
    [`app/demoapp-v2-canary-${ctx}0`]: { configDumpFile: SIDECAR_DUMP },
    [`app/client-${ctx}`]: { configDumpFile: SIDECAR_DUMP },
  });
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a'), proxies: proxies('a') }, b: { seedDir: join(APISERVER_SEED, 'b'), proxies: proxies('b') } });
});
after(async () => {
  await clusters.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs the CLI in a child process (asynchronously: the test API servers live in this process). */
const run = (...args: string[]) => runCliChild(args);

test('config_dump and clusters travel through the port-forward WebSocket', async () => {
  const d = await fetchProxyDump({ kubeconfig: clusters.kubeconfig, context: 'a' }, 'app', 'demoapp-v2-a0');
  assert.equal(d.error, undefined);
  assert.equal(d.clustersError, undefined);
  assert.deepEqual(d.configDump, JSON.parse(readFileSync(SIDECAR_DUMP, 'utf8')));
  assert.deepEqual(d.clusters, JSON.parse(readFileSync(CLUSTERS_JSON, 'utf8')));
  assert.ok(clusters.servers.a.envoy.requests.some((r) => r.pod === 'app/demoapp-v2-a0' && r.path === '/config_dump?include_eds=true'));
  assert.ok(clusters.servers.a.envoy.requests.some((r) => r.path === '/clusters?format=json'));
});

test('the admin port follows the pod (proxyAdminPort 15555), and per-pod errors are reported', async () => {
  const client = await openKubeClient({ kubeconfig: clusters.kubeconfig, context: 'a', requestTimeout: '2s' });
  const ok = await fetchProxyDump(client, 'app', 'client-a', { skipClusters: true });
  assert.equal(ok.error, undefined);
  assert.ok(clusters.servers.a.requests.some((r) => r.path.endsWith('/client-a/portforward') && r.query === '?ports=15555'));
  const none = await fetchProxyDump(client, 'app', 'demoapp-v2-a1');
  assert.match(none.error ?? '', /^port-forward to pod app\/demoapp-v2-a1 port 15000: error forwarding port 15000/);
  const missing = await fetchProxyDump(client, 'app', 'nope');
  assert.match(missing.error ?? '', /not found/);
  const capped = await fetchProxyDump(client, 'app', 'demoapp-v2-a0', { sizeCapBytes: 1000, skipClusters: true });
  assert.match(capped.error ?? '', /larger than the .* cap, refused/);
  clusters.servers.a.faults.push({ resource: 'pods/portforward', dieAfterBytes: 2000 });
  try {
    const died = await fetchProxyDump(client, 'app', 'demoapp-v2-a0', { skipClusters: true });
    assert.match(died.error ?? '', /connection closed before the response was complete/);
  } finally {
    clusters.servers.a.faults.length = 0;
  }
  clusters.servers.a.faults.push({ resource: 'pods/portforward', status: 403 });
  try {
    const denied = await fetchProxyDump(client, 'app', 'demoapp-v2-a0', { skipClusters: true });
    assert.equal(denied.error, 'forbidden: cannot get pods/portforward in namespace app');
  } finally {
    clusters.servers.a.faults.length = 0;
  }
  const many = await fetchProxyDumps(client, ['demoapp-v2-a0', 'demoapp-v2-canary-a0', 'client-a'].map((n) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: n, namespace: 'app', annotations: n === 'client-a' ? { 'proxy.istio.io/config': 'proxyAdminPort: 15555' } : {} } })), { concurrency: 2, skipClusters: true });
  assert.deepEqual(many.map((d) => [d.pod, d.error]), [['demoapp-v2-a0', undefined], ['demoapp-v2-canary-a0', undefined], ['client-a', undefined]]);
});

test('pc VIEW POD.NS --context C reads the pod live', async () => {
  const { pcOutput } = await import('../src/cli/pc.js');
  const g = { context: ['a'], kubeconfig: clusters.kubeconfig, requestTimeout: '5s' };
  const live = await pcOutput('clusters', 'demoapp-v2-a0.app', {} as never, g);
  const file = await pcOutput('clusters', undefined, { file: SIDECAR_DUMP } as never, { context: [] });
  assert.equal(live, file);
  await assert.rejects(pcOutput('routes', 'demoapp-v2-a1.app', {} as never, g), /context a: pod demoapp-v2-a1\.app: port-forward to pod app\/demoapp-v2-a1 port 15000: error forwarding/);
});

test("proxy-status: SYNCED when istiod's view equals Envoy's, STALE when it differs", async () => {
  const client = await openKubeClient({ kubeconfig: clusters.kubeconfig, context: 'b' });
  const envoy = (await fetchProxyDump(client, 'app', 'demoapp-v2-b0', { skipClusters: true })).configDump;
  const view = await fetchIstiodConfigDump(client, 'demoapp-v2-b0.app');
  assert.deepEqual(compareProxy(view, envoy), { CDS: 'SYNCED', LDS: 'SYNCED', EDS: 'NOT SENT', RDS: 'SYNCED' });
  assert.match(diffProxy(view, envoy), /^Clusters Match\nListeners Match\nRoutes Match \(RDS last loaded at \w{3}, \d\d \w{3} \d{4} [\d:]{8} UTC\)\n$/);

  const stale = JSON.parse(readFileSync(SIDECAR_DUMP, 'utf8'));
  const routes = stale.configs.find((c: { '@type': string }) => c['@type'].endsWith('RoutesConfigDump'));
  routes.dynamic_route_configs[0].route_config.virtual_hosts[0].domains.push('stale.example.com');
  clusters.servers.b.setIstiodView('demoapp-v2-b0.app', stale);
  try {
    const v2 = await fetchIstiodConfigDump(client, 'demoapp-v2-b0.app');
    assert.equal(compareProxy(v2, envoy).RDS, 'STALE');
    const [cli, table, verbose] = await Promise.all([
      run('proxy-status', 'demoapp-v2-b0.app', '--kubeconfig', clusters.kubeconfig, '--context', 'b'),
      run('proxy-status', '--kubeconfig', clusters.kubeconfig, '--context', 'b'),
      run('proxy-status', '-v', '--kubeconfig', clusters.kubeconfig, '--context', 'b'),
    ]);
    assert.equal(cli.code, 0, cli.err);
    assert.match(cli.out, /^Clusters Match\nListeners Match\nRoutes Don't Match \(RDS last loaded at [^)]+\)\n--- Istiod Routes\n\+\+\+ Envoy Routes\n@@ /);
    assert.match(cli.out, /^-\s+"stale\.example\.com"/m);
    // istioctl's table: the nonce states become SUBSCRIBED TYPES, and with -v one column per type.
    assert.equal(table.code, 0, table.err);
    assert.match(table.out.split('\n')[0], /^NAME {2,}CLUSTER {2,}ISTIOD {2,}VERSION {2,}SUBSCRIBED TYPES$/);
    assert.match(table.out, /^demoapp-v2-b0\.app +b +istiod\.istio-system +1\.22\.0 +4 \(CDS,LDS,EDS,RDS\)$/m);
    assert.equal(verbose.code, 0, verbose.err);
    assert.match(verbose.out.split('\n')[0], /^NAME {2,}CLUSTER {2,}CDS {2,}ECDS {2,}EDS {2,}LDS {2,}RDS {2,}ISTIOD {2,}VERSION$/);
    assert.match(verbose.out, /^demoapp-v2-b0\.app +b +SYNCED +IGNORED +NOT SENT +SYNCED +STALE +istiod\.istio-system +1\.22\.0$/m);
    assert.match(verbose.out, /^demoapp-v2-canary-b0\.app +b +SYNCED +IGNORED +NOT SENT +SYNCED +SYNCED +/m);
  } finally {
    clusters.servers.b.setIstiodView('demoapp-v2-b0.app', undefined);
  }
});

const globals = (over: Partial<GlobalOptions> = {}): GlobalOptions => ({ context: ['a', 'b'], readOnly: false, kubeconfig: clusters.kubeconfig, ...over });

test('snapshot writes a folder that loads back equal; non-empty DIR refused; nothing written on failure; no Secret', async () => {
  const out = join(tmp, 'snap');
  const { written, warnings } = await takeSnapshot(globals(), { out, pods: 'app=demoapp,version=v2' });
  // Selected pods without a dump (demoapp-v2-x1/x2) are per-pod warnings, not failures.
  assert.equal(warnings.filter((w) => /demoapp-v2-.[12]: Envoy config not saved: .*Connection refused/.test(w)).length, 4);
  assert.deepEqual(written.map((w) => [w.folder, w.objects, w.proxies]), [['a', 18, 2], ['b', 18, 2]]);
  assert.ok(existsSync(join(out, 'a/proxies/istio-system/istio-ingressgateway-6d9f7c-a1/config_dump.json')));
  assert.ok(existsSync(join(out, 'a/proxies/app/demoapp-v2-a0/clusters.json')));
  assert.ok(!existsSync(join(out, 'a/proxies/app/demoapp-v2-canary-a0')), 'not selected');
  assert.ok(!readdirSync(join(out, 'a/app')).some((f) => f.includes('secret')));
  assert.ok(!readFileSync(join(out, 'a/app/virtualservices.yaml'), 'utf8').includes('managedFields'));

  const live = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a', 'b'] });
  const snap = await loadSnapshotFolder(out);
  const key = (o: { obj: { kind: string; metadata: { namespace?: string; name: string } } }) => `${o.obj.kind}/${o.obj.metadata.namespace}/${o.obj.metadata.name}`;
  for (const name of ['a', 'b']) {
    const l = live.find((c) => c.name === name)!, s = snap.contexts.find((c) => c.name === name)!;
    assert.equal(s.issues.length, 0, JSON.stringify(s.issues));
    const sort = <T extends Parameters<typeof key>[0]>(xs: T[]) => [...xs].sort((x, y) => key(x).localeCompare(key(y))).map((x) => x.obj);
    assert.deepEqual(sort(s.objects), sort(l.objects));
    assert.deepEqual(s.proxies.map((p) => p.pod).sort(), [`demoapp-v2-${name}0`, `istio-ingressgateway-6d9f7c-${name}1`]);
  }

  await assert.rejects(takeSnapshot(globals({ context: ['a'] }), { out }), /folder is not empty \(use --force to replace it\)/);
  await takeSnapshot(globals({ context: ['a'] }), { out, force: true });
  assert.deepEqual(readdirSync(out), ['a']);

  clusters.servers.b.setBlackhole(true);
  try {
    // The dead context b fails at its timeout; on a loaded machine the healthy one may time out too, which changes
    // nothing here: the point is that nothing is written when a context fails.
    await assert.rejects(takeSnapshot(globals({ requestTimeout: '2s' }), { out: join(tmp, 'never') }), /nothing written: (context a: [^;]*; )?context b: timeout after 2s/);
    assert.ok(!existsSync(join(tmp, 'never')));
  } finally {
    clusters.servers.b.setBlackhole(false);
  }
});

test('meshscope snapshot, then tree -o json live equals tree -o json on the snapshot', async () => {
  const both = join(tmp, 'both');
  const r = await run('snapshot', '--kubeconfig', clusters.kubeconfig, '--context', 'a,b', '--out', both);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /both\/a: 18 objects, 1 proxy dumps\n/);
  const [fromLive, fromSnap] = await Promise.all([
    run('tree', '--kubeconfig', clusters.kubeconfig, '--context', 'a', '--context', 'b', '-o', 'json'),
    run('tree', '--fixtures', both, '-o', 'json'),
  ]);
  assert.equal(fromLive.code, 0, fromLive.err);
  assert.equal(fromSnap.code, 0, fromSnap.err);
  // Byte for byte: the tree does not name its source (the TUI header does).
  assert.equal(fromLive.out, fromSnap.out);
});
