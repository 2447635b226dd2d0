// Envoy admin /stats?format=json → per-cluster counters, and two samples → per-cluster deltas. Pure and fast: one
// JSON.parse, then one pass over the stat names that only looks at the ones under "cluster.".

/** The counters meshscope reads for one Envoy cluster. A stat Envoy did not report stays undefined. */
export interface ClusterCounters {
  rqTotal?: number;
  rq2xx?: number;
  rq4xx?: number;
  rq5xx?: number;
  rqTimeout?: number;
  cxTotal?: number;
  ejectionsActive?: number;
  ejectionsTotal?: number;
}

export type CounterName = keyof ClusterCounters;

/** Envoy stat suffix (after "cluster.<name>.") → counter. */
export const CLUSTER_STATS: Record<string, CounterName> = {
  upstream_rq_total: 'rqTotal',
  upstream_rq_2xx: 'rq2xx',
  upstream_rq_4xx: 'rq4xx',
  upstream_rq_5xx: 'rq5xx',
  upstream_rq_timeout: 'rqTimeout',
  upstream_cx_total: 'cxTotal',
  'outlier_detection.ejections_active': 'ejectionsActive',
  'outlier_detection.ejections_enforced_total': 'ejectionsTotal',
};

const SUFFIX = new Map<string, CounterName>(Object.entries(CLUSTER_STATS));
const OUTLIER = 'outlier_detection';

/** The RBAC filter's counters under one stat prefix ("http.inbound_0.0.0.0_9080." for HTTP, "tcp." for TCP). */
export interface RbacCounters {
  allowed?: number;
  denied?: number;
  shadowAllowed?: number;
  shadowDenied?: number;
}

const RBAC_STATS: Record<string, keyof RbacCounters> = {
  allowed: 'allowed', denied: 'denied', shadow_allowed: 'shadowAllowed', shadow_denied: 'shadowDenied',
};
const RBAC_STAT = /^(.*)rbac\.(allowed|denied|shadow_allowed|shadow_denied)$/;

/** One reading of a proxy's counters. */
export interface StatsSample {
  /** When the sample was taken (ms since the epoch). */
  time: number;
  clusters: Map<string, ClusterCounters>;
  /** RBAC filter counters per stat prefix (absent when the answer had none). */
  rbac?: Map<string, RbacCounters>;
}

/** The RBAC counters of a parsed /stats?format=json answer, per stat prefix. */
export function rbacCounters(raw: unknown): Map<string, RbacCounters> {
  const stats = (raw as { stats?: unknown } | null)?.stats;
  const out = new Map<string, RbacCounters>();
  if (!Array.isArray(stats)) return out;
  for (const s of stats as { name?: unknown; value?: unknown }[]) {
    if (typeof s?.name !== 'string' || typeof s.value !== 'number' || !s.name.includes('rbac.')) continue;
    const m = RBAC_STAT.exec(s.name);
    if (!m) continue;
    let c = out.get(m[1]!);
    if (!c) out.set(m[1]!, (c = {}));
    c[RBAC_STATS[m[2]!]!] = s.value;
  }
  return out;
}

export class StatsFormatError extends Error {}

/** Splits "cluster.<name>.<stat>" into the cluster name and counter; undefined for any other stat. */
export function clusterStatOf(name: string): { cluster: string; counter: CounterName } | undefined {
  if (!name.startsWith('cluster.')) return undefined;
  const last = name.lastIndexOf('.');
  if (last <= 8) return undefined;
  let counter = SUFFIX.get(name.slice(last + 1));
  let end = last;
  if (counter === undefined) {
    const prev = name.lastIndexOf('.', last - 1);
    if (prev <= 8 || name.slice(prev + 1, last) !== OUTLIER) return undefined;
    counter = SUFFIX.get(name.slice(prev + 1));
    end = prev;
  }
  return counter === undefined ? undefined : { cluster: name.slice(8, end), counter };
}

/**
 * Reads the cluster counters from a parsed /stats?format=json answer ({"stats":[{"name","value"}…, {"histograms"}]}).
 * Only clusters in `only` are kept when given. Throws StatsFormatError when the value is not such an answer.
 */
export function clusterCounters(raw: unknown, only?: Set<string>): Map<string, ClusterCounters> {
  const stats = (raw as { stats?: unknown } | null)?.stats;
  if (!Array.isArray(stats)) throw new StatsFormatError('not an Envoy /stats?format=json answer (no "stats" array)');
  const out = new Map<string, ClusterCounters>();
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i] as { name?: unknown; value?: unknown } | null;
    const name = s?.name;
    if (typeof name !== 'string' || name.charCodeAt(0) !== 99 /* c */) continue;
    const hit = clusterStatOf(name);
    if (!hit || (only && !only.has(hit.cluster))) continue;
    const v = s!.value;
    if (typeof v !== 'number') continue;
    let c = out.get(hit.cluster);
    if (!c) out.set(hit.cluster, (c = {}));
    c[hit.counter] = v;
  }
  return out;
}

// {"name":"cluster.<name>.<stat>","value":N} as Envoy writes each stat (compact, or pretty with whitespace).
const CLUSTER_ENTRY = /"name"\s*:\s*"(cluster\.[^"]*)"\s*,\s*"value"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
const STATS_START = /^\s*\{\s*"stats"\s*:\s*\[/;
const STATS_END = /\]\s*\}\s*$/;

/**
 * Parses the text of /stats?format=json. Fast path: one regex pass over the text for the cluster counters, without
 * building the whole object tree (a 20 MB answer holds hundreds of thousands of stats). Anything unusual (escapes
 * in names, another layout) goes through JSON.parse.
 */
export function parseStatsText(text: string, only?: Set<string>): Map<string, ClusterCounters> {
  if (STATS_START.test(text) && STATS_END.test(text.slice(-64)) && !text.includes('\\')) {
    const out = new Map<string, ClusterCounters>();
    let found = false;
    CLUSTER_ENTRY.lastIndex = 0;
    for (let m = CLUSTER_ENTRY.exec(text); m; m = CLUSTER_ENTRY.exec(text)) {
      found = true;
      const hit = clusterStatOf(m[1]!);
      if (!hit || (only && !only.has(hit.cluster))) continue;
      let c = out.get(hit.cluster);
      if (!c) out.set(hit.cluster, (c = {}));
      c[hit.counter] = Number(m[2]);
    }
    if (found || !text.includes('"cluster.')) return out;
  }
  return parseStatsJson(text, only);
}

function parseStatsJson(text: string, only?: Set<string>): Map<string, ClusterCounters> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StatsFormatError(`/stats?format=json is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return clusterCounters(raw, only);
}

/** The stats.json a snapshot keeps per proxy: the raw answers of two (or more) reads, each with its time. */
export interface StatsFile {
  samples: { time: string; stats: unknown }[];
}

/** stats.json → samples, oldest first. Throws StatsFormatError naming what is wrong. */
export function parseStatsFile(raw: unknown): StatsSample[] {
  const samples = (raw as { samples?: unknown } | null)?.samples;
  if (!Array.isArray(samples)) throw new StatsFormatError('not a meshscope stats.json (no "samples" array)');
  const out = samples.map((s, i) => {
    const t = Date.parse(String((s as { time?: unknown } | null)?.time));
    if (!Number.isFinite(t)) throw new StatsFormatError(`samples[${i}].time is not a timestamp`);
    try {
      const stats = (s as { stats?: unknown }).stats;
      const rbac = rbacCounters(stats);
      return { time: t, clusters: clusterCounters(stats), ...(rbac.size > 0 ? { rbac } : {}) };
    } catch (err) {
      throw new StatsFormatError(`samples[${i}].stats: ${(err as Error).message}`);
    }
  });
  return out.sort((a, b) => a.time - b.time);
}

/** What a cluster counted between two samples. A counter that went down (Envoy restarted) counts from zero. */
export interface CounterDelta {
  rq: number;
  rq2xx: number;
  rq4xx: number;
  rq5xx: number;
  timeouts: number;
  cx: number;
  ejectionsActive: number;
  ejections: number;
  /** The cluster had counters in the later sample. */
  seen: boolean;
  /** A counter went backwards between the samples. */
  reset: boolean;
}

function diff(a: number | undefined, b: number | undefined, flag: { reset: boolean }): number {
  if (b === undefined) return 0;
  if (a === undefined) return 0;
  if (b < a) { flag.reset = true; return b; }
  return b - a;
}

export function counterDelta(before: ClusterCounters | undefined, after: ClusterCounters | undefined): CounterDelta {
  const f = { reset: false };
  const a = before ?? {};
  const b = after ?? {};
  return {
    rq: diff(a.rqTotal ?? 0, b.rqTotal, f),
    rq2xx: diff(a.rq2xx ?? 0, b.rq2xx, f),
    rq4xx: diff(a.rq4xx ?? 0, b.rq4xx, f),
    rq5xx: diff(a.rq5xx ?? 0, b.rq5xx, f),
    timeouts: diff(a.rqTimeout ?? 0, b.rqTimeout, f),
    cx: diff(a.cxTotal ?? 0, b.cxTotal, f),
    ejectionsActive: b.ejectionsActive ?? 0,
    ejections: diff(a.ejectionsTotal ?? 0, b.ejectionsTotal, f),
    seen: after !== undefined,
    reset: f.reset,
  };
}

/** The first and last sample, and the seconds between them; undefined with fewer than two samples. */
export function sampleWindow(samples: StatsSample[]): { first: StatsSample; last: StatsSample; seconds: number } | undefined {
  if (samples.length < 2) return undefined;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const seconds = (last.time - first.time) / 1000;
  return seconds > 0 ? { first, last, seconds } : undefined;
}

/**
 * An RE2 regex for /stats?filter= that keeps the counters meshscope reads: these clusters' (all outbound ones and a
 * waypoint's inbound-vip ones when empty) and the RBAC filters' allowed/denied counters.
 */
export function statsFilter(clusters: string[]): string {
  const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const names = clusters.length > 0 ? `(${[...new Set(clusters)].sort().map(esc).join('|')})` : '(outbound|inbound-vip)\\|.*';
  const stats = Object.keys(CLUSTER_STATS).map(esc).join('|');
  return `^cluster\\.${names}\\.(${stats})$|rbac\\.(${Object.keys(RBAC_STATS).join('|')})$`;
}

/** What the RBAC filters under one stat prefix counted between the first and last sample. */
export interface RbacDelta { prefix: string; allowed: number; denied: number; shadowDenied: number }

/** The RBAC counters that moved between two samples, per stat prefix. */
export function rbacDeltas(first: StatsSample, last: StatsSample): RbacDelta[] {
  const out: RbacDelta[] = [];
  for (const [prefix, b] of last.rbac ?? []) {
    const a = first.rbac?.get(prefix) ?? {};
    const f = { reset: false };
    const d = { prefix, allowed: diff(a.allowed ?? 0, b.allowed, f), denied: diff(a.denied ?? 0, b.denied, f), shadowDenied: diff(a.shadowDenied ?? 0, b.shadowDenied, f) };
    if (d.allowed + d.denied + d.shadowDenied > 0) out.push(d);
  }
  return out.sort((x, y) => (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : 0));
}
