// `meshscope pc` on the demo snapshot folder: routes with the VIRTUAL SERVICE column, demoapp subset clusters, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcOutput } from '../src/cli/pc.js';
import { UserError } from '../src/core/errors.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(repoRoot, 'fixtures/demo');
const appProxies = join(demo, 'cluster-a/proxies/app');
const frontends = readdirSync(appProxies).filter((p) => p.startsWith('frontend-')).sort();

/** Runs the pc command in-process; `code` is 0, or the UserError's exit code with its message in `err`. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [, view, pod] = args;
  const opt = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const podArg = pod && !pod.startsWith('-') ? pod : undefined;
  try {
    const out = await pcOutput(view, podArg, { fqdn: opt('--fqdn'), cluster: opt('--cluster') }, { fixtures: opt('--fixtures'), kubeconfig: opt('--kubeconfig'), context: opt('--context') ? [opt('--context') as string] : [] });
    return { code: 0, out, err: '' };
  } catch (e) {
    if (e instanceof UserError) return { code: e.exitCode, out: '', err: e.message };
    throw e;
  }
}

test('demo: pc routes of a frontend pod fills VIRTUAL SERVICE for demoapp', async () => {
  const r = await run('pc', 'routes', `${frontends[0]}.app`, '--fixtures', demo, '--context', 'cluster-a');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^NAME\s+VHOST NAME\s+DOMAINS\s+MATCH\s+VIRTUAL SERVICE$/);
  const demoapp = lines.find((l) => l.includes('demoapp.app.svc.cluster.local:'));
  assert.ok(demoapp, r.out);
  assert.match(demoapp, /\sdemoapp\.app$/);
});

test('demo: pc clusters shows demoapp v2 and v2-canary subsets', async () => {
  const r = await run('proxy-config', 'clusters', `${frontends[0]}.app`, '--fixtures', demo, '--context', 'cluster-a', '--fqdn', 'demoapp');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^demoapp\.app\.svc\.cluster\.local\s+\d+\s+v2\s+outbound\s+EDS\s+demoapp\.app$/m);
  assert.match(r.out, /^demoapp\.app\.svc\.cluster\.local\s+\d+\s+v2-canary\s+outbound\s+EDS\s+demoapp\.app$/m);
});

test('demo: pod lookup errors name the context and list pods; without --context the one context holding the pod is read', async () => {
  const missing = await run('pc', 'c', 'nope.app', '--fixtures', demo, '--context', 'cluster-a');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no Envoy dump for pod nope\.app in context cluster-a \(pods with dumps: .*frontend-/);
  const ambiguous = await run('pc', 'c', 'x', '--fixtures', demo);
  assert.match(ambiguous.err, /no context of snapshot folder .* has pod x\.default \(contexts: cluster-a, cluster-b\)/);
  const unique = await run('pc', 'c', 'reviews-v2-65c4dc6fdc-bq7xh.default', '--fixtures', demo);
  assert.equal(unique.code, 0, unique.err);
  assert.match(unique.out, /^SERVICE FQDN\s+PORT/m);
  const live = await run('pc', 'c', 'x', '--kubeconfig', '/nonexistent/kubeconfig');
  assert.equal(live.code, 1);
  assert.match(live.err, /pod x\.default: kubeconfig \/nonexistent\/kubeconfig: file not found/);
  assert.ok(!/\n\s+at /.test(missing.err + ambiguous.err + live.err), 'no stack traces');
});

test('demo: endpoint view reads clusters.json of the pod', async () => {
  const r = await run('pc', 'endpoints', `${frontends[0]}.app`, '--fixtures', demo, '--context', 'cluster-a', '--cluster', 'outbound|8080|v2|demoapp.app.svc.cluster.local');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ENDPOINT\s+STATUS\s+OUTLIER CHECK\s+CLUSTER$/m);
  assert.match(r.out, /outbound\|8080\|v2\|demoapp\.app\.svc\.cluster\.local$/m);
});

test('pc without --context: a pod whose dumps are in several contexts asks for one, naming them', async () => {
  const root = mkdtempSync(join(tmpdir(), 'meshscope-pc-'));
  try {
    for (const ctx of ['east', 'west']) {
      mkdirSync(join(root, ctx, 'proxies/app/web-1'), { recursive: true });
      writeFileSync(join(root, ctx, 'proxies/app/web-1/config_dump.json'), '{"configs":[]}');
    }
    const r = await run('pc', 'c', 'web-1.app', '--fixtures', root);
    assert.equal(r.code, 1);
    assert.match(r.err, /pod web-1\.app is in several contexts of snapshot folder .* \(east, west\): choose one with --context/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
