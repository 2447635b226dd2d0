// `meshscope authz check` against istioctl's golden, and `meshscope authz build` end to end (files, flags, errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CONFORMANCE } from './support/paths.js';
import { runCli } from './support/cli.js';

const AUTHZ = join(CONFORMANCE, 'authz');
const BUILDER = join(CONFORMANCE, 'authz-builder');

/** The expected `x authz check` output, as MANIFEST.md gives it (the golden of istioctl's authz test). */
function manifestGolden(): string {
  const manifest = readFileSync(join(CONFORMANCE, 'MANIFEST.md'), 'utf8');
  const row = manifest.split('\n').find((l) => l.includes('`authz/configdump.yaml`'));
  assert.ok(row, 'MANIFEST.md lists authz/configdump.yaml');
  const m = /must print exactly:\\n(.*?) ; /.exec(row);
  assert.ok(m, 'the row carries the expected output');
  return `${m[1]!.split('\\n').join('\n')}\n`;
}

test('authz check -f: byte-exact as istioctl x authz check', async () => {
  const r = await runCli(['authz', 'check', '-f', join(AUTHZ, 'configdump.yaml')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, manifestGolden());
});

test('authz check: a file that is not a config dump is a one-line error naming it', async () => {
  const r = await runCli(['authz', 'check', '-f', join(BUILDER, 'cases.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cases\.json: not an Envoy config dump/);
  assert.equal(r.stdout, '');
});

test('authz build: policy files + workload flags → one filter per YAML document, as the golden', async () => {
  const r = await runCli(['authz', 'build', join(BUILDER, 'testdata/http/dry-run-allow-and-deny-in.yaml'), '--workload-namespace', 'foo', '--workload-labels', 'app=httpbin,version=v1']);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
  assert.deepEqual(docs, ['out1', 'out2'].map((n) => parse(readFileSync(join(BUILDER, `testdata/http/dry-run-allow-and-deny-${n}.yaml`), 'utf8'))));
});

test('authz build: labels that the selector does not match build nothing; --tcp -o json', async () => {
  const none = await runCli(['authz', 'build', join(BUILDER, 'testdata/http/single-policy-in.yaml'), '--workload-namespace', 'foo', '--workload-labels', 'app=other']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, '');
  const tcp = await runCli(['authz', 'build', join(BUILDER, 'testdata/tcp/allow-only-http-in.yaml'), '--workload-namespace', 'foo', '--tcp', '-o', 'json']);
  assert.equal(tcp.code, 0, tcp.stderr);
  assert.deepEqual(JSON.parse(tcp.stdout), [parse(readFileSync(join(BUILDER, 'testdata/tcp/allow-only-http-out.yaml'), 'utf8'))]);
  assert.match(tcp.stderr, /rule\[0\]: skipped rule: ":method" is HTTP only/);
});

test('authz build: CUSTOM with --mesh-config and --service resolves the provider', async () => {
  const cases = JSON.parse(readFileSync(join(BUILDER, 'cases.json'), 'utf8'));
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-authz-'));
  try {
    const mesh = join(dir, 'mesh.yaml');
    writeFileSync(mesh, JSON.stringify(cases.mesh_configs.meshConfigGRPC));
    const r = await runCli(['authz', 'build', join(BUILDER, 'testdata/http/custom-simple-http-in.yaml'), '--workload-namespace', 'foo', '--workload-labels', 'app=httpbin,version=v1', '--mesh-config', mesh, '--service', 'foo/my-custom-ext-authz.foo.svc.cluster.local']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseAllDocuments(r.stdout).map((d) => d.toJS()), ['out1', 'out2'].map((n) => parse(readFileSync(join(BUILDER, `testdata/http/custom-grpc-provider-${n}.yaml`), 'utf8'))));
    const missing = await runCli(['authz', 'build', join(BUILDER, 'testdata/http/custom-simple-http-in.yaml'), '--workload-namespace', 'foo', '--workload-labels', 'app=httpbin,version=v1', '--mesh-config', mesh]);
    assert.equal(missing.code, 0);
    assert.match(missing.stderr, /could not find service/);
    assert.match(missing.stdout, /deny-due-to-bad-CUSTOM-action/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('authz build: usage errors exit 2', async () => {
  assert.equal((await runCli(['authz', 'build', join(BUILDER, 'testdata/http/single-policy-in.yaml')])).code, 2);
  assert.equal((await runCli(['authz', 'build', join(BUILDER, 'testdata/http/single-policy-in.yaml'), '--workload-namespace', 'foo', '--workload-labels', 'novalue'])).code, 2);
  assert.equal((await runCli(['authz', 'build', join(BUILDER, 'testdata/http/single-policy-in.yaml'), '--workload-namespace', 'foo', '-o', 'xml'])).code, 2);
});

test('authz build and check with --fixtures: a demo pod, its context\'s policies, and the filters its dump runs', async () => {
  const { repoRoot } = await import('./support/paths.js');
  const fixtures = join(repoRoot, 'fixtures/demo');
  const built = await runCli(['--fixtures', fixtures, '--context', 'cluster-a', 'authz', 'build', 'productpage-v1-7bbd79f8fd-k6j79.default', '-o', 'json']);
  assert.equal(built.code, 0, built.stderr);
  const filters = JSON.parse(built.stdout) as { name: string; typedConfig: { rules?: { action?: string; policies?: Record<string, unknown> } } }[];
  assert.deepEqual(filters.map((f) => [f.name, f.typedConfig.rules?.action, Object.keys(f.typedConfig.rules?.policies ?? {})]), [
    ['envoy.filters.http.rbac', 'DENY', ['ns[default]-policy[deny-app-api]-rule[0]']],
  ]);
  const check = await runCli(['--fixtures', fixtures, '--context', 'cluster-a', 'authz', 'check', 'productpage-v1-7bbd79f8fd-k6j79.default']);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(check.stdout, 'ACTION   AuthorizationPolicy    RULES\nDENY     deny-app-api.default   1\n');
  const missing = await runCli(['--fixtures', fixtures, '--context', 'cluster-a', 'authz', 'check', 'nosuchpod.default']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no Envoy config dump for pod nosuchpod\.default/);
});
