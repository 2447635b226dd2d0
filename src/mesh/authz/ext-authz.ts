// CUSTOM action: the ext_authz filter istiod builds for a MeshConfig extension provider (envoyExtAuthzHttp or
// envoyExtAuthzGrpc). The provider's service must be one the workload can reach.
import { exactMatcher, prefixMatcher, suffixMatcher, type Json } from './matchers.js';

export const EXT_AUTHZ_PREFIX = 'istio-ext-authz';

export interface KnownService { namespace: string; hostname: string }

export interface ExtensionProvider {
  name?: string;
  envoyExtAuthzHttp?: Record<string, any>;
  envoyExtAuthzGrpc?: Record<string, any>;
  [other: string]: unknown;
}

export interface BuiltExtAuthz { http?: Json; tcp?: Json }

const STATUS: Record<number, string> = {
  100: 'Continue', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'NoContent', 301: 'MovedPermanently', 302: 'Found',
  304: 'NotModified', 400: 'BadRequest', 401: 'Unauthorized', 402: 'PaymentRequired', 403: 'Forbidden', 404: 'NotFound',
  405: 'MethodNotAllowed', 406: 'NotAcceptable', 407: 'ProxyAuthenticationRequired', 408: 'RequestTimeout', 409: 'Conflict',
  410: 'Gone', 411: 'LengthRequired', 412: 'PreconditionFailed', 413: 'PayloadTooLarge', 414: 'URITooLong',
  415: 'UnsupportedMediaType', 416: 'RangeNotSatisfiable', 417: 'ExpectationFailed', 421: 'MisdirectedRequest',
  422: 'UnprocessableEntity', 423: 'Locked', 424: 'FailedDependency', 426: 'UpgradeRequired', 428: 'PreconditionRequired',
  429: 'TooManyRequests', 431: 'RequestHeaderFieldsTooLarge', 500: 'InternalServerError', 501: 'NotImplemented',
  502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout', 505: 'HTTPVersionNotSupported',
  506: 'VariantAlsoNegotiates', 507: 'InsufficientStorage', 508: 'LoopDetected', 510: 'NotExtended',
  511: 'NetworkAuthenticationRequired',
};

function statusOnError(v: unknown): Json | undefined {
  if (v === undefined || v === '' || v === null) return undefined;
  const code = Number(v);
  const name = STATUS[code];
  if (!name) throw new Error(`unsupported statusOnError ${String(v)}`);
  return { code: name };
}

/** A protobuf-JSON duration: `10s`, `0.002s`; `1m`/`500ms` forms are converted. */
function duration(v: unknown, fallback: string): string {
  if (v === undefined || v === null || v === '') return fallback;
  const s = String(v);
  if (/^\d+(\.\d+)?s$/.test(s)) return s;
  const m = /^(\d+(?:\.\d+)?)(ms|m|h)$/.exec(s);
  if (!m) throw new Error(`invalid timeout ${JSON.stringify(s)}`);
  const secs = Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 3600);
  return `${Number(secs.toFixed(9))}s`;
}

function resolveService(service: unknown, port: unknown, known: KnownService[]): { hostname: string; cluster: string } {
  if (typeof service !== 'string' || service === '') throw new Error('service must not be empty');
  const p = Number(port);
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`port must be in the range [1, 65535], found: ${String(port)}`);
  const slash = service.indexOf('/');
  let matches: KnownService[];
  if (slash >= 0) {
    const [ns, host] = [service.slice(0, slash), service.slice(slash + 1)];
    matches = known.filter((k) => k.namespace === ns && k.hostname === host);
  } else {
    matches = known.filter((k) => k.hostname === service);
    if (matches.length > 1) throw new Error(`service ${service} is found in multiple namespaces; write it as <namespace>/${service}`);
  }
  if (matches.length === 0) throw new Error(`could not find service ${service} in the known services`);
  const hostname = matches[0]!.hostname;
  return { hostname, cluster: `outbound|${p}||${hostname}` };
}

function headerPatterns(headers: unknown): Json | undefined {
  if (!Array.isArray(headers) || headers.length === 0) return undefined;
  return {
    patterns: (headers as string[]).map((h) => (h.startsWith('*') ? suffixMatcher(h.slice(1), true) : h.endsWith('*') ? prefixMatcher(h.slice(0, -1), true) : exactMatcher(h, true))),
  };
}

function requestBody(b: any): Json | undefined {
  if (!b || typeof b !== 'object') return undefined;
  const out: Json = {};
  if (b.maxRequestBytes) out.maxRequestBytes = b.maxRequestBytes;
  if (b.allowPartialMessage) out.allowPartialMessage = true;
  if (b.packAsBytes) out.packAsBytes = true;
  return out;
}

function set(o: Json, k: string, v: unknown): void { if (v !== undefined && v !== false && v !== '') o[k] = v; }

function enabledMetadata(filter: string, provider: string): Json {
  return { filter, path: [{ key: 'istio_ext_authz_shadow_effective_policy_id' }], value: { stringMatch: { prefix: `${EXT_AUTHZ_PREFIX}-${provider}` } } };
}

/** The ext_authz filters of one provider (tcp only for gRPC providers). Throws when the provider cannot be used. */
export function buildExtAuthz(provider: ExtensionProvider, known: KnownService[]): BuiltExtAuthz {
  const name = provider.name ?? '';
  if (provider.envoyExtAuthzHttp) {
    const c = provider.envoyExtAuthzHttp;
    const { hostname, cluster } = resolveService(c.service, c.port, known);
    if (c.pathPrefix && !String(c.pathPrefix).startsWith('/')) throw new Error(`pathPrefix must begin with \`/\`, found: ${JSON.stringify(c.pathPrefix)}`);
    const httpService: Json = {};
    set(httpService, 'pathPrefix', c.pathPrefix);
    httpService.serverUri = { uri: `http://${hostname}`, cluster, timeout: duration(c.timeout, '600s') };
    const add = c.includeAdditionalHeadersInCheck && typeof c.includeAdditionalHeadersInCheck === 'object'
      ? Object.keys(c.includeAdditionalHeadersInCheck).sort().map((key) => ({ key, value: String(c.includeAdditionalHeadersInCheck[key]) })) : [];
    if (add.length > 0) httpService.authorizationRequest = { headersToAdd: add };
    const response: Json = {};
    set(response, 'allowedUpstreamHeaders', headerPatterns(c.headersToUpstreamOnAllow));
    set(response, 'allowedClientHeaders', headerPatterns(c.headersToDownstreamOnDeny));
    set(response, 'allowedClientHeadersOnSuccess', headerPatterns(c.headersToDownstreamOnAllow));
    if (Object.keys(response).length > 0) httpService.authorizationResponse = response;
    const http: Json = { '@type': 'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz' };
    set(http, 'statusOnError', statusOnError(c.statusOnError));
    set(http, 'failureModeAllow', c.failOpen === true);
    http.transportApiVersion = 'V3';
    http.httpService = httpService;
    set(http, 'allowedHeaders', headerPatterns(c.includeRequestHeadersInCheck?.length ? c.includeRequestHeadersInCheck : c.includeHeadersInCheck));
    set(http, 'withRequestBody', requestBody(c.includeRequestBodyInCheck));
    http.filterEnabledMetadata = enabledMetadata('envoy.filters.http.rbac', name);
    return { http };
  }
  if (provider.envoyExtAuthzGrpc) {
    const c = provider.envoyExtAuthzGrpc;
    const { hostname, cluster } = resolveService(c.service, c.port, known);
    const grpcService = { envoyGrpc: { clusterName: cluster, authority: hostname }, timeout: duration(c.timeout, '600s') };
    const http: Json = { '@type': 'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz' };
    set(http, 'statusOnError', statusOnError(c.statusOnError));
    set(http, 'failureModeAllow', c.failOpen === true);
    http.transportApiVersion = 'V3';
    http.grpcService = grpcService;
    set(http, 'withRequestBody', requestBody(c.includeRequestBodyInCheck));
    http.filterEnabledMetadata = enabledMetadata('envoy.filters.http.rbac', name);
    const tcp: Json = { '@type': 'type.googleapis.com/envoy.extensions.filters.network.ext_authz.v3.ExtAuthz', statPrefix: 'tcp.' };
    set(tcp, 'failureModeAllow', c.failOpen === true);
    tcp.transportApiVersion = 'V3';
    tcp.grpcService = grpcService;
    tcp.filterEnabledMetadata = enabledMetadata('envoy.filters.network.rbac', name);
    return { http, tcp };
  }
  throw new Error(`unsupported extension provider: ${name}`);
}
