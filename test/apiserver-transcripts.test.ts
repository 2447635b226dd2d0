// The test API server answers like the real one: every recorded request of ../shared/conformance/kube-apiserver
// (kube-apiserver v1.21 with the same CRDs) that the test server claims to serve is replayed against it, and the
// answers must have the recorded shape: status, content type, plain-text bodies byte for byte, Status fields, the
// discovery documents' structure, list pagination, objects by structure. The write script (05-write) is replayed in
// order against a fresh server. Exchanges it does not claim are named below with the reason, so a new transcript is
// never silently ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApiServer, type TestApiServer } from './support/apiserver/index.js';
import { KUBE_APISERVER, requireCorpus } from './support/paths.js';
import { canonical, header, loadExchanges, replay, structure, STATUS_FIELDS, type Answer, type Exchange } from './support/transcripts.js';
import type { KubeObject } from '../src/model/resources.js';

requireCorpus(KUBE_APISERVER, 'the kube-apiserver transcripts the test API server must answer like');

const exchanges = loadExchanges();
const byId = new Map(exchanges.map((e) => [e.id, e]));
/** Groups whose answers are compared in full: every Status field, objects by structure. */
const STRICT = /^(05-write|06-watch|07-authz|08-portforward-proxy)\//;

/** Why an exchange is not replayed (checked in order); undefined: it is replayed and must match. */
function notClaimed(e: Exchange): string | undefined {
  const r = e.request;
  const accept = header(r.headers, 'accept') ?? '*/*';
  if (!['admin', 'viewer'].includes(r.identity)) return 'identities other than a token user (anonymous, bad token) are not modelled';
  if (e.id.startsWith('00-meta/')) return 'pretty-printing, /version and health checks are not modelled';
  if (e.id.startsWith('10-cluster-b')) return 'cluster-b objects are not seeded';
  if (e.id.startsWith('05-write/')) return undefined;
  if (e.id.startsWith('07-authz/')) return undefined;
  if (/^08-portforward-proxy\/pod-proxy-(no-)?port$/.test(e.id)) {
    return "a pods/NAME/proxy dial: the recorded 503 names the capture rig's egress block (dial unix /var/run/no-cluster-egress.sock); the test server has no pod network and answers 503 with its own dial error";
  }
  if (e.id.startsWith('08-portforward-proxy/')) return undefined;
  if (/^\/apis\/(apps|batch|autoscaling|policy|rbac\.authorization\.k8s\.io|networking\.k8s\.io|events\.k8s\.io|storage\.k8s\.io)(\/|$)/.test(r.path)) return 'built-in groups meshscope does not read are not served';
  if (e.id.startsWith('09-table/') || /as=Table|protobuf|yaml|as=PartialObjectMetadata|text\/html|apidiscovery/.test(accept)) {
    return 'Table, protobuf, YAML, PartialObjectMetadata and aggregated-discovery answers are not modelled';
  }
  if (r.method !== 'GET') return 'writes outside the write script are not replayed';
  if (e.id.startsWith('06-watch/')) return undefined;
  if (/resourceVersion(Match)?=|continue=/.test(r.query)) {
    return 'resourceVersion semantics and recorded continue tokens are not modelled (the client side is replayed in kube-client-replay)';
  }
  if (/^\/api\/v1\/namespaces\/[^/]+\/(secrets|configmaps)/.test(r.path)) return 'Secrets and ConfigMaps are not seeded';
  return undefined;
}

/** Objects the recorded GETs answered with: the test server is seeded with them. */
function seedObjects(): KubeObject[] {
  const out = new Map<string, KubeObject>();
  for (const e of exchanges) {
    if (e.request.identity !== 'admin' || e.request.method !== 'GET' || e.response.status !== 200 || !/json/.test(e.response.headers['Content-Type'] ?? '')) continue;
    if (/^(05|06|10)-/.test(e.id) || /watch=/.test(e.request.query)) continue;
    let body: { kind?: string; items?: KubeObject[]; apiVersion?: string; metadata?: { name?: string } };
    try { body = JSON.parse(e.response.body); } catch { continue; }
    const objs = Array.isArray(body.items) ? body.items.map((i) => ({ ...i, apiVersion: i.apiVersion ?? body.apiVersion, kind: i.kind ?? body.kind?.replace(/List$/, '') })) : body.metadata?.name ? [body as KubeObject] : [];
    for (const o of objs) if (o.kind && o.metadata?.name) out.set(`${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o as KubeObject);
  }
  return [...out.values()];
}

let srv: TestApiServer;
before(async () => {
  srv = await startApiServer({
    name: 'transcripts', crds: { gatewayApi: 'experimental' }, seed: seedObjects(),
    tokens: { 'token-admin': 'admin', 'token-viewer': 'viewer' }, rbac: { viewer: [] }, missingNodes: ['node-a1'],
  });
});
after(async () => { await srv.close(); });

type Json = Record<string, unknown>;
/** The Status fields every claimed answer must match (the strict groups: all of STATUS_FIELDS). */
const LOOSE_STATUS_FIELDS = ['kind', 'apiVersion', 'status', 'reason', 'code'];

/** The parts of a discovery document that must match: groups/versions/preferred, resources and their attributes. */
function discoveryShape(doc: Json, groups?: Set<string>): unknown {
  if (doc.kind === 'APIGroupList') {
    return (doc.groups as Json[]).filter((g) => !groups || groups.has(g.name as string)).map((g) => ({ name: g.name, versions: g.versions, preferredVersion: g.preferredVersion }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }
  if (doc.kind === 'APIResourceList') {
    const resources = (doc.resources as Json[]).map(({ storageVersionHash: _h, ...r }) => r);
    return { groupVersion: doc.groupVersion, resources: resources.sort((a, b) => String(a.name).localeCompare(String(b.name))) };
  }
  return doc;
}

/** Compares one answer with the recorded one; returns what differs (empty: same shape). */
function differences(e: Exchange, got: Answer, servedGroups: Set<string>, builtinGroups: Set<string>, masked: (message: unknown) => unknown = (m) => m): string[] {
  const want = e.response;
  const out: string[] = [];
  if (got.status !== want.status) out.push(`status ${got.status}, recorded ${want.status}`);
  const wantType = header(want.headers, 'content-type') ?? '';
  if (got.contentType !== wantType) out.push(`content type "${got.contentType}", recorded "${wantType}"`);
  if (out.length > 0) return out;
  if (!wantType.includes('json')) {
    if (got.body !== want.body) out.push(`body ${JSON.stringify(got.body)}, recorded ${JSON.stringify(want.body)}`);
    return out;
  }
  const a = JSON.parse(got.body) as Json, b = JSON.parse(want.body) as Json;
  const strict = STRICT.test(e.id);
  if (b.kind === 'Status' && strict) {
    for (const f of STATUS_FIELDS) {
      const shape = (v: unknown) => (f === 'message' ? masked(v) : f === 'details' && v && typeof v === 'object' && 'uid' in v ? canonical({ ...v, uid: '<uid>' }) : canonical(v));
      const x = JSON.stringify(shape(a[f])), y = JSON.stringify(shape(b[f]));
      if (x !== y) out.push(`Status ${f} ${JSON.stringify(a[f])}, recorded ${JSON.stringify(b[f])}`);
    }
    return out;
  }
  if (b.kind === 'Status') {
    for (const f of LOOSE_STATUS_FIELDS) if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) out.push(`Status ${f} ${JSON.stringify(a[f])}, recorded ${JSON.stringify(b[f])}`);
    if (JSON.stringify(Object.keys((a.details ?? {}) as Json).sort()) !== JSON.stringify(Object.keys((b.details ?? {}) as Json).sort())) out.push(`Status details ${JSON.stringify(a.details)}, recorded ${JSON.stringify(b.details)}`);
    if ([403, 404].includes(b.code as number) && a.message !== b.message) out.push(`Status message ${JSON.stringify(a.message)}, recorded ${JSON.stringify(b.message)}`);
    return out;
  }
  if (b.kind === 'APIGroupList' || b.kind === 'APIResourceList' || b.kind === 'APIGroup' || b.kind === 'APIVersions') {
    // Built-in groups the test server does not serve are left out of the comparison; every group it serves must match.
    const gvGroup = String(b.groupVersion).includes('/') ? String(b.groupVersion).split('/')[0] : '';
    const builtinGv = builtinGroups.has(gvGroup);
    let x = discoveryShape(a, servedGroups), y = discoveryShape(b, servedGroups);
    if (b.kind === 'APIVersions') { x = a.versions; y = b.versions; }
    if (builtinGv && b.kind === 'APIResourceList') {
      const served = new Set(((x as { resources: Json[] }).resources).map((r) => r.name));
      const resourceShape = (r: Json) => ({ name: r.name, namespaced: r.namespaced, kind: r.kind });
      x = (x as { resources: Json[] }).resources.map(resourceShape);
      y = (y as { resources: Json[] }).resources.filter((r) => served.has(r.name)).map(resourceShape);
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`discovery differs:\n  got      ${JSON.stringify(x)}\n  recorded ${JSON.stringify(y)}`);
    return out;
  }
  if (typeof b.kind === 'string' && b.kind.endsWith('List')) {
    const meta = (v: Json) => Object.keys((v.metadata ?? {}) as Json).sort().join(',');
    if (a.kind !== b.kind || a.apiVersion !== b.apiVersion) out.push(`list ${a.apiVersion} ${a.kind}, recorded ${b.apiVersion} ${b.kind}`);
    if (meta(a) !== meta(b)) out.push(`list metadata keys ${meta(a)}, recorded ${meta(b)}`);
    // A selected list: the same objects as the real server selected.
    if (/labelSelector|fieldSelector/.test(e.request.query)) {
      const names = (v: Json) => ((v.items ?? []) as { metadata: { namespace?: string; name: string } }[]).map((i) => `${i.metadata.namespace ?? ''}/${i.metadata.name}`).sort().join(' ');
      if (names(a) !== names(b)) out.push(`selected ${names(a) || 'nothing'}, recorded ${names(b) || 'nothing'}`);
    }
    return out;
  }
  if (typeof b.type === 'string') {
    // A watch answer: the event sequence (types, and the Status of an ERROR event).
    const events = (body: string) => body.split('\n').filter(Boolean).map((l) => { const ev = JSON.parse(l) as { type: string; object: Json }; return ev.type === 'ERROR' ? [ev.type, ev.object.kind, ev.object.reason, ev.object.code] : [ev.type, ev.object.kind]; });
    if (JSON.stringify(events(got.body)) !== JSON.stringify(events(want.body))) out.push(`watch events ${JSON.stringify(events(got.body))}, recorded ${JSON.stringify(events(want.body))}`);
    return out;
  }
  if (strict) {
    const x = JSON.stringify(structure(a)), y = JSON.stringify(structure(b));
    if (x !== y) out.push(`object differs:\n  got      ${x}\n  recorded ${y}`);
    return out;
  }
  if (a.kind !== b.kind || a.apiVersion !== b.apiVersion) out.push(`object ${a.apiVersion} ${a.kind}, recorded ${b.apiVersion} ${b.kind}`);
  return out;
}

test('the transcripts the test server claims are replayed, and every other one is named with the reason', () => {
  const claimed = exchanges.filter((e) => !notClaimed(e));
  assert.ok(claimed.length >= 60, `only ${claimed.length} exchanges replayed`);
  for (const id of ['01-discovery/apis', '01-discovery/apis_networking-istio-io_v1alpha3', '02-unserved/envoyfilters-v1-namespaced', '02-unserved/core-nosuchresources', '04-get/vs-missing', '06-watch/vs-watch-rv-too-old', '03-list/vs-cluster-wide-limit2-page1',
    '03-list/vs-labelselector', '03-list/vs-labelselector-set', '03-list/vs-labelselector-invalid', '03-list/vs-fieldselector-name', '03-list/vs-fieldselector-unsupported', '03-list/pods-labelselector',
    '05-write/vs-jsonpatch-test-stale-rv', '05-write/vs-mergepatch-stale-rv', '05-write/vs-put-stale-rv', '05-write/vs-dryrun-put', '05-write/vs-dryrun-put-verify',
    '06-watch/vs-watch-bookmarks-changes', '06-watch/vs-watch-labelselector-transitions', '07-authz/ssar-admin-patch-vs', '07-authz/ssar-viewer-patch-vs',
    '08-portforward-proxy/portforward-get-no-upgrade', '08-portforward-proxy/ws-portforward-admin', '08-portforward-proxy/portforward-viewer']) {
    assert.ok(byId.has(id) && !notClaimed(byId.get(id)!), `${id} is replayed`);
  }
});

test('the test server answers each claimed request as the recorded kube-apiserver did', async () => {
  const servedGroups = new Set(srv.types.map((t) => t.group).filter(Boolean));
  const builtinGroups = new Set(srv.types.filter((t) => t.builtin).map((t) => t.group));
  const failures: string[] = [];
  for (const e of exchanges) {
    if (notClaimed(e) || /^0[56]-/.test(e.id)) continue;
    const got = await replay(srv, e);
    const d = differences(e, got, servedGroups, builtinGroups);
    if (d.length > 0) failures.push(`${e.id} (${e.request.identity} ${e.request.method} ${e.request.path}${e.request.query ? `?${e.request.query}` : ''}):\n  ${d.join('\n  ')}`);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the write script (05-write) replayed in order against a fresh server: each answer has the recorded shape, and resourceVersions change where they changed', async () => {
  const script = exchanges.filter((e) => e.id.startsWith('05-write/') && !notClaimed(e)).sort((a, b) => a.captured_at.localeCompare(b.captured_at));
  assert.ok(script.length >= 60 && script[0].id === '05-write/create-namespace' && script.at(-1)!.id === '05-write/namespace-gone', 'the script runs from create-namespace to namespace-gone');
  const fresh = await startApiServer({ name: 'write-script', crds: { gatewayApi: 'experimental' }, tokens: { 'token-admin': 'admin', 'token-viewer': 'viewer' }, rbac: { viewer: [] } });
  try {
    /** recorded resourceVersion → the fresh server's, learnt from each answer. */
    const rvs = new Map<string, string>();
    /** object → its last resourceVersion, recorded and replayed. */
    const last = new Map<string, [string, string]>();
    // resourceVersions inside messages (a DELETE precondition) differ by run.
    const masked = (m: unknown) => (typeof m === 'string' ? m.replace(/\(\d+\)/g, '(N)') : m);
    const failures: string[] = [];
    for (const e of script) {
      const rewrite = (text: string | null) => text && text.replace(/"(\d+)"/g, (m, rv: string) => (rvs.has(rv) ? `"${rvs.get(rv)}"` : m));
      const got = await replay(fresh, e, rewrite(e.request.body));
      const d = differences(e, got, new Set(), new Set(), masked);
      if (d.length > 0) failures.push(`${e.id} (${e.request.method} ${e.request.path}${e.request.query ? `?${e.request.query}` : ''}):\n  ${d.join('\n  ')}`);
      if (got.status >= 300 || !/json/.test(got.contentType)) continue;
      const want = JSON.parse(e.response.body) as KubeObject, mine = JSON.parse(got.body) as KubeObject;
      if (want.kind === 'Status' || want.kind?.endsWith('List')) continue;
      const key = `${want.kind}/${want.metadata.namespace ?? ''}/${want.metadata.name}`;
      const w = want.metadata.resourceVersion, m = mine.metadata?.resourceVersion;
      if (w && m) rvs.set(w, m);
      if (!w || !m) continue;
      const prev = last.get(key);
      if (prev && (prev[0] !== w) !== (prev[1] !== m)) {
        failures.push(`${e.id}: resourceVersion ${prev[1] !== m ? 'changed' : 'did not change'}, recorded ${prev[0] !== w ? 'changed' : 'unchanged'} (${prev[0]} → ${w})`);
      }
      last.set(key, [w, m]);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  } finally {
    await fresh.close();
  }
});

/** A watch body as comparable events: the initial ADDED run sorted (it comes in cache order), repeated BOOKMARKs once. */
function watchEvents(body: string, rv: (r: string) => string): unknown[] {
  const out: unknown[][] = [];
  for (const line of body.split('\n').filter(Boolean)) {
    const ev = JSON.parse(line) as { type: string; object: Json & { metadata?: { name?: string; labels?: unknown; resourceVersion?: string } } };
    const m = ev.object.metadata ?? {};
    const row = ev.type === 'ERROR' ? [ev.type, ev.object.kind, ev.object.reason, ev.object.code, String(ev.object.message).replace(/\(\d+\)/, '(N)')]
      : [ev.type, ev.object.kind, m.name, m.labels, m.resourceVersion === undefined ? undefined : rv(m.resourceVersion)];
    if (ev.type === 'BOOKMARK' && JSON.stringify(out.at(-1)) === JSON.stringify(row)) continue;
    out.push(row);
  }
  const initial = out.findIndex((r) => r[0] !== 'ADDED');
  const head = out.slice(0, initial < 0 ? out.length : initial);
  return [...head.sort((a, b) => String(a[2]).localeCompare(String(b[2]))), ...out.slice(head.length)];
}

test('the watch script (06-watch) replayed in order against a server seeded as its list shows it: the same events, framing and ERROR event', async () => {
  const script = exchanges.filter((e) => e.id.startsWith('06-watch/') && !notClaimed(e)).sort((a, b) => a.captured_at.localeCompare(b.captured_at));
  assert.equal(script[0]?.id, '06-watch/list-before-watch');
  const listed = JSON.parse(script[0].response.body) as { metadata: { resourceVersion: string }; items: KubeObject[] };
  const pods = (JSON.parse(byId.get('03-list/pods-demo')!.response.body) as { items: KubeObject[] }).items.map((p) => ({ ...p, apiVersion: 'v1', kind: 'Pod' }));
  const fresh = await startApiServer({ name: 'watch-script', crds: { gatewayApi: 'experimental' }, seed: [...pods, ...listed.items], tokens: { 'token-admin': 'admin', 'token-viewer': 'viewer' }, rbac: { viewer: [] } });
  try {
    // Both servers spend one resourceVersion per write from the listed state on: recorded ones map by an offset.
    const offset = Number(fresh.store.resourceVersion) - Number(listed.metadata.resourceVersion);
    const mapRv = (r: string) => (Number(r) >= Number(listed.metadata.resourceVersion) ? String(Number(r) + offset) : r);
    // Objects as seeded: their resourceVersions predate the listed state on both sides.
    const seededRv = (limit: number) => (r: string) => (Number(r) <= limit ? '<seeded>' : r);
    const ours = seededRv(Number(fresh.store.resourceVersion)), theirs = seededRv(Number(listed.metadata.resourceVersion));
    const failures: string[] = [];
    for (const e of script) {
      const p = new URLSearchParams(e.request.query);
      if (p.has('resourceVersion')) p.set('resourceVersion', /^\d+$/.test(p.get('resourceVersion')!) ? mapRv(p.get('resourceVersion')!) : p.get('resourceVersion')!);
      // Shorter timeouts: a bookmark still comes 2 s before the end, after the writes (made at once).
      if (p.has('timeoutSeconds')) p.set('timeoutSeconds', p.get('allowWatchBookmarks') ? '3' : '1');
      let writes: Promise<void> = Promise.resolve();
      const got = await replay(fresh, e, null, {
        query: p.toString().replace(/\+/g, '%20'),
        onResponse: () => { writes = (async () => { for (const d of e.during_watch ?? []) await write(fresh, d, failures, e.id); })(); },
      });
      await writes;
      const where = `${e.id} (${e.request.identity} ${e.request.method} ${e.request.path}?${p.toString()})`;
      const wantType = header(e.response.headers, 'content-type') ?? '';
      if (got.status !== e.response.status || got.contentType !== wantType || got.status !== 200 || !/watch/.test(e.request.query + e.request.path)) {
        const d = differences(e, got, new Set(), new Set());
        if (d.length > 0) failures.push(`${where}:\n  ${d.join('\n  ')}`);
        continue;
      }
      const x = JSON.stringify(watchEvents(got.body, ours)), y = JSON.stringify(watchEvents(e.response.body, (r) => mapRv(theirs(r))));
      if (x !== y) failures.push(`${where}: events\n  got      ${x}\n  recorded ${y}`);
      if (got.body !== '' && !got.body.endsWith('\n')) failures.push(`${where}: the stream does not end with a newline`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));
  } finally {
    await fresh.close();
  }
});

/** One of the writes a watch exchange made while open, as admin; a status other than the recorded one is a failure. */
async function write(srv: TestApiServer, d: NonNullable<Exchange['during_watch']>[number], failures: string[], id: string): Promise<void> {
  const body = d.body === null ? null : JSON.stringify(d.body);
  const e = {
    id: `${id} (write)`, captured_at: '', response: { status: d.status, headers: {}, body: '' },
    request: { method: d.method, path: d.path, query: '', identity: 'admin', body, headers: { 'Content-Type': d.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } },
  };
  const got = await replay(srv, e);
  if (got.status !== d.status) failures.push(`${id}: the write ${d.method} ${d.path} answered ${got.status}, recorded ${d.status}: ${got.body}`);
}
