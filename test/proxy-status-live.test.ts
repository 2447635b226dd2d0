// `meshscope proxy-status` against the HTTPS test API server (real client-node, istiod's debug endpoints through the
// Service proxy subresource): the istiod named after its pod, -o json|yaml, -n, several replicas, errors, --fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { k8s } from '../src/sources/kube/index.js';
import { requireCorpus } from './support/paths.js';
import { typeOfKind } from './support/apiserver/store.js';

const repoRoot = resolve(import.meta.dirname, '..');
const CONF = resolve(repoRoot, '../shared/conformance/istio');
const DUMP = join(CONF, 'proxy-status/diff/configdump.json');
const SEED = join(import.meta.dirname, 'support/apiserver/seed');
const CLI = join(import.meta.dirname, 'support/apiserver/cli.ts');
requireCorpus(DUMP, 'the config dump the test istiod serves');
let clusters: TestClusters;

const istiodPod = (name: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'istio-system', labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery' }] }, status: { phase: 'Running' },
});

before(async () => {
  await k8s();
  clusters = await startTestClusters({
    a: {
      seedDir: join(SEED, 'a'),
      seed: [istiodPod('istiod-5d8f7c-x1')] as never,
      proxies: { 'app/demoapp-v2-a0': { configDumpFile: DUMP }, 'istio-system/istio-ingressgateway-6d9f7c-a1': { configDumpFile: DUMP } },
    },
  });
});
after(async () => { await clusters?.close(); });

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args, ...(clusters ? ['--kubeconfig', clusters.kubeconfig] : [])], { cwd: repoRoot }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}

test('table, -n, -o json and -o yaml: the istiod is named after its pod, as istioctl shows it', async () => {
  const [table, ns, json, yaml] = await Promise.all([
    run('proxy-status', '--context', 'a'),
    run('proxy-status', '--context', 'a', '-n', 'istio-system'),
    run('proxy-status', '--context', 'a', '-o', 'json'),
    run('ps', '--context', 'a', '-o', 'yaml'),
  ]);
  for (const r of [table, ns, json, yaml]) assert.equal(r.code, 0, r.err);
  assert.equal(table.err, '');
  assert.deepEqual(table.out.split('\n').map((l) => l.split(/ {2,}/)), [
    ['NAME', 'CLUSTER', 'ISTIOD', 'VERSION', 'SUBSCRIBED TYPES'],
    ['demoapp-v2-a0.app', 'a', 'istiod-5d8f7c-x1', '1.22.0', '4 (CDS,LDS,EDS,RDS)'],
    ['istio-ingressgateway-6d9f7c-a1.istio-system', 'a', 'istiod-5d8f7c-x1', '1.22.0', '4 (CDS,LDS,EDS,RDS)'],
    [''],
  ]);
  assert.deepEqual(ns.out.split('\n').slice(1, -1).map((l) => l.split(' ')[0]), ['istio-ingressgateway-6d9f7c-a1.istio-system']);
  const doc = JSON.parse(json.out);
  assert.equal(JSON.parse(doc.controlPlane.identifier).ID, 'istiod-5d8f7c-x1');
  assert.deepEqual(doc.resources.map((c: { node: { id: string } }) => c.node.id), ['demoapp-v2-a0.app', 'istio-ingressgateway-6d9f7c-a1.istio-system']);
  assert.match(json.out, /^ {16}"metadata": \{\n {24}"CLUSTER_ID": "a",$/m, 'jsonpb layout (4 spaces, Struct one level deeper)');
  assert.deepEqual(parseYaml(yaml.out), doc);
});

test('several istiod replicas behind the Service: named after the Service, and said on stderr', async () => {
  const podType = typeOfKind('Pod')!;
  clusters.servers.a.store.write(podType, istiodPod('istiod-5d8f7c-x2') as never);
  try {
    const r = await run('proxy-status', '--context', 'a');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^demoapp-v2-a0\.app +a +istiod\.istio-system +1\.22\.0 /m);
    assert.match(r.err, /context a: 2 istiod replicas; the istiod Service reached one of them/);
  } finally {
    clusters.servers.a.store.delete(podType, 'istio-system', 'istiod-5d8f7c-x2');
  }
});

test('errors: istiod unreachable names the context and exits 1; bad -o is a usage error; --fixtures needs a live istiod', async () => {
  clusters.servers.a.faults.push({ resource: 'services/proxy', status: 403 });
  try {
    const r = await run('proxy-status', '--context', 'a');
    assert.equal(r.code, 1);
    assert.match(r.err, /^meshscope: context a: istiod: forbidden: cannot get services\/proxy/m);
    assert.equal(r.out, 'NAME     CLUSTER     ISTIOD     VERSION     SUBSCRIBED TYPES\n');
  } finally {
    clusters.servers.a.faults.length = 0;
  }
  const [bad, fixtures] = await Promise.all([
    run('proxy-status', '--context', 'a', '-o', 'xml'),
    run('proxy-status', '--fixtures', join(repoRoot, 'fixtures/demo')),
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /-o xml: use table, json or yaml/);
  assert.equal(fixtures.code, 1);
  assert.match(fixtures.err, /proxy-status needs a live istiod/);
  assert.doesNotMatch(fixtures.err, /\n\s+at /, 'no stack trace');
});

test('a 403 on a debug fetch names the context, what was fetched and who refused it', async () => {
  const faults = clusters.servers.a.faults;
  try {
    // The API server's RBAC refuses istiod's config_dump (a Kubernetes Status).
    faults.push({ path: '/proxy/debug/config_dump', status: 403 });
    let r = await run('proxy-status', 'demoapp-v2-a0.app', '--context', 'a');
    assert.equal(r.code, 1);
    assert.equal(r.err, 'meshscope: context a: istiod: forbidden: cannot get services/proxy "istiod" in namespace istio-system (GET /debug/config_dump?proxyID=demoapp-v2-a0.app)\n');
    // istiod itself refuses /debug/syncz: its own answer, not the API server's RBAC.
    faults.length = 0;
    faults.push({ path: '/proxy/debug/syncz', status: 403, text: 'debug endpoint requires authentication\n' });
    r = await run('proxy-status', '--context', 'a');
    assert.equal(r.code, 1);
    assert.equal(r.err, 'meshscope: context a: istiod: istiod answered 403: debug endpoint requires authentication (GET /debug/syncz)\n');
    // istiod's pods cannot be listed: the table still comes, named after the Service, with the reason on stderr.
    faults.length = 0;
    faults.push({ verb: 'list', resource: 'pods', namespace: 'istio-system', status: 403 });
    r = await run('proxy-status', '--context', 'a');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^demoapp-v2-a0\.app +a +istiod\.istio-system /m);
    assert.equal(r.err, 'meshscope: warning: context a, Service istio-system/istiod: istiod pods (app=istiod) not listed: forbidden: cannot list pods in namespace istio-system; istiod is named after its Service\n');
  } finally {
    faults.length = 0;
  }
});

test('POD.NS: Match lines, and -o json with the per-type states', async () => {
  const [text, json] = await Promise.all([
    run('proxy-status', 'demoapp-v2-a0.app', '--context', 'a'),
    run('proxy-status', 'demoapp-v2-a0.app', '--context', 'a', '-o', 'json'),
  ]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Clusters Match\nListeners Match\nRoutes Match \(RDS last loaded at \w{3}, \d\d \w{3} \d{4} [\d:]{8} \S+\)\n$/);
  assert.deepEqual(JSON.parse(json.out), { context: 'a', proxy: 'demoapp-v2-a0.app', CDS: 'SYNCED', LDS: 'SYNCED', EDS: 'NOT SENT', RDS: 'SYNCED' });
});
