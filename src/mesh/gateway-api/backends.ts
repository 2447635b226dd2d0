// backendRefs → Istio destinations: Service, Hostname (registry), InferencePool; zero weights dropped, one backend
// left means no weight; cross-namespace refs need a ReferenceGrant (gateway routes only).
import { createHash } from 'node:crypto';
import type { BackendRef, HTTPRouteFilter } from '../../model/gateway-api.js';
import { GW_GROUP, lookupHostname, referenceAllowed, type TranslateContext } from './context.js';
import { headerOps } from './filters.js';
import type { ConfigError } from './model.js';
import { xbackendDestination } from './xbackends.js';

export interface BuiltDestination { destination: Record<string, unknown>; error?: ConfigError; hard?: boolean }

export const INVALID_BACKEND_REASONS = new Set(['RefNotPermitted', 'BackendNotFound', 'InvalidKind']);

/** The shadow Service istiod creates for an InferencePool: `<pool>-ip-<first 8 hex of sha256(pool)>`. */
export function inferencePoolServiceName(pool: string): string {
  return `${pool}-ip-${createHash('sha256').update(pool).digest('hex').slice(0, 8)}`;
}

export function buildDestination(ctx: TranslateContext, to: BackendRef, routeNs: string, enforceRefGrant: boolean, routeKind: string): BuiltDestination {
  if (enforceRefGrant && to.namespace !== undefined && to.namespace !== routeNs) {
    const toKind = to.kind ?? 'Service';
    const toGroup = to.group ?? '';
    if (!referenceAllowed(ctx, { group: GW_GROUP, kind: routeKind, namespace: routeNs }, { group: toGroup, kind: toKind, namespace: to.namespace, name: to.name })) {
      return { destination: {}, error: { reason: 'RefNotPermitted', message: `backendRef ${to.name}/${to.namespace} not accessible to a ${routeKind} in namespace "${routeNs}" (missing a ReferenceGrant?)` } };
    }
  }
  const ns = to.namespace ?? routeNs;
  const group = to.group ?? '';
  const kind = to.kind ?? 'Service';
  let hostname: string;
  let error: ConfigError | undefined;
  if (group === '' && kind === 'Service') {
    if (to.name.includes('.')) return { destination: {}, hard: true, error: { reason: 'InvalidDestination', message: 'service name invalid; the name of the Service must be used, not the hostname.' } };
    hostname = `${to.name}.${ns}.svc.${ctx.domainSuffix}`;
    if (!ctx.services.has(`${ns}/${to.name}`)) error = { reason: 'BackendNotFound', message: `backend(${hostname}) not found` };
  } else if (group === 'networking.istio.io' && kind === 'Hostname') {
    if (to.namespace !== undefined) return { destination: {}, hard: true, error: { reason: 'InvalidDestination', message: 'namespace may not be set with Hostname type' } };
    hostname = to.name;
    if (!lookupHostname(ctx, hostname)) error = { reason: 'BackendNotFound', message: `backend(${hostname}) not found` };
  } else if (group === 'multicluster.x-k8s.io' && kind === 'ServiceImport') {
    hostname = `${to.name}.${ns}.svc.${ctx.domainSuffix}`;
    if (!ctx.services.has(`${ns}/${to.name}`)) error = { reason: 'BackendNotFound', message: `backend(${hostname}) not found` };
  } else if (group === 'inference.networking.k8s.io' && kind === 'InferencePool') {
    if (to.name.includes('.')) return { destination: {}, hard: true, error: { reason: 'InvalidDestination', message: 'InferencePool.Name invalid; the name of the InferencePool must be used, not the hostname.' } };
    if (!ctx.inferencePools.has(`${ns}/${to.name}`)) return { destination: {}, error: { reason: 'BackendNotFound', message: `backend(${to.name}) not found` } };
    const h = `${inferencePoolServiceName(to.name)}.${ns}.svc.${ctx.domainSuffix}`;
    const svc = lookupHostname(ctx, h);
    if (!svc) return { destination: {}, error: { reason: 'BackendNotFound', message: `backend(${h}) not found` } };
    const port = svc?.ports?.[0]?.port;
    return { destination: { host: h, ...(port !== undefined ? { port: { number: port } } : {}) } };
  } else if (group === 'gateway.networking.x-k8s.io' && kind === 'XBackend') {
    return xbackendDestination(ctx, to, ns);
  } else {
    return { destination: {}, error: { reason: 'InvalidKind', message: `referencing unsupported backendRef: group "${to.group ?? ''}" kind "${to.kind ?? ''}"` } };
  }
  if (to.port === undefined) return { destination: {}, hard: true, error: { reason: 'InvalidDestination', message: 'port is required in backendRef' } };
  return { destination: { host: hostname, port: { number: to.port } }, error };
}

export function weightSum(refs: BackendRef[] | undefined): number {
  return (refs ?? []).reduce((s, r) => s + (r.weight ?? 1), 0);
}

export interface BuiltRouteDestinations { route: Record<string, unknown>[]; indexes: number[]; softError?: ConfigError; hardError?: ConfigError }

/** Destinations of one rule: zero weights dropped, a single destination carries no weight. */
export function buildRouteDestinations(ctx: TranslateContext, refs: BackendRef[], routeNs: string, enforceRefGrant: boolean, routeKind: string, http: boolean): BuiltRouteDestinations {
  const kept: { ref: BackendRef; index: number; weight: number }[] = [];
  refs.forEach((ref, index) => { const w = ref.weight ?? 1; if (w !== 0) kept.push({ ref, index, weight: w }); });
  const single = kept.length === 1;
  const out: BuiltRouteDestinations = { route: [], indexes: [] };
  for (const k of kept) {
    const d = buildDestination(ctx, k.ref, routeNs, enforceRefGrant, routeKind);
    if (d.error && (d.hard || !INVALID_BACKEND_REASONS.has(d.error.reason))) return { route: [], indexes: [], hardError: d.error };
    if (d.error) out.softError = d.error;
    const rd: Record<string, unknown> = { destination: d.destination };
    if (!single) rd.weight = k.weight;
    if (http) {
      const err = applyBackendFilters(rd, k.ref.filters ?? []);
      if (err) return { route: [], indexes: [], hardError: err };
    }
    out.route.push(rd);
    out.indexes.push(k.index);
  }
  return out;
}

function applyBackendFilters(rd: Record<string, unknown>, filters: HTTPRouteFilter[]): ConfigError | undefined {
  for (const f of filters) {
    if (f.type === 'RequestHeaderModifier' || f.type === 'ResponseHeaderModifier') {
      const h = headerOps(f.type === 'RequestHeaderModifier' ? f.requestHeaderModifier : f.responseHeaderModifier);
      if (!h) continue;
      const headers = (rd.headers ??= {}) as Record<string, unknown>;
      headers[f.type === 'RequestHeaderModifier' ? 'request' : 'response'] = h;
    } else {
      return { reason: 'UnsupportedValue', message: `unsupported filter type "${f.type}"` };
    }
  }
  return undefined;
}
