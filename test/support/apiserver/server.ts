// A real HTTPS Kubernetes API server for tests, answering as kube-apiserver v1.21 does
// (../shared/conformance/kube-apiserver; test/apiserver-transcripts.test.ts replays it): discovery, paginated lists,
// get, watch (watch.ts), writes with resourceVersion semantics (writes.ts), access reviews (reviews.ts),
// pods/portforward over WebSocket (to a fake Envoy admin), the refusals of kubelet subresources (kubelet.ts) and
// istiod's debug endpoints through the Service proxy subresource (istiod-debug.ts). Faults are configured per request
// with FaultRule (see faults.ts).
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket, type AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../../src/model/resources.js';
import { testCertificate } from './certs.js';
import { ObjectStore, type ResourceType } from './store.js';
import { resourceTypes, type GatewayApiChannel, type IstioCrdSet } from './crds.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, PAGE_NOT_FOUND } from './discovery.js';
import { FakeEnvoyAdmin, type ProxyData } from './envoy.js';
import { readSeedContext } from './seed.js';
import { matchFault, type FaultRule, type RequestInfo } from './faults.js';
import { rbacAllows, type RbacRule } from './rbac.js';
import { faultStatus, notFound, REASONS, status } from './status.js';
import { handleWrite } from './writes.js';
import { selectorFilter } from './selectors.js';
import { parseRequest, readBody } from './request.js';
import { IstiodDebug } from './istiod-debug.js';
import { forwardPort } from './portforward.js';
import { serveWatch } from './watch.js';
import { isKubeletRequest, kubeletAnswer } from './kubelet.js';
import { accessReview, rulesReview } from './reviews.js';

export type { FaultRule, RequestInfo } from './faults.js';
export type { ProxyData } from './envoy.js';
export type { RbacRule, AccessAttributes } from './rbac.js';

export interface ApiServerOptions {
  /** Used in messages and as istiod's CLUSTER_ID. */
  name?: string;
  /** bearer token → user name. Default { 'token-admin': 'admin' }. */
  tokens?: Record<string, string>;
  /** A snapshot context folder (objects + proxies/<ns>/<pod>/*.json) to seed from. */
  seedDir?: string;
  seed?: KubeObject[];
  /** "ns/pod" → Envoy admin data. Added to those found in seedDir. */
  proxies?: Record<string, ProxyData>;
  /** Which CRDs of ../shared/conformance/crds the server has (default: Istio's current set, Gateway API standard). */
  crds?: { istio?: IstioCrdSet; gatewayApi?: GatewayApiChannel };
  /** Narrows the Istio CRDs' served versions to these ([] = Istio not installed). */
  istioVersions?: string[];
  /** Added to every request before it is handled. */
  latencyMs?: number;
  faults?: FaultRule[];
  /** Accept TCP connections and never answer (not even the TLS handshake). */
  blackhole?: boolean;
  /** user → RBAC rules (see rbac.ts). Users not listed are unrestricted. */
  rbac?: Record<string, RbacRule[]>;
  /** Nodes without a Node object: port-forward, exec and log to their pods get kube-apiserver's 404 for the node. */
  missingNodes?: string[];
}

export interface RequestRecord extends RequestInfo {
  status?: number;
  user?: string;
  /** Date.now() when the request arrived. */
  at?: number;
  /** Whether the client resumed an earlier TLS session (no full handshake). */
  tlsResumed?: boolean;
}

export interface TestApiServer {
  name: string;
  url: string;
  port: number;
  /** PEM of the self-signed certificate (put in the kubeconfig as certificate-authority-data). */
  caPem: string;
  store: ObjectStore;
  requests: RequestRecord[];
  /** Mutable: rules are checked in order on every request; the first match applies. */
  faults: FaultRule[];
  latencyMs: number;
  /** The resource types served (built-ins and the CRDs'), from crds.ts. */
  types: ResourceType[];
  envoy: FakeEnvoyAdmin;
  setBlackhole(on: boolean): void;
  setProxy(namespace: string, pod: string, data: ProxyData): void;
  /** What istiod believes it sent to proxy "pod.ns": a config dump, or null for "not connected". Unset = same as Envoy. */
  setIstiodView(proxyId: string, dump: unknown | null | undefined): void;
  /** Ends every open watch stream (the client sees a dropped watch). */
  dropWatches(): void;
  /** Mutable: user → RBAC rules. Users not listed are unrestricted. */
  rbac: Record<string, RbacRule[]>;
  /** Open watch streams right now. */
  openWatchCount(): number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startApiServer(opts: ApiServerOptions = {}): Promise<TestApiServer> {
  const name = opts.name ?? 'test';
  const tls = testCertificate();
  const tokens = opts.tokens ?? { 'token-admin': 'admin' };
  // Everything that reads files (the CRDs, the seed) comes before anything listens: a missing corpus fails the test
  // with its name instead of leaving a server open that keeps the test process alive.
  const types = resourceTypes({ ...opts.crds, istio: opts.istioVersions?.length === 0 ? 'none' : opts.crds?.istio, istioVersions: opts.istioVersions });
  const store = new ObjectStore();
  const envoy = new FakeEnvoyAdmin();
  const seed = opts.seedDir ? readSeedContext(opts.seedDir) : undefined;
  for (const o of seed?.objects ?? []) store.seed(o);
  for (const o of opts.seed ?? []) store.seed(o);
  for (const [k, p] of seed?.proxies ?? []) envoy.proxies.set(k, { ...p });
  for (const [k, p] of Object.entries(opts.proxies ?? {})) envoy.proxies.set(k, p);
  await envoy.start();
  const istiod = new IstiodDebug(name, envoy);
  const openWatches = new Set<ServerResponse>();
  const held = new Set<Socket | Duplex>();
  let blackhole = Boolean(opts.blackhole);
  const missingNodes = new Set(opts.missingNodes ?? []);
  const podType = () => api.types.find((x) => x.plural === 'pods')!;

  const api: TestApiServer = {
    name, url: '', port: 0, caPem: tls.cert, store, requests: [], faults: opts.faults ?? [],
    latencyMs: opts.latencyMs ?? 0, envoy,
    types,
    rbac: opts.rbac ?? {},
    openWatchCount: () => openWatches.size,
    setBlackhole(on) { blackhole = on; },
    setProxy(ns, pod, data) { envoy.proxies.set(`${ns}/${pod}`, data); },
    setIstiodView(id, dump) { istiod.setView(id, dump); },
    dropWatches() { for (const w of openWatches) w.socket?.destroy(); openWatches.clear(); },
    async close() {
      api.dropWatches();
      for (const s of held) s.destroy();
      https.closeAllConnections();
      await new Promise<void>((r) => net.close(() => r()));
      await envoy.close();
    },
  };

  // ---- helpers ----
  const sendJson = (res: ServerResponse, status: number, body: unknown, info?: RequestInfo, rule?: FaultRule) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...(rule?.retryAfterSeconds !== undefined ? { 'retry-after': String(rule.retryAfterSeconds) } : {}) });
    if (rule?.truncateBytes !== undefined) {
      res.write(text.slice(0, rule.truncateBytes));
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    res.end(text);
    void info;
  };

  const sendText = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  /** Common front of every request: record, authenticate, apply latency and faults. Returns undefined when answered. */
  const front = async (req: IncomingMessage, info: RequestInfo, answer: (code: number, body: unknown, rule?: FaultRule) => void, socket: Duplex, answerText?: (code: number, text: string) => void) => {
    const auth = String(req.headers.authorization ?? '');
    const user = auth.startsWith('Bearer ') ? tokens[auth.slice(7)] : undefined;
    const rec: RequestRecord = { ...info, user, at: Date.now(), tlsResumed: (socket as { isSessionReused?: () => boolean }).isSessionReused?.() };
    api.requests.push(rec);
    const rule = matchFault(api.faults, info);
    const latency = api.latencyMs + (rule?.latencyMs ?? 0);
    if (latency > 0) await sleep(latency);
    if (rule?.blackhole) { held.add(socket); rec.status = 0; return undefined; }
    if (rule?.reset) { socket.destroy(); rec.status = 0; return undefined; }
    if (!user) { rec.status = 401; answer(401, status(401, 'Unauthorized', 'Unauthorized')); return undefined; }
    if (rule?.gate) await rule.gate.catch(() => undefined);
    const rules = api.rbac[user];
    if (rules && !rbacAllows(rules, info)) { rec.status = 403; answer(403, faultStatus(name, 403, info, user)); return undefined; }
    if (rule?.status) {
      rec.status = rule.status;
      if (rule.text !== undefined && answerText) answerText(rule.status, rule.text);
      else answer(rule.status, faultStatus(name, rule.status, info, user, rule.message), rule);
      return undefined;
    }
    return { user, rule, rec };
  };

  // ---- HTTP handler ----
  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const info = parseRequest(req.method ?? 'GET', url);
    const answer = (code: number, body: unknown, rule?: FaultRule) => sendJson(res, code, body, info, rule);
    const ok = await front(req, info, answer, req.socket, (code, text) => sendText(res, code, text));
    if (!ok) return;
    const { rule, rec, user } = ok;
    const reply = (code: number, body: unknown) => {
      rec.status = code;
      if (rule?.resetAfterHandling) { res.socket?.destroy(); return; }
      sendJson(res, code, body, info, rule);
    };
    try {
      if (info.group === 'authorization.k8s.io' && info.verb === 'create' && /^selfsubject(access|rules)reviews$/.test(info.resource ?? '')) {
        const review = JSON.parse(await readBody(req));
        const manager = String(req.headers['user-agent'] ?? 'unknown').split('/')[0];
        const a = info.resource === 'selfsubjectaccessreviews' ? accessReview(info.version!, review, manager, api.rbac[user]) : rulesReview(info.version!, review, api.rbac[user]);
        return reply(a.code, a.body);
      }
      await route(req, res, url, info, reply, (code, text) => { rec.status = code; sendText(res, code, text); }, rule);
    } catch (err) {
      reply(500, status(500, 'InternalError', String(err instanceof Error ? err.message : err)));
    }
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, info: RequestInfo, reply: (c: number, b: unknown) => void, replyText: (c: number, t: string) => void, rule?: FaultRule) => {
    const p = url.pathname.replace(/\/+$/, '');
    // As kube-apiserver: an unknown group, an unserved version and an unknown resource of a CRD group are answered by
    // the mux's plain-text 404; an unknown resource of a built-in group-version by a Status.
    const pageNotFound = () => replyText(404, PAGE_NOT_FOUND);
    if (p === '/version') return reply(200, { major: '1', minor: '21', gitVersion: 'v1.21.3', platform: 'linux/amd64' });
    if (p === '/api') return reply(200, apiVersions(`127.0.0.1:${api.port}`));
    if (p === '/apis') return reply(200, apiGroupList(api.types));
    const g = /^\/apis\/([^/]+)$/.exec(p);
    if (g) { const grp = apiGroup(api.types, g[1]); return grp ? reply(200, grp) : pageNotFound(); }
    if (p === '/api/v1' || /^\/apis\/[^/]+\/[^/]+$/.test(p)) {
      const list = p === '/api/v1' ? apiResourceList(api.types, '', 'v1') : apiResourceList(api.types, p.split('/')[2], p.split('/')[3]);
      return list ? reply(200, list) : pageNotFound();
    }
    if (info.resource === 'services' && info.subresource === 'proxy') return istiod.handle(info, url, reply);
    if (isKubeletRequest(info)) {
      const a = kubeletAnswer(info, url, (n) => store.get(podType(), info.namespace, n), missingNodes, false)!;
      return a.text !== undefined ? replyText(a.code, a.text) : reply(a.code, a.body);
    }
    const group = info.group ?? '';
    const served = (x: ResourceType) => x.group === group && x.versions.includes(info.version ?? '');
    const t = info.resource ? api.types.find((x) => x.plural === info.resource && served(x)) : undefined;
    if (!t) {
      const builtinGv = api.types.some((x) => x.builtin && served(x));
      return builtinGv ? reply(404, status(404, 'NotFound', 'the server could not find the requested resource', {})) : pageNotFound();
    }
    const withVersion = (o: KubeObject) => (t.builtin ? o : { ...o, apiVersion: `${t.group}/${info.version}` });

    if (info.verb === 'list') {
      const select = selectorFilter(url, t);
      if (typeof select !== 'function') return reply(400, status(400, 'BadRequest', select.badRequest));
      const all = store.list(t, info.namespace).filter(select);
      const limit = Number(url.searchParams.get('limit') ?? 0);
      const cont = url.searchParams.get('continue');
      let offset = 0;
      if (cont) {
        try { offset = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8')).offset; } catch { return reply(400, status(400, 'BadRequest', 'invalid continue token')); }
      }
      const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
      const next = limit > 0 && offset + limit < all.length ? Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64url') : undefined;
      const listVersion = t.group ? `${t.group}/${info.version}` : 'v1';
      return reply(200, {
        kind: `${t.kind}List`, apiVersion: listVersion,
        // Custom resource lists always carry `continue` ("" on the last page); built-in lists only when there is more.
        metadata: { ...(t.builtin ? {} : { continue: '' }), resourceVersion: store.resourceVersion, ...(next ? { continue: next, remainingItemCount: all.length - offset - limit } : {}) },
        items: page.map(withVersion),
      });
    }
    if (info.verb === 'watch') {
      return serveWatch({ req, res, url, t, info, store, withVersion, reply, rule, track: (open) => { if (open) openWatches.add(res); else openWatches.delete(res); } });
    }
    if (info.verb === 'get') {
      const o = store.get(t, info.namespace, info.name!);
      return o ? reply(200, withVersion(o)) : reply(404, notFound(t, info.name!));
    }
    if (['create', 'update', 'patch', 'delete'].includes(info.verb) && (!info.subresource || info.subresource === 'status' || info.subresource === 'finalize')) {
      if (info.verb === 'patch' && String(req.headers['content-type'] ?? '').startsWith('application/apply-patch') && !url.searchParams.get('fieldManager')) {
        return reply(422, status(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] }));
      }
      const a = handleWrite({
        store, t, info, url, body: await readBody(req), contentType: String(req.headers['content-type'] ?? '').split(';')[0].trim(),
        manager: url.searchParams.get('fieldManager') ?? String(req.headers['user-agent'] ?? 'unknown').split('/')[0],
      });
      return reply(a.code, a.body);
    }
    return reply(405, status(405, 'MethodNotAllowed', `${info.verb} is not supported on ${t.plural}`));
  };

  // ---- port-forward (WebSocket upgrade) ----
  const onUpgrade = async (req: IncomingMessage, socket: Duplex) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    // Authorized by method, as kube-apiserver does: a WebSocket GET as `get`, a SPDY POST as `create`.
    const info = parseRequest(req.method ?? 'GET', url);
    const answer = (code: number, body: unknown) => {
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    const ok = await front(req, info, answer, socket);
    if (!ok) return;
    const refused = isKubeletRequest(info) ? kubeletAnswer(info, url, (n) => store.get(podType(), info.namespace, n), missingNodes, true) : undefined;
    if (refused) { ok.rec.status = refused.code; return answer(refused.code, refused.body); }
    if (info.resource !== 'pods' || info.subresource !== 'portforward') { ok.rec.status = 404; return answer(404, status(404, 'NotFound', 'the server could not find the requested resource')); }
    const pod = store.get(podType(), info.namespace, info.name!)!;
    const port = Number(url.searchParams.get('ports') ?? 0);
    if (forwardPort(req, socket, info, pod, port, envoy, ok.rule)) ok.rec.status = 101;
  };

  const https: HttpsServer = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => void onRequest(req, res));
  https.on('upgrade', (req, socket) => void onUpgrade(req, socket));
  https.on('tlsClientError', () => undefined);
  // The TCP front lets a test black-hole the whole server: sockets are accepted and then left unanswered.
  const net: NetServer = createNetServer((sock) => {
    sock.on('error', () => undefined);
    if (blackhole) { held.add(sock); sock.on('close', () => held.delete(sock)); return; }
    https.emit('connection', sock);
  });
  await new Promise<void>((r) => net.listen(0, '127.0.0.1', r));
  api.port = (net.address() as AddressInfo).port;
  api.url = `https://127.0.0.1:${api.port}`;
  return api;
}
