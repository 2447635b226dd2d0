// A thin wrapper over @kubernetes/client-node for one context: raw JSON requests (objects stay exactly as the
// server sent them), a per-request timeout through an ObservableMiddleware, retries of idempotent reads,
// watches and port-forwards. client-node is imported lazily so snapshot runs never load it.
import type * as K8s from '@kubernetes/client-node';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { formatDuration } from './duration.js';
import { singleContextConfig, contextInfo, type MergedKubeconfig } from './kubeconfig.js';
import { k8s } from './k8s-module.js';
import { httpError, transportError, KubeRequestError, TRUNCATED, type RequestWhat } from './errors.js';
import { rawSend } from './client-node-adapter.js';
import { SessionResumingAgent } from './session-agent.js';

export { k8s };

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Names the request in error messages. */
  what?: RequestWhat;
  /** Overrides the client's timeout (ms; 0 = none). */
  timeoutMs?: number;
  /** Retries for GETs on 429/5xx/reset (default: the client's). Writes are never retried. */
  retries?: number;
}

export interface KubeResponse<T> { status: number; body: T; text: string; headers: Record<string, string> }

export interface KubeClientOptions {
  /** Per-request timeout in ms, 0 = none. */
  timeoutMs: number;
  retries?: number;
  /** Cap on one retry's backoff (ms). */
  maxBackoffMs?: number;
}

/** Sets AbortSignal.timeout on every request (client-node 1.4 has no timeout option). */
export function timeoutMiddleware(k: typeof K8s, ms: number): K8s.ObservableMiddleware {
  return {
    pre: (ctx) => { if (ms > 0) ctx.setSignal(AbortSignal.timeout(ms) as never); return new k.Observable(Promise.resolve(ctx)); },
    post: (resp) => new k.Observable(Promise.resolve(resp)),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes a response that is cut short (the connection closed before the body's end) fail the request at once.
 * node-fetch 2 does not notice it for a body with a content-length and would wait for the rest until the timeout.
 */
function truncationAware(agent: HttpsAgent): HttpsAgent {
  const a = agent as HttpsAgent & { addRequest(req: ClientRequest, options: unknown): void };
  const add = a.addRequest.bind(a);
  a.addRequest = (req, options) => {
    req.once('response', (res: IncomingMessage) => res.once('close', () => {
      if (!res.complete) req.emit('error', Object.assign(new Error(TRUNCATED), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    }));
    add(req, options);
  };
  return agent;
}

/** Port-forward open times kept per pod. */
const FORWARD_TIMES_KEPT = 4;

export class KubeClient {
  /** One keep-alive agent per context: TLS handshakes once, not per request (idle sockets do not hold the process). */
  private agent?: HttpsAgent;
  /** Port-forward WebSockets: no keep-alive (each upgraded socket is the stream), but TLS sessions are resumed. */
  private forwardAgent?: HttpsAgent;
  /** The port-forwards' TLS context, built once: a context per WebSocket costs about 1 ms of CPU (CA parsing). */
  private forwardTls?: { key: string; context: SecureContext };
  /** How long each pod's last few port-forwards took to open (ms), by `namespace/pod`. */
  private readonly forwardOpenMs = new Map<string, number[]>();

  private constructor(
    readonly context: string,
    readonly server: string,
    /** The kubeconfig user name (for audit lines; never a credential). */
    readonly user: string,
    readonly defaultNamespace: string | undefined,
    readonly kc: K8s.KubeConfig,
    private readonly k: typeof K8s,
    readonly options: KubeClientOptions,
  ) {}

  static async create(kubeconfig: MergedKubeconfig, context: string, options: KubeClientOptions): Promise<KubeClient> {
    const info = contextInfo(kubeconfig, context);
    const k = await k8s();
    let kc: K8s.KubeConfig;
    try {
      kc = singleContextConfig(k, kubeconfig, context);
    } catch (err) {
      throw new KubeRequestError(`bad kubeconfig entry: ${err instanceof Error ? err.message : String(err)}`, 'protocol');
    }
    return new KubeClient(context, info.server ?? '', info.user, info.namespace, kc, k, options);
  }

  get timeoutMs(): number { return this.options.timeoutMs; }

  /** One HTTP request; JSON bodies are parsed. Throws KubeRequestError with a one-line reason. */
  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<KubeResponse<T>> {
    const retries = method === 'GET' ? (opts.retries ?? this.options.retries ?? 2) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(method, path, opts);
      } catch (err) {
        const e = err instanceof KubeRequestError ? err : transportError(err, opts.timeoutMs ?? this.timeoutMs);
        const retryable = e.status === 429 || (e.status !== undefined && e.status >= 500 && e.status !== 501) || e.reason === 'connection reset' || e.reason === TRUNCATED;
        if (!retryable || attempt >= retries) throw e;
        const cap = this.options.maxBackoffMs ?? 1000;
        await sleep(Math.min(cap, e.retryAfterSeconds !== undefined ? e.retryAfterSeconds * 1000 : 100 * 2 ** attempt));
      }
    }
  }

  private async once<T>(method: string, path: string, opts: RequestOptions): Promise<KubeResponse<T>> {
    const k = this.k;
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const what: RequestWhat = opts.what ?? { verb: method.toLowerCase(), resource: path };
    const server = new k.ServerConfiguration(this.server.replace(/\/+$/, ''), {});
    const ctx = server.makeRequestContext(path, method.toUpperCase() as K8s.HttpMethod);
    for (const [key, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') ctx.setQueryParam(key, String(v));
    ctx.setHeaderParam('Accept', 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    }
    try {
      await this.kc.applySecurityAuthentication(ctx);
      const fresh = ctx.getAgent() as (HttpsAgent & { options?: object }) | undefined;
      if (fresh instanceof HttpsAgent) {
        this.agent ??= truncationAware(new HttpsAgent({ ...fresh.options, keepAlive: true, maxSockets: 32 }));
        fresh.destroy();
        ctx.setAgent(this.agent);
      }
      const resp = await rawSend(k, this.kc, server, ctx, [timeoutMiddleware(k, timeoutMs)]);
      const text = await resp.body.text();
      if (resp.httpStatusCode >= 400) throw httpError(resp.httpStatusCode, text, what, resp.headers['retry-after']);
      let body: unknown = text;
      if ((resp.headers['content-type'] ?? '').includes('json') || /^\s*[{[]/.test(text)) {
        try { body = JSON.parse(text); } catch {
          throw new KubeRequestError(`truncated or invalid JSON from the server (${text.length} bytes)`, 'protocol', resp.httpStatusCode);
        }
      }
      return { status: resp.httpStatusCode, body: body as T, text, headers: resp.headers };
    } catch (err) {
      throw transportError(err, timeoutMs);
    }
  }

  /**
   * Streams watch events of a list path. `onDone` gets undefined when the server ended the stream, else the error
   * (also when no answer came within the request timeout: client-node's Watch has no timeout, and a watch to a
   * black-holed server would hang, unreported and unstoppable). Returns a stop function that aborts the request
   * at any stage, so nothing is left open on exit.
   */
  async watch(path: string, query: Record<string, string | boolean | number | undefined>, onEvent: (type: string, obj: Record<string, unknown>) => void, onDone: (err?: KubeRequestError) => void, onOpen?: () => void): Promise<() => void> {
    const url = new URL(this.server.replace(/\/+$/, '') + path);
    url.searchParams.set('watch', 'true');
    for (const [key, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(key, String(v));
    const opts: HttpsRequestOptions & { headers?: Record<string, string> } = {};
    await this.kc.applyToHTTPSOptions(opts as never);
    const ac = new AbortController();
    const agent = opts.agent as HttpsAgent | undefined;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const end = () => { finished = true; clearTimeout(timer); ac.abort(); agent?.destroy(); };
    const finish = (err?: KubeRequestError) => { if (finished) return; end(); onDone(err); };
    const what: RequestWhat = { verb: 'watch', resource: path };
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(url, { ...opts, method: 'GET', signal: ac.signal, headers: { ...opts.headers, Accept: 'application/json' } } as HttpsRequestOptions);
    if (this.timeoutMs > 0) timer = setTimeout(() => finish(new KubeRequestError(`watch: no answer within ${formatDuration(this.timeoutMs)}`, 'timeout')), this.timeoutMs);
    req.on('socket', (s) => s.setKeepAlive(true, 30_000));
    req.on('error', (err) => finish(transportError(err, this.timeoutMs)));
    req.on('response', (res) => {
      clearTimeout(timer);
      res.setEncoding('utf8');
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (c: string) => { if (text.length < 65536) text += c; });
        res.on('end', () => finish(httpError(res.statusCode ?? 0, text, what, res.headers['retry-after'] as string | undefined)));
        res.on('error', (err) => finish(transportError(err, this.timeoutMs)));
        return;
      }
      onOpen?.();
      let buf = '';
      res.on('data', (c: string) => {
        buf += c;
        for (let i = buf.indexOf('\n'); i >= 0 && !finished; i = buf.indexOf('\n')) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (!line) continue;
          let ev: { type?: unknown; object?: unknown };
          try { ev = JSON.parse(line) as typeof ev; } catch { continue; }
          if (typeof ev.type === 'string' && ev.object && typeof ev.object === 'object') onEvent(ev.type, ev.object as Record<string, unknown>);
        }
      });
      res.on('end', () => finish());
      res.on('close', () => finish(res.complete ? undefined : new KubeRequestError('watch: connection lost', 'network')));
      res.on('error', (err) => finish(transportError(err, this.timeoutMs)));
    });
    req.end();
    return end;
  }

  /** Records how long a port-forward to this pod took to open (the API server, kubelet and node path). */
  noteForwardOpen(namespace: string, pod: string, ms: number): void {
    const key = `${namespace}/${pod}`;
    const last = this.forwardOpenMs.get(key) ?? [];
    last.push(ms);
    if (last.length > FORWARD_TIMES_KEPT) last.shift();
    this.forwardOpenMs.set(key, last);
  }

  /**
   * The order in which to start port-forwards to these pods, as indices: pods never forwarded to first, then the
   * slowest to open. Setting up each forward costs the client about a millisecond, so with many at once the last
   * one leaves tens of milliseconds late; starting the slow ones first keeps that off the longest wait.
   */
  slowestFirst(pods: readonly { namespace: string; pod: string }[]): number[] {
    const known = pods.map((p) => this.forwardOpenTime(p.namespace, p.pod));
    return pods.map((_, i) => i).sort((a, b) => (known[b] ?? Infinity) - (known[a] ?? Infinity) || a - b);
  }

  /**
   * How long a port-forward to this pod takes to open (ms), from its last few; undefined when none was made. The
   * least of them: a forward opened among many others also waited for the client.
   */
  forwardOpenTime(namespace: string, pod: string): number | undefined {
    const last = this.forwardOpenMs.get(`${namespace}/${pod}`);
    return last ? Math.min(...last) : undefined;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.forwardAgent?.destroy();
    this.forwardAgent = undefined;
  }

  /**
   * client-node's PortForward, for envoy-admin.ts. Its WebSocket gets a handshake timeout (the request timeout):
   * without one, a port-forward to a server that never answers stays open for ever, and so does the process.
   */
  portForwarder(): K8s.PortForward {
    const kc = Object.create(this.kc) as K8s.KubeConfig;
    const timeoutMs = this.timeoutMs;
    kc.applyToHTTPSOptions = async (opts) => {
      await this.kc.applyToHTTPSOptions(opts);
      if (timeoutMs > 0) (opts as { handshakeTimeout?: number }).handshakeTimeout = timeoutMs;
      // client-node gives every WebSocket a new Agent, which drops the TLS session; a plain one is swapped for the
      // shared agent (a proxy agent, from the kubeconfig's proxy-url, stays).
      this.forwardAgent ??= new SessionResumingAgent({ keepAlive: false, maxCachedSessions: 256 });
      const withAgent = opts as { agent?: unknown };
      if (!withAgent.agent || (withAgent.agent as object).constructor === HttpsAgent) withAgent.agent = this.forwardAgent;
      const o = opts as SecureContextOptions & { secureContext?: SecureContext };
      if (!o.secureContext && !o.pfx) {
        const key = tlsKey(o);
        if (this.forwardTls?.key !== key) this.forwardTls = { key, context: createSecureContext({ ca: o.ca, cert: o.cert, key: o.key, passphrase: o.passphrase }) };
        o.secureContext = this.forwardTls.context;
        // The context carries them; left in, they would make the agent's key (and session cache key) kilobytes long.
        delete o.ca; delete o.cert; delete o.key; delete o.passphrase;
      }
    };
    return new this.k.PortForward(kc, true);
  }
}

/** What a TLS context is built from, to tell when the kubeconfig's credentials changed (a refreshed client cert). */
function tlsKey(o: SecureContextOptions): string {
  const part = (v: unknown) => (Array.isArray(v) ? v.map(String).join('\0') : v === undefined ? '' : String(v));
  return [part(o.ca), part(o.cert), part(o.key), part(o.passphrase)].join('\u0001');
}
