// Convergence and observed traffic, live on the test API server: its fake Envoys follow the VirtualService in the
// store (after a lag), one can be made to keep the old route, and their /stats counters move between reads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { meshEnvoy } from './support/apiserver/envoy-mesh.js';
import { APISERVER_SEED, repoRoot } from './support/paths.js';
import { k8s } from '../src/sources/kube/index.js';

const BIN = join(repoRoot, 'bin/meshscope.js'); // the built CLI (npm run build): starts faster than tsx
const SIDECARS = ['demoapp-v2-a0', 'demoapp-v2-a1', 'demoapp-v2-a2', 'demoapp-v2-canary-a0', 'demoapp-v2-canary-a1', 'demoapp-v2-canary-a2', 'client-a'];
let clusters: TestClusters;
let state: string;

before(async () => {
  await k8s();
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a') } });
  const a = clusters.servers.a!;
  for (const pod of SIDECARS) {
    a.setProxy('app', pod, meshEnvoy({ store: a.store, virtualService: 'app/demoapp', port: 8080, lagMs: pod === 'client-a' ? 2500 : 0, rps: 200, errors: { 'v2-canary': 0.2 } }));
  }
  a.setProxy('istio-system', 'istio-ingressgateway-6d9f7c-a1', { configDump: { configs: [] } });
  state = mkdtempSync(join(tmpdir(), 'meshscope-wait-'));
});
after(async () => {
  await clusters?.close();
  rmSync(state, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args, ...(args.includes('--fixtures') ? [] : ['--kubeconfig', clusters.kubeconfig])], { cwd: repoRoot, env: { ...process.env, XDG_STATE_HOME: state, XDG_CONFIG_HOME: state } }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

test('weights set --wait: progress lines name the proxy still waiting, then every proxy converges (exit 0)', async () => {
  const r = await run('weights', 'set', 'demoapp', '-n', 'app', '--context', 'a', 'v2=100', 'v2-canary=0', '--yes', '--wait=30s');
  assert.equal(r.code, 0, r.err + r.out);
  const lines = r.out.split('\n');
  const waiting = lines.find((l) => /^a http\[0\]: 6\/7 proxies run demoapp v2 100% \/ v2-canary 0%; waiting: client-a \(a\)$/.test(l));
  assert.ok(waiting, r.out);
  const done = lines.findIndex((l) => l === 'a http[0]: 7/7 proxies run demoapp v2 100% / v2-canary 0%');
  assert.ok(done > lines.indexOf(waiting!), r.out);
  assert.match(lines[done + 1]!, /^converged: all 7 proxies run the new weights \(after \d+\.\ds\)$/);
});

test('a proxy that keeps the old route is named as stale when --wait times out, with exit code 3', async () => {
  const a = clusters.servers.a!;
  a.setProxy('app', 'demoapp-v2-canary-a0', meshEnvoy({ store: a.store, virtualService: 'app/demoapp', port: 8080, stale: true }));
  a.setProxy('app', 'client-a', meshEnvoy({ store: a.store, virtualService: 'app/demoapp', port: 8080, rps: 200, errors: { 'v2-canary': 0.2 } }));
  const r = await run('weights', 'set', 'demoapp', '-n', 'app', '--context', 'a', 'v2=90', 'v2-canary=10', '--yes', '--wait=4s');
  assert.equal(r.code, 3, r.err + r.out);
  assert.match(r.out, /proxies run demoapp v2 90% \/ v2-canary 10%; waiting: .*demoapp-v2-canary-a0 \(a\)/);
  assert.match(r.err, /timed out after 4s: 1 proxy never converged:\n {2}app\/demoapp-v2-canary-a0 \(a\) still runs demoapp v2 100% \/ v2-canary 0%\n/);

  const w = await run('wait', 'demoapp', '-n', 'app', '--context', 'a', '--for-weights', 'v2=90,v2-canary=10', '--timeout', '2s');
  assert.equal(w.code, 3, w.err);
  assert.match(w.err, /demoapp-v2-canary-a0 \(a\) still runs demoapp v2 100% \/ v2-canary 0%/);
  const ok = await run('wait', 'demoapp', '-n', 'app', '--context', 'a', '--for-weights', 'v2=100,v2-canary=0', '--timeout', '2s');
  assert.equal(ok.code, 3, 'the others run 90/10 now');
  a.setProxy('app', 'demoapp-v2-canary-a0', meshEnvoy({ store: a.store, virtualService: 'app/demoapp', port: 8080, rps: 200, errors: { 'v2-canary': 0.2 } }));
  const fine = await run('wait', 'demoapp', '-n', 'app', '--context', 'a', '--timeout', '10s');
  assert.equal(fine.code, 0, fine.err + fine.out);
});

test('traffic live: two reads of /stats over the window give rates, shares near the weights and the canary 5xx rate', async () => {
  const r = await run('traffic', 'demoapp', '-n', 'app', '--context', 'a', '--window', '1500ms', '-o', 'json');
  assert.equal(r.code, 0, r.err);
  const [t] = JSON.parse(r.out) as { unit: string; destinations: { subset: string; weight: number; share: number; rate: number; errorRate: number }[]; proxies: { proxy: string; count: number; windowSeconds: number }[] }[];
  assert.equal(t!.unit, 'requests');
  assert.equal(t!.proxies.length, 7);
  for (const p of t!.proxies) assert.ok(p.count > 0 && p.windowSeconds > 1, JSON.stringify(p));
  const [v2, canary] = t!.destinations;
  assert.deepEqual([v2!.subset, v2!.weight, canary!.subset, canary!.weight], ['v2', 90, 'v2-canary', 10]);
  assert.ok(Math.abs(v2!.share - 0.9) < 0.03 && Math.abs(canary!.share - 0.1) < 0.03, `${v2!.share} / ${canary!.share}`);
  assert.ok(v2!.rate > 7 * 150 && v2!.rate < 7 * 250, String(v2!.rate));
  assert.equal(v2!.errorRate, 0);
  assert.ok(canary!.errorRate > 0.15 && canary!.errorRate < 0.25, String(canary!.errorRate));
});

test('snapshot saves two samples of each proxy\'s stats (stats.json), and traffic replays them offline', async () => {
  const out = join(state, 'snap');
  const r = await run('snapshot', '--out', out, '--context', 'a', '--pods', 'app=client', '--stats-window', '1s');
  assert.equal(r.code, 0, r.err);
  const saved = JSON.parse(readFileSync(join(out, 'a/proxies/app/client-a/stats.json'), 'utf8')) as { samples: { time: string; stats: { stats: { name: string; value: number }[] } }[] };
  assert.equal(saved.samples.length, 2);
  const gap = Date.parse(saved.samples[1]!.time) - Date.parse(saved.samples[0]!.time);
  // The window is 1 s; the upper bound is generous on purpose (a loaded machine delays the second read).
  assert.ok(gap >= 800 && gap < 15_000, String(gap));
  const rq = (i: number) => saved.samples[i]!.stats.stats.filter((x) => x.name?.endsWith('.upstream_rq_total')).reduce((a, x) => a + x.value, 0);
  assert.ok(rq(1) > rq(0), 'the counters moved between the samples');
  assert.ok(saved.samples[0]!.stats.stats.every((x) => !x.name || /^cluster\.outbound\|/.test(x.name)), 'filtered to outbound clusters');
  const t = await run('traffic', 'demoapp', '-n', 'app', '--fixtures', out, '-o', 'json');
  assert.equal(t.code, 0, t.err);
  const [rule] = JSON.parse(t.out) as { proxies: { proxy: string; count: number }[] }[];
  assert.ok(rule!.proxies.some((p) => p.proxy === 'app/client-a' && p.count > 0), t.out);
});

test('--wait and wait on a snapshot folder say they need live clusters (exit 2, nothing written)', async () => {
  const r = await run('weights', 'set', 'demoapp', '-n', 'app', '--fixtures', join(repoRoot, 'fixtures/demo'), 'v2=100', 'v2-canary=0', '--yes', '--wait');
  assert.equal(r.code, 2);
  assert.match(r.err, /--wait needs live clusters/);
});

test('wait: istiod refusing /debug/syncz is said once, naming the context, the Service and the answer; the wait goes on', async () => {
  const a = clusters.servers.a!;
  a.faults.push({ path: '/proxy/debug/syncz', status: 403 });
  try {
    const r = await run('wait', 'demoapp', '-n', 'app', '--context', 'a', '--timeout', '10s');
    assert.equal(r.code, 0, r.err + r.out);
    assert.equal(r.err, 'meshscope: warning: context a, Service istio-system/istiod: forbidden: cannot get services/proxy "istiod" in namespace istio-system (GET /debug/syncz); proxies are followed without istiod\'s sync status\n');
  } finally {
    a.faults.length = 0;
  }
});
