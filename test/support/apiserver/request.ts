// Reading a request to the test API server: its Kubernetes attributes and its body.
import type { IncomingMessage } from 'node:http';
import type { RequestInfo } from './faults.js';

/** Splits a Kubernetes API path into verb, group, version, resource, namespace, name and subresource. */
export function parseRequest(method: string, url: URL): RequestInfo {
  const parts = url.pathname.split('/').filter(Boolean);
  const info: RequestInfo = { method, path: url.pathname, query: url.search, verb: method.toLowerCase() };
  let rest: string[];
  if (parts[0] === 'api' && parts[1]) { info.group = ''; info.version = parts[1]; rest = parts.slice(2); }
  else if (parts[0] === 'apis' && parts[2]) { info.group = parts[1]; info.version = parts[2]; rest = parts.slice(3); }
  else { info.verb = 'get'; return info; }
  // namespaces/NAME/status and namespaces/NAME/finalize are the Namespace's subresources, not a namespaced resource.
  const namespaceSubresource = rest[0] === 'namespaces' && rest.length === 3 && ['status', 'finalize'].includes(rest[2]);
  // The legacy /watch/ prefix (…/v1/watch/namespaces/NS/virtualservices) is a watch of what follows it.
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) rest = rest.slice(1);
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) { info.namespace = rest[1]; rest = rest.slice(2); }
  info.resource = rest[0];
  info.name = rest[1];
  info.subresource = rest[2];
  if (info.subresource === 'proxy') info.proxyPath = rest.slice(3).join('/');
  const watching = legacyWatch || ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
  const m = method.toUpperCase();
  if (m === 'GET') info.verb = info.name ? 'get' : watching ? 'watch' : 'list';
  else if (m === 'PATCH') info.verb = 'patch';
  else if (m === 'PUT') info.verb = 'update';
  else if (m === 'POST') info.verb = 'create';
  else if (m === 'DELETE') info.verb = 'delete';
  return info;
}

export const readBody = (req: IncomingMessage) => new Promise<string>((resolve, reject) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  req.on('error', reject);
});
