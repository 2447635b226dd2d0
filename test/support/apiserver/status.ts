// Kubernetes Status bodies the test API server answers errors with, worded as kube-apiserver words them.
import type { RequestInfo } from './faults.js';
import type { ResourceType } from './store.js';

export const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' };

export const status = (code: number, reason: string, message: string, details?: object) =>
  ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });

export const notFound = (t: ResourceType, n: string) => status(404, 'NotFound', `${t.plural}${t.group ? `.${t.group}` : ''} "${n}" not found`, { name: n, ...(t.group ? { group: t.group } : {}), kind: t.plural });

export const conflict = (t: ResourceType, n: string) => status(409, 'Conflict', `Operation cannot be fulfilled on ${t.plural}${t.group ? `.${t.group}` : ''} "${n}": the object has been modified; please apply your changes to the latest version and try again`, { name: n, ...(t.group ? { group: t.group } : {}), kind: t.plural });

/** The Status of an injected fault (or an RBAC denial) with the HTTP code `code`; `server` names the server in 5xx messages. */
export function faultStatus(server: string, code: number, info: RequestInfo, user: string, msg?: string) {
  if (msg) return status(code, REASONS[code] ?? 'Unknown', msg);
  if (code === 401) return status(401, 'Unauthorized', 'Unauthorized');
  if (code === 403) {
    const res = info.group ? `${info.resource}.${info.group}` : info.resource;
    const where = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
    return status(403, 'Forbidden', `${res ?? 'resource'}${info.name ? ` "${info.name}"` : ''} is forbidden: User "${user}" cannot ${info.verb} resource "${info.subresource ? `${info.resource}/${info.subresource}` : info.resource}" in API group "${info.group ?? ''}" ${where}`,
      { ...(info.name ? { name: info.name } : {}), ...(info.group ? { group: info.group } : {}), kind: info.resource });
  }
  if (code === 429) return status(429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later');
  return status(code, REASONS[code] ?? 'InternalError', `an error on the server ("${server} fault") has prevented the request from succeeding`);
}
