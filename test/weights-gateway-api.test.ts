// `meshscope weights get|set httproute/NAME`: backendRef weights as proportions (omitted = 1), shares in percent,
// edits of the snapshot file with a diff and an audit line, and all-zero refused unless --all-zero.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { parseRouteRef, planRouteWeights, routeRules, shares } from '../src/edit/gateway-api-weights.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-gwapi-weights-'));
after(() => rmSync(root, { recursive: true, force: true }));

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: demoapp
  namespace: app
spec:
  parentRefs:
  - name: gw
    namespace: infra
  rules:
  - backendRefs:
    - name: demoapp-v1
      port: 8080
      weight: 3
    - name: demoapp-v2
      port: 8080
`;

function folder(): { dir: string; file: string; audit: string } {
  const dir = mkdtempSync(join(root, 'snap-'));
  mkdirSync(join(dir, 'cluster-a'));
  const file = join(dir, 'cluster-a', 'route.yaml');
  writeFileSync(file, ROUTE);
  return { dir, file, audit: join(dir, 'audit.log') };
}

test('routeRules: omitted weight is 1, shares are proportions', () => {
  const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app' }, spec: { rules: [{ backendRefs: [{ name: 'a', port: 80, weight: 2 }, { name: 'b', port: 80, weight: 3 }, { name: 'c', port: 80 }] }] } };
  const [rule] = routeRules(route);
  assert.deepEqual(rule!.destinations.map((d) => [d.host, d.raw, d.effective]), [['a', 2, 2], ['b', 3, 3], ['c', undefined, 1]]);
  assert.deepEqual(shares(rule!.destinations.map((d) => d.effective)), [33.3, 50, 16.7]);
  assert.deepEqual(parseRouteRef('HTTPRoute/r'), { kind: 'HTTPRoute', name: 'r' });
  assert.equal(parseRouteRef('reviews'), undefined);
  assert.throws(() => planRouteWeights(route, rule!, [0, 0, 0]), /every backendRef would have weight 0, so istiod answers every request with HTTP 500; set it anyway with --all-zero/);
  assert.deepEqual(planRouteWeights(route, rule!, [0, 0, 0], { force: true }).map((e) => e.after), [0, 0, 0]);
  assert.deepEqual(planRouteWeights(route, rule!, [2, 3, 1]), []);
});

test('weights get httproute/NAME shows each backendRef with its weight as written and its share', async () => {
  const { dir } = folder();
  const r = await runCli(['--fixtures', dir, 'weights', 'get', 'httproute/demoapp', '-n', 'app']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /demoapp-v1:8080\s+weight 3 → 75%/);
  assert.match(r.stdout, /demoapp-v2:8080\s+weight \(unset\) 1 → 25%/);
  const j = await runCli(['--fixtures', dir, 'weights', 'get', 'httproute/demoapp', '-n', 'app', '-o', 'json']);
  const data = JSON.parse(j.stdout);
  assert.deepEqual(data[0].rules[0].backendRefs.map((b: { weight: number | null; share: number }) => [b.weight, b.share]), [[3, 75], [null, 25]]);
});

test('weights set httproute/NAME writes the weight into the snapshot file with a diff and an audit line', async () => {
  const { dir, file, audit } = folder();
  const r = await runCli(['--fixtures', dir, 'weights', 'set', 'httproute/demoapp', '-n', 'app', 'demoapp-v1=0', '--yes', '--audit-log', audit]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /-\s+weight: 3\n\+\s+weight: 0/);
  assert.match(readFileSync(file, 'utf8'), /name: demoapp-v1\n {6}port: 8080\n {6}weight: 0\n/);
  const line = JSON.parse(readFileSync(audit, 'utf8').trim().split('\n').pop()!);
  assert.equal(line.kind, 'HTTPRoute');
  assert.deepEqual(line.fields.map((f: { path: unknown[]; after: number }) => [f.path.join('.'), f.after]), [['spec.rules.0.backendRefs.0.weight', 0]]);
});

test('weights set refuses all-zero weights with the reason unless --all-zero, and writes nothing', async () => {
  const { dir, file, audit } = folder();
  const r = await runCli(['--fixtures', dir, 'weights', 'set', 'httproute/demoapp', '-n', 'app', 'demoapp-v1=0', 'demoapp-v2=0', '--yes', '--audit-log', audit]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /every backendRef would have weight 0, so istiod answers every request with HTTP 500/);
  assert.match(r.stderr, /nothing was written/);
  assert.equal(readFileSync(file, 'utf8'), ROUTE);
  const forced = await runCli(['--fixtures', dir, 'weights', 'set', 'httproute/demoapp', '-n', 'app', 'demoapp-v1=0', 'demoapp-v2=0', '--all-zero', '--yes', '--audit-log', audit]);
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(readFileSync(file, 'utf8'), /name: demoapp-v2\n {6}port: 8080\n {6}weight: 0\n/);
});

test('weights undo reverts a route edit of the snapshot file, with a diff and an undo audit line', async () => {
  const { dir, file, audit } = folder();
  const set = await runCli(['--fixtures', dir, 'weights', 'set', 'httproute/demoapp', '-n', 'app', 'demoapp-v1=0', '--yes', '--audit-log', audit]);
  assert.equal(set.code, 0, set.stderr);
  const undo = await runCli(['--fixtures', dir, 'weights', 'undo', '--yes', '--audit-log', audit]);
  assert.equal(undo.code, 0, undo.stderr);
  assert.match(undo.stdout, /-\s+weight: 0\n\+\s+weight: 3/);
  assert.equal(readFileSync(file, 'utf8'), ROUTE);
  const line = JSON.parse(readFileSync(audit, 'utf8').trim().split('\n').pop()!);
  assert.equal(line.action, 'undo');
  assert.equal(line.kind, 'HTTPRoute');
  const again = await runCli(['--fixtures', dir, 'weights', 'undo', '--yes', '--audit-log', audit]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /nothing to undo/);
});

test('weights undo reverts a TCPRoute edit of the snapshot file to the text it had', async () => {
  const dir = mkdtempSync(join(root, 'tcp-'));
  mkdirSync(join(dir, 'cluster-a'));
  const file = join(dir, 'cluster-a', 'tcp.yaml');
  const text = `apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: db
  namespace: app
spec:
  parentRefs:
  - name: gw
  rules:
  - backendRefs:
    - name: db-a
      port: 5432
      weight: 5
    - name: db-b
      port: 5432
      weight: 5
`;
  writeFileSync(file, text);
  const audit = join(dir, 'audit.log');
  const set = await runCli(['--fixtures', dir, 'weights', 'set', 'tcproute/db', '-n', 'app', 'db-b=1', '--yes', '--audit-log', audit]);
  assert.equal(set.code, 0, set.stderr);
  assert.notEqual(readFileSync(file, 'utf8'), text);
  const undo = await runCli(['--fixtures', dir, 'weights', 'undo', '--yes', '--audit-log', audit]);
  assert.equal(undo.code, 0, undo.stderr);
  assert.equal(readFileSync(file, 'utf8'), text);
});
