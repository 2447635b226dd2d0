// Child process of traffic-stats.bench.ts: a test API server whose 50 pods' fake Envoys answer /stats (with the
// filter applied, as Envoy does), each port-forward after its own latency. Prints the kubeconfig path, then serves
// until stdin closes. A separate process, so the server's CPU is not counted against the client's.
import { startTestClusters } from '../support/apiserver/index.js';

const N = Number(process.argv[2] ?? 50);
const pods = Array.from({ length: N }, (_, i) => `p${String(i).padStart(2, '0')}`);
const suffixes = ['membership_total', 'outlier_detection.ejections_active', 'outlier_detection.ejections_enforced_total', 'upstream_cx_active',
  'upstream_cx_total', 'upstream_rq_2xx', 'upstream_rq_4xx', 'upstream_rq_5xx', 'upstream_rq_active', 'upstream_rq_retry', 'upstream_rq_timeout', 'upstream_rq_total'];
// Each Envoy has ~4000 stats; a read asks for two clusters' counters.
const all = Array.from({ length: 330 }, (_, i) => `outbound|${8000 + (i % 100)}|v${i % 7}|svc-${i}.ns-${i % 40}.svc.cluster.local`)
  .flatMap((c, i) => suffixes.map((s) => ({ name: `cluster.${c}.${s}`, value: i * 7 + s.length })));
const answer = (filter: string | null) => {
  const re = filter ? new RegExp(filter) : undefined;
  return JSON.stringify({ stats: all.filter((x) => !re || re.test(x.name)) });
};
const clusters = await startTestClusters({
  a: {
    seed: pods.map((name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'app' }, spec: { containers: [{ name: 'istio-proxy' }] }, status: { phase: 'Running' } })) as never,
    proxies: Object.fromEntries(pods.map((p) => [`app/${p}`, { handler: (u: URL) => (u.pathname === '/stats' ? { status: 200, body: answer(u.searchParams.get('filter')) } : undefined) }])),
    faults: pods.map((name, i) => ({ resource: 'pods/portforward', name, latencyMs: 100 + i * 4 })),
  },
});
process.stdout.write(`${clusters.kubeconfig}\n`);
process.stdin.resume();
process.stdin.on('end', () => void clusters.close().then(() => process.exit(0)));
