// Reads of many proxies at once start with the ones slowest to reach (by each pod's last port-forwards), and their
// results still come back in the order asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { k8s, openKubeClient } from '../src/sources/kube/index.js';
import { readAllStats, readStats, type StatsTarget } from '../src/sources/envoy-stats.js';

const pods = ['p0', 'p1', 'p2', 'p3'];
const latency: Record<string, number> = { p0: 0, p1: 150, p2: 60, p3: 0 };
let clusters: TestClusters;
before(async () => {
  await k8s();
  clusters = await startTestClusters({
    a: {
      seed: pods.map((name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'app' }, spec: { containers: [{ name: 'istio-proxy' }] }, status: { phase: 'Running' } })) as never,
      proxies: Object.fromEntries(pods.map((p) => [`app/${p}`, {
        handler: (u: URL) => (u.pathname === '/stats' ? { status: 200, body: JSON.stringify({ stats: [{ name: `cluster.outbound|80||${p}.app.svc.cluster.local.upstream_rq_total`, value: 1 }] }) } : undefined),
      }])),
      faults: pods.filter((p) => latency[p]! > 0).map((name) => ({ resource: 'pods/portforward', name, latencyMs: latency[name] })),
    },
  });
});
after(async () => { await clusters.close(); });

const target = (pod: string): StatsTarget => ({ namespace: 'app', pod, port: 15000, clusters: [`outbound|80||${pod}.app.svc.cluster.local`] });

test('a client starts reads with the pods it has not reached, then the slowest to reach; results keep their order', async () => {
  const client = await openKubeClient({ kubeconfig: clusters.kubeconfig, context: 'a', requestTimeout: '5s' });
  try {
    const targets = pods.map(target);
    assert.deepEqual(client.slowestFirst(targets), [0, 1, 2, 3], 'nothing known: the order asked');
    // p0 twice: its first forward also makes the client's first TLS handshake.
    for (const p of ['p0', 'p0', 'p1', 'p2']) await readStats(client, target(p));
    assert.ok(client.forwardOpenTime('app', 'p1')! >= 150);
    assert.equal(client.forwardOpenTime('app', 'p3'), undefined);
    assert.deepEqual(client.slowestFirst(targets), [3, 1, 2, 0]);
    const res = await readAllStats(client, targets);
    assert.deepEqual(res.map((r) => ('stats' in r ? JSON.stringify(r.stats).match(/\|\|(p\d)\./)?.[1] : r.error)), pods);
    assert.ok(client.forwardOpenTime('app', 'p3') !== undefined, 'every pod read is known now');
    assert.deepEqual(client.slowestFirst(targets).slice(0, 2), [1, 2]);
  } finally {
    client.close();
  }
});
