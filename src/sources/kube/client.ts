// A thin wrapper over @kubernetes/client-node for one context: raw JSON requests (objects stay exactly as the
// server sent them), a per-request timeout through an ObservableMiddleware, retries of idempotent reads,
// watches and port-forwards. client-node is imported lazily so snapshot runs never load it.
import type * as K8s from '@kubernetes/client-node';
import { Agent as HttpsAgent } from 'node:https';
import { singleContextYaml, contextInfo, type MergedKubeconfig } from './kubeconfig.js';
import { httpError, transportError, KubeRequestError, type RequestWhat } from './errors.js';

let k8sModule: Promise<typeof K8s> | undefined;
/** The client-node module, loaded on first use (~0.5 s). */
export function k8s(): Promise<typeof K8s> {
  k8sModule ??= import('@kubernetes/client-node');
  return k8sModule;
}

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

export class KubeClient {
  /** One keep-alive agent per context: TLS handshakes once, not per request (idle sockets do not hold the process). */
  private agent?: HttpsAgent;

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
    const kc = new k.KubeConfig();
    try {
      kc.loadFromString(singleContextYaml(kubeconfig, context));
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
        const retryable = e.status === 429 || (e.status !== undefined && e.status >= 500 && e.status !== 501) || e.reason === 'connection reset';
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
    let ctx = server.makeRequestContext(path, method.toUpperCase() as K8s.HttpMethod);
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
        this.agent ??= new HttpsAgent({ ...fresh.options, keepAlive: true, maxSockets: 32 });
        fresh.destroy();
        ctx.setAgent(this.agent);
      }
      const config = k.createConfiguration({ baseServer: server, authMethods: { default: this.kc }, middleware: [timeoutMiddleware(k, timeoutMs)] } as never) as unknown as { middleware: K8s.ObservableMiddleware[]; httpApi: { send(c: K8s.RequestContext): K8s.Observable<K8s.ResponseContext> } };
      for (const m of config.middleware) ctx = await m.pre(ctx).toPromise();
      let resp = await config.httpApi.send(ctx).toPromise();
      for (const m of config.middleware) resp = await m.post(resp).toPromise();
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
   * Streams watch events of a list path. `onDone` gets undefined when the server ended the stream, else the error.
   * Returns a stop function.
   */
  async watch(path: string, query: Record<string, string | boolean | number | undefined>, onEvent: (type: string, obj: Record<string, unknown>) => void, onDone: (err?: KubeRequestError) => void): Promise<() => void> {
    const w = new this.k.Watch(this.kc);
    const q: Record<string, string | number | boolean | undefined> = {};
    for (const [key, v] of Object.entries(query)) if (v !== undefined) q[key] = v;
    let stopped = false;
    const ctl = await w.watch(path, q, (type, obj) => { if (!stopped) onEvent(type, obj as Record<string, unknown>); }, (err) => {
      if (stopped) return;
      stopped = true;
      const code = (err as { statusCode?: number } | null)?.statusCode;
      onDone(err ? (code ? httpError(code, undefined, { verb: 'watch', resource: path }) : transportError(err, this.timeoutMs)) : undefined);
    }).catch((err: unknown) => { throw transportError(err, this.timeoutMs); });
    return () => { stopped = true; ctl.abort(); };
  }

  /** Closes idle keep-alive connections. */
  close(): void { this.agent?.destroy(); this.agent = undefined; }

  /** client-node's PortForward, for envoy-admin.ts. */
  portForwarder(): K8s.PortForward {
    return new this.k.PortForward(this.kc, true);
  }
}
