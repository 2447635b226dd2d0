// Loading N live contexts concurrently vs the slowest single context (each test API server adds a fixed latency).
import { join } from 'node:path';
import type { Report } from './run.js';
import { startTestClusters } from '../support/apiserver/index.js';
import { loadLiveContexts, k8s } from '../../src/sources/kube/index.js';

const N = 4;
const LATENCY_MS = [150, 200, 250, 300];

export async function run(report: Report): Promise<void> {
  await k8s();
  const seed = join(import.meta.dirname, '../support/apiserver/seed/a');
  const names = Array.from({ length: N }, (_, i) => `c${i}`);
  const clusters = await startTestClusters(Object.fromEntries(names.map((n, i) => [n, { seedDir: seed, latencyMs: LATENCY_MS[i] }])));
  try {
    const time = async (contexts: string[]) => {
      const t0 = performance.now();
      const snaps = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts, pageSize: 4 });
      if (snaps.some((s) => s.status !== 'ok')) throw new Error(`load failed: ${snaps.map((s) => `${s.name} ${s.reason}`).join(', ')}`);
      return performance.now() - t0;
    };
    await time(names); // warm up TLS and module caches
    const best = async (contexts: string[]) => Math.min(await time(contexts), await time(contexts), await time(contexts));
    const singles = [];
    for (const n of names) singles.push(await best([n]));
    const slowest = Math.max(...singles);
    const all = await best(names);
    report({ name: `live-load ${N} contexts concurrently`, value: all, unit: 'ms', ratio: all / slowest, reference: 'slowest single context (budget 1.2)' });
  } finally {
    await clusters.close();
  }
}
