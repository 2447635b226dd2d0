// meshscope's live client against the exact answers a real kube-apiserver (v1.21) gave: a tiny HTTPS server replays
// recorded responses of ../shared/conformance/kube-apiserver byte for byte, and the client must handle each as it
// should (the plain-text 404 of an unserved version, Status errors, pagination, discovery, the 410 watch event).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCertificate } from './support/apiserver/certs.js';
import { kubeconfigYaml } from './support/apiserver/index.js';
import { KUBE_APISERVER, requireCorpus } from './support/paths.js';
import { KubeClient, KubeRequestError, loadKubeconfig, k8s } from '../src/sources/kube/index.js';
import { listAll } from '../src/sources/kube/list.js';
import { discoverKinds } from '../src/sources/kube/discovery.js';

requireCorpus(KUBE_APISERVER, 'the recorded kube-apiserver answers the client must handle');

interface Exchange {
  id: string;
  request: { method: string; path: string; query: string };
  response: { status: number; headers: Record<string, string>; body: string };
}
const read = (id: string) => JSON.parse(readFileSync(join(KUBE_APISERVER, `${id}.json`), 'utf8')) as Exchange;

/** Request "METHOD path" plus its query parameters (order-free) → the recorded exchange that answers it. */
const served: Exchange[] = [];
/** Query parameters, order-free; watch=1 and watch=true are the same to kube-apiserver. */
const params = (q: string) => [...new URLSearchParams(q)].map(([k, v]) => `${k}=${k === 'watch' && v === '1' ? 'true' : v}`).sort().join('&');
let server: Server;
let client: KubeClient;
let dir: string;

function serve(ids: string[]): void {
  served.length = 0;
  served.push(...ids.map(read));
}

before(async () => {
  await k8s();
  const tls = testCertificate();
  server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const e = served.find((x) => x.request.method === req.method && x.request.path === url.pathname && params(x.request.query) === params(url.search.slice(1)));
    if (!e) { res.writeHead(599, { 'content-type': 'text/plain' }); res.end(`no recorded answer for ${req.method} ${url.pathname}${url.search}`); return; }
    res.writeHead(e.response.status, { 'content-type': e.response.headers['Content-Type'] ?? 'application/json' });
    res.end(e.response.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  dir = mkdtempSync(join(tmpdir(), 'meshscope-transcripts-'));
  writeFileSync(join(dir, 'config'), kubeconfigYaml([{ context: 'recorded', server: `https://127.0.0.1:${port}`, caPem: tls.cert }]));
  client = await KubeClient.create(await loadKubeconfig(join(dir, 'config')), 'recorded', { timeoutMs: 5000, retries: 0 });
});
after(async () => {
  client.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
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
