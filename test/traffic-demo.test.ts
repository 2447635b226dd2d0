// `meshscope traffic` on the demo: the observed split per destination is what the recorded stats.json files say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { repoRoot } from './support/paths.js';

const demo = join(repoRoot, 'fixtures', 'demo');

/** Delta of one counter of one cluster between the two samples of a proxy's stats.json. */
function delta(ctx: string, ns: string, pod: string, cluster: string, stat: string): number {
  const f = JSON.parse(readFileSync(join(demo, ctx, 'proxies', ns, pod, 'stats.json'), 'utf8')) as { samples: { stats: { stats: { name: string; value: number }[] } }[] };
  const v = (i: number) => f.samples[i]!.stats.stats.find((s) => s.name === `cluster.${cluster}.${stat}`)?.value ?? 0;
  return v(1) - v(0);
}

const APP_PROXIES = ['client-d44cdc4b7-9dl8s', 'frontend-7c55c868cf-fhd87', 'frontend-7c55c868cf-p5rrv'];
const demoapp = (s: string) => `outbound|8080|${s}|demoapp.app.svc.cluster.local`;

test('traffic demoapp -n app --fixtures fixtures/demo prints the recorded split, about 9:1, and the canary 5xx rate', async () => {
  const r = await runCli(['traffic', 'demoapp', '-n', 'app', '--fixtures', demo]);
  assert.equal(r.code, 0, r.stderr);
  const v2 = APP_PROXIES.reduce((s, p) => s + delta('cluster-a', 'app', p, demoapp('v2'), 'upstream_rq_total'), 0);
  const canary = APP_PROXIES.reduce((s, p) => s + delta('cluster-a', 'app', p, demoapp('v2-canary'), 'upstream_rq_total'), 0);
  const c5xx = APP_PROXIES.reduce((s, p) => s + delta('cluster-a', 'app', p, demoapp('v2-canary'), 'upstream_rq_5xx'), 0);
  const share = (n: number) => `${((n / (v2 + canary)) * 100).toFixed(1)}%`;
  assert.ok(v2 / canary > 7 && v2 / canary < 14, `about 9:1, got ${v2}:${canary}`);
  const row = (label: string) => r.stdout.split('\n').find((l) => l.trim().startsWith(`${label} `)) ?? '';
  assert.match(row('demoapp v2'), new RegExp(`^\\s+demoapp v2\\s+90%\\s+${share(v2).replace('.', '\\.')}\\s+${(v2 / 10).toFixed(1)} rps\\s+0\\.0%$`));
  assert.match(row('demoapp v2-canary'), new RegExp(`^\\s+demoapp v2-canary\\s+10%\\s+${share(canary).replace('.', '\\.')}\\s+${(canary / 10).toFixed(1)} rps\\s+${((c5xx / canary) * 100).toFixed(1).replace('.', '\\.')}%$`));
  for (const p of APP_PROXIES) assert.match(r.stdout, new RegExp(`counted by: .*app/${p}`));
});

test('traffic -o json: tcp-echo counts connections about 4:1, jason\'s reviews about 1:1', async () => {
  const tcp = await runCli(['traffic', 'tcp-echo', '--fixtures', demo, '--context', 'cluster-a', '-o', 'json']);
  assert.equal(tcp.code, 0, tcp.stderr);
  const [t] = JSON.parse(tcp.stdout) as { unit: string; destinations: { subset: string; count: number; share: number; weight: number }[]; proxies: { proxy: string; count: number }[] }[];
  assert.equal(t!.unit, 'connections');
  const gw = ['cluster-a', 'istio-system', 'istio-ingressgateway-db8dcb984-4zc6x'] as const;
  const c = (s: string) => delta(...gw, `outbound|9000|${s}|tcp-echo.default.svc.cluster.local`, 'upstream_cx_total');
  assert.deepEqual(t!.destinations.map((d) => [d.subset, d.weight, d.count]), [['v1', 80, c('v1')], ['v2', 20, c('v2')]]);
  assert.ok(c('v1') / c('v2') > 3 && c('v1') / c('v2') < 5.5);
  assert.deepEqual(t!.proxies.filter((p) => p.count > 0).map((p) => p.proxy), ['istio-system/istio-ingressgateway-db8dcb984-4zc6x']);

  const rev = await runCli(['traffic', 'reviews', '--fixtures', demo, '--context', 'cluster-a', '-o', 'json']);
  const jason = (JSON.parse(rev.stdout) as { rule: { match: string }; destinations: { subset: string; share: number }[] }[]).find((x) => /jason/.test(x.rule.match))!;
  const [a, b] = jason.destinations.map((d) => d.share);
  assert.ok(Math.abs(a! - b!) < 0.1, `about 1:1, got ${a}:${b}`);
});

test('traffic cart -n shop: the waypoint-served canary is counted on the waypoint\'s inbound-vip clusters, 9:1', async () => {
  const wp = ['cluster-b', 'shop', 'waypoint-7c9f6d5b8-h6k3w'] as const;
  const vip = (s: string) => `inbound-vip|8080|http/${s}|cart.shop.svc.cluster.local`;
  const v1 = delta(...wp, vip('v1'), 'upstream_rq_total');
  const v2 = delta(...wp, vip('v2'), 'upstream_rq_total');
  assert.ok(v1 > 0 && v2 > 0 && Math.abs(v1 / (v1 + v2) - 0.9) < 0.02, `about 9:1, got ${v1}:${v2}`);
  const r = await runCli(['traffic', 'cart', '-n', 'shop', '--fixtures', demo]);
  assert.equal(r.code, 0, r.stderr);
  const row = (label: string) => r.stdout.split('\n').find((l) => l.trim().startsWith(`${label} `)) ?? '';
  const pct = (n: number) => ((n / (v1 + v2)) * 100).toFixed(1).replace('.', '\\.');
  assert.match(row('cart v1'), new RegExp(`^\\s+cart v1\\s+90%\\s+${pct(v1)}%\\s+${(v1 / 10).toFixed(1)} rps\\s+0\\.0%$`));
  assert.match(row('cart v2'), new RegExp(`^\\s+cart v2\\s+10%\\s+${pct(v2)}%\\s+${(v2 / 10).toFixed(1)} rps\\s+0\\.0%$`));
  assert.match(r.stdout, /counted by: shop\/waypoint-7c9f6d5b8-h6k3w /);
  const j = await runCli(['traffic', 'cart', '-n', 'shop', '--fixtures', demo, '-o', 'json']);
  const [t] = JSON.parse(j.stdout) as { destinations: { subset: string; count: number; proxies: { proxy: string; clusters: string[]; count: number }[] }[] }[];
  assert.deepEqual(t!.destinations.map((d) => [d.subset, d.count, d.proxies.filter((p) => p.count > 0).map((p) => [p.proxy, p.clusters])]), [
    ['v1', v1, [['shop/waypoint-7c9f6d5b8-h6k3w', [vip('v1')]]]],
    ['v2', v2, [['shop/waypoint-7c9f6d5b8-h6k3w', [vip('v2')]]]],
  ]);
});

test('traffic: an unknown VirtualService is a one-line error naming it; a bad --window is a usage error', async () => {
  const r = await runCli(['traffic', 'nope', '-n', 'app', '--fixtures', demo]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no VirtualService app\/nope in /);
  const w = await runCli(['traffic', 'demoapp', '-n', 'app', '--fixtures', demo, '--window', 'soon']);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /--window/);
  const d = await runCli(['traffic', 'demoapp', '--fixtures', demo]);
  assert.match(d.stderr, /found in: cluster-a app; use -n/);
});
