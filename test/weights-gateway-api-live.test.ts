// Live HTTPRoute weight edits against the CRD-built test API server (Gateway API standard channel): the same JSON
// patch with a resourceVersion test op as VirtualServices, dry run first, audit; a stale route is refused (422).
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { typeOfKind } from './support/apiserver/store.js';
import { runSet, runUndo, type WeightsIO } from '../src/cli/weights.js';
import type { GlobalOptions } from '../src/core/options.js';
import type { KubeObject } from '../src/model/resources.js';

const ROUTE: KubeObject = {
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'app' },
  spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name: 'shop', port: 80, weight: 9 }, { name: 'shop-canary', port: 80, weight: 1 }] }] },
};
const SEED: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'app' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
  ...['shop', 'shop-canary'].map((name): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'app' }, spec: { ports: [{ name: 'http', port: 80 }] } })),
  ROUTE,
];

let clusters: TestClusters;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  clusters = await startTestClusters({ gw: { seed: structuredClone(SEED), crds: { gatewayApi: 'standard' } } });
  dir = mkdtempSync(join(tmpdir(), 'meshscope-live-routes-'));
  env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
});
afterEach(async () => {
  await clusters.close();
  rmSync(dir, { recursive: true, force: true });
});

const HTTPROUTE = () => typeOfKind('HTTPRoute', 'gateway.networking.k8s.io')!;
const onServer = () => clusters.servers.gw!.store.get(HTTPROUTE(), 'app', 'shop')!;
const weightsOn = () => (onServer().spec.rules[0].backendRefs as { weight?: number }[]).map((b) => b.weight);
const patches = () => clusters.servers.gw!.requests.filter((r) => r.resource === 'httproutes' && (r.verb === 'patch' || r.verb === 'update'));
const globals = (): GlobalOptions => ({ kubeconfig: clusters.kubeconfig, context: ['gw'], namespace: 'app', readOnly: false, requestTimeout: '5s' });
function io(confirm?: (q: string) => Promise<boolean>) {
  const o = { out: '', err: '' };
  const x: WeightsIO & { o: typeof o } = { o, out: (s) => { o.out += s; }, err: (s) => { o.err += s; }, color: false, confirm, env };
  return x;
}

test('live: an HTTPRoute weight edit lands as a JSON patch with the resourceVersion precondition, after a dry run', async () => {
  const rvBefore = onServer().metadata.resourceVersion;
  const x = io();
  assert.equal(await runSet(globals(), 'httproute/shop', ['shop-canary=0'], { yes: true }, x), 0, x.o.err);
  assert.deepEqual(weightsOn(), [9, 0]);
  const sent = patches();
  assert.equal(sent.length, 2, 'a dry run, then the write');
  assert.ok(sent[0]!.query.includes('dryRun=All'));
  assert.ok(sent.every((r) => r.verb === 'patch' && r.version === 'v1'), 'JSON patches at the version the route was read at');
  assert.notEqual(onServer().metadata.resourceVersion, rvBefore);
  assert.match(readFileSync(join(dir, 'state', 'meshscope', 'audit.log'), 'utf8'), /"kind":"HTTPRoute"|HTTPRoute/);
});

test('live: an HTTPRoute changed after it was loaded is refused (422 on the test op), nothing written', async () => {
  const x = io(async () => {
    const next = structuredClone(onServer());
    next.spec.rules[0].backendRefs[1].weight = 5;
    clusters.servers.gw!.store.write(HTTPROUTE(), next);
    return true;
  });
  assert.equal(await runSet(globals(), 'httproute/shop', ['shop-canary=0'], {}, x), 1);
  assert.match(x.o.err, /changed by someone else/);
  assert.deepEqual(weightsOn(), [9, 5]);
  assert.equal(patches().filter((r) => !r.query.includes('dryRun')).length, 0, 'no write attempted');
  assert.equal(existsSync(join(dir, 'state', 'meshscope', 'audit.log')), false);
});

test('live: weights undo reverts an HTTPRoute edit with the resourceVersion precondition, and refuses a route changed since', async () => {
  const x = io();
  assert.equal(await runSet(globals(), 'httproute/shop', ['shop-canary=0'], { yes: true }, x), 0, x.o.err);
  assert.deepEqual(weightsOn(), [9, 0]);
  const u = io();
  assert.equal(await runUndo(globals(), { yes: true }, u), 0, u.o.err);
  assert.match(u.o.out, /undo of the edit made/);
  assert.match(u.o.out, /-\s+weight: 0\n\+\s+weight: 1/);
  assert.deepEqual(weightsOn(), [9, 1]);
  const writes = patches().filter((r) => !r.query.includes('dryRun'));
  assert.equal(writes.length, 2, 'the edit, then the undo');
  assert.ok(writes.every((r) => r.verb === 'patch' && r.version === 'v1'));
  const log = readFileSync(join(dir, 'state', 'meshscope', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(log.map((e) => [e.action, e.kind]), [['set', 'HTTPRoute'], ['undo', 'HTTPRoute']]);

  assert.equal(await runSet(globals(), 'httproute/shop', ['shop=3'], { yes: true }, io()), 0);
  const next = structuredClone(onServer());
  next.spec.rules[0].backendRefs[0].weight = 7;
  clusters.servers.gw!.store.write(HTTPROUTE(), next);
  const stale = io();
  assert.equal(await runUndo(globals(), { yes: true }, stale), 1);
  assert.match(stale.o.err, /HTTPRoute app\/shop in gw was changed since the edit/);
  assert.deepEqual(weightsOn(), [7, 1]);
});
