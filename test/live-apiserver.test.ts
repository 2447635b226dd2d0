// The test API server's write semantics (what weight edits rely on), driven through the real client-node.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { openKubeClient, loadLiveContexts, watchLiveContexts, KubeRequestError, type KubeClient, type LiveChange } from '../src/sources/kube/index.js';
import type { KubeObject } from '../src/model/resources.js';

let clusters: TestClusters;
let client: KubeClient;
const VS = '/apis/networking.istio.io/v1/namespaces/app/virtualservices/demoapp';

before(async () => {
  clusters = await startTestClusters({ a: { seedDir: join(import.meta.dirname, 'support/apiserver/seed/a') } });
  client = await openKubeClient({ kubeconfig: clusters.kubeconfig, context: 'a' });
});
after(async () => { await clusters.close(); });

const get = async () => (await client.request<KubeObject>('GET', VS)).body;
const jsonPatch = (ops: unknown[], query = {}) => client.request<KubeObject>('PATCH', VS, { body: ops, contentType: 'application/json-patch+json', query });

test('JSON patch with a test op on resourceVersion: applies and bumps resourceVersion; a stale test gets 422', async () => {
  const before = await get();
  const rv = before.metadata.resourceVersion!;
  const res = await jsonPatch([{ op: 'test', path: '/metadata/resourceVersion', value: rv }, { op: 'replace', path: '/spec/http/0/route/1/weight', value: 0 }, { op: 'replace', path: '/spec/http/0/route/0/weight', value: 100 }]);
  assert.equal(res.body.spec.http[0].route[1].weight, 0);
  assert.ok(Number(res.body.metadata.resourceVersion) > Number(rv));
  assert.equal(res.body.metadata.generation, 2);
  const err = await jsonPatch([{ op: 'test', path: '/metadata/resourceVersion', value: rv }, { op: 'replace', path: '/spec/http/0/route/1/weight', value: 50 }]).catch((e: unknown) => e);
  assert.ok(err instanceof KubeRequestError);
  assert.equal(err.status, 422);
  // kube-apiserver loses the JSON-patch error's text (05-write/vs-jsonpatch-test-stale-rv).
  assert.equal(err.reason, 'invalid: the server rejected our request due to an error in our request');
  assert.equal((await get()).spec.http[0].route[1].weight, 0, 'nothing written');
});

test('merge patch with a stale resourceVersion gets 409; dryRun=All returns the would-be object and stores nothing', async () => {
  const cur = await get();
  const stale = await client.request('PATCH', VS, { body: { metadata: { resourceVersion: '1' }, spec: { hosts: ['x'] } }, contentType: 'application/merge-patch+json' }).catch((e: unknown) => e);
  assert.ok(stale instanceof KubeRequestError && stale.status === 409 && /^conflict: /.test(stale.reason));
  const dry = await jsonPatch([{ op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 }], { dryRun: 'All' });
  assert.equal(dry.body.spec.http[0].route[1].weight, 30);
  const after = await get();
  assert.deepEqual(after, cur, 'dry run stores nothing and keeps resourceVersion');
  const put = await client.request<KubeObject>('PUT', VS, { body: { ...cur, metadata: { ...cur.metadata, resourceVersion: '1' } } }).catch((e: unknown) => e);
  assert.ok(put instanceof KubeRequestError && put.status === 409);
  // A patch that changes nothing is a no-op (05-write/vs-put-noop): resourceVersion stays.
  const noop = await client.request<KubeObject>('PATCH', VS, { body: { metadata: { resourceVersion: cur.metadata.resourceVersion }, metadata2: null }, contentType: 'application/merge-patch+json' });
  assert.equal(noop.body.metadata.resourceVersion, cur.metadata.resourceVersion);
  const ok = await client.request<KubeObject>('PATCH', VS, { body: { metadata: { resourceVersion: cur.metadata.resourceVersion, labels: { patched: 'yes' } } }, contentType: 'application/merge-patch+json' });
  assert.notEqual(ok.body.metadata.resourceVersion, cur.metadata.resourceVersion);
  const bad = await client.request('PATCH', VS, { body: {}, contentType: 'application/strategic-merge-patch+json' }).catch((e: unknown) => e);
  assert.ok(bad instanceof KubeRequestError && bad.status === 415);
});

test('--watch: a write shows up as a change with its time, the object replaced in place', async () => {
  const [snap] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'] });
  const index = snap.objects.findIndex((o) => o.obj.kind === 'VirtualService');
  const changes: LiveChange[] = [];
  const got = new Promise<void>((resolve) => {
    const h = watchLiveContexts([snap], (c) => { changes.push(c); h.stop(); resolve(); });
  });
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  await jsonPatch([{ op: 'replace', path: '/spec/http/0/route/0/weight', value: 77 }]);
  await got;
  assert.equal(changes[0].type, 'MODIFIED');
  assert.equal(changes[0].object.kind, 'VirtualService');
  assert.ok(changes[0].time.getTime() >= t0);
  assert.equal(snap.objects[index].obj.spec.http[0].route[0].weight, 77);
  assert.equal(snap.objects[index].obj.metadata.managedFields, undefined);
});
