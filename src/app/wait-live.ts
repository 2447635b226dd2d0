// Follows a weight change to the data plane: re-reads the route configuration of every loaded proxy that carries the
// rule, or of the waypoint's Envoy when a waypoint serves its hosts (Envoy admin config_dump with a mask, over
// port-forward), until each runs the target weights, or the time is up.
import { UsageError } from '../core/errors.js';
import type { GlobalOptions } from '../core/options.js';
import { formatLoadIssue, type ContextSnapshot, type LoadIssue, type ProxyDump } from '../model/context.js';
import type { RuleModel } from '../mesh/objects.js';
import type { Mesh } from '../mesh/join.js';
import type { TargetWeights, ProxyConvergence } from '../mesh/convergence.js';
import { sanitizeLine } from '../core/sanitize.js';

/** Exit code when the time ran out with proxies that never ran the new weights. */
export const EXIT_STALE_PROXIES = 3;
export const DEFAULT_WAIT_MS = 60_000;

export interface WaitRequest {
  /** VirtualService name (or `httproute/NAME`, grpcroute, tcproute, tlsroute) and namespace. */
  name: string;
  namespace: string;
  /** Only this rule ("http/0"); default every rule with weighted destinations. */
  rule?: { kind: string; index: number };
  /** DEST=WEIGHT to wait for; default the rule's weights as the cluster has them now. */
  forWeights?: { dest: string; weight: number }[];
  timeoutMs: number;
  intervalMs?: number;
}

/** A proxy that never ran the target weights: where it is and what it still runs (with why it was not read again). */
export interface StaleProxy { context: string; namespace: string; pod: string; runs: string }

export interface WaitIO {
  out(s: string): void;
  err(s: string): void;
  /** At a timeout, the proxies that never converged (as named on err). */
  stale?(proxies: StaleProxy[]): void;
}

interface Tracked { rule: RuleModel; target: TargetWeights; key: string }

const MASK = '/config_dump?mask=dynamic_route_configs,dynamic_listeners';

/** Runs the wait; returns the exit code (0 converged, EXIT_STALE_PROXIES on timeout, 1 when there is nothing to follow). */
export async function followConvergence(g: GlobalOptions, req: WaitRequest, io: WaitIO): Promise<number> {
  const { loadLiveWithSidecars } = await import('../app/traffic-live.js');
  const { joinMesh } = await import('../mesh/join.js');
  const conv = await import('../mesh/convergence.js');
  const { findRouteRules, findVirtualServices } = await import('../app/traffic-live.js');
  const { routeRuleModels } = await import('../mesh/route-rules.js');
  const route = (await import('../edit/gateway-api-weights.js')).parseRouteRef(req.name);
  const what = route ? `${route.kind} ${sanitizeLine(req.namespace)}/${sanitizeLine(route.name)}` : `VirtualService ${sanitizeLine(req.namespace)}/${sanitizeLine(req.name)}`;
  const start = Date.now();
  const { input, warnings } = await loadLiveWithSidecars(g);
  for (const w of warnings) io.err(`meshscope: warning: ${sanitizeLine(w)}\n`);
  let mesh = joinMesh(input);
  const rules = route ? findRouteRules(mesh, route.kind, route.name, req.namespace, 'the selected contexts')
    : findVirtualServices(mesh, req.name, req.namespace, 'the selected contexts').flatMap((vs) => vs.rules);
  // A route rule is merged from the rules istiod generates, so after a new join it is merged again.
  const lookup = (m: Mesh, t: Tracked): RuleModel | undefined => route
    ? routeRuleModels(m, route.kind, req.namespace, route.name, t.rule.vs.context).find((r) => r.id === t.key)
    : m.rule(t.key);
  const tracked: Tracked[] = [];
  for (const rule of rules) {
    if (req.rule && (rule.index !== req.rule.index || (!route && rule.protocol !== req.rule.kind))) continue;
    if (!req.rule && rule.destinations.filter((d) => !d.mirror).length < 2 && !req.forWeights) continue;
    let target = conv.intendedWeights(rule);
    if (req.forWeights) {
      const t: TargetWeights = new Map();
      for (const a of req.forWeights) {
        const d = conv.destinationFor(rule, a.dest);
        if (!d) { target = undefined as never; break; }
        t.set(`${d.fqdn}|${d.subset ?? ''}`, a.weight);
      }
      if (!target) continue;
      for (const d of rule.destinations) if (!d.mirror && !t.has(`${d.fqdn}|${d.subset ?? ''}`)) t.set(`${d.fqdn}|${d.subset ?? ''}`, 0);
      target = t;
    }
    tracked.push({ rule, target, key: rule.id });
  }
  if (tracked.length === 0) {
    io.err(`meshscope: ${req.forWeights ? `no rule of ${what} has all of ${req.forWeights.map((a) => sanitizeLine(a.dest)).join(', ')}` : `${what} has no weighted rule to follow`}\n`);
    return 1;
  }
  // The proxies to follow, by context/ns/pod: the Envoys of the waypoints serving a tracked rule's hosts, else those
  // whose routes carry the rule now.
  const follow = new Map<string, { ctx: ContextSnapshot; dump: ProxyDump }>();
  for (const t of tracked) for (const p of conv.followedProxies(mesh, t.rule)) follow.set(`${p.context}/${p.namespace}/${p.podName}`, { ctx: input.contexts.find((c) => c.name === p.context)!, dump: p.dump });
  if (follow.size === 0) {
    const waypoints = [...new Set(tracked.flatMap((t) => conv.servingWaypoints(mesh, t.rule).map((w) => `${w.namespace}/${w.name}`)))];
    io.out(waypoints.length
      ? `${what} is served by waypoint ${sanitizeLine(waypoints.join(', '))}, but no Envoy config of its pods is loaded: nothing to wait for\n`
      : `no loaded proxy routes ${what}: nothing to wait for\n`);
    return 0;
  }
  const evaluate = (): { t: Tracked; states: ProxyConvergence[] }[] => tracked.map((t) => {
    const rule = lookup(mesh, t) ?? t.rule;
    const proxies = mesh.proxies(rule.vs.context).filter((p) => follow.has(`${p.context}/${p.namespace}/${p.podName}`));
    return { t, states: conv.ruleConvergence(rule, proxies, t.target) };
  });
  let lastLine = '';
  const interval = req.intervalMs ?? 1000;
  const warn = (issue: LoadIssue) => io.err(`meshscope: ${sanitizeLine(formatLoadIssue(issue))}\n`);
  const istiod = istiodSync(input.contexts.filter((c) => [...follow.values()].some((f) => f.ctx === c)), req.timeoutMs, warn);
  let notes = await istiod();
  for (;;) {
    const results = evaluate();
    for (const r of results) {
      const title = route ? `rules[${r.t.rule.index}]` : `${r.t.rule.protocol}[${r.t.rule.index}]`;
      const line = `${sanitizeLine(`${r.t.rule.vs.context} ${title}`)}: ${sanitizeLine(conv.progressLine(r.states, r.t.target, notes))}`;
      if (line !== lastLine) io.out(`${line}\n`);
      lastLine = results.length === 1 ? line : '';
    }
    const stale = results.flatMap((r) => r.states.filter((s) => !s.converged).map((s) => ({ ...s, rule: r.t.rule })));
    const elapsed = Date.now() - start;
    if (stale.length === 0) {
      const n = new Set(results.flatMap((r) => r.states.map((s) => `${s.context}/${s.proxy}`))).size;
      io.out(`converged: all ${n} ${n === 1 ? 'proxy runs' : 'proxies run'} the new weights (after ${(elapsed / 1000).toFixed(1)}s)\n`);
      return 0;
    }
    if (elapsed >= req.timeoutMs) {
      io.err(`meshscope: timed out after ${(req.timeoutMs / 1000).toFixed(0)}s: ${stale.length} ${stale.length === 1 ? 'proxy' : 'proxies'} never converged:\n`);
      const named = stale.map((s) => ({ context: s.context, namespace: s.proxy.slice(0, s.proxy.indexOf('/')), pod: s.pod, runs: `${s.runs}${s.error ? ` (${s.error})` : ''}` }));
      for (const s of named) io.err(sanitizeLine(`  ${s.namespace}/${s.pod} (${s.context}) still runs ${s.runs}`) + '\n');
      io.stale?.(named);
      return EXIT_STALE_PROXIES;
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, req.timeoutMs - elapsed))));
    [, notes] = await Promise.all([refetch(follow, new Set(stale.map((s) => `${s.context}/${s.proxy}`))), istiod()]);
    mesh = joinMesh(input);
  }
}

/** Re-reads the route configuration of the proxies still waiting; a read that fails keeps the last one, with the error. */
async function refetch(follow: Map<string, { ctx: ContextSnapshot; dump: ProxyDump }>, waiting: Set<string>): Promise<void> {
  const { liveStateOf } = await import('../sources/kube/index.js');
  const { adminGet, adminPortOf } = await import('../sources/envoy-admin.js');
  await Promise.all([...follow].filter(([k]) => waiting.has(k)).map(async ([k, f]) => {
    const client = liveStateOf(f.ctx)?.client;
    if (!client) return;
    const pod = f.ctx.objects.find((o) => o.obj.kind === 'Pod' && o.obj.metadata.name === f.dump.pod && o.obj.metadata.namespace === f.dump.namespace)?.obj;
    const next: ProxyDump = { context: f.ctx.name, namespace: f.dump.namespace, pod: f.dump.pod, fetchedAt: new Date() };
    try {
      next.configDump = JSON.parse(await adminGet(client, f.dump.namespace, f.dump.pod, pod ? adminPortOf(pod) : 15000, MASK));
    } catch (err) {
      // Keeps the last route configuration read; the proxy stays waiting, and says why it was not read again.
      next.configDump = f.dump.configDump;
      next.error = `not read again: ${err instanceof Error ? err.message : String(err)}`;
    }
    const i = f.ctx.proxies.indexOf(f.dump);
    if (i >= 0) f.ctx.proxies[i] = next;
    follow.set(k, { ctx: f.ctx, dump: next });
  }));
}

/**
 * istiod's sync status of each proxy where istiod is reachable (its /debug/syncz through the Service proxy), as notes
 * for the waiting list: "istiod: RDS STALE" (sent, not acked) or "istiod: RDS NOT SENT". A context whose istiod does not
 * answer the first time is named once through `warn` (what was fetched and what was answered) and not asked again.
 */
function istiodSync(contexts: ContextSnapshot[], timeoutMs: number, warn: (issue: LoadIssue) => void): () => Promise<Map<string, string>> {
  const unreachable = new Set<string>();
  return async () => {
    const { liveStateOf } = await import('../sources/kube/index.js');
    const { fetchSyncz, syncStates, istiodIssue } = await import('../sources/istiod.js');
    const notes = new Map<string, string>();
    await Promise.all(contexts.filter((c) => !unreachable.has(c.name)).map(async (c) => {
      const client = liveStateOf(c)?.client;
      if (!client) return;
      const limit = Math.min(3000, timeoutMs);
      try {
        const rows = await Promise.race([fetchSyncz(client), new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${limit} ms (GET /debug/syncz)`)), limit).unref())]);
        for (const row of rows) {
          const dot = row.proxy.lastIndexOf('.');
          const rds = syncStates(row).RDS;
          if (dot > 0 && rds !== 'SYNCED') notes.set(`${c.name}/${row.proxy.slice(dot + 1)}/${row.proxy.slice(0, dot)}`, `istiod: RDS ${rds}`);
        }
      } catch (err) {
        unreachable.add(c.name);
        warn(istiodIssue(c.name, `${err instanceof Error ? err.message : String(err)}; proxies are followed without istiod's sync status`));
      }
    }));
    return notes;
  };
}

export function needsLive(g: GlobalOptions, what: string): void {
  if (g.fixtures) throw new UsageError(`${what} needs live clusters: a snapshot folder (--fixtures ${g.fixtures}) has no proxies to follow; its proxies' agreement with the files is shown by \`meshscope analyze\` and the tree`);
}
