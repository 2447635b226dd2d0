// More recorded kube-apiserver answers (../shared/conformance/kube-apiserver) replayed to meshscope's live client:
// watch framing and bookmarks, selectors, resourceVersion and continue semantics, dry-run writes, access reviews,
// port-forward refusals, 401 and anonymous answers, and Table answers, each handled as it should be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KUBE_APISERVER, requireCorpus } from './support/paths.js';
import { readExchange, startReplay, type Replay } from './support/replay.js';
import { KubeClient, KubeRequestError, loadKubeconfig, k8s } from '../src/sources/kube/index.js';
import { listAll } from '../src/sources/kube/list.js';
import { discoverKinds } from '../src/sources/kube/discovery.js';
import { canEditWeights } from '../src/sources/edit/access.js';
import { liveAccess } from '../src/sources/edit/kube-client.js';
import { adminGet } from '../src/sources/envoy-admin.js';
import type { LiveKind } from '../src/sources/kube/kinds.js';

requireCorpus(KUBE_APISERVER, 'the recorded kube-apiserver answers the client must handle');

let replay: Replay;
let client: KubeClient;
before(async () => {
  await k8s();
  replay = await startReplay();
  client = await KubeClient.create(await loadKubeconfig(replay.kubeconfig), 'recorded', { timeoutMs: 5000, retries: 0 });
});
after(async () => {
  client.close();
  await replay.close();
});

const VS: LiveKind = { kind: 'VirtualService', plural: 'virtualservices', group: 'networking.istio.io', version: 'v1', namespaced: true, istio: true };
const itemsOf = (id: string) => (JSON.parse(readExchange(id).response.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
const failure = async (p: Promise<unknown>): Promise<KubeRequestError> => {
  try { await p; } catch (err) { assert.ok(err instanceof KubeRequestError, String(err)); return err; }
  assert.fail('the request should have failed');
};

/** The recorded watch's events, as the client must report them: type, kind and name (or the Status of an ERROR). */
function recordedEvents(id: string): string[] {
  return readExchange(id).response.body.split('\n').filter(Boolean).map((l) => {
    const ev = JSON.parse(l) as { type: string; object: { kind: string; metadata?: { name?: string } } };
    return `${ev.type} ${ev.object.kind} ${ev.object.metadata?.name ?? ''}`;
  });
}
function watch(id: string, splitChunks: boolean): Promise<{ events: string[]; done: KubeRequestError | undefined }> {
  replay.serve([{ id, splitChunks }]);
  const rec = readExchange(id).request;
  const q = Object.fromEntries(new URLSearchParams(rec.query));
  delete q.watch;
  const events: string[] = [];
  return new Promise((resolve) => {
    void client.watch(rec.path, q, (type, obj) => events.push(`${type} ${String(obj.kind)} ${(obj.metadata as { name?: string } | undefined)?.name ?? ''}`), (done) => resolve({ events, done }));
  });
}

test('watch framing: the recorded events arrive one by one, also when a chunk cuts an event in two; BOOKMARKs are events too', async () => {
  for (const id of ['06-watch/vs-watch-no-bookmarks-changes', '06-watch/vs-watch-bookmarks-changes', '06-watch/vs-watch-labelselector-transitions']) {
    const want = recordedEvents(id);
    assert.ok(want.length >= 2, `${id} has events`);
    for (const split of [false, true]) {
      const got = await watch(id, split);
      assert.equal(got.done, undefined, `${id}: the stream ended cleanly`);
      assert.deepEqual(got.events, want, `${id}${split ? ' (split chunks)' : ''}`);
    }
  }
  assert.ok(recordedEvents('06-watch/vs-watch-bookmarks-changes').some((e) => e.startsWith('BOOKMARK VirtualService')));
});

test('selectors: a label or field selector list is a list like any other; a bad selector is a bad request with the server\'s words', async () => {
  replay.serve(['03-list/pods-labelselector', '03-list/vs-fieldselector-name', '03-list/vs-labelselector-invalid', '03-list/vs-fieldselector-unsupported']);
  const pods = await client.request<{ items: { metadata: { labels: Record<string, string> } }[] }>('GET', '/api/v1/namespaces/demo/pods', { query: { labelSelector: 'app=reviews,version=v2' } });
  assert.ok(pods.body.items.length > 0 && pods.body.items.every((p) => p.metadata.labels.app === 'reviews' && p.metadata.labels.version === 'v2'));
  const byName = await client.request<{ items: { metadata: { name: string } }[] }>('GET', '/apis/networking.istio.io/v1/virtualservices', { query: { fieldSelector: 'metadata.name=reviews' } });
  assert.deepEqual(byName.body.items.map((i) => i.metadata.name), itemsOf('03-list/vs-fieldselector-name'));
  let e = await failure(client.request('GET', '/apis/networking.istio.io/v1/namespaces/conformance/virtualservices', { query: { labelSelector: 'tier in in (x' } }));
  assert.deepEqual([e.status, e.reason], [400, "bad request: unable to parse requirement: found 'in' expected: '('"]);
  e = await failure(client.request('GET', '/apis/networking.istio.io/v1/virtualservices', { query: { fieldSelector: 'spec.hosts=reviews' } }));
  assert.deepEqual([e.status, e.reason], [400, 'bad request: field label not supported: spec.hosts']);
});

test('resourceVersion and continue: an expired continue token lists again in one piece; too old, too new and invalid versions say so', async () => {
  replay.serve(['03-list/vs-cluster-wide-limit2-page1', '03-list/vs-expired-continue', '03-list/vs-cluster-wide']);
  const r = await listAll(client, VS, undefined, 2);
  assert.deepEqual(r.items.map((i) => i.metadata.name), itemsOf('03-list/vs-cluster-wide'), 'the whole list, once, after the 410');
  assert.equal(r.pages, 3);
  const sent = replay.requests.slice(-3).map((q) => q.params.toString());
  assert.equal(sent[2], '', 'the list again without limit or continue');
  replay.serve(['03-list/vs-rvmatch-exact-old', '03-list/vs-rv-future', '03-list/vs-rv0', '03-list/vs-bogus-continue']);
  const path = '/apis/networking.istio.io/v1/virtualservices';
  let e = await failure(client.request('GET', path, { query: { resourceVersion: '2', resourceVersionMatch: 'Exact' } }));
  assert.deepEqual([e.status, e.reason.split(':')[0]], [410, 'expired']);
  e = await failure(client.request('GET', path, { query: { resourceVersion: '100452' } }));
  assert.deepEqual([e.status, e.reason], [504, 'server error 504: Timeout: Too large resource version: 100452, current: 452']);
  e = await failure(client.request('GET', path, { query: { limit: 2, continue: 'bm90LWEtdG9rZW4' } }));
  assert.match(e.reason, /^bad request: invalid continue token/);
  const rv0 = await client.request<{ items: unknown[] }>('GET', path, { query: { resourceVersion: '0' } });
  assert.equal(rv0.body.items.length, itemsOf('03-list/vs-rv0').length);
});

test('dry run: a dry-run PATCH answers the object as it would be (dryRun=All sent), and the object is unchanged', async () => {
  const recorded = readExchange('05-write/vs-dryrun-patch');
  replay.serve([
    { id: '05-write/vs-dryrun-patch', match: (r) => r.method === 'PATCH' && r.path === recorded.request.path && r.params.get('dryRun') === 'All' },
    '05-write/vs-dryrun-patch-verify',
  ]);
  const { api } = await liveAccess('recorded', 'networking.istio.io/v1', { kubeconfig: replay.kubeconfig });
  const would = await api.patch('conformance', 'vs-write', [{ op: 'replace', path: '/spec/hosts', value: ['dry-run-only'] }], true);
  assert.deepEqual((would.spec as { hosts: string[] }).hosts, ['dry-run-only']);
  const now = await api.get('conformance', 'vs-write');
  assert.notDeepEqual((now.spec as { hosts: string[] }).hosts, ['dry-run-only']);
  assert.equal(replay.requests.find((r) => r.method === 'PATCH')?.params.get('dryRun'), 'All');
});

test('SelfSubjectAccessReview: the viewer may not patch, the admin may; the review meshscope sends is the recorded one', async () => {
  const review = (id: string) => { replay.serve([id]); return canEditWeights(client, 'demo'); };
  assert.deepEqual(await review('07-authz/ssar-viewer-patch-vs'), { allowed: false, reason: 'forbidden: cannot patch virtualservices.networking.istio.io in namespace demo' });
  const sent = JSON.parse(replay.requests.at(-1)!.body) as { spec: unknown };
  assert.deepEqual(sent.spec, (JSON.parse(readExchange('07-authz/ssar-viewer-patch-vs').request.body!) as { spec: unknown }).spec);
  assert.deepEqual(await review('07-authz/ssar-admin-patch-vs'), { allowed: true });
  const bad = await review('07-authz/ssar-empty-spec');
  assert.equal(bad.allowed, undefined);
  assert.match(bad.reason ?? '', /^could not check access: invalid: /);
});

test('port-forward refusals say what the API server said: a node it cannot reach (404), a user without pods/portforward (403)', async () => {
  const pod = 'productpage-v1-6b746f74dc-x7k2p';
  const ws = (id: string) => ({ id, match: (r: { headers: Record<string, unknown>; path: string }) => r.headers.upgrade === 'websocket' && r.path.endsWith(`/pods/${pod}/portforward`) });
  replay.serve([ws('08-portforward-proxy/ws-portforward-admin'), '08-portforward-proxy/portforward-get-no-upgrade']);
  const said = (JSON.parse(readExchange('08-portforward-proxy/portforward-get-no-upgrade').response.body) as { message: string }).message;
  await assert.rejects(adminGet(client, 'demo', pod, 9080, '/config_dump'), { message: `port-forward to pod demo/${pod} port 9080: refused by the API server: ${said} (404)` });
  replay.serve([ws('08-portforward-proxy/ws-portforward-viewer')]);
  // The WebSocket GET is authorized as `get`, as the recorded refusal says.
  assert.match(JSON.parse(readExchange('08-portforward-proxy/ws-portforward-viewer').response.body).message, /cannot get resource "pods\/portforward"/);
  await assert.rejects(adminGet(client, 'demo', pod, 9080, '/config_dump'), { message: 'forbidden: cannot get pods/portforward in namespace demo' });
});

test('401 for a bad token and 403 for anonymous are named; discovery that is refused fails the context with the reason', async () => {
  replay.serve(['00-meta/api-bad-token', '00-meta/apis-anonymous']);
  let e = await failure(client.request('GET', '/api'));
  assert.deepEqual([e.status, e.reason], [401, 'unauthorized']);
  e = await failure(client.request('GET', '/apis', { what: { verb: 'get', resource: '/apis' } }));
  assert.deepEqual([e.status, e.reason], [403, 'forbidden: cannot get /apis']);
  await assert.rejects(discoverKinds(client), { reason: 'forbidden: cannot get API discovery (/apis)' });
  replay.serve([{ id: '00-meta/api-bad-token', match: (r) => r.path === '/apis' }]);
  await assert.rejects(discoverKinds(client), { reason: 'unauthorized' });
});

test('Table answers: meshscope asks for JSON objects, never a Table; a Table where a list is expected is refused, not read as empty', async () => {
  replay.serve([{ id: '09-table/vs-demo-table-v1', match: (r) => r.method === 'GET' && r.path === '/apis/networking.istio.io/v1/namespaces/demo/virtualservices' }]);
  await assert.rejects(listAll(client, VS, 'demo'), { message: "list virtualservices: the server's answer is not a list" });
  for (const r of replay.requests.filter((q) => !q.headers.upgrade)) assert.equal(r.headers.accept, 'application/json', `${r.method} ${r.path}`);
});
