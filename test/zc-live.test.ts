// Ambient mode live: ztunnel and waypoint dumps fetched over the port-forward of the HTTPS test API server, shown by
// `zc` and `pc`, loaded with the context and written by `meshscope snapshot`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { addWaypoint, addZtunnel } from './support/apiserver/ztunnel.js';
import { k8s, loadLiveContexts } from '../src/sources/kube/index.js';
import { takeSnapshot } from '../src/cli/snapshot.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { runCliChild } from './support/cli.js';
import { APISERVER_SEED, CONFORMANCE, GATEWAY_DUMP } from './support/paths.js';

const ZDIR = join(CONFORMANCE, 'ztunnel/testdata');
const ZDUMP = join(ZDIR, 'dump.json');
const golden = (f: string) => readFileSync(join(ZDIR, f), 'utf8');
let clusters: TestClusters;
let tmp: string;

before(async () => {
  await k8s();
  tmp = mkdtempSync(join(tmpdir(), 'meshscope-zc-'));
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a') } });
  const api = clusters.servers.a;
  addZtunnel(api, { name: 'ztunnel-n1', node: 'node-1', configDumpFile: ZDUMP });
  addZtunnel(api, { name: 'ztunnel-n2', node: 'node-2', configDumpFile: ZDUMP });
  api.store.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bookinfo', labels: { 'istio.io/dataplane-mode': 'ambient' } } });
  api.store.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'productpage-v1-675fc69cf-jscn2', namespace: 'bookinfo', labels: { app: 'productpage' } }, spec: { nodeName: 'node-2', containers: [{ name: 'productpage' }] }, status: { phase: 'Running' } });
  addWaypoint(api, { name: 'waypoint-7c9f6d5b8-h6k3w', namespace: 'bookinfo', gateway: 'waypoint', node: 'node-1', configDumpFile: GATEWAY_DUMP });
});
after(async () => {
  await clusters.close();
  rmSync(tmp, { recursive: true, force: true });
});

const live = (...args: string[]) => runCliChild([...args, '--kubeconfig', clusters.kubeconfig, '--context', 'a']);

test('zc reads a ztunnel live over the port-forward (pod, --node, and a workload pod on its node)', async () => {
  const [byPod, byNode, byWorkload, perNode] = await Promise.all([
    live('zc', 'workload', 'ztunnel-n1'),
    live('zc', 'connections', '--node', 'node-2'),
    live('zc', 'workload', 'productpage-v1-675fc69cf-jscn2.bookinfo'),
    live('zc', 'certificate'),
  ]);
  assert.equal(byPod.err, '');
  assert.equal(byPod.out, golden('workloadsummary.txt'));
  assert.equal(byNode.out, golden('connectionsummary.txt'));
  assert.equal(byWorkload.out, golden('workloadsummary_workload.txt'));
  assert.equal(perNode.code, 1);
  assert.match(perNode.err, /context a: ztunnel pod name or --node must be set/);
  const admin = clusters.servers.a.envoy.requests;
  assert.ok(admin.some((r) => r.pod === 'istio-system/ztunnel-n1' && r.path === '/config_dump'));
  assert.ok(admin.some((r) => r.pod === 'istio-system/ztunnel-n2' && r.path === '/config_dump'));
  assert.ok(clusters.servers.a.requests.some((r) => r.path.endsWith('/pods/ztunnel-n2/portforward') && r.query === '?ports=15000'));
});

test('a waypoint is an Envoy: pc reads its dump live', async () => {
  const r = await live('pc', 'routes', 'waypoint-7c9f6d5b8-h6k3w.bookinfo');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^NAME\s+VHOST NAME\s+DOMAINS/);
});

test('loading the context fetches every ztunnel and the waypoint; snapshot writes them and --fixtures reads them back', async () => {
  const [ctx] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], gatewayProxies: true });
  assert.deepEqual(ctx.ztunnels?.map((z) => [z.pod, z.node, z.error]), [['ztunnel-n1', 'node-1', undefined], ['ztunnel-n2', 'node-2', undefined]]);
  assert.deepEqual(ctx.ztunnels?.[0].configDump, JSON.parse(readFileSync(ZDUMP, 'utf8')));
  assert.ok(ctx.proxies.some((p) => p.pod === 'waypoint-7c9f6d5b8-h6k3w' && p.configDump !== undefined));

  const out = join(tmp, 'snap');
  const { written } = await takeSnapshot({ context: ['a'], readOnly: false, kubeconfig: clusters.kubeconfig }, { out });
  assert.equal(written.length, 1);
  assert.ok(existsSync(join(out, 'a/ztunnel/ztunnel-n1/config_dump.json')));
  assert.ok(existsSync(join(out, 'a/proxies/bookinfo/waypoint-7c9f6d5b8-h6k3w/config_dump.json')));
  const mesh = await loadSnapshotFolder(out);
  assert.deepEqual(mesh.contexts[0].ztunnels?.map((z) => z.pod), ['ztunnel-n1', 'ztunnel-n2']);
  assert.deepEqual(mesh.contexts[0].issues.filter((i) => i.severity === 'error'), []);
  const [fromSnap, viaWorkload, wp] = await Promise.all([
    runCliChild(['zc', 'all', 'ztunnel-n2', '--fixtures', out, '--with-headers']),
    runCliChild(['zc', 'connections', 'productpage-v1-796f87b58-97bjk.bookinfo', '--fixtures', out]),
    runCliChild(['pc', 'routes', 'waypoint-7c9f6d5b8-h6k3w.bookinfo', '--fixtures', out]),
  ]);
  assert.equal(fromSnap.err, '');
  assert.match(fromSnap.out, /------ WORKLOAD INFO ------/);
  assert.equal(viaWorkload.code, 1);
  assert.match(viaWorkload.err, /pod productpage-v1-796f87b58-97bjk\.bookinfo not found/);
  assert.equal(wp.code, 0, wp.err);
});
