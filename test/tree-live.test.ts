// `meshscope tree` / `analyze` on live contexts that fail or load in part (exit codes and stderr), against the test
// API servers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { k8s } from '../src/sources/kube/index.js';

const repoRoot = resolve(import.meta.dirname, '..');
const SEED = join(import.meta.dirname, 'support/apiserver/seed');
const CLI = join(import.meta.dirname, 'support/apiserver/cli.ts');
let clusters: TestClusters;

before(async () => {
  await k8s();
  clusters = await startTestClusters({
    a: { seedDir: join(SEED, 'a') },
    b: { seedDir: join(SEED, 'b') },
  }, { tokens: { b: 'not-a-valid-token' } });
});
after(async () => { await clusters.close(); });

function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, '--kubeconfig', clusters.kubeconfig, '--request-timeout', '5s', ...args],
      { cwd: repoRoot, maxBuffer: 64 << 20 }, (error, out, err) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
      });
  });
}

test('tree and analyze exit 1 when the only context failed, naming it and why', async () => {
  const [tree, analyze] = await Promise.all([run('tree', '--context', 'b'), run('analyze', '--context', 'b')]);
  assert.equal(tree.code, 1, tree.out);
  assert.match(tree.err, /nothing loaded: context b: unauthorized/);
  assert.equal(tree.out, '');
  assert.equal(analyze.code, 1);
  assert.match(analyze.err, /nothing to analyze: context b: unauthorized/);
});

test('one of two contexts failed: exit 0, the other is shown, a warning names the failed one and why', async () => {
  const [tree, json] = await Promise.all([run('tree', '--context', 'a,b'), run('tree', '--context', 'a,b', '-o', 'json')]);
  assert.equal(tree.code, 0, tree.err);
  assert.match(tree.out, /demoapp/);
  assert.match(tree.err, /^meshscope: warning: context b not loaded: unauthorized.*; showing the other contexts$/m);
  assert.doesNotMatch(tree.err, /context a (not|partially) loaded/);
  assert.equal(json.code, 0, json.err);
  const doc = JSON.parse(json.out) as { contexts: { name: string; status: string }[] };
  assert.deepEqual(doc.contexts.map((c) => [c.name, c.status]), [['a', 'ok'], ['b', 'error']]);
});

test('a partial context (403 on one kind): exit 0 with a warning naming the context and the reason', async () => {
  clusters.servers.a.faults.push({ resource: 'destinationrules', verb: 'list', status: 403 });
  try {
    const r = await run('tree', '--context', 'a');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^meshscope: warning: context a partially loaded: forbidden: cannot list destinationrules\.networking\.istio\.io.*; showing what loaded$/m);
    assert.match(r.out, /demoapp/);
  } finally {
    clusters.servers.a.faults.length = 0;
  }
});
