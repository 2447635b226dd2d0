// The tree on the demo's ambient namespace (cluster-b shop): modes as badges, each Service's waypoint, the waypoint's
// users and the routes its Envoy runs, each workload's ztunnel, and the deliberate ambient fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';
import { runCli } from './support/cli.js';

const DEMO = join(repoRoot, 'fixtures/demo');

test('tree: ambient namespace, waypoint, services, workloads and their ztunnels', async () => {
  const r = await runCli(['tree', '--fixtures', DEMO, '--context', 'cluster-b', '-n', 'shop']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const line = (re: RegExp) => lines.find((l) => re.test(l)) ?? assert.fail(`no line matches ${re}\n${r.stdout.slice(0, 3000)}`);
  line(/^ {2}shop {2}\[ambient\+waypoint\] waypoint waypoint$/);
  line(/^ {6}waypoint {2}\[waypoint for service\] {2}2 services, 0 workloads {2}\[1\/1\]$/);
  line(/^ {8}shop\/cart {2}uses this waypoint {2}→ cluster-b\/Service\/shop\/cart$/);
  line(/^ {8}Envoy waypoint-7c9f6d5b8-h6k3w {2}config dump loaded$/);
  line(/^ {10}shop\/cart {2}VirtualService cart\.shop\.svc\.cluster\.local {2}→ cluster-b\/VirtualService\/shop\/cart$/);
  // Under it, the Envoy route that carries it (the waypoint's inbound-vip route config and subset clusters).
  line(/^ {12}route inbound-vip\|8080\|http\|cart\.shop\.svc\.cluster\.local "canary" {2}inbound-vip\|8080\|http\/v1\|cart\.shop\.svc\.cluster\.local 90%, inbound-vip\|8080\|http\/v2\|cart\.shop\.svc\.cluster\.local 10% {2}→ /);
  line(/^ {6}cart {2}\[ambient\+waypoint\] waypoint shop\/waypoint {2}cart\.shop\.svc\.cluster\.local/);
  line(/^ {8}shop\/waypoint {2}waypoint \(ztunnel: waypoint\) {2}→ cluster-b\/Gateway\/shop\/waypoint$/);
  line(/^ {6}inventory {2}\[ambient\] waypoint shop\/inventory-waypoint \(missing\) .*\[MS0602\] istio\.io\/use-waypoint names waypoint shop\/inventory-waypoint, which does not exist/);
  line(/^ {8}waypoint shop\/inventory-waypoint$/);
  line(/^ {6}cart-v1 {2}\[ambient\] ztunnel ztunnel-r7v2n {2}app=cart/);
  line(/^ {6}cart-v2 {2}\[ambient\] ztunnel ztunnel-q2x9d {2}app=cart/);
  // An ambient pod is not "no sidecar": ztunnel carries its traffic.
  line(/^ {8}cart-v1-5f7d9c8b6-q4x8z {2}10\.244\.0\.31 {2}Running {2}ambient \(ztunnel\)/);
  assert.ok(!lines.some((l) => /checkout-7d4b9c6f8-z8p4k .*no sidecar/.test(l)), 'ambient pods do not say no sidecar');
  assert.ok(!r.stdout.includes('selector (empty) matches no pod'));
});

test('tree: contexts without ambient mode are unchanged (no badges)', async () => {
  const r = await runCli(['tree', '--fixtures', DEMO, '--context', 'cluster-a', '-n', 'app']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!/\[ambient|ztunnel/.test(r.stdout));
});
