// HTTPRoute filters and matches → Istio HTTPRoute fields (headers, redirect, rewrite, mirror, CORS, match).
import type { GRPCRouteMatch, HTTPRouteFilter, HTTPRouteMatch, HeaderModifier } from '../../model/gateway-api.js';
import type { ConfigError } from './model.js';

export function headerOps(m: HeaderModifier | undefined): Record<string, unknown> | undefined {
  if (!m) return undefined;
  const toMap = (l: { name: string; value: string }[] | undefined) => {
    if (!l?.length) return undefined;
    const res: Record<string, string> = {};
    for (const e of l) { const k = e.name.toLowerCase(); if (!(k in res)) res[k] = e.value; }
    return res;
  };
  const out: Record<string, unknown> = {};
  const add = toMap(m.add);
  const set = toMap(m.set);
  if (add) out.add = add;
  if (m.remove?.length) out.remove = m.remove;
  if (set) out.set = set;
  return out;
}

export function redirectOf(f: NonNullable<HTTPRouteFilter['requestRedirect']>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  // The CRD defaults statusCode to 302 (the API server writes it; manifests may leave it out).
  r.redirectCode = f.statusCode ?? 302;
  if (f.hostname !== undefined) r.authority = f.hostname;
  if (f.scheme !== undefined) r.scheme = f.scheme;
  if (f.port !== undefined) r.port = f.port;
  else r.derivePort = f.scheme !== undefined ? 'FROM_PROTOCOL_DEFAULT' : 'FROM_REQUEST_PORT';
  if (f.path?.type === 'ReplaceFullPath') r.uri = f.path.replaceFullPath ?? '';
  else if (f.path?.type === 'ReplacePrefixMatch') r.prefixRewrite = f.path.replacePrefixMatch ?? '';
  return r;
}

export function rewriteOf(f: NonNullable<HTTPRouteFilter['urlRewrite']>): Record<string, unknown> | undefined {
  const r: Record<string, unknown> = {};
  if (f.path?.type === 'ReplacePrefixMatch') {
    let uri = (f.path.replacePrefixMatch ?? '').replace(/\/$/, '');
    if (uri === '') uri = '/';
    r.uri = uri;
  } else if (f.path?.type === 'ReplaceFullPath') {
    r.uriRegexRewrite = { match: '/.*', rewrite: f.path.replaceFullPath ?? '' };
  }
  if (f.hostname !== undefined) r.authority = f.hostname;
  return Object.keys(r).length ? r : undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

export function corsOf(f: Record<string, any>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  const origins: Record<string, string>[] = [];
  for (const o of (f.allowOrigins ?? []) as string[]) {
    if (!o) continue;
    if (o === '*') origins.push({ regex: '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s?#]+$' });
    else if (o.includes('*')) origins.push({ regex: `^${o.split('*').map(escapeRegex).join('.*')}$` });
    else origins.push({ exact: o });
  }
  if (f.allowCredentials) r.allowCredentials = true;
  if (f.allowHeaders?.length) r.allowHeaders = [...f.allowHeaders];
  if (f.allowMethods?.length) r.allowMethods = [...f.allowMethods];
  if (origins.length) r.allowOrigins = origins;
  if (f.exposeHeaders?.length) r.exposeHeaders = [...f.exposeHeaders];
  if (typeof f.maxAge === 'number' && f.maxAge > 0) r.maxAge = `${f.maxAge}s`;
  r.unmatchedPreflights = 'IGNORE';
  return r;
}

type StringMatch = Record<string, string>;

function stringMatches(list: { type?: string; name: string; value: string }[] | undefined): { res?: Record<string, StringMatch>; error?: ConfigError } {
  if (!list?.length) return {};
  const res: Record<string, StringMatch> = {};
  for (const h of list) {
    const t = h.type ?? 'Exact';
    if (t === 'Exact') res[h.name] = { exact: h.value };
    else if (t === 'RegularExpression') res[h.name] = { regex: h.value };
    else return { error: { reason: 'UnsupportedValue', message: `unknown type: "${t}" is not supported HeaderMatch type` } };
  }
  return { res };
}

export function httpMatchOf(m: HTTPRouteMatch): { match?: Record<string, unknown>; error?: ConfigError } {
  const out: Record<string, unknown> = {};
  const path = m.path ?? {};
  const tp = path.type ?? 'PathPrefix';
  let dest = path.value ?? '/';
  if (tp === 'PathPrefix') {
    if (dest !== '/') dest = dest.replace(/\/$/, '');
    out.uri = { prefix: dest };
  } else if (tp === 'Exact') out.uri = { exact: dest };
  else if (tp === 'RegularExpression') out.uri = { regex: dest };
  else return { error: { reason: 'UnsupportedValue', message: `unknown type: "${tp}" is not supported Path match type` } };
  const headers = stringMatches(m.headers);
  if (headers.error) return { error: headers.error };
  if (headers.res) out.headers = headers.res;
  const qp = stringMatches(m.queryParams);
  if (qp.error) return { error: qp.error };
  if (qp.res) out.queryParams = qp.res;
  if (m.method) out.method = { exact: m.method };
  return { match: out };
}

export function grpcMatchOf(m: GRPCRouteMatch): { match?: Record<string, unknown>; error?: ConfigError } {
  const out: Record<string, unknown> = {};
  const meth = m.method;
  if (meth) {
    const tp = meth.type ?? 'Exact';
    if (meth.method === undefined && meth.service === undefined) return { error: { reason: 'UnsupportedValue', message: 'gRPC match must have method or service defined' } };
    if (tp === 'Exact') {
      if (meth.method === undefined) out.uri = { prefix: `/${meth.service}/` };
      else if (meth.service === undefined) out.uri = { regex: `/[^/]+/${meth.method}` };
      else out.uri = { exact: `/${meth.service}/${meth.method}` };
    } else if (tp === 'RegularExpression') {
      if (meth.method === undefined) out.uri = { regex: `/${meth.service}/.+` };
      else if (meth.service === undefined) out.uri = { regex: `/[^/]+/${meth.method}` };
      else out.uri = { regex: `/${meth.service}/${meth.method}` };
    } else return { error: { reason: 'UnsupportedValue', message: `unknown type: "${tp}" is not supported Path match type` } };
  }
  const headers = stringMatches(m.headers);
  if (headers.error) return { error: headers.error };
  if (headers.res) out.headers = headers.res;
  return { match: out };
}

/** A Gateway API duration ("1ms", "2s", "1h30m") as a protobuf JSON duration ("0.001s"); undefined when zero or invalid. */
export function protoDuration(d: string | undefined): string | undefined {
  if (!d) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let ms = 0;
  let seen = '';
  for (const m of d.matchAll(re)) {
    seen += m[0];
    const v = Number(m[1]);
    ms += m[2] === 'h' ? v * 3_600_000 : m[2] === 'm' ? v * 60_000 : m[2] === 's' ? v * 1000 : v;
  }
  if (seen !== d || ms === 0) return undefined;
  const secs = ms / 1000;
  return `${Number.isInteger(secs) ? secs : Number(secs.toFixed(9))}s`;
}
