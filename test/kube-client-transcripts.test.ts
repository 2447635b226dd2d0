// meshscope's live client against the exact answers a real kube-apiserver (v1.21) gave: a tiny HTTPS server replays
// recorded responses of ../shared/conformance/kube-apiserver byte for byte, and the client must handle each as it
// should (the plain-text 404 of an unserved version, Status errors, pagination, discovery, the 410 watch event).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KUBE_APISERVER, requireCorpus } from './support/paths.js';
import { readExchange as read, startReplay, type Replay, type Served } from './support/replay.js';
import { KubeClient, KubeRequestError, loadKubeconfig, k8s } from '../src/sources/kube/index.js';
import { listAll } from '../src/sources/kube/list.js';
import { discoverKinds } from '../src/sources/kube/discovery.js';

requireCorpus(KUBE_APISERVER, 'the recorded kube-apiserver answers the client must handle');

let replay: Replay;
let client: KubeClient;
const serve = (ids: Served[]) => replay.serve(ids);

before(async () => {
  await k8s();
  replay = await startReplay();
  client = await KubeClient.create(await loadKubeconfig(replay.kubeconfig), 'recorded', { timeoutMs: 5000, retries: 0 });
});
after(async () => {
  client.close();
  await replay.close();
});

const failure = async (p: Promise<unknown>): Promise<KubeRequestError> => {
  try { await p; } catch (err) { assert.ok(err instanceof KubeRequestError, String(err)); return err; }
  assert.fail('the request should have failed');
};

test('the plain-text 404 of an unserved version is "not served", never a JSON parse error', async () => {
  serve(['02-unserved/envoyfilters-v1-namespaced']);
  const e = await failure(client.request('GET', '/apis/networking.istio.io/v1/namespaces/demo/envoyfilters', { what: { verb: 'list', resource: 'envoyfilters', group: 'networking.istio.io', namespace: 'demo' } }));
  assert.equal(e.status, 404);
  assert.equal(e.reason, 'not served by the API server (404 page not found)');
});

test('Status errors: a missing object, a denied list, a failed JSON-patch test op, a stale PUT', async () => {
  serve(['04-get/vs-missing', '02-unserved/envoyfilters-v1-viewer', '05-write/vs-jsonpatch-test-stale-rv', '05-write/vs-put-stale-rv']);
  let e = await failure(client.request('GET', '/apis/networking.istio.io/v1/namespaces/demo/virtualservices/no-such-vs'));
  assert.equal(e.reason, 'not found: virtualservices.networking.istio.io "no-such-vs" not found');
  e = await failure(client.request('GET', '/apis/networking.istio.io/v1/envoyfilters', { what: { verb: 'list', resource: 'envoyfilters', group: 'networking.istio.io' } }));
  assert.equal(e.status, 403);
  assert.equal(e.reason, 'forbidden: cannot list envoyfilters.networking.istio.io');
  e = await failure(client.request('PATCH', '/apis/networking.istio.io/v1/namespaces/conformance/virtualservices/vs-write', { body: [], contentType: 'application/json-patch+json' }));
  assert.equal(e.status, 422);
  assert.match(e.reason, /^invalid: the server rejected our request/);
  e = await failure(client.request('PUT', '/apis/networking.istio.io/v1/namespaces/conformance/virtualservices/vs-write', { body: {} }));
  assert.equal(e.status, 409);
  assert.match(e.reason, /^conflict: Operation cannot be fulfilled on virtualservices\.networking\.istio\.io "vs-write"/);
});

test('pagination: continue and remainingItemCount are followed to the last page (continue "")', async () => {
  serve(['03-list/vs-cluster-wide-limit2-page1', '03-list/vs-cluster-wide-limit2-page2', '03-list/vs-cluster-wide-limit2-page3']);
  const pages = ['page1', 'page2', 'page3'].map((p) => (JSON.parse(read(`03-list/vs-cluster-wide-limit2-${p}`).response.body) as { items: unknown[] }).items.length);
  const r = await listAll(client, { kind: 'VirtualService', plural: 'virtualservices', group: 'networking.istio.io', version: 'v1', namespaced: true, istio: true }, undefined, 2);
  assert.equal(r.pages, 3);
  assert.equal(r.items.length, pages.reduce((a, b) => a + b, 0));
  assert.ok(r.items.every((o) => o.kind === 'VirtualService' && o.metadata.managedFields === undefined));
});

test('discovery from the recorded documents: EnvoyFilter at v1alpha3, the rest at their preferred version, nothing absent', async () => {
  serve([
    '01-discovery/apis', '01-discovery/apis_discovery-k8s-io_v1', '01-discovery/apis_networking-istio-io_v1', '01-discovery/apis_networking-istio-io_v1beta1',
    '01-discovery/apis_networking-istio-io_v1alpha3', '01-discovery/apis_security-istio-io_v1', '01-discovery/apis_gateway-networking-k8s-io_v1',
    '01-discovery/apis_gateway-networking-x-k8s-io_v1alpha1',
  ]);
  const d = await discoverKinds(client);
  const at = (kind: string, group: string) => [...d.kinds, ...d.discovered].find((k) => k.kind === kind && k.group === group)?.version;
  assert.deepEqual(d.failures, []);
  assert.deepEqual(d.absent, []);
  assert.equal(at('EnvoyFilter', 'networking.istio.io'), 'v1alpha3');
  assert.equal(at('VirtualService', 'networking.istio.io'), 'v1');
  assert.equal(at('EndpointSlice', 'discovery.k8s.io'), 'v1');
  assert.equal(at('AuthorizationPolicy', 'security.istio.io'), 'v1');
  assert.equal(at('HTTPRoute', 'gateway.networking.k8s.io'), 'v1');
  assert.equal(at('TLSRoute', 'gateway.networking.k8s.io'), 'v1');
  assert.equal(at('BackendTLSPolicy', 'gateway.networking.k8s.io'), 'v1');
  assert.equal(at('XBackendTrafficPolicy', 'gateway.networking.x-k8s.io'), 'v1alpha1');
});

test('a watch from a too-old resourceVersion: the 410 ERROR event arrives as an event, then the stream ends', async () => {
  serve(['06-watch/vs-watch-rv-too-old']);
  const rec = read('06-watch/vs-watch-rv-too-old').request;
  const q = Object.fromEntries(new URLSearchParams(rec.query));
  delete q.watch;
  const events: [string, Record<string, unknown>][] = [];
  const done = await new Promise<KubeRequestError | undefined>((resolve) => {
    void client.watch(rec.path, q, (type, obj) => events.push([type, obj]), resolve);
  });
  assert.equal(done, undefined);
  assert.deepEqual(events.map(([t, o]) => [t, o.reason, o.code]), [['ERROR', 'Expired', 410]]);
});
