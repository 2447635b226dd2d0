// Envoy admin /stats?format=json over port-forward: two reads of every proxy's cluster counters over a window, all
// proxies at once (one port-forward each), kept in the stats.json form a snapshot saves.
import type { KubeClient } from './kube/index.js';
import { KubeRequestError } from './kube/errors.js';
import { adminGet, type ProxyFetchOptions } from './envoy-admin.js';
import { statsFilter, type StatsFile } from '../model/envoy/stats.js';

export interface StatsTarget {
  namespace: string;
  pod: string;
  /** Envoy admin port (adminPortOf(pod)). */
  port: number;
  /** Envoy clusters to read; empty reads every outbound cluster. */
  clusters: string[];
}

export interface ProxyStats {
  namespace: string;
  pod: string;
  /** stats.json content: the samples that could be read. */
  stats?: StatsFile;
  /** Why a sample could not be read. */
  error?: string;
}

export const DEFAULT_STATS_WINDOW_MS = 10_000;

/** The admin path for the counters of these clusters. */
export function statsPath(clusters: string[]): string {
  return `/stats?format=json&filter=${encodeURIComponent(statsFilter(clusters))}`;
}

/** One read of one proxy's counters: the parsed answer and the time it arrived. */
export async function readStats(client: KubeClient, t: StatsTarget, opts: ProxyFetchOptions = {}): Promise<{ time: string; stats: unknown }> {
  const text = await adminGet(client, t.namespace, t.pod, t.port, statsPath(t.clusters), opts);
  const time = new Date().toISOString();
  try {
    return { time, stats: JSON.parse(text) };
  } catch {
    throw new KubeRequestError(`Envoy admin /stats of pod ${t.namespace}/${t.pod}: not valid JSON (truncated?)`, 'protocol');
  }
}

const reasonOf = (err: unknown) => err instanceof KubeRequestError ? err.reason : err instanceof Error ? err.message : String(err);

/** Reads every target once, all at the same time (the slowest to reach started first); one result per target, in order. */
export async function readAllStats(client: KubeClient, targets: StatsTarget[], opts: ProxyFetchOptions = {}): Promise<({ time: string; stats: unknown } | { error: string })[]> {
  const out: ({ time: string; stats: unknown } | { error: string })[] = new Array(targets.length);
  const reads: Promise<void>[] = [];
  for (const i of client.slowestFirst(targets)) {
    const t = targets[i]!;
    reads.push(readStats(client, t, opts).then((r) => { out[i] = r; }, (err: unknown) => { out[i] = { error: reasonOf(err) }; }));
    // After a pod known to be slow, one event-loop turn: its forward finishes the handshake and sends its request
    // while the faster ones are set up. Pods never reached before start at once (the order tells nothing yet).
    if (client.forwardOpenTime(t.namespace, t.pod) !== undefined) await new Promise<void>((r) => setImmediate(r));
  }
  await Promise.all(reads);
  return out;
}

/**
 * Two reads of every target, `windowMs` apart (the second read of each proxy starts when the window since the
 * first read has passed). `onFirst` runs after the first round, e.g. to show that sampling is under way.
 */
export async function sampleStats(client: KubeClient, targets: StatsTarget[], windowMs = DEFAULT_STATS_WINDOW_MS, opts: ProxyFetchOptions & { onFirst?: () => void; sleep?: (ms: number) => Promise<void> } = {}): Promise<ProxyStats[]> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const start = Date.now();
  const first = await readAllStats(client, targets, opts);
  opts.onFirst?.();
  if (first.every((r) => 'error' in r)) return targets.map((t, i) => ({ namespace: t.namespace, pod: t.pod, error: (first[i] as { error: string }).error }));
  await sleep(Math.max(0, windowMs - (Date.now() - start)));
  const second = await readAllStats(client, targets, opts);
  return targets.map((t, i) => {
    const a = first[i]!;
    const b = second[i]!;
    const samples = [a, b].filter((s): s is { time: string; stats: unknown } => !('error' in s));
    const errors = [a, b].filter((s): s is { error: string } => 'error' in s).map((s) => s.error);
    return { namespace: t.namespace, pod: t.pod, ...(samples.length ? { stats: { samples } } : {}), ...(errors.length ? { error: errors[0] } : {}) };
  });
}
