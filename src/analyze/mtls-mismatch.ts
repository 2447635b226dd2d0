// A DestinationRule's TLS settings against the PeerAuthentication of the workloads behind its host, port by port and
// subset by subset: plain text (DISABLE) or app TLS (SIMPLE, MUTUAL) to a STRICT workload is reset (MS0505); Istio
// mTLS (ISTIO_MUTUAL) to a workload that accepts plain text only, or has no sidecar, fails the handshake (MS0506).
import type { Check, Finding } from './types.js';
import type { ContextIndex, AnalyzedObject } from './input.js';
import type { KubeObject } from '../model/resources.js';
import { toFqdn } from '../mesh/hosts.js';
import { clientTls, handshake, serverMtls } from '../mesh/security/mtls.js';
import { msReport, podInMesh } from './authz-common.js';

const NAME = 'mtls.DestinationRuleMismatch';

function hasSidecar(pod: AnalyzedObject): boolean {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c: { name?: string }) => c?.name === 'istio-proxy');
}

function targetPort(svcPort: { port?: number; targetPort?: number | string; name?: string }, pod: AnalyzedObject): number | undefined {
  const t = svcPort.targetPort;
  if (typeof t === 'number') return t;
  if (typeof t === 'string' && t !== '') {
    for (const c of pod.spec?.containers ?? []) for (const p of c?.ports ?? []) if (p?.name === t) return p.containerPort;
    return undefined;
  }
  return svcPort.port;
}

const servicesByFqdn = new WeakMap<ContextIndex, Map<string, AnalyzedObject>>();

function serviceFor(ctx: ContextIndex, host: string, ns: string): AnalyzedObject | undefined {
  let m = servicesByFqdn.get(ctx);
  if (!m) {
    m = new Map(ctx.kind('Service').map((s) => [`${s.name}.${s.namespace}.svc.cluster.local`, s] as const));
    servicesByFqdn.set(ctx, m);
  }
  return m.get(toFqdn(host, ns));
}

/**
 * What a pod accepts on a port, from the PeerAuthentications of its namespace and the root namespace only (serverMtls
 * reads no others; a context may hold thousands).
 */
function serverOf(ctx: ContextIndex, root: string): (pod: AnalyzedObject, port: number | undefined) => ReturnType<typeof serverMtls> & { hasSidecar: boolean } {
  const byNamespace = new Map<string, KubeObject[]>();
  for (const o of ctx.kind('PeerAuthentication')) {
    const list = byNamespace.get(o.namespace) ?? [];
    list.push(o.loaded.obj);
    byNamespace.set(o.namespace, list);
  }
  const relevant = new Map<string, KubeObject[]>();
  return (pod, port) => {
    let pas = relevant.get(pod.namespace);
    if (!pas) relevant.set(pod.namespace, (pas = pod.namespace === root ? byNamespace.get(root) ?? [] : [...byNamespace.get(pod.namespace) ?? [], ...byNamespace.get(root) ?? []]));
    return { hasSidecar: hasSidecar(pod), ...serverMtls(pas as never, { namespace: pod.namespace, labels: pod.labels }, port, root) };
  };
}

/** Whether a traffic policy sets a TLS mode, for all ports or some. */
function tlsSet(tp: unknown): boolean {
  const t = tp as { tls?: { mode?: unknown }; portLevelSettings?: { tls?: { mode?: unknown } }[] } | undefined;
  return !!t && (!!t.tls?.mode || (Array.isArray(t.portLevelSettings) && t.portLevelSettings.some((p) => !!p?.tls?.mode)));
}

/** Whether a DestinationRule sets a TLS mode anywhere (else every client uses auto mTLS, which always fits). */
function setsTls(spec: { trafficPolicy?: unknown; subsets?: unknown } | undefined): boolean {
  return tlsSet(spec?.trafficPolicy) || (Array.isArray(spec?.subsets) && spec.subsets.some((s) => tlsSet((s as { trafficPolicy?: unknown } | null)?.trafficPolicy)));
}

export const mtlsMismatchCheck: Check = {
  name: NAME,
  description: "a DestinationRule's TLS mode does not fit the PeerAuthentication of the workloads behind its host",
  codes: [
    { code: 'MS0505', level: 'Error', summary: 'plain text or app TLS to a workload that requires mTLS (STRICT)' },
    { code: 'MS0506', level: 'Error', summary: 'Istio mTLS to a workload that accepts plain text only or has no sidecar' },
  ],
  run(input) {
    const out: Finding[] = [];
    const root = input.meshConfig.rootNamespace;
    for (const ctx of input.contexts) {
      const serverAt = serverOf(ctx, root);
      for (const dr of ctx.kind('DestinationRule')) {
        if (typeof dr.spec?.host !== 'string' || !setsTls(dr.spec)) continue;
        const svc = serviceFor(ctx, dr.spec.host, dr.namespace);
        if (!svc?.spec?.selector) continue;
        // A subset that sets no TLS of its own sends what the host does to a part of the host's pods: the host's pass
        // has found (and the key below would drop) all it could.
        const own = ((dr.spec.subsets ?? []) as { name?: string; trafficPolicy?: unknown }[]).filter((s) => !!s?.name && tlsSet(s.trafficPolicy));
        const subsets: (string | undefined)[] = [undefined, ...own.map((s) => s.name!)];
        const seen = new Set<string>();
        for (const subset of subsets) {
          const subsetLabels = subset ? ((dr.spec.subsets as { name?: string; labels?: Record<string, string> }[]).find((s) => s?.name === subset)?.labels ?? {}) : {};
          const pods = ctx.selectPods(svc.namespace, { ...svc.spec.selector, ...subsetLabels }).filter((p) => podInMesh(ctx, p));
          for (const sp of (svc.spec.ports ?? []) as { port?: number; targetPort?: number | string }[]) {
            if (typeof sp?.port !== 'number') continue;
            // The rule's own mode for this port, the same for every pod (auto mTLS, which depends on the pod, always fits).
            const client = clientTls(dr.loaded.obj as never, sp.port, subset, { hasSidecar: true, mode: 'PERMISSIVE' });
            if (client.mode === 'AUTO') continue;
            for (const pod of pods) {
              const server = serverAt(pod, targetPort(sp, pod));
              if (handshake(client, server).ok) continue;
              const key = `${sp.port}|${client.path}|${server.policy?.name ?? ''}|${server.mode}|${server.hasSidecar}`;
              if (seen.has(key)) continue;
              seen.add(key);
              const target = `${svc.namespace}/${svc.name}${subset ? ` subset ${subset}` : ''} (pod ${pod.name})`;
              if (client.sends !== 'istio-mtls') {
                const pa = server.policy ? `${server.policy.namespace}/${server.policy.name}` : '(default)';
                out.push(msReport(NAME, dr, 'PlaintextToStrictWorkload', [client.sends === 'tls' ? `app TLS (${client.mode})` : 'plain text (DISABLE)', target, sp.port, pa], client.path));
              } else {
                const why = !server.hasSidecar ? 'the workload has no sidecar' : `PeerAuthentication ${server.policy?.namespace}/${server.policy?.name} accepts plain text only (DISABLE)`;
                out.push(msReport(NAME, dr, 'MtlsToPlaintextWorkload', [target, sp.port, why], client.path));
              }
            }
          }
        }
      }
    }
    return out;
  },
};
