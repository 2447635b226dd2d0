// `meshscope snapshot --out DIR [--context ...] [-n NS] [--pods SELECTOR] [--force]`: writes live contexts as a
// snapshot folder (objects, and Envoy dumps of gateways and of the selected pods) so an incident can be replayed
// with --fixtures. No Secret is read or written; managedFields are stripped; nothing is written on failure.
import type { Command } from 'commander';
import { globalsOf, setExitCode } from './global.js';
import type { GlobalOptions } from '../core/options.js';
import { UsageError, UserError } from '../core/errors.js';
import { sanitizeLine } from '../core/sanitize.js';
import type { KubeObject } from '../model/resources.js';
import type { ContextSnapshot } from '../model/context.js';
import type { KubeClient } from '../sources/kube/index.js';
import type { WrittenContext } from '../sources/snapshot-writer.js';

export function register(program: Command): void {
  program
    .command('snapshot')
    .description('write live contexts as a snapshot folder (replay it with --fixtures DIR)')
    .requiredOption('--out <dir>', 'folder to write (must be empty unless --force)')
    .option('--pods <selector>', 'also save Envoy dumps of sidecar pods matching this label selector (e.g. app=frontend)')
    .option('--force', 'replace a non-empty --out folder', false)
    .option('--proxy-concurrency <n>', 'port-forwards at a time', '4')
    .option('--stats-window <duration>', "time between the two reads of each proxy's Envoy counters saved in stats.json (0: no stats)", '10s')
    .action(async (o: SnapshotFlags, cmd: Command) => {
      setExitCode(cmd, await runSnapshot(o, cmd));
    });
}

/** Equality-based label selectors: k=v, k==v, k!=v, k, !k (comma = and). */
export function parseSelector(sel: string): (labels: Record<string, string> | undefined) => boolean {
  const terms = sel.split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    let m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(t);
    if (m) return { key: m[1], op: m[2] === '!=' ? 'ne' : 'eq', value: m[3] };
    m = /^(!?)([^!=\s]+)$/.exec(t);
    if (m) return { key: m[2], op: m[1] ? 'absent' : 'present', value: '' };
    throw new UsageError(`--pods: cannot parse selector term "${t}" (use k=v, k!=v, k or !k)`);
  });
  return (labels = {}) => terms.every((t) =>
    t.op === 'eq' ? labels[t.key] === t.value : t.op === 'ne' ? labels[t.key] !== t.value : t.op === 'present' ? t.key in labels : !(t.key in labels));
}

async function runSnapshot(o: SnapshotFlags, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  if (g.fixtures) throw new UsageError('snapshot reads live clusters; drop --fixtures');
  const { written, warnings } = await takeSnapshot(g, o);
  for (const w of warnings) process.stderr.write(`meshscope: warning: ${sanitizeLine(w)}\n`);
  for (const w of written) {
    process.stdout.write(`${sanitizeLine(o.out)}/${sanitizeLine(w.folder)}: ${w.objects} objects, ${w.proxies} proxy dumps\n`);
  }
  return 0;
}

export interface SnapshotFlags { out: string; pods?: string; force?: boolean; proxyConcurrency?: string; statsWindow?: string }

/** Loads the live contexts, fetches gateway and selected pods' Envoy dumps, and writes the folder. */
export async function takeSnapshot(g: GlobalOptions, o: SnapshotFlags): Promise<{ written: WrittenContext[]; warnings: string[] }> {
  const selects = o.pods ? parseSelector(o.pods) : undefined;
  const { parseDuration } = await import('../sources/kube/duration.js');
  const statsWindowMs = parseDuration(o.statsWindow ?? '10s', '--stats-window');
  const concurrency = Number(o.proxyConcurrency ?? '4');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--proxy-concurrency: "${o.proxyConcurrency}" is not a positive integer`);
  const { loadLiveContexts, liveStateOf } = await import('../sources/kube/index.js');
  const { fetchProxyDumps, isGatewayPod, hasSidecar } = await import('../sources/envoy-admin.js');
  const { writeSnapshot } = await import('../sources/snapshot-writer.js');
  const limits = (await import('../sources/limits.js')).resolveLimits(g);
  const contexts = await loadLiveContexts({ kubeconfig: g.kubeconfig, contexts: g.context, allContexts: g.allContexts, namespace: g.namespace, requestTimeout: g.requestTimeout, limits });
  const failed = contexts.filter((c) => c.status === 'error');
  if (failed.length > 0) {
    throw new UserError(`nothing written: ${failed.map((c) => `context ${sanitizeLine(c.name)}: ${sanitizeLine(c.reason ?? 'failed')}`).join('; ')}`);
  }
  const warnings: string[] = [];
  await Promise.all(contexts.map(async (ctx) => {
    if (ctx.status === 'partial') warnings.push(`context ${ctx.name} is partial: ${ctx.reason}`);
    const client = liveStateOf(ctx)?.client;
    if (!client) return;
    const pods = ctx.objects.map((x) => x.obj).filter((p: KubeObject) => p.kind === 'Pod' && (isGatewayPod(p) || (selects && hasSidecar(p) && selects(p.metadata.labels))));
    const dumps = await fetchProxyDumps(client, pods, { concurrency, sizeCapBytes: limits.maxDumpBytes });
    for (const d of dumps) {
      if (d.error) warnings.push(`context ${ctx.name}: pod ${d.namespace}/${d.pod}: Envoy config not saved: ${d.error}`);
      else if (d.clustersError) warnings.push(`context ${ctx.name}: pod ${d.namespace}/${d.pod}: clusters.json not saved: ${d.clustersError}`);
    }
    ctx.proxies = dumps.filter((d) => d.configDump !== undefined);
    const { fetchZtunnelDumps, ztunnelPodsOf } = await import('../sources/ztunnel-admin.js');
    const ztunnels = await fetchZtunnelDumps(client, ztunnelPodsOf(ctx.objects), { sizeCapBytes: limits.maxDumpBytes });
    for (const z of ztunnels) if (z.error) warnings.push(`context ${ctx.name}: ztunnel pod ${z.pod}: config dump not saved: ${z.error}`);
    ctx.ztunnels = ztunnels.filter((z) => z.configDump !== undefined);
    if (statsWindowMs > 0 && ctx.proxies.length > 0) warnings.push(...await saveStats(client, ctx, pods, statsWindowMs));
  }));
  const written = await writeSnapshot(o.out, contexts, { force: o.force });
  return { written, warnings };
}

/** Two reads of every saved proxy's outbound cluster counters, `windowMs` apart, kept as each dump's stats.json. */
async function saveStats(client: KubeClient, ctx: ContextSnapshot, pods: KubeObject[], windowMs: number): Promise<string[]> {
  const { adminPortOf } = await import('../sources/envoy-admin.js');
  const { sampleStats } = await import('../sources/envoy-stats.js');
  const podOf = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const targets = ctx.proxies.map((d) => {
    const pod = podOf.get(`${d.namespace}/${d.pod}`);
    return { namespace: d.namespace, pod: d.pod, port: pod ? adminPortOf(pod) : 15000, clusters: [] };
  });
  const res = await sampleStats(client, targets, windowMs);
  const warnings: string[] = [];
  res.forEach((r, i) => {
    if (r.stats && r.stats.samples.length === 2) ctx.proxies[i]!.stats = r.stats;
    else warnings.push(`context ${ctx.name}: pod ${r.namespace}/${r.pod}: stats.json not saved: ${r.error ?? 'one of the two reads failed'}`);
  });
  return warnings;
}
