// `meshscope wait VS|httproute/NAME [-n NS] [--context …] [--for-weights DEST=W,…] [--rule R] [--timeout 60s]`: follows an earlier
// weight change until every proxy that carries the rule runs it. Exit 0 when converged, 3 (EXIT_STALE_PROXIES) naming
// the stale proxies when the time runs out. Live clusters only.
import type { Command } from 'commander';
import { globalsOf } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { setExitCode } from './global.js';
import { UsageError } from '../core/errors.js';
import { DEFAULT_WAIT_MS, needsLive, type WaitIO } from '../app/wait-live.js';

export interface WaitOptions { forWeights?: string[]; rule?: string; timeout?: string; interval?: string }

export function register(program: Command): void {
  program
    .command('wait <route>')
    .description('wait until every proxy that carries the VirtualService (or httproute/NAME, grpcroute, tcproute, tlsroute) runs its weights (exit 3 naming the stale proxies on timeout)')
    .option('--for-weights <assignments>', 'DEST=WEIGHT,… to wait for (default: the weights the VirtualService has now)', (v: string, p: string[] = []) => p.concat(v.split(',').map((s) => s.trim()).filter(Boolean)), [])
    .option('--rule <nameOrIndex>', 'only this rule: an index like http/0 or tcp/1 (a route: rules/0 or 0)')
    .option('--timeout <duration>', 'give up after this long', '60s')
    .option('--interval <duration>', 'time between reads of the proxies', '1s')
    .action(async (name: string, o: WaitOptions, cmd: Command) => {
      setExitCode(cmd, await runWait(globalsOf(cmd), name, o, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }));
    });
}

/** `http/0`, `tcp[1]`, `rules[0]`, `0` → {kind, index}. */
export function parseRuleRef(v: string | undefined): { kind: string; index: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(?:(http|tcp|tls|rules)[/[])?(\d+)\]?$/.exec(v.trim());
  if (!m) throw new UsageError(`--rule ${v}: use an index like 0, http/0, tcp/1 or rules/0`);
  return { kind: m[1] ?? 'http', index: Number(m[2]) };
}

export async function runWait(g: GlobalOptions, name: string, o: WaitOptions, io: WaitIO): Promise<number> {
  needsLive(g, 'wait');
  const { parseDuration } = await import('../sources/kube/duration.js');
  const { parseAssignments } = await import('../edit/assignments.js');
  const { followConvergence } = await import('../app/wait-live.js');
  const timeoutMs = o.timeout ? parseDuration(o.timeout, '--timeout') : DEFAULT_WAIT_MS;
  const intervalMs = parseDuration(o.interval ?? '1s', '--interval');
  const forWeights = o.forWeights && o.forWeights.length ? parseAssignments(o.forWeights) : undefined;
  const { contextInfo, loadKubeconfig } = await import('../sources/kube/kubeconfig.js');
  const namespace = g.namespace ?? (g.context[0] ? contextInfo(await loadKubeconfig(g.kubeconfig), g.context[0]).namespace : undefined) ?? 'default';
  return followConvergence(g, { name, namespace, rule: parseRuleRef(o.rule), forWeights, timeoutMs, intervalMs: intervalMs || 1000 }, io);
}
