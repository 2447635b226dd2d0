// The security lines of a trace that ends at ambient workloads: the waypoint is named as a waypoint (an Envoy applying
// L7 policy), the hop to the pod is HBONE to the ztunnel on its node, and the AuthorizationPolicies are split between
// the waypoint (L7, bound by targetRefs) and the destination ztunnel (L4, by selector). CLI text and the TUI frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { repoRoot } from './support/paths.js';
import { runCli } from './support/cli.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { traceOrMessage, traceRequest } from '../src/trace/trace.js';
import { TraceForm } from '../src/ui/trace/TraceForm.js';
import type { KubeObject } from '../src/model/resources.js';

const DEMO = join(repoRoot, 'fixtures/demo');
const FROM = { kind: 'pod' as const, namespace: 'shop', name: 'checkout' };
const tick = () => new Promise((r) => setImmediate(r));

test('trace text: the waypoint is a waypoint, the hop to each cart pod is HBONE to its ztunnel, policy is L7 then L4', async () => {
  const r = await runCli(['trace', '--fixtures', DEMO, '--context', 'cluster-b', '--from', 'checkout.shop', '--host', 'cart']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /✓ identity {8}spiffe:\/\/cluster\.local\/ns\/shop\/sa\/waypoint: waypoint shop\/waypoint \(pod waypoint-7c9f6d5b8-h6k3w\) runs as service account waypoint\n/);
  assert.match(r.stdout, /✓ mtls {12}shop\/cart-v1-5f7d9c8b6-q4x8z:8080: waypoint shop\/waypoint \(pod waypoint-7c9f6d5b8-h6k3w\) opens HBONE \(mutual TLS\) to ztunnel ztunnel-r7v2n on node node-b1, which ends it and delivers to the pod \(ambient, no sidecar\); no PeerAuthentication: PERMISSIVE \(ztunnel enforces it\)\n/);
  assert.match(r.stdout, /✓ mtls {12}shop\/cart-v2-6b8c4d7f5-j2m5t:8080: .* to ztunnel ztunnel-q2x9d on node node-b2,/);
  assert.match(r.stdout, /✓ authz {11}0 AuthorizationPolicies: waypoint shop\/waypoint enforces L7 policy: allowed: no AuthorizationPolicy applies\n/);
  assert.match(r.stdout, /✓ authz {11}0 AuthorizationPolicies: ztunnel ztunnel-r7v2n on node node-b1 enforces L4 policy: allowed: no AuthorizationPolicy applies\n/);
  assert.doesNotMatch(r.stdout, /sidecar shop\/waypoint|client sends plaintext; the workload has no sidecar/);
  // From a sidecar: the sidecar is the sender, and there is no waypoint policy line.
  const s = await runCli(['trace', '--fixtures', DEMO, '--context', 'cluster-b', '--from', 'reviews-v2.default', '--host', 'cart.shop']);
  assert.match(s.stdout, /✓ identity {8}spiffe:\/\/cluster\.local\/ns\/default\/sa\/bookinfo-reviews: sidecar default\/reviews-v2-65c4dc6fdc-bq7xh runs as/);
  assert.match(s.stdout, /✓ mtls {12}shop\/cart-v1-5f7d9c8b6-q4x8z:8080: sidecar default\/reviews-v2-65c4dc6fdc-bq7xh opens HBONE \(mutual TLS\) to ztunnel ztunnel-r7v2n/);
  assert.doesNotMatch(s.stdout, /enforces L7 policy/);
});

test('trace frame (TUI): the same words in the trace overlay', async () => {
  const mesh = joinMesh(await loadSnapshotFolder(DEMO));
  const ui = render(React.createElement(TraceForm, {
    source: 'cluster-b · pod shop/checkout-7d4b9c6f8-z8p4k', initial: { host: 'cart' }, isActive: true, noColor: true, height: 200,
    onRun: (input) => traceOrMessage(mesh, { context: 'cluster-b', from: FROM, ...input }), onClose: () => {},
  }));
  ui.stdin.write('\r');
  await tick();
  await tick();
  // The overlay wraps long lines inside its border: read the text with the wrapping undone.
  const frame = ui.lastFrame()!.split('\n').map((l) => l.replace(/^[│╭╰]\s?|\s*[│╮╯]$/g, '').trim()).join(' ').replace(/\s+/g, ' ');
  assert.match(frame, /✓ identity spiffe:\/\/cluster\.local\/ns\/shop\/sa\/waypoint: waypoint shop\/waypoint \(pod waypoint-7c9f6d5b8-h6k3w\) runs as service account waypoint ✓ mtls/);
  assert.match(frame, /✓ mtls shop\/cart-v1-5f7d9c8b6-q4x8z:8080: waypoint shop\/waypoint \(pod waypoint-7c9f6d5b8-h6k3w\) opens HBONE \(mutual TLS\) to ztunnel ztunnel-r7v2n on node node-b1, which ends it and delivers to the pod \(ambient, no sidecar\)/);
  assert.match(frame, /✓ authz 0 AuthorizationPolicies: waypoint shop\/waypoint enforces L7 policy: allowed/);
  assert.match(frame, /✓ authz 0 AuthorizationPolicies: ztunnel ztunnel-q2x9d on node node-b2 enforces L4 policy: allowed/);
  // The verdict names where the waypoint sends the request (the destination ztunnels only deliver it).
  assert.match(frame, /verdict: ✓ goes to cart\.shop\.svc\.cluster\.local subset v1 90% \[cluster-b\], cart\.shop\.svc\.cluster\.local subset v2 10% \[cluster-b\]; Envoy agrees/);
  assert.doesNotMatch(frame, /sidecar shop\/waypoint/);
  ui.unmount();
});

const ap = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'shop', creationTimestamp: '2025-03-14T09:00:00Z' }, spec });

async function withPolicies(...policies: KubeObject[]) {
  const input = await loadSnapshotFolder(DEMO);
  const b = input.contexts.find((c) => c.name === 'cluster-b')!;
  for (const obj of policies) b.objects.push({ obj, origin: { context: 'cluster-b' } });
  return joinMesh(input);
}

test('a policy bound to the Service is the waypoint\'s (L7): it refuses the path; a selector policy is ztunnel\'s (L4)', async () => {
  const mesh = await withPolicies(
    ap('cart-no-admin', { targetRefs: [{ kind: 'Service', group: '', name: 'cart' }], action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] }),
    ap('cart-from-waypoint', { selector: { matchLabels: { app: 'cart' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/waypoint'] } }] }] }),
  );
  const ok = traceRequest(mesh, { context: 'cluster-b', from: FROM, host: 'cart', port: 8080, path: '/items' });
  const authz = (t: typeof ok) => t.steps.filter((s) => s.kind === 'authz').map((s) => [s.name, s.matched, s.details?.enforcer]);
  assert.deepEqual(authz(ok), [
    ['1 AuthorizationPolicies', true, 'waypoint'],
    ['AuthorizationPolicy shop/cart-from-waypoint rules[0]', true, 'ztunnel'],
    ['1 AuthorizationPolicies', true, 'waypoint'],
    ['AuthorizationPolicy shop/cart-from-waypoint rules[0]', true, 'ztunnel'],
  ]);
  const denied = traceRequest(mesh, { context: 'cluster-b', from: FROM, host: 'cart', port: 8080, path: '/admin/users' });
  const step = denied.steps.find((s) => s.kind === 'authz' && !s.matched)!;
  assert.equal(step.name, 'AuthorizationPolicy shop/cart-no-admin rules[0]');
  assert.match(step.reason, /^waypoint shop\/waypoint enforces L7 policy: denied: AuthorizationPolicy shop\/cart-no-admin rules\[0\] \(403 RBAC: access denied\)$/);
  assert.equal(denied.ok, false);
});

test('an L7 rule on a selector policy never matches at ztunnel, which says so', async () => {
  const mesh = await withPolicies(ap('cart-get-only', { selector: { matchLabels: { app: 'cart' } }, action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }));
  const t = traceRequest(mesh, { context: 'cluster-b', from: FROM, host: 'cart', port: 8080 });
  const l4 = t.steps.filter((s) => s.kind === 'authz' && s.details?.enforcer === 'ztunnel');
  assert.equal(l4.length, 2);
  for (const s of l4) {
    assert.equal(s.matched, false);
    assert.match(s.reason, /enforces L4 policy: denied: no ALLOW policy matches, and an ALLOW policy applies so everything else is denied \(ztunnel closes the connection\) \(ztunnel sees no .*: those conditions never match at L4\)$/);
    assert.match(s.reason, /ztunnel sees no method:/);
  }
});
