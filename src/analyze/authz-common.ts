// Shared by the authorization and mTLS checks: which pods are in the mesh, selector text as istioctl prints it,
// and findings for meshscope's own MS05xx codes (their templates live here, not in istioctl's catalogue).
import type { Finding, Level } from './types.js';
import type { ContextIndex, AnalyzedObject } from './input.js';
import { sprintf } from './messages.js';

/** istioctl's util.PodInMesh: an injected sidecar, a namespace labelled for injection, or ambient redirection. */
export function podInMesh(ctx: ContextIndex, pod: AnalyzedObject): boolean {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])] as { name?: string }[];
  if (containers.some((c) => c?.name === 'istio-proxy')) return true;
  if (pod.annotations['sidecar.istio.io/status'] || pod.annotations['ambient.istio.io/redirection'] === 'enabled') return true;
  const inject = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  if (inject === 'false') return false;
  const ns = ctx.kind('Namespace').find((n) => n.name === pod.namespace);
  return ns?.labels['istio-injection'] === 'enabled' || !!ns?.labels['istio.io/rev'] || ns?.labels['istio.io/dataplane-mode'] === 'ambient';
}

/** klabels.SelectorFromSet(...).String(): `k=v` pairs sorted by key, comma-joined. */
export function selectorString(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels![k]}`).join(',');
}

export const MS_MESSAGES = {
  PrincipalServiceAccountNotFound: { code: 'MS0501', level: 'Warning', template: 'Principal %q names service account %s, which does not exist in context %s.' },
  AuthzHostMatchesNothing: { code: 'MS0502', level: 'Warning', template: 'Host %q in the rule matches no service the workload serves (%s).' },
  DenyMakesAllowDead: { code: 'MS0503', level: 'Warning', template: 'ALLOW rule %s can never allow a request: DENY %s rule %s denies everything it matches, for the same workloads.' },
  AllowAdmitsNothing: { code: 'MS0504', level: 'Warning', template: 'ALLOW %s admits no request: %s.' },
  PlaintextToStrictWorkload: { code: 'MS0505', level: 'Error', template: 'DestinationRule sends %s to %s port %d, but PeerAuthentication %s requires mTLS (STRICT): connections are reset (503 UC).' },
  MtlsToPlaintextWorkload: { code: 'MS0506', level: 'Error', template: 'DestinationRule sends Istio mTLS to %s port %d, but %s: the handshake fails (503 UC).' },
  AuthzEnvoyDrift: { code: 'MS0507', level: 'Warning', template: 'Proxy %s: %s.' },
  DeniedRequests: { code: 'MS0508', level: 'Info', template: 'Proxy %s refused %d of %d %s in %d s, at %s; %s.' },
} as const satisfies Record<string, { code: string; level: Level; template: string }>;

export type MsMessage = keyof typeof MS_MESSAGES;

export function msReport(check: string, o: AnalyzedObject, name: MsMessage, args: readonly unknown[], path?: string, extra: Partial<Finding> = {}): Finding {
  const def = MS_MESSAGES[name];
  return {
    code: def.code, level: def.level, context: o.context, origin: o.origin, check, path, message: sprintf(def.template, args),
    ref: { context: o.context, kind: o.kind, namespace: o.namespace || undefined, name: o.name },
    file: o.loaded.origin.file, line: o.loaded.origin.line,
    ...extra,
  };
}

/** Whether the policy-like object applies to the pod (namespace or root namespace, selector). */
export function selectsPod(obj: AnalyzedObject, pod: AnalyzedObject, rootNamespace: string): boolean {
  if (obj.namespace !== pod.namespace && obj.namespace !== rootNamespace) return false;
  if (obj.spec?.targetRef || (obj.spec?.targetRefs ?? []).length > 0) return false;
  const sel = (obj.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  return Object.entries(sel).every(([k, v]) => pod.labels[k] === v);
}
