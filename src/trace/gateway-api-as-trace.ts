// A Gateway API trace (from a Gateway Istio deploys for a Gateway API Gateway, or from its pod) as a Trace: the
// route istiod generates walked as intent, the gateway pod's Envoy walked as reality, their differences as
// disagreement steps. The TUI's trace form shows it like any other. Pure.
import type { Mesh } from '../mesh/join.js';
import { findGatewayApiGateway, traceGatewayApiGateway } from './gateway-api.js';
import { gatewayApiEnvoy } from './gateway-api-envoy.js';
import { shares as sharesOf } from './envoy.js';
import { GATEWAY_NAME_LABEL } from '../mesh/authz/select.js';
import type { StepKind, Trace, TraceRequest, TraceStep } from './types.js';

const INTENT_KINDS: Record<string, StepKind> = { listener: 'gateway-server', 'virtual-service': 'virtual-service', rule: 'rule', destination: 'destination' };

/** The trace when the request starts at a Gateway API Gateway (or a pod Istio deployed for one); else undefined. */
export function gatewayApiAsTrace(mesh: Mesh, request: TraceRequest): Trace | undefined {
  const ctx = mesh.context(request.context);
  if (!ctx || !ctx.gatewayApi) return undefined;
  let from = request.from;
  if (from.kind === 'pod') {
    const pod = ctx.podsIn(from.namespace).find((p) => p.name === from.name);
    const gwName = pod?.labels[GATEWAY_NAME_LABEL];
    if (!gwName) return undefined;
    from = { kind: 'gateway', namespace: from.namespace, name: gwName };
  }
  const objects = ctx.snapshot.objects.map((o) => o.obj);
  const gw = findGatewayApiGateway(objects, from.namespace, from.name);
  if (!gw) return undefined;
  const req: TraceRequest = { ...request, from };
  const t = traceGatewayApiGateway(objects, gw, req, { translation: ctx.gatewayApi });
  const envoy = gatewayApiEnvoy(mesh, req, t.intent);
  const steps: TraceStep[] = [];
  const add = (side: TraceStep['side'], kind: StepKind, name: string, matched: boolean, reason: string, proxy?: string) =>
    steps.push({ side, kind, name, context: ctx.name, matched, reason, depth: 0, segment: 0, ...(proxy ? { proxy } : {}) });
  add('intent', 'source', `Gateway ${from.namespace}/${from.name}`, true, `Gateway API (class ${String(gw.spec?.gatewayClassName ?? '?')}), translated as istiod does`);
  for (const s of t.steps) add('intent', INTENT_KINDS[s.kind] ?? 'note', s.name, s.matched, s.reason);
  const i = t.intent;
  const shares = sharesOf(i.destinations.map((d) => d.weight));
  i.destinations.forEach((d, k) => {
    add('intent', 'destination', `${d.host}${d.port ? `:${d.port}` : ''}`, true, i.destinations.length > 1 ? `weight ${d.weight} → ${shares[k]}%` : '100%');
  });
  if (i.verdict !== 'routed') add('intent', 'note', `${i.verdict}${i.status !== null ? ` ${i.status}` : ''}`, i.verdict === 'redirect', verdictReason(i.verdict, i.status, i.redirect));
  if (envoy) {
    for (const s of envoy.steps) add('envoy', s.kind as StepKind, s.name, s.matched, s.reason, envoy.proxy);
    if (envoy.unchecked) add('envoy', 'note', 'intent only', false, envoy.unchecked, envoy.proxy);
    for (const d of envoy.disagreements) add('envoy', 'disagreement', 'intent ≠ Envoy', false, d, envoy.proxy);
  } else {
    add('envoy', 'note', 'no gateway pod', false, `no pod labelled ${GATEWAY_NAME_LABEL}=${from.name} in ${from.namespace} is loaded: Envoy not checked`);
  }
  const disagreements = steps.filter((s) => s.kind === 'disagreement');
  const segment = {
    index: 0, depth: 0, context: ctx.name, title: `gateway ${envoy?.proxy ?? `${from.namespace}/${from.name}`} (Gateway API)`,
    ...(envoy ? { proxy: envoy.proxy } : {}), request: req, steps,
  };
  const ok = (i.verdict === 'routed' || i.verdict === 'redirect') && disagreements.length === 0;
  return { request: req, segments: [segment], steps, disagreements, ok };
}

function verdictReason(verdict: string, status: number | null, redirect?: { scheme: string; host: string; port: number | null; path: string }): string {
  if (redirect) return `redirect to ${redirect.scheme}://${redirect.host}${redirect.port ? `:${redirect.port}` : ''}${redirect.path}`;
  return status !== null ? `Envoy answers ${status} itself` : verdict;
}
