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

for (const name of ['weighted', 'http', 'grpc', 'mesh', 'tls', 'zero', 'listenerset']) {
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
