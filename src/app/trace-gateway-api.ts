// `meshscope trace` for Gateway API: from a Gateway API Gateway (gateway/NAME.NS), or from a pod when the called
// Service has mesh routes (HTTPRoutes whose parent is the Service). Prints the intent in the shared JSON contract.
import type { MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { KubeObject } from '../model/resources.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import type { TraceRequest } from '../trace/types.js';
import type { GatewayApiTrace } from '../trace/gateway-api.js';
import type { GatewayApiEnvoy } from '../trace/gateway-api-envoy.js';

function textOf(req: TraceRequest, t: GatewayApiTrace, envoy?: GatewayApiEnvoy): string {
  const lines = [`${req.method ?? 'GET'} ${req.host}${req.port ? `:${req.port}` : ''}${req.path ?? ''} from ${req.from.kind} ${req.from.namespace}/${req.from.name} (Gateway API)`];
  for (const s of t.steps) lines.push(`  ${s.matched ? '✓' : '✗'} ${s.kind} ${s.name}: ${s.reason}`);
  const i = t.intent;
  let result = `→ ${i.verdict}${i.status !== null ? ` ${i.status}` : ''}`;
  if (i.destinations.length) result += `: ${i.destinations.map((d) => `${d.host}${d.port ? `:${d.port}` : ''}${i.destinations.length > 1 ? ` weight ${d.weight}` : ''}`).join(', ')}`;
  if (i.redirect) result += `: ${i.redirect.scheme}://${i.redirect.host}${i.redirect.port ? `:${i.redirect.port}` : ''}${i.redirect.path}`;
  if (i.route) result += ` (${i.route.kind} ${i.route.namespace}/${i.route.name} rule ${i.route.rule})`;
  lines.push(result);
  if (envoy) {
    lines.push(`Envoy of ${envoy.role} ${envoy.proxy}:`);
    for (const s of envoy.steps) lines.push(`  ${s.matched ? '✓' : '✗'} ${s.kind} ${s.name}: ${s.reason}`);
    if (envoy.unchecked) lines.push(`? intent only: ${envoy.unchecked}`);
    else lines.push(envoy.disagreements.length ? envoy.disagreements.map((d) => `≠ ${d}`).join('\n') : '= intent and Envoy agree');
  }
  return `${lines.map(sanitizeLine).join('\n')}\n`;
}

/**
 * Traces and prints when the source is a Gateway API Gateway or the pod's host has mesh routes; undefined otherwise.
 * The mesh joined from `input` carries the context's translation, which every step here reuses.
 */
export async function traceGatewayApiIfApplies(input: MeshInput, mesh: Mesh, req: TraceRequest, output: string): Promise<{ ok: boolean } | undefined> {
  const snap = input.contexts.find((c) => c.name === req.context);
  const translation = mesh.context(req.context)?.gatewayApi;
  if (!snap || !translation) return undefined;
  const objects: KubeObject[] = snap.objects.map((o) => o.obj);
  const { findGatewayApiGateway, traceGatewayApiGateway, traceGatewayApiMesh } = await import('../trace/gateway-api.js');
  let t: GatewayApiTrace | undefined;
  let envoy: GatewayApiEnvoy | undefined;
  if (req.from.kind === 'gateway') {
    const gw = findGatewayApiGateway(objects, req.from.namespace, req.from.name);
    if (!gw) return undefined;
    t = traceGatewayApiGateway(objects, gw, req, { translation });
    // Reality: the gateway pod's Envoy config, when its dump is loaded.
    const { gatewayApiEnvoy } = await import('../trace/gateway-api-envoy.js');
    envoy = gatewayApiEnvoy(mesh, req, t.intent);
  } else {
    const pods = objects.filter((o) => o.kind === 'Pod' && (o.metadata.namespace ?? 'default') === req.from.namespace);
    const pod = pods.find((o) => o.metadata.name === req.from.name) ?? pods.find((o) => o.metadata.name.startsWith(req.from.name));
    if (!pod) return undefined;
    // An ambient pod's request goes through ztunnel and the service's waypoint: the ambient trace walks it.
    const { ambientOfSnapshot } = await import('../mesh/ambient.js');
    const mode = ambientOfSnapshot(snap).pods.get(`${req.from.namespace}/${pod.metadata.name}`)?.mode;
    if (mode === 'ambient' || mode === 'ambient-waypoint') return undefined;
    const hasMesh = translation.configs.some((c) => c.kind === 'VirtualService' && (c.spec.gateways as string[]).includes('mesh'));
    if (!hasMesh) return undefined;
    t = traceGatewayApiMesh(objects, pod, req, { translation });
    // Only a host with a mesh route is traced here; any other host goes through the VirtualService trace.
    if (!t?.intent.virtualService) return undefined;
    // Reality: the client pod's sidecar, when its dump is loaded.
    const { gatewayApiMeshEnvoy } = await import('../trace/gateway-api-envoy.js');
    envoy = gatewayApiMeshEnvoy(mesh, req, t);
  }
  const { context: _c, from: _f, ...request } = req;
  if (output === 'json') process.stdout.write(`${terminalSafeJson(JSON.stringify({ request: { ...request, from: req.from, context: req.context }, intent: t.intent, steps: t.steps, ...(envoy ? { envoy } : {}) }, null, 2))}\n`);
  else process.stdout.write(textOf(req, t, envoy));
  return { ok: (t.intent.verdict === 'routed' || t.intent.verdict === 'redirect') && !envoy?.disagreements.length };
}
