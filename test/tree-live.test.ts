// `meshscope tree` / `analyze` on live contexts that fail or load in part (exit codes and stderr), and live objects
// with fields of the wrong type (skipped with a located issue, as in snapshot files), against the test API servers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { k8s, loadLiveContexts } from '../src/sources/kube/index.js';
import { admitLive, liveShapeIssue } from '../src/sources/kube/validate.js';
import type { ContextSnapshot } from '../src/model/context.js';
import type { KubeObject } from '../src/model/resources.js';

const repoRoot = resolve(import.meta.dirname, '..');
const SEED = join(import.meta.dirname, 'support/apiserver/seed');
const CLI = join(import.meta.dirname, 'support/apiserver/cli.ts');
let clusters: TestClusters;

const badVs: KubeObject = {
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bad-weights', namespace: 'app' },
  spec: { hosts: ['demoapp'], http: [{ route: [{ destination: { host: 'demoapp' }, weight: '80' }] }] },
};
const badGw: KubeObject = {
  apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bad-servers', namespace: 'app' },
  spec: { selector: { istio: 'ingressgateway' }, servers: { port: 80 } },
};

before(async () => {
  await k8s();
  clusters = await startTestClusters({
    a: { seedDir: join(SEED, 'a') },
    b: { seedDir: join(SEED, 'b') },
    c: { seedDir: join(SEED, 'a'), seed: [badVs, badGw] },
  }, { tokens: { b: 'not-a-valid-token' } });
});
after(async () => { await clusters.close(); });

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, '--kubeconfig', clusters.kubeconfig, '--request-timeout', '5s', ...args],
      { cwd: repoRoot, maxBuffer: 64 << 20 }, (error, out, err) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
      });
  });
}

test('tree and analyze exit 1 when the only context failed, naming it and why', async () => {
  const [tree, analyze] = await Promise.all([run('tree', '--context', 'b'), run('analyze', '--context', 'b')]);
  assert.equal(tree.code, 1, tree.out);
  assert.match(tree.err, /nothing loaded: context b: unauthorized/);
  assert.equal(tree.out, '');
  assert.equal(analyze.code, 1);
  assert.match(analyze.err, /nothing to analyze: context b: unauthorized/);
});

test('one of two contexts failed: exit 0, the other is shown, a warning names the failed one and why', async () => {
  const [tree, json] = await Promise.all([run('tree', '--context', 'a,b'), run('tree', '--context', 'a,b', '-o', 'json')]);
  assert.equal(tree.code, 0, tree.err);
  assert.match(tree.out, /demoapp/);
  assert.match(tree.err, /^meshscope: warning: context b not loaded: unauthorized.*; showing the other contexts$/m);
  assert.doesNotMatch(tree.err, /context a (not|partially) loaded/);
  assert.equal(json.code, 0, json.err);
  const doc = JSON.parse(json.out) as { contexts: { name: string; status: string }[] };
  assert.deepEqual(doc.contexts.map((c) => [c.name, c.status]), [['a', 'ok'], ['b', 'error']]);
});

test('a partial context (403 on one kind): exit 0 with a warning naming the context and the reason', async () => {
  clusters.servers.a.faults.push({ resource: 'destinationrules', verb: 'list', status: 403 });
  try {
    const r = await run('tree', '--context', 'a');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^meshscope: warning: context a partially loaded: DestinationRule \(networking\.istio\.io\/v1\): forbidden: cannot list destinationrules\.networking\.istio\.io.*; showing what loaded$/m);
    assert.match(r.out, /demoapp/);
  } finally {
    clusters.servers.a.faults.length = 0;
  }
});

test('live objects with fields of the wrong type are skipped with a located issue; the rest loads and the tree works', async () => {
  const [snap] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['c'], requestTimeout: '5s' });
  assert.equal(snap.status, 'partial');
  assert.equal(snap.reason, '2 objects skipped (fields of the wrong type)');
  const names = snap.objects.map((o) => `${o.obj.kind} ${o.obj.metadata.name}`);
  assert.ok(!names.includes('VirtualService bad-weights') && !names.includes('Gateway bad-servers'));
  assert.ok(names.includes('VirtualService demoapp'), 'the good objects load');
  const issues = snap.issues.filter((i) => i.message.endsWith('object skipped')).map((i) => [i.context, i.object, i.message]);
  assert.deepEqual(issues.sort(), [
    ['c', 'Gateway app/bad-servers', 'spec.servers must be a list, not a mapping; object skipped'],
    ['c', 'VirtualService app/bad-weights', 'spec.http[0].route[0].weight must be a number, not the string "80"; object skipped'],
  ]);
  const tree = await run('tree', '--context', 'c', '-o', 'json');
  assert.equal(tree.code, 0, tree.err);
  assert.match(tree.err, /error: context c, VirtualService app\/bad-weights: spec\.http\[0\]\.route\[0\]\.weight must be a number, not the string "80"; object skipped/);
  assert.match(tree.err, /warning: context c partially loaded: 2 objects skipped/);
  const doc = JSON.parse(tree.out) as { nodes: unknown[] };
  assert.doesNotMatch(JSON.stringify(doc.nodes), /bad-weights|bad-servers/);
});

test('watch events: a bad version is kept out (and its older version removed), a fixed one comes back', () => {
  const snap: ContextSnapshot = { name: 'w', source: { kind: 'live' }, objects: [], proxies: [], issues: [], status: 'ok' };
  assert.equal(liveShapeIssue('w', { ...badVs, spec: { hosts: ['x'] } }), undefined);
  assert.equal(admitLive(snap, badVs), false);
  assert.equal(admitLive(snap, badVs), false);
  assert.deepEqual(snap.issues.map((i) => i.object), ['VirtualService app/bad-weights'], 'recorded once');
  assert.equal(admitLive(snap, { ...badVs, spec: { hosts: ['demoapp'] } }), true);
  assert.deepEqual(snap.issues, [], 'the fixed object clears its issue');
  assert.match(liveShapeIssue('w', { ...badVs, metadata: { name: 5 as unknown as string } })!.message, /^metadata\.name must be a string/);
});
