// The demo's paths, asserted on `meshscope tree` output over fixtures/demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import type { TreeNode } from '../src/mesh/tree-types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = resolve(root, 'fixtures/demo');

const RUNNER = `import { main } from ${JSON.stringify(resolve(root, 'src/cli/main.ts'))};
process.exitCode = await main(['node', 'meshscope', ...process.argv.slice(1)]);`;

/** Runs `meshscope ARGS` in a child process (the CLI writes to stdout; the test runner owns ours). */
function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', RUNNER, ...args],
      { cwd: root, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } },
      (err, out, errText) => {
        if (err && typeof err.code !== 'number') fail(err);
        else done({ code: err ? Number(err.code) : 0, out, err: errText });
      });
  });
}

interface Doc { nodes: TreeNode[]; edges: { kind: string; from: string; to?: string; dangling?: string; drift?: string }[]; dangling: { kind: string; from: string; reason: string }[] }

let cached: Doc | undefined;
async function doc(): Promise<Doc> {
  if (!cached) {
    const r = await run('tree', '--fixtures', demo, '-o', 'json');
    assert.equal(r.code, 0, r.err);
    cached = JSON.parse(r.out) as Doc;
  }
  return cached;
}

function byId(roots: TreeNode[]): Map<string, TreeNode> {
  const m = new Map<string, TreeNode>();
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    m.set(n.id, n);
    stack.push(...n.children);
  }
  return m;
}

function child(n: TreeNode, pred: (c: TreeNode) => boolean, what: string): TreeNode {
  const c = n.children.find(pred);
  assert.ok(c, `${n.id}: no child ${what}; children: ${n.children.map((x) => `${x.kind}:${x.label}`).join(' | ')}`);
  return c;
}

function descendants(n: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  const stack = [...n.children];
  while (stack.length) {
    const x = stack.pop()!;
    out.push(x);
    stack.push(...x.children);
  }
  return out;
}

test('b.nginx.com: cluster-a VS → ServiceEntry → cluster-b ingress gateway → Gateway → VS → nginx pods', async () => {
  const nodes = byId((await doc()).nodes);
  const rule = nodes.get('cluster-a/VirtualService/default/nginx-virtualservice/http:b-nginx')!;
  assert.ok(rule, 'rule b-nginx');
  const dest = child(rule, (c) => c.kind === 'destination' && c.label.startsWith('b.nginx.com'), 'b.nginx.com destination');
  child(dest, (c) => c.linkTo === 'cluster-a/ServiceEntry/default/external-nginx', 'ServiceEntry link');
  const hop = descendants(dest).find((c) => c.kind === 'link' && c.linkTo === 'cluster-b/Service/istio-system/istio-ingressgateway');
  assert.ok(hop, 'hop to cluster-b ingress gateway');
  assert.match(hop.detail ?? '', /172\.29\.2\.201/);
  child(hop, (c) => c.linkTo === 'cluster-b/Gateway/istio-system/http-gateway', 'cluster-b Gateway');
  const vs = child(hop, (c) => c.linkTo === 'cluster-b/VirtualService/default/nginx-virtualservice', 'cluster-b VS');
  const pods = descendants(vs).filter((c) => c.kind === 'Pod').map((c) => c.linkTo);
  assert.deepEqual(pods.sort(), ['cluster-b/Pod/default/nginx-5d9c7f6b8d-b7hxw', 'cluster-b/Pod/default/nginx-5d9c7f6b8d-n4zpq']);
  for (const id of pods) assert.ok(nodes.has(id!), `link target ${id} exists`);
});

test('reviews: jason → reviews.default.global v2/v3 → cluster-b reviews-v2/v3 pods; default → v1 in cluster-a', async () => {
  const nodes = byId((await doc()).nodes);
  const vs = nodes.get('cluster-a/VirtualService/default/reviews')!;
  const jason = child(vs, (c) => c.kind === 'rule' && c.label.startsWith('http[0]'), 'jason rule');
  assert.match(jason.detail ?? '', /end-user=jason/);
  for (const [subset, pod] of [['v2', 'reviews-v2-65c4dc6fdc-bq7xh'], ['v3', 'reviews-v3-7bf8b6d4b9-m8r5t']]) {
    const d = child(jason, (c) => c.label === `reviews.default.global ${subset}`, `global ${subset}`);
    assert.equal(d.badges.weight, 50);
    const hop = descendants(d).find((c) => c.kind === 'link' && c.context === 'cluster-b' && c.label.startsWith('→ cluster-b'));
    assert.ok(hop, `hop for ${subset}`);
    assert.match(hop.detail ?? '', new RegExp(`as reviews\\.default\\.svc\\.cluster\\.local ${subset}`));
    const pods = descendants(hop).filter((c) => c.kind === 'Pod').map((c) => c.linkTo);
    assert.deepEqual(pods, [`cluster-b/Pod/default/${pod}`]);
  }
  const rest = child(vs, (c) => c.kind === 'rule' && c.label.startsWith('http[1]'), 'default rule');
  const v1 = child(rest, (c) => c.kind === 'destination', 'v1 destination');
  assert.match(v1.label, /v1$/);
  const pods = descendants(v1).filter((c) => c.kind === 'Pod').map((c) => c.linkTo);
  assert.deepEqual(pods, ['cluster-a/Pod/default/reviews-v1-5fd6d4f8f8-7xwvn']);
});

test('demoapp: 90/10 to v2 (3 pods) and v2-canary (3 pods), with the Envoy subset clusters on each frontend proxy', async () => {
  const nodes = byId((await doc()).nodes);
  const rule = nodes.get('cluster-a/VirtualService/app/demoapp/http:weight-based-routing')!;
  assert.ok(rule);
  for (const [subset, weight] of [['v2', 90], ['v2-canary', 10]] as const) {
    const d = child(rule, (c) => c.label === `demoapp ${subset}`, subset);
    assert.equal(d.badges.weight, weight);
    const sub = child(d, (c) => c.kind === 'subset', 'subset node');
    assert.equal(sub.children.filter((c) => c.kind === 'Pod').length, 3);
    assert.deepEqual([sub.badges.healthy, sub.badges.total], [3, 3]);
    const cluster = `outbound|8080|${subset}|demoapp.app.svc.cluster.local`;
    for (const fe of ['frontend-7c55c868cf-fhd87', 'frontend-7c55c868cf-p5rrv']) {
      child(d, (c) => c.kind === 'envoy-cluster' && c.label === cluster && (c.detail ?? '').includes(`app/${fe}`), `${cluster} on ${fe}`);
    }
  }
});

test('tcp-echo 80/20 and gcpbackend 10/90 with the mirror (text output)', async () => {
  const r = await run('tree', '--fixtures', demo, '--context', 'cluster-a', '-n', 'default', '--kind', 'vs');
  assert.equal(r.code, 0, r.err);
  const text = r.out;
  assert.match(text, /^ {8}tcp\[0\] {2}port=31400$/m);
  assert.match(text, /^ {10}tcp-echo v1:9000 .*\[80%/m);
  assert.match(text, /^ {10}tcp-echo v2:9000 .*\[20%/m);
  assert.match(text, /outbound\|9000\|v1\|tcp-echo\.default\.svc\.cluster\.local {2}on istio-system\/istio-ingressgateway-db8dcb984-4zc6x {2}\[80%/);
  assert.match(text, /^ {6}gcpbackend-migration {2}service-entry\.com/m);
  // External hosts get plain text: auto mTLS applies only to workloads with a sidecar.
  assert.match(text, /^ {10}gcpbackend\.com {2}sends plain text \(auto\) {2}\[10%/m);
  assert.match(text, /^ {10}service-entry\.com {2}sends plain text \(auto\) {2}\[90%/m);
  assert.match(text, /^ {10}gcpbackend\.com {2}\[mirror 50%/m);
  assert.ok(!/\x1b/.test(text));
});

test('every deliberate fault is a dangling or mismatched edge with a reason', async () => {
  const d = await doc();
  const nodes = byId(d.nodes);
  // 1: ratings subset v2 missing from its DestinationRule (cluster-b)
  assert.ok(d.dangling.some((e) => e.kind === 'destination-subset' && e.from.startsWith('cluster-b/VirtualService/default/ratings/')
    && /subset "v2" not found in DestinationRule default\/ratings \(has v1\)/.test(e.reason)));
  // 2: Gateway host test.nginx.com served by no VirtualService (cluster-a)
  assert.ok(d.dangling.some((e) => e.from === 'cluster-a/Gateway/istio-system/http-gateway' && /test\.nginx\.com.*served by no VirtualService/.test(e.reason)));
  // 3: stale frontend proxy: 100/0 instead of 90/10 (drift on the route → rule edge, only for p5rrv)
  const drift = d.edges.filter((e) => e.kind === 'envoy-route-rule' && e.drift);
  assert.equal(drift.length, 1);
  assert.ok(drift[0]!.from.startsWith('cluster-a/Pod/app/frontend-7c55c868cf-p5rrv/proxy/'));
  assert.match(drift[0]!.drift!, /intent .*v2 90%.*v2-canary 10%; Envoy .*v2 100%.*v2-canary 0%/);
  // 4: details subset v2 selects no pods in any context
  const v2 = nodes.get('cluster-a/DestinationRule/default/details/subset:v2')!;
  assert.ok(v2.children.some((c) => c.kind === 'dangling' && /selects no pods of details\.default\.svc\.cluster\.local/.test(c.dangling!)));
  // the multi-cluster reviews subsets are clean: they select the other context's pods
  const reviewsV2 = nodes.get('cluster-a/DestinationRule/default/reviews/subset:v2')!;
  assert.ok(!reviewsV2.children.some((c) => c.kind === 'dangling'));
  assert.match(reviewsV2.children[0]!.detail ?? '', /in cluster-b/);
  // 5: grafana's one endpoint is unhealthy, seen through grafana-virtualservice on the cluster-a gateway
  const gd = nodes.get('cluster-a/VirtualService/istio-system/grafana-virtualservice')!;
  const onGw = descendants(gd).find((c) => c.kind === 'envoy-cluster' && c.label === 'outbound|3000||grafana.istio-system.svc.cluster.local'
    && (c.detail ?? '').includes('istio-ingressgateway-db8dcb984-4zc6x'));
  assert.ok(onGw);
  assert.deepEqual([onGw.badges.healthy, onGw.badges.total], [0, 1]);
  assert.ok(onGw.children.some((c) => c.badges.problems?.some((p) => /UNHEALTHY/.test(p.message))));
  // The AUTO_PASSTHROUGH *.global server needs no VirtualService: not dangling.
  assert.ok(!d.dangling.some((e) => /\*\.global/.test(e.reason)));
});

test('tree --kind and bad flags', async () => {
  const gws = await run('tree', '--fixtures', demo, '--kind', 'gw', '--context', 'cluster-b');
  assert.equal(gws.code, 0);
  assert.match(gws.out, /^ {6}http-gateway {2}/m);
  assert.ok(!/VirtualServices/.test(gws.out));
  const bad = await run('tree', '--fixtures', demo, '--kind', 'nope');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown kind "nope"/);
  const badO = await run('tree', '--fixtures', demo, '-o', 'yaml');
  assert.equal(badO.code, 2);
});

test('one finding has one severity: a code is never shown as both ⚠ and ✗, and a dangling child repeats its parent’s level', async () => {
  const r = await run('tree', '--fixtures', demo);
  assert.equal(r.code, 0, r.err);
  const levels = new Map<string, Set<string>>();
  for (const m of r.out.matchAll(/([✗⚠≠]) \[([A-Z]+\d{4})\]/g)) {
    const set = levels.get(m[2]) ?? new Set<string>();
    set.add(m[1]);
    levels.set(m[2], set);
  }
  assert.ok(levels.has('IST0173'), 'the demo’s IST0173 is on the tree');
  for (const [code, set] of levels) assert.equal(set.size, 1, `${code} is shown as ${[...set].join(' and ')}`);
  const lines = r.out.split('\n');
  const at = lines.findIndex((l) => /^\s+v2  version=v2 .*✗ \[IST0173\]/.test(l));
  assert.ok(at >= 0, 'the details DR’s subset v2 carries IST0173');
  assert.match(lines[at + 1], /selects no pods.*\[✗ /, 'the dangling child under the subset is an error too');
});
