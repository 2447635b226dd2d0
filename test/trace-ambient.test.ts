// trace through ambient mode on the demo: ambient client → source ztunnel → waypoint Envoy (the VirtualService rule
// and backends, checked against the waypoint's config dump) → destination ztunnels; a sidecar client to an ambient
// service; and a waypoint that ztunnel does not use (a disagreement).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';
import { runCli } from './support/cli.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { envoyParser } from '../src/analyze/envoy-parser.js';
import { traceRequest } from '../src/trace/trace.js';

const DEMO = join(repoRoot, 'fixtures/demo');

test('trace from an ambient client passes through the waypoint and agrees with its Envoy', async () => {
  const r = await runCli(['trace', '--fixtures', DEMO, '--context', 'cluster-b', '--from', 'checkout.shop', '--host', 'cart', '--port', '8080', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  type Step = { side: string; kind: string; name: string; matched: boolean; reason: string; segment: number };
  const t = JSON.parse(r.stdout) as { ok: boolean; disagreements: unknown[]; steps: Step[]; segments: { title: string; depth: number; steps: Step[] }[] };
  for (const [i, s] of t.segments.entries()) s.steps = t.steps.filter((x) => x.segment === i);
  assert.equal(t.ok, true);
  assert.deepEqual(t.disagreements, []);
  assert.deepEqual(t.segments.map((s) => [s.depth, s.title]), [
    [0, 'ztunnel istio-system/ztunnel-r7v2n for shop/checkout-7d4b9c6f8-z8p4k (node node-b1)'],
    [1, 'waypoint shop/waypoint (pod waypoint-7c9f6d5b8-h6k3w)'],
    [2, 'ztunnel istio-system/ztunnel-r7v2n, istio-system/ztunnel-q2x9d (destination)'],
  ]);
  const [src, wp, dst] = t.segments;
  assert.ok(src.steps.some((s) => s.side === 'envoy' && s.kind === 'hop' && s.name === 'waypoint shop/waypoint' && s.matched));
  assert.ok(wp.steps.some((s) => s.side === 'intent' && s.kind === 'rule' && /"canary"/.test(s.name)));
  const route = wp.steps.find((s) => s.side === 'envoy' && s.kind === 'route')!;
  assert.match(route.reason, /inbound-vip\|8080\|http\/v1\|cart\.shop\.svc\.cluster\.local 90%, inbound-vip\|8080\|http\/v2\|cart\.shop\.svc\.cluster\.local 10%/);
  // The waypoint's layout: connect_terminate → main_internal → the chain the VIP and port select → inline route config.
  assert.deepEqual(wp.steps.filter((s) => s.side === 'envoy' && ['listener', 'filter-chain', 'route-config', 'virtual-host'].includes(s.kind)).map((s) => [s.kind, s.name, s.matched]), [
    ['listener', 'connect_terminate', true],
    ['listener', 'main_internal', true],
    ['filter-chain', '#0 inbound-vip|8080||cart.shop.svc.cluster.local-http', true],
    ['route-config', 'inbound-vip|8080|http|cart.shop.svc.cluster.local', true],
    ['virtual-host', 'inbound|http|8080', true],
  ]);
  assert.deepEqual(wp.steps.filter((s) => s.side === 'envoy' && s.kind === 'envoy-endpoints').map((s) => s.reason), [
    'envoy://connect_originate/10.244.0.31:8080 HEALTHY cart-v1-5f7d9c8b6-q4x8z',
    'envoy://connect_originate/10.244.1.32:8080 HEALTHY cart-v2-6b8c4d7f5-j2m5t',
  ]);
  assert.deepEqual(dst.steps.filter((s) => s.kind === 'envoy-endpoints').map((s) => [s.name, s.matched]), [['cart-v1-5f7d9c8b6-q4x8z', true], ['cart-v2-6b8c4d7f5-j2m5t', true]]);
});

test('trace from a sidecar pod to an ambient service: the sidecar routes itself, around the waypoint, to the pods\' ztunnels', async () => {
  const r = await runCli(['trace', '--fixtures', DEMO, '--context', 'cluster-b', '--from', 'reviews-v2.default', '--host', 'cart.shop', '--port', '8080']);
  assert.match(r.stdout, /\[cluster-b\] ambient service shop\/cart via the sidecar's HBONE connection/);
  assert.match(r.stdout, /✓ hop {13}waypoint shop\/waypoint: ztunnel ztunnel-\w+ sends cart\.shop\.svc\.cluster\.local to waypoint shop\/waypoint over HBONE/);
  // ztunnel's view is reality for that segment: it is checked, not "no config dump".
  assert.match(r.stdout, /\n {6}envoy \(istio-system\/ztunnel-\w+ config_dump\)\n {8}✓ hop/);
  assert.match(r.stdout, /\nresult: ✓ intent and Envoy agree\n$/);
  // As istiod configures sidecars, the demo sidecar's Envoy runs the route itself and reaches the cart pods directly,
  // around the waypoint: intent says so, and the trace says what that means for the waypoint's L7 policy.
  assert.match(r.stdout, /✓ note {12}shop\/cart: the service runs in ambient mode \(ambient-waypoint\): the sidecar applies the route itself and opens HBONE to the pods, whose ztunnel delivers; sidecars do not use the service's waypoint\n/);
  assert.match(r.stdout, /✓ note {12}sidecar default\/reviews-v2-65c4dc6fdc-bq7xh: its Envoy applies the route itself and sends to the pods \(10\.244\.0\.31, 10\.244\.1\.32\), around waypoint shop\/waypoint: the waypoint's L7 AuthorizationPolicies do not see this request\n/);
});

test('trace from an ambient client: the source ztunnel checks no policy on the way out', async () => {
  const r = await runCli(['trace', '--fixtures', DEMO, '--context', 'cluster-b', '--from', 'checkout.shop', '--host', 'cart']);
  assert.match(r.stdout, /✓ note {12}L4 policy: the source ztunnel checks no policy on the way out: the ztunnel in front of each destination pod applies L4 AuthorizationPolicies \(below\), a waypoint L7 ones\n/);
  assert.doesNotMatch(r.stdout, /L4 policy: no ztunnel authorization policy applies to shop\/checkout/);
});

test('a waypoint that ztunnel does not use is a disagreement', async () => {
  const input = await loadSnapshotFolder(DEMO);
  const b = input.contexts.find((c) => c.name === 'cluster-b')!;
  for (const z of b.ztunnels ?? []) {
    const services = (z.configDump as { services: Record<string, { name: string; waypoint?: unknown }> }).services;
    for (const s of Object.values(services)) if (s.name === 'cart') delete s.waypoint;
  }
  const t = traceRequest(joinMesh(input, { parser: envoyParser }), { context: 'cluster-b', from: { kind: 'pod', namespace: 'shop', name: 'checkout' }, host: 'cart', port: 8080 });
  assert.equal(t.ok, false);
  assert.deepEqual(t.disagreements.map((d) => [d.name, d.reason]), [['waypoint of cart.shop.svc.cluster.local', 'intent uses waypoint shop/waypoint, ztunnel has none']]);
});

test('an HTTPRoute bound to a waypoint-served Service is the waypoint\'s route in the ambient trace', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-ambient-'));
  try {
    cpSync(DEMO, dir, { recursive: true });
    appendFileSync(join(dir, 'cluster-b/shop/checkout.yaml'), [
      '---', 'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata:', '  name: checkout', '  namespace: shop', 'spec:',
      '  parentRefs:', '  - group: ""', '    kind: Service', '    name: checkout', '    port: 8080',
      '  rules:', '  - backendRefs:', '    - name: checkout', '      port: 8080', '',
    ].join('\n'));
    const r = await runCli(['trace', '--fixtures', dir, '--context', 'cluster-b', '--from', 'cart-v1.shop', '--host', 'checkout', '-o', 'json']);
    type Step = { side: string; kind: string; name: string; matched: boolean; reason: string; segment: number };
    const t = JSON.parse(r.stdout) as { segments: { title: string }[]; steps: Step[]; disagreements: Step[] };
    // Not the sidecar-only Gateway API trace: ztunnel, then the waypoint, then the destination ztunnel.
    assert.deepEqual(t.segments.map((s) => s.title.replace(/ \(.*$/, '')), ['ztunnel istio-system/ztunnel-r7v2n for shop/cart-v1-5f7d9c8b6-q4x8z', 'waypoint shop/waypoint', 'ztunnel istio-system/ztunnel-r7v2n']);
    const vs = t.steps.find((s) => s.segment === 1 && s.side === 'intent' && s.kind === 'virtual-service')!;
    assert.deepEqual([vs.name, vs.matched], ['shop/shop~8080~checkout.shop.svc.cluster.local', true]);
    assert.ok(t.steps.some((s) => s.segment === 1 && s.side === 'intent' && s.kind === 'rule' && s.matched));
    // The demo waypoint's dump predates the route: Envoy still runs the default route, and the trace says so.
    assert.deepEqual(t.disagreements.map((d) => d.name), ['virtual-service']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
