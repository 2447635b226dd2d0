// The end of a trace at an ambient workload (no sidecar, captured by ztunnel). The sender (a waypoint or a sidecar)
// reaches the workload over HBONE: mutual TLS to the ztunnel on the pod's node, which ends it and delivers the
// request. Policy is split: a waypoint, an Envoy, enforces the L7 AuthorizationPolicies bound to it (targetRefs to
// the waypoint's Gateway or to the Service); the destination ztunnel enforces the policies selecting the pod, at L4
// only (principals, namespaces, ports: a rule on paths, methods or headers never matches there).
import type { ContextIndex } from '../mesh/indexes.js';
import type { PodModel } from '../mesh/objects.js';
import type { KubeObject } from '../model/resources.js';
import type { AuthorizationPolicySpec } from '../model/security.js';
import { ambientOfSnapshot, type PodEnrollment } from '../mesh/ambient.js';
import { evaluateAuthz, type AuthzDecision } from '../mesh/authz/evaluate.js';
import { policiesForWaypoint, policiesForWorkload } from '../mesh/authz/select.js';
import type { Recorder } from './recorder.js';
import type { ResolvedSource } from './source.js';

/** The pod's ambient enrollment when ztunnel, not a sidecar, carries its traffic. */
export function ambientDestination(ctx: ContextIndex, pod: PodModel): PodEnrollment | undefined {
  if (pod.hasSidecar) return undefined;
  const e = ambientOfSnapshot(ctx.snapshot).pods.get(`${pod.namespace}/${pod.name}`);
  return e && (e.mode === 'ambient' || e.mode === 'ambient-waypoint') ? e : undefined;
}

/** How the trace names the proxy that sends the request on: "waypoint NS/NAME (pod P)", "sidecar NS/POD", "gateway NS/POD". */
export function senderLabel(src: ResolvedSource): string {
  if (src.waypoint) return `waypoint ${src.waypoint.ref}${src.pod ? ` (pod ${src.pod.name})` : ''}`;
  return `${src.kind} ${src.pod ? `${src.pod.namespace}/${src.pod.name}` : src.label}`;
}

type Policy = KubeObject<AuthorizationPolicySpec>;


function authzStep(rec: Recorder, who: string, policies: Policy[], decision: AuthzDecision, peer: string | undefined, l4: boolean): void {
  const name = decision.policy ? `AuthorizationPolicy ${decision.policy.namespace}/${decision.policy.name} rules[${decision.rule}]` : `${policies.length} AuthorizationPolicies`;
  const blind = l4 && decision.unknown.length > 0 ? ` (ztunnel sees no ${decision.unknown.join(', ')}: those conditions never match at L4)` : '';
  // ztunnel refuses at L4: it closes the connection, there is no HTTP 403.
  const summary = l4 ? decision.summary.replace('(403 RBAC: access denied)', '(ztunnel closes the connection)') : decision.summary;
  rec.add('intent', 'authz', name, decision.decision !== 'denied', `${who}: ${summary}${blind}`,
    { enforcer: l4 ? 'ztunnel' : 'waypoint', evaluated: decision.evaluated, ...(decision.unknown.length ? { unknown: decision.unknown } : {}), peer: peer ?? null });
}

export interface AmbientHop {
  src: ResolvedSource;
  ctx: ContextIndex;
  pod: PodModel;
  enrollment: PodEnrollment;
  port: number;
  /** The sender's identity ("cluster.local/ns/NS/sa/SA"), when it has one. */
  principal?: string;
  /** The Services the request was addressed to. */
  services: { namespace: string; name: string }[];
  /** The PeerAuthentication that applies, as one phrase, and its mode. */
  serverSide: string;
  server: { mode: string; level?: string };
  request: { host: string; method: string; path: string; headers: Record<string, string> };
}

/** The mTLS and authorization lines for one ambient destination pod. */
export function ambientSecurity(rec: Recorder, h: AmbientHop): void {
  const { src, pod, enrollment: e } = h;
  const z = e.ztunnelPod ?? e.ztunnel?.ztunnelPod;
  const ztunnel = `ztunnel ${z ?? '(unknown)'}${e.node ? ` on node ${e.node}` : ''}`;
  rec.add('intent', 'mtls', `${pod.namespace}/${pod.name}:${h.port}`, true,
    `${senderLabel(src)} opens HBONE (mutual TLS) to ${ztunnel}, which ends it and delivers to the pod (ambient, no sidecar); ${h.serverSide} (ztunnel enforces it)`,
    { client: 'HBONE', sends: 'istio-mtls', server: h.server.mode, serverLevel: h.server.level ?? null, ztunnel: z ?? null });
  const objects = h.ctx.snapshot.objects.map((o) => o.obj);
  if (src.waypoint) {
    const pols = policiesForWaypoint(objects, src.waypoint.ref, h.services);
    const client = src.waypoint.client;
    const d = evaluateAuthz(pols, { principal: client, host: h.request.host, method: h.request.method, path: h.request.path, port: h.port, headers: h.request.headers });
    authzStep(rec, `waypoint ${src.waypoint.ref} enforces L7 policy`, pols, d, client, false);
    if (d.decision === 'denied') return;
  }
  const pols = policiesForWorkload(objects, { namespace: pod.namespace, labels: pod.labels, rootNamespace: 'istio-system' });
  const d = evaluateAuthz(pols, { principal: h.principal, port: h.port });
  authzStep(rec, `${ztunnel} enforces L4 policy`, pols, d, h.principal, true);
}
