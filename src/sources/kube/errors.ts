// One-line reasons for failed kube requests: "forbidden: cannot list destinationrules.networking.istio.io in namespace app",
// "unauthorized", "timeout after 10s", "connection refused".
import { formatDuration } from './duration.js';

/** What a request was doing, to name it in messages. */
export interface RequestWhat { verb: string; resource?: string; group?: string; namespace?: string; name?: string }

/** The reason of a response cut short by a lost connection (a GET is retried on it). */
export const TRUNCATED = 'response cut short (connection lost)';

/** kube-apiserver's body for an unknown group, an unserved version or an unknown resource of a CRD group. */
export const PAGE_NOT_FOUND = '404 page not found\n';

export type KubeErrorKind = 'http' | 'timeout' | 'network' | 'tls' | 'protocol';

export class KubeRequestError extends Error {
  constructor(
    /** The one-line reason (no context name: callers add it). */
    readonly reason: string,
    readonly kind: KubeErrorKind,
    /** HTTP status for kind http. */
    readonly status?: number,
    /** Raw response body (Kubernetes Status JSON or text). */
    readonly body?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(reason);
    this.name = 'KubeRequestError';
  }
}

function resourceName(w: RequestWhat): string {
  return w.group ? `${w.resource}.${w.group}` : `${w.resource ?? 'resource'}`;
}

function where(w: RequestWhat): string {
  return w.namespace ? ` in namespace ${w.namespace}` : w.resource === 'namespaces' || !w.namespace ? '' : '';
}

function statusMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const s = JSON.parse(body) as { message?: unknown };
    if (typeof s.message === 'string' && s.message) return s.message;
  } catch { /* not JSON */ }
  const line = body.trim().split('\n')[0];
  return line ? line.slice(0, 200) : undefined;
}

export function httpError(status: number, body: string | undefined, w: RequestWhat, retryAfter?: string): KubeRequestError {
  const msg = statusMessage(body);
  const ra = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  let reason: string;
  switch (status) {
    case 400: reason = `bad request: ${msg ?? 'the server could not read the request'}`; break;
    case 401: reason = 'unauthorized'; break;
    case 403: reason = `forbidden: cannot ${w.verb} ${resourceName(w)}${w.name ? ` "${w.name}"` : ''}${where(w)}`; break;
    // The mux's plain-text answer: the group, version or resource is not served (no Status, no object name).
    case 404: reason = body === PAGE_NOT_FOUND ? 'not served by the API server (404 page not found)' : `not found: ${msg ?? `${resourceName(w)}${w.name ? ` "${w.name}"` : ''}`}`; break;
    case 409: reason = `conflict: ${msg ?? 'the object has been modified'}`; break;
    // A continue token or resourceVersion the server no longer has (Status reason Expired).
    case 410: reason = `expired: ${msg ?? 'the resourceVersion or continue token is too old'}`; break;
    case 422: reason = `invalid: ${msg ?? 'the server rejected the object'}`; break;
    case 429: reason = `too many requests${ra !== undefined ? ` (retry after ${ra}s)` : ''}`; break;
    default: reason = `server error ${status}${msg ? `: ${msg}` : ''}`;
  }
  return new KubeRequestError(reason, 'http', status, body, ra);
}

/** Turns a fetch/socket error into a one-line reason. */
export function transportError(err: unknown, timeoutMs: number): KubeRequestError {
  if (err instanceof KubeRequestError) return err;
  const e = err as { name?: string; code?: string; errno?: string; message?: string; type?: string; cause?: { code?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.type === 'aborted') {
    return new KubeRequestError(`timeout after ${formatDuration(timeoutMs)}`, 'timeout');
  }
  const code = e?.code ?? e?.errno ?? e?.cause?.code;
  const table: Record<string, string> = {
    ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', EPIPE: 'connection reset',
    ENOTFOUND: 'host not found', EAI_AGAIN: 'host not found (DNS)', ETIMEDOUT: 'connection timed out',
    EHOSTUNREACH: 'host unreachable', ENETUNREACH: 'network unreachable', ERR_STREAM_PREMATURE_CLOSE: TRUNCATED,
  };
  if (code && table[code]) return new KubeRequestError(table[code], 'network');
  if (code && /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME/.test(code)) return new KubeRequestError(`TLS: ${code.toLowerCase().replace(/_/g, ' ')}`, 'tls');
  const msg = (e?.message ?? String(err)).split('\n')[0];
  return new KubeRequestError(msg.replace(/^request to \S+ failed, reason: /, ''), 'network');
}
