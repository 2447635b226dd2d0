// `wait httproute/NAME` and `traffic httproute/NAME` live on the test API server (Gateway API CRDs served): fake
// Envoys follow a mesh HTTPRoute's generated route after a lag (or keep the old one), and count requests per cluster.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { meshEnvoy } from './support/apiserver/envoy-mesh.js';
import { typeOfKind } from './support/apiserver/store.js';
import { k8s } from '../src/sources/kube/index.js';
import { runWait } from '../src/cli/wait.js';
import { runTraffic } from '../src/cli/traffic.js';
import { runSet, type WeightsIO } from '../src/cli/weights.js';
import type { GlobalOptions } from '../src/core/options.js';
import type { KubeObject } from '../src/model/resources.js';

const pod = (name: string, ip: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'app', labels },
  spec: { containers: [{ name: 'app', image: 'app' }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0' }] },
  status: { phase: 'Running', podIP: ip },
} as KubeObject);
const SEED: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
  ...[['demoapp', { app: 'demoapp' }], ['demoapp-v1', { app: 'demoapp', version: 'v1' }], ['demoapp-v2', { app: 'demoapp', version: 'v2' }]].map(([name, selector]): KubeObject => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name: name as string, namespace: 'app' }, spec: { selector, ports: [{ name: 'http', port: 8080 }] },
  })),
  {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'demoapp', namespace: 'app' },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: 'demoapp' }], rules: [{ backendRefs: [{ name: 'demoapp-v1', port: 8080, weight: 9 }, { name: 'demoapp-v2', port: 8080, weight: 1 }] }] },
  },
  pod('client-a', '10.1.0.1', { app: 'client' }), pod('client-b', '10.1.0.2', { app: 'client' }),
];

let clusters: TestClusters;
let dir: string;
before(async () => {
  await k8s();
  clusters = await startTestClusters({ gw: { seed: structuredClone(SEED), crds: { gatewayApi: 'standard' } } });
  const s = clusters.servers.gw!;
  s.setProxy('app', 'client-a', meshEnvoy({ store: s.store, httpRoute: 'app/demoapp', port: 8080, rps: 200 }));
  s.setProxy('app', 'client-b', meshEnvoy({ store: s.store, httpRoute: 'app/demoapp', port: 8080, rps: 200, lagMs: 1500 }));
  dir = mkdtempSync(join(tmpdir(), 'meshscope-route-wait-'));
});
after(async () => {
  await clusters?.close();
  rmSync(dir, { recursive: true, force: true });
});

const globals = (): GlobalOptions => ({ kubeconfig: clusters.kubeconfig, context: ['gw'], namespace: 'app', readOnly: false, requestTimeout: '5s' });
const capture = () => { const o = { out: '', err: '' }; return { o, out: (x: string) => { o.out += x; }, err: (x: string) => { o.err += x; } }; };
function setWeights(w: [number, number]): void {
  const s = clusters.servers.gw!.store;
  const t = typeOfKind('HTTPRoute', 'gateway.networking.k8s.io')!;
  const r = structuredClone(s.get(t, 'app', 'demoapp')!);
  r.spec.rules[0].backendRefs[0].weight = w[0];
  r.spec.rules[0].backendRefs[1].weight = w[1];
  s.write(t, r);
}

test('traffic httproute/NAME live: shares per backendRef near its proportions, counted on the sidecars that carry the route', async () => {
  const io = capture();
  assert.equal(await runTraffic(globals(), 'httproute/demoapp', { output: 'json', window: '1500ms' }, io), 0, io.o.err);
  const [t] = JSON.parse(io.o.out) as { kind: string; name: string; rule: { kind: string; index: number }; destinations: { destination: string; weight: number; share: number }[]; proxies: { proxy: string; count: number }[] }[];
  assert.deepEqual([t!.kind, t!.name, t!.rule.kind, t!.rule.index], ['HTTPRoute', 'demoapp', 'rules', 0]);
  assert.deepEqual(t!.destinations.map((d) => [d.destination, d.weight]), [['demoapp-v1:8080', 90], ['demoapp-v2:8080', 10]]);
  assert.ok(Math.abs(t!.destinations[0]!.share - 0.9) < 0.05, JSON.stringify(t!.destinations));
  assert.deepEqual(t!.proxies.map((p) => p.proxy), ['app/client-a', 'app/client-b']);
  assert.ok(t!.proxies.every((p) => p.count > 0));
});

test('wait httproute/NAME: follows a weight change until every sidecar runs the route\'s proportions; a stale one is named (exit 3)', async () => {
  setWeights([1, 1]);
  const io = capture();
  assert.equal(await runWait(globals(), 'httproute/demoapp', { timeout: '15s', interval: '300ms' }, io), 0, io.o.err + io.o.out);
  assert.match(io.o.out, /^gw rules\[0\]: 1\/2 proxies run demoapp-v1 50% \/ demoapp-v2 50%; waiting: client-b \(gw\)\ngw rules\[0\]: 2\/2 proxies run demoapp-v1 50% \/ demoapp-v2 50%\n/m);
  assert.match(io.o.out, /converged: all 2 proxies run the new weights/);

  const s = clusters.servers.gw!;
  s.setProxy('app', 'client-b', meshEnvoy({ store: s.store, httpRoute: 'app/demoapp', port: 8080, stale: true }));
  setWeights([3, 1]);
  const w = capture();
  assert.equal(await runWait(globals(), 'httproute/demoapp', { forWeights: ['demoapp-v1=75', 'demoapp-v2=25'], timeout: '2s', interval: '300ms' }, w), 3, w.o.err + w.o.out);
  assert.match(w.o.err, /1 proxy never converged:\n {2}app\/client-b \(gw\) still runs .*50%/);
  const none = capture();
  assert.equal(await runWait(globals(), 'httproute/nope', { timeout: '1s' }, none).catch((e: Error) => { none.o.err = e.message; return 1; }), 1);
  assert.match(none.o.err, /no HTTPRoute app\/nope in the selected contexts/);
});

test('weights set httproute/NAME --wait: the write lands, then every sidecar that carries the route is followed to it', async () => {
  const s = clusters.servers.gw!;
  for (const p of ['client-a', 'client-b']) s.setProxy('app', p, meshEnvoy({ store: s.store, httpRoute: 'app/demoapp', port: 8080, rps: 200, lagMs: p === 'client-b' ? 1200 : 0 }));
  const o = { out: '', err: '' };
  const io: WeightsIO = { out: (x) => { o.out += x; }, err: (x) => { o.err += x; }, color: false, env: { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') } };
  assert.equal(await runSet(globals(), 'httproute/demoapp', ['demoapp-v1=4', 'demoapp-v2=1'], { yes: true, wait: '15s' }, io), 0, o.err + o.out);
  assert.match(o.out, /waiting up to 15s for the proxies to run the new weights/);
  assert.match(o.out, /gw rules\[0\]: 2\/2 proxies run demoapp-v1 80% \/ demoapp-v2 20%\nconverged: all 2 proxies run the new weights/);
});
