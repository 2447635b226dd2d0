// Where intent and Envoy part: a different route/rule, different clusters or weights, a missing cluster, no healthy
// endpoint where intent has ready ones. Each disagreement is placed right after the Envoy step where they part.
import type { ContextIndex } from '../mesh/indexes.js';
import type { EnvoyResult } from './envoy.js';
import { routeConfigVersion } from './envoy.js';
import type { IntentResult } from './intent.js';
import type { Recorder } from './recorder.js';
import type { TraceStep } from './types.js';

function disagree(rec: Recorder, after: TraceStep | undefined, name: string, reason: string, details?: Record<string, unknown>): TraceStep {
  const s: TraceStep = { side: 'envoy', kind: 'disagreement', name, context: rec.context, matched: false, reason, depth: rec.depth, segment: rec.segment };
  if (rec.proxy) s.proxy = rec.proxy;
  if (details) s.details = details;
  rec.insertAfter(after, s);
  return s;
}

/** The newest version_info of a route config among the context's proxies (to call a proxy stale). */
function newestVersion(ctx: ContextIndex, name: string): string | undefined {
  let best: string | undefined;
  for (const p of ctx.proxies) {
    const v = routeConfigVersion(p.parsed, name);
    if (v && (!best || v > best)) best = v;
  }
  return best;
}

export function compareIntentEnvoy(intent: IntentResult, envoy: EnvoyResult, ctx: ContextIndex, rec: Recorder): TraceStep[] {
  const out: TraceStep[] = [];
  if (envoy.stopped === 'no dump') return out;
  const at = envoy.routeStep ?? envoy.lastStep;
  const routes = intent.destinations.length > 0;
  if (intent.stopped && !routes) {
    if (!envoy.stopped && envoy.clusters.some((c) => c.weight > 0 && c.name !== 'PassthroughCluster')) {
      out.push(disagree(rec, at, 'route', `intent stops (${intent.stopped}), but Envoy routes to ${envoy.clusters.map((c) => c.name).join(', ')}`));
    }
    return out;
  }
  if (envoy.stopped && routes) {
    out.push(disagree(rec, envoy.lastStep, 'route', `intent routes to ${intent.destinations.map((d) => d.cluster).join(', ')}, but Envoy stops here (${envoy.stopped})`));
    return out;
  }
  const vsOfRoute = envoy.route?.virtualService ?? '';
  const intentVs = intent.rule?.vs ?? intent.virtualServices[0];
  if (envoy.route && intentVs && !vsOfRoute) {
    out.push(disagree(rec, at, 'virtual-service', `Envoy matched a route that no VirtualService made; intent uses VirtualService ${intentVs.namespace}/${intentVs.name}: this proxy does not have it (not pushed, stale, or hidden)`));
  } else if (envoy.route && intent.defaultRoute && vsOfRoute) {
    out.push(disagree(rec, at, 'virtual-service', `Envoy's route comes from VirtualService ${vsOfRoute}, but intent finds no VirtualService for this request`));
  } else if (intentVs && vsOfRoute && vsOfRoute !== `${intentVs.name}.${intentVs.namespace}`) {
    out.push(disagree(rec, at, 'virtual-service', `Envoy's route comes from VirtualService ${vsOfRoute}, intent uses ${intentVs.namespace}/${intentVs.name}`));
  } else if (intent.rule && envoy.routeModel?.rule && envoy.routeModel.rule !== intent.rule) {
    const r = envoy.routeModel.rule;
    out.push(disagree(rec, at, 'rule', `Envoy matched the route of ${r.path}${r.name ? ` "${r.name}"` : ''}, intent picks ${intent.rule.path}${intent.rule.name ? ` "${intent.rule.name}"` : ''}`));
  }
  if (intent.rule && intent.rule.action !== 'route') return out;
  const want = new Map<string, number>();
  for (const d of intent.destinations) want.set(d.cluster, (want.get(d.cluster) ?? 0) + d.weight);
  const have = new Map<string, number>();
  for (const c of envoy.clusters) have.set(c.name, (have.get(c.name) ?? 0) + c.weight);
  const diffs: string[] = [];
  for (const name of new Set([...want.keys(), ...have.keys()])) {
    const w = want.get(name);
    const h = have.get(name);
    if (w === undefined) diffs.push(`Envoy sends ${h}% to ${name}, which intent does not name`);
    else if (h === undefined) diffs.push(`intent sends ${w}% to ${name}, which the Envoy route does not name`);
    else if (Math.abs(w - h) > 0.5) diffs.push(`${name}: intent ${w}%, Envoy ${h}%`);
  }
  if (diffs.length > 0) {
    let why = '';
    const rc = envoy.routeConfig?.name;
    const mine = rc ? routeConfigVersion(envoy.proxy?.parsed, rc) : undefined;
    const newest = rc ? newestVersion(ctx, rc) : undefined;
    if (mine && newest && mine < newest) why = ` — route config ${rc} here is version ${mine}, other proxies in ${ctx.name} have ${newest}: a stale push`;
    out.push(disagree(rec, at, 'weights', `intent and Envoy part here: ${diffs.join('; ')}${why}`, {
      intent: Object.fromEntries(want), envoy: Object.fromEntries(have), version: mine, newestVersion: newest,
    }));
  }
  for (const c of envoy.clusters) {
    const d = intent.destinations.find((x) => x.cluster === c.name);
    if (!d || c.weight === 0) continue;
    const ready = d.pods.filter((p) => p.ready).length + d.endpoints.filter((e) => !e.pod && e.ready !== false).length;
    if (!c.exists && (d.model ? !d.model.problems.some((p) => p.path?.endsWith('.subset')) : true)) {
      out.push(disagree(rec, c.step, 'cluster', `intent routes ${d.weight}% to ${c.name}, but this proxy has no such cluster`));
    } else if (c.exists && c.usable === 0 && ready > 0) {
      out.push(disagree(rec, c.step, 'endpoints', `intent has ${ready} ready endpoint${ready === 1 ? '' : 's'} for ${c.name}, Envoy has no healthy one`));
    }
  }
  return out;
}
