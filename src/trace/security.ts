// The end of a trace: the request at its destination workload. The source identity (the client's service account,
// none for plain text), the mTLS handshake (the client's DestinationRule or auto mTLS against the server's
// PeerAuthentication), then the AuthorizationPolicies in Envoy's order naming the one and the rule that decide.
// Beside it, the RBAC filters the destination's Envoy runs, when its config dump is loaded.
import type { ContextIndex } from '../mesh/indexes.js';
import type { PodModel } from '../mesh/objects.js';
import type { KubeObject } from '../model/resources.js';
import { clientTls, handshake, serverMtls } from '../mesh/security/mtls.js';
import { policiesForWorkload } from '../mesh/authz/select.js';
import { evaluateAuthz } from '../mesh/authz/evaluate.js';
import { buildAuthzFilters } from '../mesh/authz/builder.js';
import { trustDomainBundle } from '../mesh/authz/trust-domain.js';
import { dynamicListeners, rbacFilters } from '../mesh/authz/envoy-rbac.js';
import { enforcedPolicies } from '../mesh/authz/check.js';
import { authzDrift } from '../mesh/authz/drift.js';
import type { IntentResult } from './intent.js';
import type { Recorder } from './recorder.js';
import type { ResolvedSource } from './source.js';
import type { TraceRequest } from './types.js';
import { ambientDestination, ambientSecurity, senderLabel } from './security-ambient.js';

const ROOT = 'istio-system';

function serviceAccount(pod: PodModel | undefined): string | undefined {
  if (!pod) return undefined;
  const spec = pod.loaded.obj.spec as { serviceAccountName?: string; serviceAccount?: string } | undefined;
  return spec?.serviceAccountName ?? spec?.serviceAccount ?? 'default';
}

function objectsOf(ctx: ContextIndex): KubeObject[] {
  return ctx.snapshot.objects.map((o) => o.obj);
}

/** The container port a Service port sends to on the pod (numeric targetPort, named port, or the port itself). */
function targetPortOf(dest: IntentResult['destinations'][number], port: number, pod: PodModel): number {
  for (const t of dest.model?.targets ?? []) {
    const sp = (t.loaded.obj.spec?.ports ?? []).find((p: { port?: number }) => p?.port === port) as { targetPort?: number | string } | undefined;
    if (!sp) continue;
    if (typeof sp.targetPort === 'number') return sp.targetPort;
    if (typeof sp.targetPort === 'string') {
      for (const c of pod.loaded.obj.spec?.containers ?? []) for (const cp of c?.ports ?? []) if (cp?.name === sp.targetPort) return cp.containerPort;
    }
  }
  return dest.endpoints.find((e) => e.pod === pod)?.port ?? port;
}

export function walkSecurity(src: ResolvedSource, req: TraceRequest, intent: IntentResult, contexts: ContextIndex[], rec: Recorder): void {
  if (intent.stopped) return;
  const dests = intent.destinations.filter((d) => d.weight > 0 && d.pods.length > 0);
  if (dests.length === 0) return;
  const sa = serviceAccount(src.pod);
  const clientNs = src.pod?.namespace ?? src.ctx.name;
  const principal = sa && src.pod?.hasSidecar ? `cluster.local/ns/${src.pod.namespace}/sa/${sa}` : undefined;
  rec.add('intent', 'identity', principal ? `spiffe://${principal}` : 'no identity', true,
    principal ? `${senderLabel(src)} runs as service account ${sa}` : 'the client has no sidecar: it has no mesh identity');
  const seen = new Set<string>();
  for (const dest of dests) {
    for (const pod of dest.pods) {
      const ctx = contexts.find((c) => c.name === pod.context);
      if (!ctx) continue;
      const port = targetPortOf(dest, intent.port, pod);
      const objects = objectsOf(ctx);
      const pas = objects.filter((o) => o.kind === 'PeerAuthentication');
      const server = { hasSidecar: pod.hasSidecar, ...serverMtls(pas as never, { namespace: pod.namespace, labels: pod.labels }, port, ROOT) };
      const serverSide = server.policy ? `PeerAuthentication ${server.policy.namespace}/${server.policy.name} (${server.level}) = ${server.mode}` : `no PeerAuthentication: ${server.mode}`;
      const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const ambient = ambientDestination(ctx, pod);
      if (ambient) {
        const key = `${pod.namespace}|${JSON.stringify(pod.labels)}|ambient`;
        if (seen.has(key)) continue;
        seen.add(key);
        const services = (dest.model?.targets ?? []).filter((t) => t.kind === 'Service').map((t) => ({ namespace: t.namespace, name: t.name }));
        ambientSecurity(rec, { src, ctx, pod, enrollment: ambient, port, principal, services, serverSide, server: { mode: server.mode, level: server.level },
          request: { host: headers.host ?? headers[':authority'] ?? req.host, method: (req.method ?? 'GET').toUpperCase(), path: req.path ?? '/', headers } });
        continue;
      }
      const drObj = dest.model?.destinationRule?.rules[0]?.value.loaded.obj
        ?? src.ctx.drs.lookup(dest.fqdn, clientNs, pod.namespace)?.rules[0]?.value.loaded.obj;
      const client = clientTls(drObj as never, intent.port, dest.subset, server);
      const hs = handshake(client, server);
      const policies = policiesForWorkload(objects, { namespace: pod.namespace, labels: pod.labels, rootNamespace: ROOT });
      const peer = client.sends === 'istio-mtls' ? principal : undefined;
      const decision = evaluateAuthz(policies, { principal: peer, host: headers.host ?? headers[':authority'] ?? req.host, method: (req.method ?? 'GET').toUpperCase(), path: req.path ?? '/', port, headers });
      const key = `${pod.namespace}|${JSON.stringify(pod.labels)}|${hs.summary}|${decision.summary}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const where = `${pod.namespace}/${pod.name}:${port}`;
      const clientSide = client.mode === 'AUTO' ? 'auto mTLS' : `DestinationRule ${client.rule!.namespace}/${client.rule!.name} ${client.path} = ${client.mode}`;
      rec.add('intent', 'mtls', where, hs.ok, `${clientSide}; ${serverSide}: ${hs.summary}`,
        { client: client.mode, sends: client.sends, server: server.mode, serverLevel: server.level });
      if (!hs.ok) continue;
      const name = decision.policy ? `AuthorizationPolicy ${decision.policy.namespace}/${decision.policy.name} rules[${decision.rule}]` : `${policies.length} AuthorizationPolicies`;
      rec.add('intent', 'authz', name, decision.decision !== 'denied', decision.summary,
        { evaluated: decision.evaluated, ...(decision.unknown.length ? { unknown: decision.unknown } : {}), peer: peer ?? null });
      const dump = pod.proxy?.dump.configDump;
      if (dump) {
        const found = rbacFilters(dynamicListeners(dump));
        const enforced = enforcedPolicies(found).map((e) => `${e.action} ${e.policy} (${e.rules})`);
        const intended = [false, true].flatMap((forTCP) => buildAuthzFilters(policies, { forTCP, trustDomain: trustDomainBundle('cluster.local') }).filters);
        const drift = authzDrift(intended, found);
        const ok = drift.missing.length === 0 && drift.unexpected.length === 0;
        const text = enforced.length ? `Envoy's RBAC filters enforce ${enforced.join(', ')}` : 'Envoy runs no RBAC filter';
        rec.add('envoy', 'rbac', `${pod.namespace}/${pod.name} (its config_dump)`, ok, ok ? `${text}: as the policies build them` : `${text}; missing ${drift.missing.join(', ') || 'nothing'}; not in the policies ${drift.unexpected.join(', ') || 'nothing'}`);
      }
    }
  }
}
