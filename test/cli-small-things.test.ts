// Small CLI behaviours: analyze -o yaml; weights set with a total other than 100 suggests --rebalance;
// trace takes -n for a bare --from POD and finds the context of a pod unique across the loaded contexts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'yaml';
import { runCli } from './support/cli.js';
import { demoCopy, repoRoot } from './ui-demo-support.js';

const demo = join(repoRoot, 'fixtures/demo');

test('analyze -o yaml: the same findings as -o json, as YAML; exit code unchanged', async () => {
  const j = await runCli(['analyze', '--fixtures', demo, '-o', 'json']);
  const y = await runCli(['analyze', '--fixtures', demo, '-o', 'yaml']);
  assert.equal(y.code, j.code);
  assert.deepEqual(yaml.parse(y.stdout), JSON.parse(j.stdout));
  assert.ok((yaml.parse(y.stdout) as unknown[]).length >= 5);
});

test('weights set naming one destination of two: refused with the --rebalance hint, nothing written', async () => {
  const dir = demoCopy();
  const file = join(dir, 'cluster-a/app/demoapp.yaml');
  const before = readFileSync(file, 'utf8');
  const r = await runCli(['weights', 'set', 'demoapp', '-n', 'app', '--context', 'cluster-a', '--fixtures', dir, 'v2-canary=0', '--yes']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /weights add up to 90, not 100 \(name every destination, or add --rebalance/);
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('trace -n default --from POD without --context: the namespace is taken and the pod\'s only context is used', async () => {
  const r = await runCli(['--fixtures', demo, 'trace', '-n', 'default', '--from', 'productpage-v1-7bbd79f8fd-k6j79', '--host', 'reviews', '--header', 'end-user=jason']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /from pod default\/productpage-v1-7bbd79f8fd-k6j79 in cluster-a/);
  const app = await runCli(['--fixtures', demo, 'trace', '-n', 'app', '--from', 'client-d44cdc4b7-9dl8s', '--host', 'demoapp']);
  assert.match(app.stdout, /from pod app\/client-d44cdc4b7-9dl8s in cluster-a/, app.stderr);
});
