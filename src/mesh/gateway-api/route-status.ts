// The status istiod writes on each route: per parentRef, Accepted (or why a parent refused it) and ResolvedRefs
// (or the first rule error: BackendNotFound, RefNotPermitted, InvalidKind, …), as istiod's createRouteStatus.
import type { ParentReference } from '../../model/gateway-api.js';
import { CONTROLLER, type Condition, type ConfigError, type RouteParentStatus } from './model.js';
import { isMesh, parentRefString, type RouteParentRef } from './parents.js';
import type { RouteOutcome } from './routes.js';

interface ParentResult { ref: ParentReference; denied?: ConfigError; routeError?: ConfigError }

/** Most useful first: no error, then route-level refusals, then port/sectionName mismatches. */
const RANKING = ['', 'NotAllowedByListeners', 'NoMatchingListenerHostname', 'ParentRefConflict', 'NoMatchingParent'];

const refKey = (r: ParentReference) => JSON.stringify([r.group, r.kind, r.namespace, r.name, r.sectionName, r.port]);

/** The parentRef as written (only the fields that were set). */
function refOut(r: ParentReference): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['group', 'kind', 'name', 'namespace', 'port', 'sectionName'] as const) if (r[k] !== undefined) out[k] = r[k];
  return out;
}

function results(o: RouteOutcome): ParentResult[] {
  return o.parents.map((p: RouteParentRef) => ({
    ref: p.original, denied: p.denied, routeError: isMesh(p) ? o.meshError : o.gatewayError,
  }));
}

export function routeStatus(o: RouteOutcome): RouteParentStatus[] {
  const ns = o.obj.metadata.namespace ?? 'default';
  const generation = o.obj.metadata.generation;
  const current = ((o.obj.status?.parents ?? []) as RouteParentStatus[]).filter((p) => p.controllerName !== CONTROLLER);
  const byRef = new Map<string, ParentResult[]>();
  const success = new Map<string, number>();
  for (const r of results(o)) {
    const k = refKey(r.ref);
    const l = byRef.get(k);
    if (l) l.push(r); else byRef.set(k, [r]);
    if (!r.denied) success.set(k, (success.get(k) ?? 0) + 1);
  }
  const out: RouteParentStatus[] = [...current];
  for (const [k, list] of byRef) {
    const seen = new Set(list.map((r) => r.denied?.reason ?? ''));
    const want = RANKING.find((r) => seen.has(r)) ?? [...seen][0];
    let chosen: ParentResult | undefined;
    for (const r of list) {
      if ((r.denied?.reason ?? '') !== want) continue;
      if (!chosen) chosen = { ...r, denied: r.denied ? { ...r.denied } : undefined };
      else if (r.denied) chosen.denied = chosen.denied ? { ...chosen.denied, message: `${chosen.denied.message}; ${r.denied.message}` } : r.denied;
    }
    if (!chosen) continue;
    const n = success.get(k) ?? 0;
    const accepted: Condition = chosen.denied
      ? { type: 'Accepted', status: 'False', reason: chosen.denied.reason, message: chosen.denied.message }
      : { type: 'Accepted', status: 'True', reason: 'Accepted', message: n > 1 ? `Route was valid, bound to ${n} parents` : 'Route was valid' };
    const resolved: Condition = chosen.routeError
      ? { type: 'ResolvedRefs', status: 'False', reason: chosen.routeError.reason, message: chosen.routeError.message }
      : { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved' };
    const conditions = [accepted, resolved].map((c) => (generation !== undefined ? { ...c, observedGeneration: generation } : c));
    out.push({ parentRef: refOut(chosen.ref), controllerName: CONTROLLER, conditions });
  }
  const keyOf = (p: RouteParentStatus) => parentRefString(p.parentRef as unknown as ParentReference, ns);
  return out.sort((a, b) => (keyOf(a) > keyOf(b) ? -1 : keyOf(a) < keyOf(b) ? 1 : 0));
}
