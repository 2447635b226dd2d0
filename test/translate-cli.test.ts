// `meshscope translate`: istiod's generated config for Gateway API manifests, as YAML (byte for byte as istiod's
// translation goldens where the case needs no harness objects beyond the registry) or JSON.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { TRANSLATION_DIR, readCases } from './support/gateway-api-harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'meshscope-translate-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const registry = join(tmp, 'registry.json');
writeFileSync(registry, JSON.stringify(readCases().harness.service_registry));

const input = (name: string) => join(TRANSLATION_DIR, 'testdata', `${name}.yaml`);
const golden = (name: string) => readFileSync(join(TRANSLATION_DIR, 'testdata', `${name}.yaml.golden`), 'utf8');

for (const name of [
  'weighted', 'http', 'grpc', 'mesh', 'tls', 'zero', 'listenerset', 'listenerset-hostname-conflict', 'listenerset-protocol-conflict',
  'backend-lb-policy', 'backend-traffic-policy-ignored', 'mix-backend-policy', 'xbackend',
]) {
  test(`translate ${name}.yaml prints istiod's golden byte for byte`, async () => {
    const r = await runCli(['translate', input(name), '--domain-suffix', 'domain.suffix', '--registry', registry]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, golden(name));
  });
}

test('translate -o json prints a List of networking.istio.io/v1 objects with the parents annotation', async () => {
  const r = await runCli(['translate', input('weighted'), '--domain-suffix', 'domain.suffix', '--registry', registry, '-o', 'json']);
  assert.equal(r.code, 0);
  const list = JSON.parse(r.stdout);
  assert.equal(list.kind, 'List');
  const kinds = list.items.map((i: { kind: string }) => i.kind);
  assert.deepEqual(kinds, [...kinds].sort((a: string, b: string) => (a === b ? 0 : a === 'Gateway' ? -1 : 1)));
  for (const i of list.items) {
    assert.equal(i.apiVersion, 'networking.istio.io/v1');
    assert.ok(i.metadata.annotations['internal.istio.io/parents']);
  }
});

test('translate with no Gateway API objects prints nothing', async () => {
  const f = join(tmp, 'svc.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: default}\nspec: {ports: [{port: 80}]}\n');
  const r = await runCli(['translate', f]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
});

test('translate refuses a bad format, a bad registry file and FILE with --fixtures, naming what is wrong', async () => {
  const bad = await runCli(['translate', input('weighted'), '-o', 'xml']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--output must be yaml or json/);
  const reg = join(tmp, 'bad.json');
  writeFileSync(reg, '{"items": [{"namespace": "x"}]}');
  const r = await runCli(['translate', input('weighted'), '--registry', reg]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--registry .*bad\.json: entry 1 has no hostname/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
  const missing = await runCli(['translate', input('weighted'), '--registry', join(tmp, 'nope.json')]);
  assert.match(missing.stderr, /--registry .*nope\.json: cannot read the file \(ENOENT\)/);
  const both = await runCli(['--fixtures', tmp, 'translate', input('weighted')]);
  assert.equal(both.code, 2);
});

test('translate --status prints the computed route status beside the one the object holds, marking differences', async () => {
  const f = join(tmp, 'status.yaml');
  writeFileSync(f, `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  rules: [{backendRefs: [{name: gone, port: 80}]}]
status:
  parents:
  - parentRef: {name: gw, namespace: infra}
    controllerName: istio.io/gateway-controller
    conditions:
    - {type: Accepted, status: "True", reason: Accepted, message: Route was valid}
    - {type: ResolvedRefs, status: "True", reason: ResolvedRefs, message: All references resolved}
`);
  const r = await runCli(['translate', f, '--status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^HTTPRoute app\/r {2}parent Gateway infra\/gw {2}≠ the status the object holds$/m);
  assert.match(r.stdout, /computed: Accepted=True, ResolvedRefs=False \(BackendNotFound: backend\(gone\.app\.svc\.cluster\.local\) not found\)/);
  assert.match(r.stdout, /object: {3}Accepted=True, ResolvedRefs=True/);
  const j = await runCli(['translate', f, '--status', '-o', 'json']);
  const rows = JSON.parse(j.stdout);
  assert.equal(rows[0].differs, true);
  assert.equal(rows[0].computed[1].reason, 'BackendNotFound');
});
