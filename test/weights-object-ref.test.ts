// `weights get|set NS/NAME`: the object as meshscope prints it is accepted; -n must agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli.js';
import { demoCopy, repoRoot } from './ui-demo-support.js';

const demo = join(repoRoot, 'fixtures/demo');

test('weights get app/demoapp finds the VirtualService in namespace app, as -n app would', async () => {
  const r = await runCli(['weights', 'get', 'app/demoapp', '--fixtures', demo]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cluster-a {2}app\/demoapp /m);
  assert.match(r.stdout, /demoapp v2 +90 /);
  const vs = await runCli(['weights', 'get', 'virtualservice/demoapp', '-n', 'app', '--fixtures', demo]);
  assert.equal(vs.code, 0, vs.stderr);
  assert.equal(vs.stdout, r.stdout);
});

test('weights set app/demoapp writes the same edit as -n app; a contradicting -n is a usage error and writes nothing', async () => {
  const dir = demoCopy();
  const file = join(dir, 'cluster-a/app/demoapp.yaml');
  const before = readFileSync(file, 'utf8');
  const bad = await runCli(['weights', 'set', 'app/demoapp', '-n', 'default', '--fixtures', dir, 'v2=80', 'v2-canary=20', '--yes']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /app\/demoapp is in namespace app, but -n says default/);
  assert.equal(readFileSync(file, 'utf8'), before);
  const ok = await runCli(['weights', 'set', 'app/demoapp', '--fixtures', dir, 'v2=80', 'v2-canary=20', '--yes', '--audit-log', join(dir, 'audit.log')]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(readFileSync(file, 'utf8'), /weight: 20/);
});
