// L7 intent with no waypoint to run it: in an ambient namespace, ztunnel is L4 only, so a mesh VirtualService, an
// HTTPRoute bound to a Service, or an AuthorizationPolicy with L7 rules for a service that has no waypoint has no
// effect (Kiali's ambient validations check the same).
import type { Check, Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { ambientFinding, ambientOf, isAmbient, serviceOfHost } from './ambient-common.js';

const NAME = 'ambient.NoWaypointAnalyzer';
const CODE = 'MS0601';

interface VsSpec { hosts?: string[]; gateways?: string[] }
interface ParentRef { group?: string; kind?: string; name?: string; namespace?: string }
interface Rule { from?: { source?: Record<string, unknown> }[]; to?: { operation?: Record<string, unknown> }[]; when?: { key?: string }[] }
interface ApSpec { selector?: { matchLabels?: Record<string, string> }; targetRef?: ParentRef; targetRefs?: ParentRef[]; rules?: Rule[]; action?: string }

const L7_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
const L7_SOURCE = ['requestPrincipals', 'notRequestPrincipals'];

/** The YAML path of the first L7 attribute of an AuthorizationPolicy, if it has one. */
export function firstL7Path(rules: Rule[] | undefined): string | undefined {
  for (const [i, r] of (rules ?? []).entries()) {
    for (const [j, t] of (r.to ?? []).entries()) for (const k of L7_OPERATION) if (t.operation?.[k] !== undefined) return `spec.rules[${i}].to[${j}].operation.${k}`;
    for (const [j, f] of (r.from ?? []).entries()) for (const k of L7_SOURCE) if (f.source?.[k] !== undefined) return `spec.rules[${i}].from[${j}].source.${k}`;
    for (const [j, w] of (r.when ?? []).entries()) if (/^request\.(headers|auth)/.test(w.key ?? '')) return `spec.rules[${i}].when[${j}].key`;
  }
  return undefined;
}

const isServiceRef = (r: ParentRef) => (r.kind ?? '') === 'Service' && (r.group ?? '') === '';

export const ambientNoWaypointCheck: Check = {
  name: NAME,
  description: 'L7 routing or policy (VirtualService, HTTPRoute, L7 AuthorizationPolicy) for an ambient service with no waypoint has no effect',
  codes: [{ code: CODE, level: 'Warning', summary: 'L7 intent for an ambient service that has no waypoint has no effect' }],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const a = ambientOf(ctx);
      if (![...a.namespaces.values()].some((n) => isAmbient(n.mode))) continue;
      const noWaypoint = (svc: string | undefined) => {
        const s = svc ? a.services.get(svc) : undefined;
        return s !== undefined && s.mode === 'ambient';
      };
      const say = (o: AnalyzedObject, svc: string, what: string, path: string) =>
        out.push(ambientFinding(NAME, o, CODE, 'Warning', `${what} for service ${svc}, which is in ambient mode with no waypoint (istio.io/use-waypoint), has no effect: ztunnel does not apply L7 rules`, path));
      for (const vs of ctx.kind<VsSpec>('VirtualService')) {
        const gws = vs.spec.gateways ?? [];
        if (gws.length > 0 && !gws.includes('mesh')) continue;
        (vs.spec.hosts ?? []).forEach((h, i) => {
          const svc = serviceOfHost(h, vs.namespace);
          if (noWaypoint(svc)) say(vs, svc!, 'VirtualService routing', `spec.hosts[${i}]`);
        });
      }
      for (const r of ctx.kind<{ parentRefs?: ParentRef[] }>('HTTPRoute')) {
        if (!r.loaded.obj.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
        (r.spec.parentRefs ?? []).forEach((p, i) => {
          if (!isServiceRef(p) || !p.name) return;
          const svc = `${p.namespace ?? r.namespace}/${p.name}`;
          if (noWaypoint(svc)) say(r, svc, 'HTTPRoute', `spec.parentRefs[${i}]`);
        });
      }
      for (const ap of ctx.kind<ApSpec>('AuthorizationPolicy')) {
        const l7 = firstL7Path(ap.spec.rules);
        if (!l7) continue;
        const refs = ap.spec.targetRefs ?? (ap.spec.targetRef ? [ap.spec.targetRef] : []);
        if (refs.length > 0) {
          refs.forEach((ref, i) => {
            if (!isServiceRef(ref) || !ref.name) return;
            const svc = `${ap.namespace}/${ref.name}`;
            if (noWaypoint(svc)) say(ap, svc, 'AuthorizationPolicy with L7 rules', ap.spec.targetRefs ? `spec.targetRefs[${i}]` : 'spec.targetRef');
          });
          continue;
        }
        // A selector (or none) binds the policy to ztunnel for ambient pods: its L7 rules cannot be enforced there.
        const pods = ctx.selectPods(ap.namespace, ap.spec.selector?.matchLabels);
        const ambientPod = pods.map((p) => a.pods.get(`${p.namespace}/${p.name}`)).find((e) => e && isAmbient(e.mode));
        if (ambientPod) {
          out.push(ambientFinding(NAME, ap, CODE, 'Warning', `AuthorizationPolicy with L7 rules selects ambient pod ${ambientPod.namespace}/${ambientPod.name}: ztunnel enforces only L4 rules, so it has no effect there; bind it to a waypoint with targetRefs`, l7));
        }
      }
    }
    return out;
  },
};
