// `meshscope traffic VS|httproute/NAME [-n NS] [--context …] [--window 10s] [-o text|json] [--per-proxy]`: where a
// VirtualService's (or a Gateway API route's) traffic really goes, from the Envoy counters of the proxies that route it
// (recorded stats.json offline, two reads over the window live).
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { setExitCode } from './global.js';
import { UsageError, UserError } from '../core/errors.js';
import { sanitizeLine, terminalSafeJson } from '../core/sanitize.js';
import type { RuleModel } from '../mesh/objects.js';
import type { Mesh } from '../mesh/join.js';

export interface TrafficOptions { output?: string; window?: string; perProxy?: boolean; pods?: string }

export interface TrafficIO { out(s: string): void; err(s: string): void }

export function register(program: Command): void {
  program
    .command('traffic <route>')
    .description('observed traffic per destination of a VirtualService, or per backendRef of httproute/NAME (grpcroute, tcproute, tlsroute): rate, share against the weight, 5xx, from the Envoy counters of the proxies that route it')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--window <duration>', 'live: time between the two reads of the counters', '10s')
    .option('--per-proxy', 'also show each proxy\'s numbers')
    .option('--pods <selector>', 'live: only read these sidecars (label selector, e.g. app=frontend); gateways are always read')
    .action(async (name: string, o: TrafficOptions, cmd: Command) => {
      setExitCode(cmd, await runTraffic(globalsOf(cmd), name, o, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }));
    });
}

/** The VirtualService (or `httproute/NAME`...) in -n NS (default "default") in every loaded context; a UserError when none has it. */
export async function runTraffic(g: GlobalOptions, name: string, o: TrafficOptions, io: TrafficIO): Promise<number> {
  if (o.output !== 'text' && o.output !== 'json') throw new UsageError(`-o ${o.output}: use text or json`);
  const { parseDuration } = await import('../sources/kube/duration.js');
  const windowMs = parseDuration(o.window ?? '10s', '--window');
  if (windowMs <= 0) throw new UsageError(`--window ${o.window}: use a duration like 10s or 1m`);
  const { joinMesh } = await import('../mesh/join.js');
  const { ruleTraffic } = await import('../mesh/traffic.js');
  const { trafficJson, trafficText } = await import('../format/traffic.js');
  let warnings: string[] = [];
  let mesh: Mesh;
  let rules: RuleModel[];
  const route = (await import('../edit/gateway-api-weights.js')).parseRouteRef(name);
  const find = async (what: string): Promise<RuleModel[]> => {
    const live = await import('../app/traffic-live.js');
    return route ? live.findRouteRules(mesh, route.kind, route.name, g.namespace, what)
      : live.findVirtualServices(mesh, name, g.namespace, what).flatMap((vs) => vs.rules);
  };
  if (g.fixtures) {
    const { loadMesh } = await import('../sources/load.js');
    // Every namespace is loaded: the proxies that route a rule live anywhere; -n names the VirtualService's.
    mesh = joinMesh(await loadMesh({ ...g, namespace: undefined }));
    rules = await find(sanitizeLine(g.fixtures));
  } else {
    const { loadLiveWithSidecars, sampleLiveStats } = await import('../app/traffic-live.js');
    const { parseSelector } = await import('./snapshot.js');
    const live = await loadLiveWithSidecars(g, o.pods ? parseSelector(o.pods) : undefined);
    warnings = live.warnings;
    mesh = joinMesh(live.input);
    rules = await find('the selected contexts');
    if (o.output === 'text') io.err(`meshscope: sampling the Envoy counters twice, ${sanitizeLine(o.window ?? '10s')} apart…\n`);
    warnings.push(...await sampleLiveStats(live.input, rules, windowMs));
  }
  const list = rules.map((r) => ruleTraffic(r));
  if (o.output === 'json') io.out(`${terminalSafeJson(JSON.stringify(trafficJson(list), null, 2))}\n`);
  else io.out(trafficText(list, Boolean(o.perProxy)));
  for (const w of warnings) io.err(`meshscope: warning: ${sanitizeLine(w)}\n`);
  return 0;
}
