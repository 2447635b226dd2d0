// The one reach past client-node's declared API (src/sources/kube/client-node-adapter.ts) still finds what it uses:
// this fails loudly, naming what changed, when @kubernetes/client-node is upgraded or changes its Configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { k8s } from '../src/sources/kube/index.js';
import { clientNodeShapeProblem } from '../src/sources/kube/client-node-adapter.js';

test('client-node is 1.x and its Configuration still has middleware and httpApi.send', async () => {
  const require = createRequire(import.meta.url);
  const pkg = JSON.parse(readFileSync(require.resolve('@kubernetes/client-node/package.json'), 'utf8')) as { version: string };
  assert.match(pkg.version, /^1\./, `client-node ${pkg.version}: the adapter was written for 1.x (re-check client-node-adapter.ts)`);
  assert.equal(clientNodeShapeProblem(await k8s()), undefined);
});
