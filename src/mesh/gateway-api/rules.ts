// One Gateway API route rule (split per match) → one Istio HTTPRoute / TCPRoute / TLSRoute, as istiod's
// convertHTTPRoute, convertGRPCRoute, convertTCPRoute and convertTLSRoute.
import type { GRPCRouteRule, HTTPRouteRule, L4RouteRule } from '../../model/gateway-api.js';
import type { TranslateContext } from './context.js';
import { buildDestination, buildRouteDestinations, weightSum } from './backends.js';
import { corsOf, grpcMatchOf, headerOps, httpMatchOf, protoDuration, redirectOf, rewriteOf } from './filters.js';
import type { ConfigError, InputObject, SourceLink } from './model.js';

export interface ConvertedRule<R> { route?: R; link: SourceLink; error?: ConfigError; hard?: boolean }

type HTTPOut = Record<string, any>;

function link(obj: InputObject, rule: number, match: number | undefined, backendRefs: number[]): SourceLink {
  return { kind: obj.kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name, rule, ...(match !== undefined ? { match } : {}), backendRefs };
}

function join(a: ConfigError | undefined, b: ConfigError | undefined): ConfigError | undefined {
  if (!b) return a;
  if (!a) return b;
  return { reason: a.reason, message: `${a.message}; ${b.message}` };
}

function applyFilters(ctx: TranslateContext, vs: HTTPOut, filters: HTTPRouteRule['filters'], obj: InputObject, enforce: boolean, grpc: boolean): { hard?: ConfigError; soft?: ConfigError } {
  let soft: ConfigError | undefined;
  for (const f of filters ?? []) {
    if (f.type === 'RequestHeaderModifier' || f.type === 'ResponseHeaderModifier') {
      const h = headerOps(f.type === 'RequestHeaderModifier' ? f.requestHeaderModifier : f.responseHeaderModifier);
      if (!h) continue;
      vs.headers ??= {};
      vs.headers[f.type === 'RequestHeaderModifier' ? 'request' : 'response'] = h;
    } else if (f.type === 'RequestRedirect' && !grpc && f.requestRedirect) {
      vs.redirect = redirectOf(f.requestRedirect);
    } else if (f.type === 'RequestMirror' && f.requestMirror) {
      const d = buildDestination(ctx, { ...f.requestMirror.backendRef, weight: 1 }, obj.metadata.namespace ?? 'default', enforce, obj.kind);
      if (d.error) {
        if (grpc || d.hard) return { hard: d.error };
        soft = join(soft, d.error);
        continue;
      }
      const m: Record<string, unknown> = { destination: d.destination };
      const fr = f.requestMirror.fraction;
      if (fr) m.percentage = { value: (100 * fr.numerator) / (fr.denominator ?? 100) };
      else if (f.requestMirror.percent !== undefined) m.percentage = { value: f.requestMirror.percent };
      (vs.mirrors ??= []).push(m);
    } else if (f.type === 'URLRewrite' && !grpc && f.urlRewrite) {
      const r = rewriteOf(f.urlRewrite);
      if (r) vs.rewrite = r;
    } else if (f.type === 'CORS' && !grpc && f.cors) {
      vs.corsPolicy = corsOf(f.cors);
    } else {
      return { hard: { reason: 'UnsupportedValue', message: `unsupported filter type "${f.type}"` } };
    }
  }
  return { soft };
}

export function convertHTTPRule(ctx: TranslateContext, obj: InputObject, r: HTTPRouteRule, pos: number, match: number | undefined, enforce: boolean): ConvertedRule<HTTPOut> {
  const vs: HTTPOut = { name: r.name ?? `${obj.metadata.namespace}.${obj.metadata.name}.${pos}` };
  const lk = link(obj, pos, match, []);
  if (match !== undefined) {
    const m = httpMatchOf(r.matches![match]!);
    if (m.error) return { link: lk, error: m.error, hard: true };
    vs.match = [m.match];
  }
  const f = applyFilters(ctx, vs, r.filters, obj, enforce, false);
  if (f.hard) return { link: lk, error: f.hard, hard: true };
  if (r.retry) {
    const retryOn = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', ...(r.retry.codes ?? []).map(String)];
    const attempts = r.retry.attempts ?? 2;
    vs.retries = { attempts, ...(attempts !== 0 ? { retryOn: retryOn.join(',') } : {}) };
    const b = protoDuration(r.retry.backoff);
    if (b) vs.retries.backoff = b;
  }
  if (r.timeouts) {
    const req = protoDuration(r.timeouts.request);
    if (req) vs.timeout = req;
    const be = protoDuration(r.timeouts.backendRequest);
    if (be) { if (vs.retries) vs.retries.perTryTimeout = be; else vs.timeout = be; }
  }
  if (weightSum(r.backendRefs) === 0 && !vs.redirect) {
    vs.directResponse = { status: 500 };
    return { route: vs, link: lk, error: f.soft };
  }
  const d = buildRouteDestinations(ctx, r.backendRefs ?? [], obj.metadata.namespace ?? 'default', enforce, obj.kind, true);
  if (d.hardError) return { link: lk, error: d.hardError, hard: true };
  if (d.route.length) vs.route = d.route;
  lk.backendRefs = d.indexes;
  return { route: vs, link: lk, error: join(d.softError, f.soft) };
}

export function convertGRPCRule(ctx: TranslateContext, obj: InputObject, r: GRPCRouteRule, pos: number, match: number | undefined, enforce: boolean): ConvertedRule<HTTPOut> {
  const vs: HTTPOut = { name: r.name ?? `${obj.metadata.namespace}.${obj.metadata.name}.${pos}` };
  const lk = link(obj, pos, match, []);
  if (match !== undefined) {
    const m = grpcMatchOf(r.matches![match]!);
    if (m.error) return { link: lk, error: m.error, hard: true };
    vs.match = [m.match];
  }
  const f = applyFilters(ctx, vs, r.filters, obj, enforce, true);
  if (f.hard) return { link: lk, error: f.hard, hard: true };
  if (weightSum(r.backendRefs) === 0) {
    vs.directResponse = { status: 500 };
    return { route: vs, link: lk };
  }
  const d = buildRouteDestinations(ctx, r.backendRefs ?? [], obj.metadata.namespace ?? 'default', enforce, obj.kind, true);
  if (d.hardError) return { link: lk, error: d.hardError, hard: true };
  if (d.route.length) vs.route = d.route;
  lk.backendRefs = d.indexes;
  return { route: vs, link: lk, error: d.softError };
}

const ZERO_WEIGHT = [{ destination: { host: 'internal.cluster.local', port: { number: 65535 }, subset: 'zero-weight' } }];

export function convertL4Rule(ctx: TranslateContext, obj: InputObject, r: L4RouteRule, pos: number, enforce: boolean): ConvertedRule<HTTPOut> {
  const lk = link(obj, pos, undefined, []);
  const tls = obj.kind === 'TLSRoute';
  if (weightSum(r.backendRefs) === 0) return { route: { route: ZERO_WEIGHT }, link: lk };
  const d = buildRouteDestinations(ctx, r.backendRefs ?? [], obj.metadata.namespace ?? 'default', enforce, obj.kind, false);
  if (d.hardError) return { link: lk, error: d.hardError, hard: true };
  lk.backendRefs = d.indexes;
  const out: HTTPOut = {};
  if (tls) {
    const hosts: string[] = obj.spec?.hostnames?.length ? [...obj.spec.hostnames] : ['*'];
    out.match = [{ sniHosts: hosts }];
  }
  out.route = d.route;
  return { route: out, link: lk, error: d.softError };
}
