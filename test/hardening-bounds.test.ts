// Bounds: a config dump (or manifest file) over the size cap, and a list or snapshot context of more objects than the
// object cap, are refused with a message naming the file / pod / kind and the cap, instead of being parsed.
// The defaults (512 MiB, 1,000,000 objects) are too big for a test: the caps are set small through the same flags,
// environment variables and options a user would use.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_DUMP_BYTES, DEFAULT_MAX_OBJECTS, parseSize, resolveLimits } from '../src/sources/limits.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { listAll, MAX_LIST_OBJECTS } from '../src/sources/kube/list.js';
import { KubeRequestError } from '../src/sources/kube/errors.js';
import { DEFAULT_DUMP_CAP } from '../src/sources/envoy-admin.js';
import type { KubeClient } from '../src/sources/kube/client.js';
import type { LiveKind } from '../src/sources/kube/kinds.js';
import { demoDir, repoRoot } from './support/hostile.js';
import { runCli } from './support/cli.js';
import { CORPUS_ROOT, requireCorpus } from './support/paths.js';

requireCorpus(CORPUS_ROOT, 'the real config dumps the size caps are checked on');

const CORPUS = resolve(repoRoot, '../shared/conformance/istio');
const DUMP = join(CORPUS, 'proxy-config/all/config_dump.json'); // 56 KB
let dir: string;
const saved = { size: process.env.MESHSCOPE_MAX_DUMP_SIZE, objects: process.env.MESHSCOPE_MAX_OBJECTS };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshscope-bounds-'));
  const ctx = join(dir, 'c1');
  mkdirSync(join(ctx, 'proxies', 'default', 'big-pod'), { recursive: true });
  mkdirSync(join(ctx, 'proxies', 'default', 'small-pod'), { recursive: true });
  cpSync(DUMP, join(ctx, 'proxies', 'default', 'big-pod', 'config_dump.json'));
  writeFileSync(join(ctx, 'proxies', 'default', 'small-pod', 'config_dump.json'), JSON.stringify({ configs: [] }));
  writeFileSync(join(ctx, 'mesh.yaml'), Array.from({ length: 12 }, (_, i) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: default}\nspec: {ports: [{port: 80, name: http}]}\n`).join('---\n'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of [['MESHSCOPE_MAX_DUMP_SIZE', saved.size], ['MESHSCOPE_MAX_OBJECTS', saved.objects]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the caps are one shared setting', () => {
  test('defaults: 512 MiB and 1,000,000 objects, used by the live pager and the Envoy admin reader', () => {
    assert.equal(DEFAULT_MAX_DUMP_BYTES, 512 * 1024 * 1024);
    assert.equal(DEFAULT_MAX_OBJECTS, 1_000_000);
    assert.deepEqual(resolveLimits({}, {}), { maxDumpBytes: DEFAULT_MAX_DUMP_BYTES, maxObjects: DEFAULT_MAX_OBJECTS });
    assert.equal(DEFAULT_DUMP_CAP, DEFAULT_MAX_DUMP_BYTES);
    assert.equal(MAX_LIST_OBJECTS, DEFAULT_MAX_OBJECTS);
  });

  test('flags win over the environment; sizes take units', () => {
    assert.equal(parseSize('512Mi'), DEFAULT_MAX_DUMP_BYTES);
    assert.equal(parseSize('1k'), 1000);
    assert.equal(parseSize('2KiB'), 2048);
    assert.equal(parseSize('1G'), 1e9);
    const env = { MESHSCOPE_MAX_DUMP_SIZE: '1Mi', MESHSCOPE_MAX_OBJECTS: '7' };
    assert.deepEqual(resolveLimits({}, env), { maxDumpBytes: 1024 * 1024, maxObjects: 7 });
    assert.deepEqual(resolveLimits({ maxDumpSize: '10k', maxObjects: '3' }, env), { maxDumpBytes: 10_000, maxObjects: 3 });
  });

  test('a bad --max-dump-size or --max-objects is a usage error (exit 2, one line)', async () => {
    for (const args of [['--max-dump-size', 'lots'], ['--max-dump-size', '0'], ['--max-objects', '-3'], ['--max-objects', '1.5']]) {
      const r = await runCli(['--fixtures', dir, ...args, 'summary']);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.match(r.stderr, new RegExp(args[0]!));
    }
  });
});

describe('a config dump over the size cap is refused, not parsed', () => {
  test('snapshot loader: the issue names the file, the pod and the cap; the rest loads (status partial)', async () => {
    const mesh = await loadSnapshotFolder(dir, { limits: { maxDumpBytes: 10_000, maxObjects: DEFAULT_MAX_OBJECTS } });
    const c = mesh.contexts[0]!;
    assert.equal(c.status, 'partial');
    assert.equal(c.objects.length, 12);
    const big = c.proxies.find((p) => p.pod === 'big-pod')!;
    assert.equal(big.configDump, undefined, 'not parsed');
    assert.match(big.error!, /^config_dump\.json of pod default\/big-pod is \d+ bytes, over the 10000 bytes size cap/);
    assert.match(big.error!, /over the 10000 bytes size cap, refused \(not parsed/);
    const issue = c.issues.find((i) => i.file === 'c1/proxies/default/big-pod/config_dump.json')!;
    assert.ok(issue, 'a located issue');
    assert.ok(c.proxies.find((p) => p.pod === 'small-pod')!.configDump, 'the small dump still loads');
  });

  test('summary with --max-dump-size shows the refusal; MESHSCOPE_MAX_DUMP_SIZE does the same', async () => {
    const r = await runCli(['--fixtures', dir, '--max-dump-size', '10k', 'summary']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /default\/big-pod\s+unreadable: config_dump\.json of pod default\/big-pod is .* over the 10000 bytes size cap, refused \(not parsed/);
    process.env.MESHSCOPE_MAX_DUMP_SIZE = '10k';
    try {
      const e = await runCli(['--fixtures', dir, 'summary']);
      assert.match(e.stdout, /over the 10000 bytes size cap/);
    } finally {
      delete process.env.MESHSCOPE_MAX_DUMP_SIZE;
    }
    const ok = await runCli(['--fixtures', dir, 'summary']);
    assert.doesNotMatch(ok.stdout, /size cap/);
  });

  test('pc on a snapshot pod and pc -f FILE: exit 1 with a message naming the file or pod and the cap', async () => {
    const a = await runCli(['--fixtures', dir, '--max-dump-size', '10k', 'pc', 'cluster', 'big-pod.default']);
    assert.equal(a.code, 1);
    assert.equal(a.stdout, '');
    assert.match(a.stderr, /config_dump\.json of pod default\/big-pod is .* over the 10000 bytes size cap, refused \(not parsed/);
    const f = await runCli(['--max-dump-size', '10k', 'pc', 'cluster', '-f', DUMP]);
    assert.equal(f.code, 1);
    assert.ok(f.stderr.includes(`${DUMP} is `) && /over the 10000 bytes size cap/.test(f.stderr), f.stderr);
    const fine = await runCli(['pc', 'cluster', '-f', DUMP]);
    assert.equal(fine.code, 0, fine.stderr);
  });

  test('a manifest file over the cap is refused with its name too', async () => {
    const mesh = await loadSnapshotFolder(dir, { limits: { maxDumpBytes: 100, maxObjects: DEFAULT_MAX_OBJECTS } });
    const issue = mesh.contexts[0]!.issues.find((i) => i.file === 'c1/mesh.yaml');
    assert.match(issue!.message, /file c1\/mesh\.yaml is \d+ bytes, over the 100 bytes size cap/);
  });
});

describe('more objects than the object cap are refused', () => {
  test('snapshot: a context over --max-objects is not loaded, and says why', async () => {
    const mesh = await loadSnapshotFolder(dir, { limits: { maxDumpBytes: DEFAULT_MAX_DUMP_BYTES, maxObjects: 5 } });
    const c = mesh.contexts[0]!;
    assert.equal(c.status, 'error');
    assert.equal(c.objects.length, 0);
    assert.match(c.reason!, /more than 5 objects in context c1: refused, not loaded/);
    const r = await runCli(['--fixtures', demoDir, '--max-objects', '5', 'summary']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /more than 5 objects in context cluster-a/);
    assert.match(r.stdout, /more than 5 objects in context cluster-b/);
    const ok = await loadSnapshotFolder(dir, { limits: { maxDumpBytes: DEFAULT_MAX_DUMP_BYTES, maxObjects: 12 } });
    assert.equal(ok.contexts[0]!.objects.length, 12, 'exactly the cap is fine');
  });

  test('live: the list pager stops before the page that would cross the cap', async () => {
    let pages = 0;
    const client = {
      async request() {
        pages++;
        return { body: { metadata: { continue: pages < 100 ? `p${pages}` : undefined }, items: Array.from({ length: 3 }, (_, i) => ({ metadata: { name: `vs-${pages}-${i}`, namespace: 'default' } })) } };
      },
    } as unknown as KubeClient;
    const kind = { kind: 'VirtualService', plural: 'virtualservices', group: 'networking.istio.io', version: 'v1', namespaced: true } as LiveKind;
    await assert.rejects(listAll(client, kind, 'default', 3, 10), (err: unknown) => {
      assert.ok(err instanceof KubeRequestError);
      assert.match(err.message, /list virtualservices in namespace default: more than 10 objects, refused \(raise it with --max-objects\)/);
      return true;
    });
    assert.equal(pages, 4, 'stopped at the 4th page (12 > 10), not after all 100');
    pages = 0;
    const r = await listAll(client, kind, 'default', 3, 1000);
    assert.equal(r.items.length, 300);
  });
});

describe('live, through the test API server', () => {
  let clusters: import('./support/apiserver/index.js').TestClusters;
  before(async () => {
    const { startTestClusters } = await import('./support/apiserver/index.js');
    const { k8s } = await import('../src/sources/kube/index.js');
    await k8s();
    clusters = await startTestClusters({
      a: { seedDir: join(import.meta.dirname, 'support/apiserver/seed/a'), proxies: { 'istio-system/istio-ingressgateway-6d9f7c-a1': { configDumpFile: DUMP } } },
    });
  });
  after(async () => { await clusters?.close(); });

  test('an Envoy admin response over the cap is cut off and refused, naming the pod and the cap', async () => {
    const { fetchProxyDump } = await import('../src/sources/envoy-admin.js');
    const d = await fetchProxyDump({ kubeconfig: clusters.kubeconfig, context: 'a' }, 'istio-system', 'istio-ingressgateway-6d9f7c-a1', { sizeCapBytes: 4096, skipClusters: true });
    assert.equal(d.configDump, undefined);
    assert.match(d.error!, /Envoy admin \/config_dump of pod istio-system\/istio-ingressgateway-6d9f7c-a1 is larger than the 4 KiB size cap, refused \(not parsed/);
    const full = await fetchProxyDump({ kubeconfig: clusters.kubeconfig, context: 'a' }, 'istio-system', 'istio-ingressgateway-6d9f7c-a1', { skipClusters: true });
    assert.deepEqual(full.configDump, JSON.parse(readFileSync(DUMP, 'utf8')));
  });

  test('loadLiveContexts with a small object cap: the kinds over it are refused by name, the context says so', async () => {
    const { loadLiveContexts } = await import('../src/sources/kube/index.js');
    const [snap] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], limits: { maxDumpBytes: DEFAULT_MAX_DUMP_BYTES, maxObjects: 1 }, pageSize: 1 });
    const refused = snap!.issues.filter((i) => /more than 1 objects, refused/.test(i.message));
    assert.ok(refused.length > 0, JSON.stringify(snap!.issues));
    assert.ok(refused.every((i) => /^[A-Za-z]+ \([a-z0-9.]*\/?v[0-9a-z]+\): list [a-z]+/.test(i.message)), `each names the kind, its version and the list: ${JSON.stringify(refused)}`);
    assert.ok(snap!.status === 'partial' || snap!.status === 'error');
  });
});
