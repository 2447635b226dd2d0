// traffic-stats: (1) parsing a 20 MB /stats?format=json answer into per-cluster counters against JSON.parse of the
// same bytes (budget ≤ 1.5×); (2) one read of 50 proxies' /stats at once, over port-forwards through the test API
// server (each proxy's port-forward answers after its own latency, 100–296 ms), against the slowest single proxy's
// fetch alone (budget ≤ 1.2×), by a client that has reached the pods before (as the load's dump fetches and a
// sample's first read do) and by a fresh one.
import type { Report } from './run.js';
import { clusterCounters, parseStatsText } from '../../src/model/envoy/stats.js';
import { readAllStats, readStats, type StatsTarget } from '../../src/sources/envoy-stats.js';
import { openKubeClient, k8s } from '../../src/sources/kube/index.js';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** An Envoy-like /stats answer of about `mb` megabytes: many clusters, each with Envoy's usual cluster stats. */
function bigStats(mb: number): string {
  const suffixes = ['assignment_stale', 'bind_errors', 'lb_healthy_panic', 'membership_change', 'membership_healthy', 'membership_total',
    'outlier_detection.ejections_active', 'outlier_detection.ejections_enforced_total', 'upstream_cx_active', 'upstream_cx_connect_fail',
    'upstream_cx_destroy', 'upstream_cx_total', 'upstream_rq_2xx', 'upstream_rq_4xx', 'upstream_rq_5xx', 'upstream_rq_active',
    'upstream_rq_pending_active', 'upstream_rq_retry', 'upstream_rq_timeout', 'upstream_rq_total', 'version'];
  const stats: { name: string; value: number }[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1e6; i++) {
    const c = `outbound|${8000 + (i % 100)}|v${i % 7}|svc-${i}.ns-${i % 40}.svc.cluster.local`;
    for (const s of suffixes) {
      const e = { name: `cluster.${c}.${s}`, value: (i * 31 + s.length) % 100000 };
      stats.push(e);
      size += e.name.length + 30;
    }
    stats.push({ name: `listener.10.0.${i % 255}.${i % 200}_${8000 + (i % 100)}.downstream_cx_total`, value: i });
  }
  return JSON.stringify({ stats: [...stats, { histograms: { supported_quantiles: [0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100], computed_quantiles: [] } }] }, null, 1);
}

async function parseCase(report: Report): Promise<void> {
  const text = bigStats(20);
  const mb = Buffer.byteLength(text) / 1e6;
  const p: number[] = [];
  const s: number[] = [];
  let clusters = 0;
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    JSON.parse(text);
    p.push(performance.now() - t);
    t = performance.now();
    clusters = parseStatsText(text).size;
    s.push(performance.now() - t);
  }
  report({ name: `JSON.parse (${mb.toFixed(0)} MB /stats?format=json)`, value: median(p), unit: 'ms' });
  report({ name: `stats parse (${clusters} clusters' counters)`, value: median(s), unit: 'ms', ratio: median(s) / median(p), reference: 'JSON.parse' });
}

async function sampleCase(report: Report): Promise<void> {
  await k8s();
  const N = 50;
  const server = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, 'stats-server.ts'), String(N)], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const kubeconfig = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('\n')) resolve(out.trim()); });
      server.on('exit', (code) => reject(new Error(`stats server exited (${code})`)));
    });
    const open = () => openKubeClient({ kubeconfig, context: 'a' });
    const client = await open();
    const wanted = ['outbound|8000|v0|svc-0.ns-0.svc.cluster.local', 'outbound|8001|v1|svc-1.ns-1.svc.cluster.local'];
    const targets: StatsTarget[] = Array.from({ length: N }, (_, i) => ({ namespace: 'app', pod: `p${String(i).padStart(2, '0')}`, port: 15000, clusters: wanted }));
    await readStats(client, targets[0]!); // warm-up: TLS session, client-node
    const singles: number[] = [];
    for (const t of targets) {
      const t0 = performance.now();
      await readStats(client, t);
      singles.push(performance.now() - t0);
    }
    const slowest = Math.max(...singles);
    const readAll = async (c: typeof client) => {
      const t0 = performance.now();
      const res = await readAllStats(c, targets);
      const ms = performance.now() - t0;
      const failed = res.filter((r) => 'error' in r || clusterCounters(r.stats).size !== wanted.length);
      if (failed.length) throw new Error(`${failed.length} of ${N} reads failed: ${JSON.stringify(failed[0]).slice(0, 200)}`);
      return ms;
    };
    // A client that has reached the pods before (a sample's second read, or any read after the load fetched the
    // route dumps) starts the slowest first; a fresh client knows nothing of them and starts them all at once.
    const all: number[] = [];
    for (let i = 0; i < 3; i++) all.push(await readAll(client));
    const first: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fresh = await open();
      await readStats(fresh, targets[0]!); // its TLS session
      first.push(await readAll(fresh));
      fresh.close();
    }
    report({ name: 'stats read, slowest single proxy', value: slowest, unit: 'ms' });
    report({ name: `stats read, ${N} proxies at once`, value: median(all), unit: 'ms', ratio: median(all) / slowest, reference: 'slowest single fetch' });
    report({ name: `stats read, ${N} proxies at once, none reached before`, value: median(first), unit: 'ms', ratio: median(first) / slowest, reference: 'slowest single fetch' });
  } finally {
    server.stdin!.end();
  }
}

export async function run(report: Report): Promise<void> {
  await parseCase(report);
  await sampleCase(report);
}
