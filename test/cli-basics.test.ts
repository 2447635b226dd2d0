// The CLI's front door, run in-process through main(): help, unknown commands, source choice, the interim summary.
// (The skeleton said live clusters were not supported; the live source has since landed in src/sources/kube.)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, type CliRun } from './support/cli.js';

/** Runs `meshscope ARGS` in-process; an exception escaping main() fails the test. */
async function run(...args: string[]): Promise<CliRun> {
  const r = await runCli(args);
  if (r.threw !== undefined) throw r.threw;
  return r;
}

const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshscope-cli-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const noStack = (s: string) => assert.doesNotMatch(s, /\n\s+at /, 'no stack trace');

test('--help lists the global flags and exits 0', async () => {
  const r = await run('--help');
  assert.equal(r.code, 0);
  for (const flag of ['--fixtures', '--context', '--namespace', '--kubeconfig', '--read-only']) assert.ok(r.stdout.includes(flag), flag);
});

test('an unknown command exits 2 with one line naming it, and no stack', async () => {
  const r = await run('frobnicate');
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  noStack(r.stderr);
});

test('a missing snapshot folder is a clear one-line error, exit 1', async () => {
  const r = await run('--fixtures', '/nonexistent/meshscope-demo');
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'meshscope: snapshot folder /nonexistent/meshscope-demo does not exist\n');
});

test('without --fixtures, the live source is used: a missing kubeconfig is one clear line naming it', async () => {
  const r = await run('--kubeconfig', '/nonexistent/meshscope-kc');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /\/nonexistent\/meshscope-kc/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  noStack(r.stderr);
});

test('--kubeconfig with --fixtures is refused rather than silently ignored', async () => {
  const root = folder({ 'a/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\n' });
  const r = await run('--fixtures', root, '--kubeconfig', '/tmp/kc');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--kubeconfig applies to live clusters.*--fixtures/);
});

test('meshscope prints contexts, namespaces, resources with key facts, and load issues; control characters stripped', async () => {
  const root = folder({
    'cluster-a/app.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {istio-injection: enabled}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demoapp, namespace: app}
spec:
  hosts: [demoapp]
  gateways: [mesh]
  http:
  - route:
    - {destination: {host: demoapp, subset: v2}, weight: 90}
    - {destination: {host: demoapp, subset: v2-canary}, weight: 10}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demoapp, namespace: app}
spec:
  host: demoapp
  subsets:
  - {name: v2, labels: {version: v2.1}}
  - {name: v2-canary, labels: {version: v2.1-canary}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: "evil\\u001b]0;pwned\\u0007gw", namespace: app}
spec:
  selector: {istio: ingressgateway}
  servers:
  - {port: {number: 80, protocol: HTTP, name: http}, hosts: [frontend.dujie.com]}
`,
    'cluster-a/broken.yaml': 'kind: Service\nmetadata: {name: x\n',
    'cluster-a/proxies/app/frontend-1/config_dump.json': '{"configs":[]}',
    'cluster-b/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: ratings, namespace: default}\nspec: {clusterIP: 10.96.0.7, ports: [{name: http, port: 9080}]}\n',
  });
  const r = await run('--fixtures', root);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^context cluster-a {2}· {2}partial \(1 file could not be fully loaded\) {2}· {2}4 objects in 1 namespace {2}· {2}1 proxy dump/m);
  assert.match(out, /^context cluster-b {2}· {2}ok {2}· {2}1 object in 1 namespace/m);
  assert.match(out, /^ {2}namespace app {2}istio-injection=enabled {2}\(1 Gateway, 1 VirtualService, 1 DestinationRule\)$/m);
  assert.match(out, /VirtualService +demoapp +hosts demoapp {2}· {2}gateways mesh {2}· {2}http\[0\] → demoapp v2 90%, demoapp v2-canary 10%/);
  assert.match(out, /DestinationRule +demoapp +host demoapp {2}· {2}subsets v2 \(version=v2\.1\), v2-canary \(version=v2\.1-canary\)/);
  assert.match(out, /Gateway +evilgw +selector istio=ingressgateway {2}· {2}80\/HTTP frontend\.dujie\.com/);
  assert.match(out, /Service +ratings +ClusterIP 10\.96\.0\.7 {2}· {2}ports http 9080\/TCP/);
  assert.match(out, /^ {4}app\/frontend-1 {2}config_dump$/m);
  assert.match(out, /error: cluster-a\/broken\.yaml:\d+, document 1: invalid YAML/);
  assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no control characters reach the terminal');
});

test('meshscope exits 1 when nothing could be loaded, still showing why', async () => {
  const root = folder({ 'only/broken.json': '{"kind": ' });
  const r = await run('--fixtures', root);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /context only {2}· {2}error \(nothing could be loaded: 1 file with errors\)/);
  assert.match(r.stdout, /error: only\/broken\.json:1: invalid JSON/);
  assert.match(r.stderr, /nothing could be loaded from /);
});

test('meshscope summary is the same printer as a subcommand, honouring --context and -n', async () => {
  const root = folder({
    'a/x.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: one}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s2, namespace: two}\n',
    'b/y.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s3, namespace: one}\n',
  });
  const r = await run('summary', '--fixtures', root, '--context', 'a', '-n', 'two');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^context a /m);
  assert.doesNotMatch(r.stdout, /context b/);
  assert.match(r.stdout, /Service +s2/);
  assert.doesNotMatch(r.stdout, /s1|s3/);
  const bad = await run('summary', '--fixtures', root, '--context', 'c');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /context c not found .*available: a, b/);
});

test('summary -o json|yaml: every context with its status, namespaces, objects with key facts, proxies and load issues', async () => {
  const root = folder({
    'cluster-a/app.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: "web\\u001b[31m", namespace: app}
spec: {clusterIP: 10.0.0.7, ports: [{name: http, port: 80}], selector: {app: web}}
`,
    'cluster-a/broken.yaml': 'kind: [\n',
  });
  const json = await run('--fixtures', root, 'summary', '-o', 'json');
  assert.equal(json.code, 0, json.stderr);
  assert.doesNotMatch(json.stdout, /\u001b/, 'no raw escape reaches the terminal');
  const doc = JSON.parse(json.stdout) as { contexts: { name: string; status: string; namespaces: { name: string; labels: Record<string, string>; objects: { kind: string; name: string; facts: string }[] }[]; loadIssues: { file?: string; message: string }[] }[] };
  assert.equal(doc.contexts.length, 1);
  const ctx = doc.contexts[0];
  assert.equal(ctx.name, 'cluster-a');
  assert.equal(ctx.status, 'partial');
  const app = ctx.namespaces.find((n) => n.name === 'app');
  assert.equal(app?.labels['istio-injection'], 'enabled');
  const svc = app?.objects.find((o) => o.kind === 'Service');
  assert.match(svc?.facts ?? '', /ClusterIP 10\.0\.0\.7 .*ports http 80\/TCP/);
  assert.ok(ctx.loadIssues.some((i) => /broken\.yaml/.test(i.file ?? '')), 'the broken file is a load issue');

  const yaml = await run('--fixtures', root, 'summary', '-o', 'yaml');
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.match(yaml.stdout, /^contexts:\n/);
  assert.match(yaml.stdout, /name: cluster-a/);
  assert.match(yaml.stdout, /facts: ClusterIP 10\.0\.0\.7/);

  const bad = await run('--fixtures', root, 'summary', '-o', 'xml');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--output must be text, json or yaml, not "xml"/);
});

test('every broken file counts once (manifests, config dumps, clusters.json), and the tree names each one with its line', async () => {
  const root = folder({
    'cluster-a/ok.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: app}\nspec: {clusterIP: 10.0.0.7}\n',
    'cluster-a/one.yaml': 'kind: Service\nmetadata: {name: x, namespace: app\n',
    'cluster-a/two.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: y\n  namespace: app\n spec: {}\n',
    'cluster-a/proxies/app/web-1/config_dump.json': '{"configs": [',
    'cluster-a/proxies/app/web-2/config_dump.json': '{"configs":[]}',
    'cluster-a/proxies/app/web-2/clusters.json': 'garbage{',
  });
  const summary = await run('--fixtures', root, 'summary');
  assert.match(summary.stdout, /^context cluster-a {2}· {2}partial \(4 files could not be fully loaded\)/m);
  const tree = await run('--fixtures', root, 'tree');
  const contextLine = tree.stdout.split('\n').find((l) => l.startsWith('cluster-a')) ?? '';
  for (const file of ['one.yaml:3', 'two.yaml:6', 'web-1/config_dump.json', 'web-2/clusters.json']) {
    assert.ok(contextLine.includes(`cluster-a/${file.includes('web') ? `proxies/app/${file}` : file}`), `the context's problems name ${file}: ${contextLine}`);
  }
});
