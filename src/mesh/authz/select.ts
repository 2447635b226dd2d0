// Which AuthorizationPolicies apply to a workload: those in the root namespace or the workload's namespace whose
// selector matches its labels (or that have none). A policy with targetRef(s) applies only to the Gateway it names.
import type { KubeObject } from '../../model/resources.js';
import type { AuthorizationPolicySpec, PolicyTargetReference } from '../../model/security.js';

export interface WorkloadRef { namespace: string; labels: Record<string, string>; rootNamespace: string }

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

function targetRefs(spec: { targetRef?: PolicyTargetReference; targetRefs?: PolicyTargetReference[] } | undefined): PolicyTargetReference[] {
  return [...(spec?.targetRef ? [spec.targetRef] : []), ...(spec?.targetRefs ?? [])];
}

/** True when the policy-like object (AuthorizationPolicy, RequestAuthentication) applies to the workload. */
export function appliesToWorkload(obj: KubeObject<{ selector?: { matchLabels?: Record<string, string> }; targetRef?: PolicyTargetReference; targetRefs?: PolicyTargetReference[] }>, w: WorkloadRef): boolean {
  const ns = obj.metadata.namespace ?? '';
  if (ns !== w.namespace && ns !== w.rootNamespace) return false;
  const refs = targetRefs(obj.spec);
  if (refs.length > 0) {
    const gw = w.labels[GATEWAY_NAME_LABEL];
    return ns === w.namespace && !!gw && refs.some((r) => (r.kind ?? '') === 'Gateway' && r.name === gw && (r.namespace ?? ns) === w.namespace);
  }
  const sel = obj.spec?.selector?.matchLabels ?? {};
  return Object.entries(sel).every(([k, v]) => w.labels[k] === v);
}

/**
 * The AuthorizationPolicies a waypoint (`ns/name`) enforces for a request to `services`: those whose targetRef(s)
 * name its Gateway or one of the Services.
 */
export function policiesForWaypoint(objects: KubeObject[], waypointRef: string, services: { namespace: string; name: string }[]): KubeObject<AuthorizationPolicySpec>[] {
  const [wns, wname] = waypointRef.split('/');
  return (objects.filter((o) => o.kind === 'AuthorizationPolicy') as KubeObject<AuthorizationPolicySpec>[]).filter((p) => {
    const ns = p.metadata.namespace ?? '';
    return targetRefs(p.spec).some((r) => {
      const rns = r.namespace ?? ns;
      if ((r.kind ?? '') === 'Gateway') return rns === wns && r.name === wname;
      if ((r.kind ?? '') === 'Service') return services.some((s) => s.namespace === rns && s.name === r.name);
      return false;
    });
  });
}

/** The AuthorizationPolicies among `objects` that apply, root namespace first, each namespace in creation order. */
export function policiesForWorkload(objects: KubeObject[], w: WorkloadRef): KubeObject<AuthorizationPolicySpec>[] {
  const pols = objects.filter((o) => o.kind === 'AuthorizationPolicy' && appliesToWorkload(o, w)) as KubeObject<AuthorizationPolicySpec>[];
  const rank = (o: KubeObject) => (o.metadata.namespace === w.rootNamespace && w.rootNamespace !== w.namespace ? 0 : 1);
  return pols.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p)
    || (a.p.metadata.creationTimestamp ?? '').localeCompare(b.p.metadata.creationTimestamp ?? '')
    || a.i - b.i).map((x) => x.p);
}
