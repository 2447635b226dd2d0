// `meshscope analyze` end to end through main(): output format, exit codes, --only/--suppress/--list, JSON, the
// implicit ingress gateway, several contexts, and sanitised text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const mainUrl = pathToFileURL(resolve(dirname(fileURLToPath(import.meta.url)), '../src/cli/main.ts')).href;
const script = `const { main } = await import(${JSON.stringify(mainUrl)}); process.exitCode = await main(['node', 'meshscope', ...process.argv.slice(1)]);`;

/** Runs the CLI in a child process (the test runner owns this process's stdout). */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'ms-analyze-'));
const bad = join(dir, 'bad.yaml');
writeFileSync(bad, `
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v4}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: "web\\u001b[31m", namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8080, name: http, protocol: HTTP}
    hosts: ["*"]
`);
const clean = join(dir, 'clean.yaml');
writeFileSync(clean, `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [web]
  http:
  - route:
    - destination: {host: istio-ingressgateway, port: {number: 80}}
`);

test('text output follows istioctl; manifests without namespace get "default"; exit 1 on an Error', async () => {
  const r = await run(['analyze', bad]);
  assert.equal(r.code, 1);
  assert.ok(r.out.includes('Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v4"\n'), r.out);
  // the implicit istio-ingressgateway Service exposes 80/443/31400/15443, not 8080
  assert.match(r.out, /Warning \[IST0162\] \(Gateway istio-system\/web\) The gateway is listening on a target port \(port 8080\)/);
  assert.ok(!r.out.includes('\u001b'), 'control sequences are stripped');
  assert.match(r.err, /Analyzers found issues/);
});

test('clean input: the ✔ line and exit 0; the implicit gateway pod and service satisfy the Gateway', async () => {
  const r = await run(['analyze', clean]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '\u2714 No validation issues found when analyzing all namespaces.\n');
});

test('--failure-threshold, --only, --suppress', async () => {
  assert.equal((await run(['analyze', bad, '--only', 'IST0162'])).code, 0, 'a Warning is below the default Error threshold');
  const w = await run(['analyze', bad, '--only', 'gateway.IngressGatewayPortAnalyzer', '--failure-threshold', 'Warning']);
  assert.equal(w.code, 1);
  assert.equal(w.out.trim().split('\n').length, 1);
  const s = await run(['analyze', bad, '--suppress', 'IST0101=VirtualService default/reviews', '--only', 'IST0101']);
  assert.equal(s.code, 0);
  assert.match(s.out, /No validation issues/);
});

test('usage errors exit 2', async () => {
  assert.equal((await run(['analyze', bad, '--only', 'nope.Analyzer'])).code, 2);
  assert.equal((await run(['analyze', bad, '-o', 'xml'])).code, 2); // -o yaml is accepted too
  assert.equal((await run(['analyze', bad, '--failure-threshold', 'Fatal'])).code, 2);
  assert.equal((await run(['analyze', bad, '--suppress', 'not a code'])).code, 2);
});

test('-o json carries code, level, context, origin, path and message', async () => {
  const r = await run(['analyze', bad, '-o', 'json', '--only', 'virtualservice.DestinationRuleAnalyzer']);
  const list = JSON.parse(r.out) as Record<string, unknown>[];
  assert.equal(list.length, 1);
  assert.deepEqual(
    { code: list[0]!.code, level: list[0]!.level, origin: list[0]!.origin, path: list[0]!.path, message: list[0]!.message },
    { code: 'IST0101', level: 'Error', origin: 'VirtualService default/reviews', path: 'spec.http[0].route[0].destination.subset', message: 'Referenced host+subset in destinationrule not found: "reviews+v4"' },
  );
  assert.equal(typeof list[0]!.context, 'string');
});

test('--list names every check with its codes and levels', async () => {
  const r = await run(['analyze', '--list']);
  assert.equal(r.code, 0);
  for (const s of ['virtualservice.DestinationHostAnalyzer', 'IST0145', 'envoy.RouteDrift', 'MS0201', 'MS0006']) assert.ok(r.out.includes(s), s);
  assert.match(r.out, /gateway\.ConflictingGatewayAnalyzer\s+IST0145\s+Error/);
});

test('several contexts: each line names its context', async () => {
  const snap = join(dir, 'snap');
  for (const c of ['east', 'west']) {
    mkdirSync(join(snap, c), { recursive: true });
    writeFileSync(join(snap, c, 'dr.yaml'), `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ghost, namespace: default}
spec: {host: ghost}
`);
  }
  const r = await run(['--fixtures', snap, 'analyze', '--only', 'IST0174']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.out.trim().split('\n').sort(), [
    'Warning [IST0174] [east] (DestinationRule default/ghost) The host ghost defined in the DestinationRule does not match any services in the mesh.',
    'Warning [IST0174] [west] (DestinationRule default/ghost) The host ghost defined in the DestinationRule does not match any services in the mesh.',
  ]);
});
