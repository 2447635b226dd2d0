// `meshscope trace -o json` on a Gateway API snapshot follows the contract of ../shared/conformance/gateway-api:
// {"intent": {verdict, status, destinations, redirect?, rewrite?, route?}}.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { GATEWAY_API_CORPUS, corpusTests } from './support/gateway-api-conformance.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-gwapi-trace-'));
after(() => rmSync(root, { recursive: true, force: true }));

function snapshot(testName: string): string {
  const t = corpusTests().find((x) => x.name === testName)!;
  const dir = join(root, testName.replace('/', '-'));
  const ctx = join(dir, 'ctx');
  mkdirSync(ctx, { recursive: true });
  const put = (src: string, name: string) => writeFileSync(join(ctx, name), readFileSync(src, 'utf8').replaceAll('{GATEWAY_CLASS_NAME}', 'gateway-conformance'));
  put(join(GATEWAY_API_CORPUS, 'base/manifests.yaml'), 'base.yaml');
  put(join(GATEWAY_API_CORPUS, 'base/mesh/manifests.yaml'), 'base-mesh.yaml');
  for (const f of t.expected.manifestFiles ?? []) put(join(t.dir, f), `test-${f}`);
  writeFileSync(join(ctx, 'class.yaml'), 'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: gateway-conformance}\nspec: {controllerName: istio.io/gateway-controller}\n');
  writeFileSync(join(ctx, 'pods.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: echo-v1-conformance-0, namespace: gateway-conformance-mesh, labels: {app: echo, version: v1}}\nspec: {containers: [{name: echo}]}\nstatus: {phase: Running, podIP: 10.244.0.9}\n');
  return dir;
}

async function trace(dir: string, ...args: string[]) {
  const r = await runCli(['trace', '--fixtures', dir, '--context', 'ctx', ...args, '-o', 'json']);
  assert.equal(r.threw, undefined);
  return { ...r, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

test('trace from a Gateway API Gateway predicts the weighted backends as proportions', async () => {
  const dir = snapshot('httproute-weight');
  const r = await trace(dir, '--from', 'gateway/same-namespace.gateway-conformance-infra', '--host', '192.0.2.1', '--port', '80', '--path', '/');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.intent.verdict, 'routed');
  assert.equal(r.json.intent.status, 200);
  const total = r.json.intent.destinations.reduce((s: number, d: { weight: number }) => s + d.weight, 0);
  const share = Object.fromEntries(r.json.intent.destinations.map((d: { service: string; weight: number }) => [d.service, d.weight / total]));
  assert.deepEqual(share, { 'infra-backend-v1': 0.7, 'infra-backend-v2': 0.3 });
  assert.deepEqual(r.json.intent.route, { kind: 'HTTPRoute', name: 'weighted-backends', namespace: 'gateway-conformance-infra', rule: 0 });
});

test('trace predicts a redirect with its target, and 404 where no route serves the path', async () => {
  const dir = snapshot('httproute-redirect-path');
  const r = await trace(dir, '--from', 'gateway/same-namespace.gateway-conformance-infra', '--host', '192.0.2.1', '--port', '80', '--path', '/original-prefix/lemon');
  assert.equal(r.json.intent.verdict, 'redirect');
  assert.equal(r.json.intent.status, 302);
  assert.equal(r.json.intent.redirect.path, '/replacement-prefix/lemon');
  const none = await trace(dir, '--from', 'gateway/same-namespace.gateway-conformance-infra', '--host', '192.0.2.1', '--port', '80', '--path', '/nothing-here');
  assert.equal(none.json.intent.verdict, 'no-route');
  assert.equal(none.json.intent.status, 404);
  assert.equal(none.code, 1);
});

test('trace from a client pod follows a mesh route (parent Service)', async () => {
  const dir = snapshot('mesh/httproute-weight');
  const r = await trace(dir, '--from', 'pod/echo-v1-conformance-0.gateway-conformance-mesh', '--host', 'echo', '--port', '80', '--path', '/');
  assert.equal(r.json.intent.verdict, 'routed', r.stdout);
  assert.ok(r.json.intent.destinations.every((d: { namespace: string }) => d.namespace === 'gateway-conformance-mesh'));
  assert.ok(r.json.intent.destinations.length >= 2);
});
