// Least privilege: the README's minimal ClusterRole + Role, read from the README itself, is enforced by the
// test API server; every command works with exactly those permissions; without `patch` editing is unavailable and
// says why; Secrets are never read; tokens and client keys never appear in any output, file or audit line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { startApiServer, type TestApiServer, type RbacRule } from './support/apiserver/index.js';
import { testCertificate } from './support/apiserver/certs.js';
import { typeOfKind } from './support/apiserver/store.js';
import type { KubeObject } from '../src/model/resources.js';
import { openKubeClient, loadLiveContexts, watchLiveContexts, liveStateOf, k8s } from '../src/sources/kube/index.js';
import { canEditWeights } from '../src/sources/edit/access.js';
import { repoRoot, SIDECAR_DUMP, GATEWAY_DUMP, APISERVER_SEED, requireCorpus } from './support/paths.js';
import { until } from './support/poll.js';

const MULTI = join(import.meta.dirname, 'support/apiserver/cli-multi.ts');
const VS = typeOfKind('VirtualService')!;
// Credentials that must never leak: random, so a hit cannot be a coincidence.
const TOKEN_MIN = `tok-min-${Math.random().toString(36).slice(2)}${Date.now()}`;
const TOKEN_RO = `tok-ro-${Math.random().toString(36).slice(2)}${Date.now()}`;
const TOKEN_BAD = `tok-bad-${Math.random().toString(36).slice(2)}${Date.now()}`;
let srv: TestApiServer;
let dir: string;
let kubeconfig: string;

/** The YAML block of the README's "### Least privilege" section, as RBAC rules (a Role's rules keep its namespace). */
function readmeRules(): RbacRule[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Least privilege'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'the README has the minimal ClusterRole');
  const rules: RbacRule[] = [];
  for (const doc of parseAllDocuments(block[1])) {
    const role = doc.toJS() as { kind: string; metadata: { namespace?: string }; rules: RbacRule[] };
    assert.ok(role.kind === 'ClusterRole' || role.kind === 'Role');
    for (const r of role.rules) rules.push({ ...r, ...(role.kind === 'Role' ? { namespaces: [role.metadata.namespace!] } : {}) });
  }
  return rules;
}

const RULES = readmeRules();
// A Gateway naming a CA bundle ConfigMap (read with `get`), another that is absent, one nobody names, and a Secret.
const CA_SEED = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } },
  {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'infra' },
    spec: {
      gatewayClassName: 'istio', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { mode: 'Terminate', certificateRefs: [{ name: 'edge-cert' }] } }],
      tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'client-ca' }] } }, perPort: [{ port: 8443, tls: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'absent-ca' }] } } }] } },
    },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'client-ca', namespace: 'infra' }, data: { 'ca.crt': 'x' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nobody-names-me', namespace: 'infra' }, data: { k: 'v' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'edge-cert', namespace: 'infra' }, data: { 'tls.crt': 'eA==' } },
] as KubeObject[];
const READ_ONLY = RULES.filter((r) => !r.verbs.includes('patch'));

before(async () => {
  await k8s();
  requireCorpus(GATEWAY_DUMP, 'the config dumps the test Envoys serve');
  const proxies = { 'istio-system/istio-ingressgateway-6d9f7c-a1': { configDumpFile: GATEWAY_DUMP }, 'app/demoapp-v2-a0': { configDumpFile: SIDECAR_DUMP } };
  srv = await startApiServer({
    name: 'rbac', seedDir: join(APISERVER_SEED, 'a'), proxies,
    tokens: { 'token-admin': 'admin', [TOKEN_MIN]: 'meshscope', [TOKEN_RO]: 'viewer' },
    rbac: { meshscope: RULES, viewer: READ_ONLY },
    seed: CA_SEED,
  });
  dir = mkdtempSync(join(tmpdir(), 'meshscope-rbac-'));
  kubeconfig = join(dir, 'config');
  const tls = testCertificate();
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const user = (token: string) => ({ token, 'client-certificate-data': b64(tls.cert), 'client-key-data': b64(tls.key) });
  writeFileSync(kubeconfig, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'min',
    clusters: [{ name: 'test', cluster: { server: srv.url, 'certificate-authority-data': b64(srv.caPem) } }],
    users: [{ name: 'meshscope', user: user(TOKEN_MIN) }, { name: 'viewer', user: user(TOKEN_RO) }, { name: 'bad', user: user(TOKEN_BAD) }],
    contexts: [
      { name: 'min', context: { cluster: 'test', user: 'meshscope' } },
      { name: 'ro', context: { cluster: 'test', user: 'viewer' } },
      { name: 'bad', context: { cluster: 'test', user: 'bad' } },
    ],
  }));
});
after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run { args: string[]; code: number; out: string; err: string }
/** Runs the command lines in one child process (the real CLI entry, one start-up); the child must exit on its own. */
function runAll(...lists: string[][]): Promise<Run[]> {
  const env = { ...process.env, HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'cfg'), NO_COLOR: '1', CI: 'true', MESHSCOPE_DEBUG: '' };
  const arg = JSON.stringify(lists.map((l) => [...l, '--kubeconfig', kubeconfig]));
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--import', 'tsx', MULTI, arg], { cwd: repoRoot, env, timeout: 90_000, maxBuffer: 64 << 20 }, (error, out, err) => {
      if (error) return fail(new Error(`runner failed (${error.code}): ${err}`));
      assertNoSecrets('the runner', out + err);
      done(JSON.parse(out.trim().split('\n').pop()!) as Run[]);
    });
  });
}

/** Every secret value a leak could show: tokens, and the client key (PEM lines and base64). */
function secrets(): string[] {
  const key = testCertificate().key;
  const keyLines = key.split('\n').filter((l) => l && !l.startsWith('-----'));
  return [TOKEN_MIN, TOKEN_RO, TOKEN_BAD, Buffer.from(key).toString('base64').slice(0, 40), ...keyLines];
}
function assertNoSecrets(where: string, text: string): void {
  for (const s of secrets()) assert.ok(!text.includes(s), `${where} holds a credential`);
}
function filesUnder(d: string): string[] {
  if (!existsSync(d)) return [];
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

test('the README role: every command works with exactly those permissions; nothing is forbidden, no Secret is read', { timeout: 120_000 }, async () => {
  const start = srv.requests.length;
  const audit = join(dir, 'audit.log');
  const snap = join(dir, 'snap');
  const runs = await runAll(
    ['tree', '--context', 'min'],
    ['pc', 'clusters', 'istio-ingressgateway-6d9f7c-a1.istio-system', '--context', 'min'],
    ['snapshot', '--out', snap, '--pods', 'app=demoapp,version=v2', '--context', 'min'],
    ['proxy-status', '--context', 'min'],
    ['proxy-status', 'demoapp-v2-a0.app', '--context', 'min'],
    ['weights', 'set', 'demoapp', 'v2=70', 'v2-canary=30', '-n', 'app', '--yes', '--audit-log', audit, '--context', 'min'],
  );
  for (const r of runs) assert.equal(r.code, 0, `${r.args.join(' ')}: ${r.err}`);
  const [tree, pc, , ps, psPod, set] = runs;
  assert.match(tree.out, /demoapp/);
  assert.match(pc.out, /^SERVICE FQDN +PORT +SUBSET +DIRECTION +TYPE/m);
  assert.match(ps.out, /^istio-ingressgateway-6d9f7c-a1\.istio-system +/m);
  assert.match(psPod.out, /^Clusters Match$/m);
  assert.match(set.out, /^min: applied: resourceVersion \d+ → \d+$/m);
  assert.deepEqual((srv.store.get(VS, 'app', 'demoapp')!.spec.http[0].route as { weight: number }[]).map((r) => r.weight), [70, 30]);
  assert.ok(existsSync(join(snap, 'min')), 'the snapshot was written');

  const mine = srv.requests.slice(start).filter((r) => r.user === 'meshscope');
  assert.ok(mine.length > 30);
  assert.deepEqual(mine.filter((r) => r.status === 403).map((r) => `${r.verb} ${r.path}`), [], 'no request outside the role');
  // Each rule of the role is used: none of it is superfluous.
  // pods/portforward `create` is for SPDY clients and newer servers: meshscope's WebSocket GET uses `get`.
  for (const need of ['list pods', 'watch', 'patch virtualservices', 'get pods/portforward', 'get services/proxy', 'get configmaps']) {
    const [verb, res] = need.split(' ');
    if (verb === 'watch') continue; // --watch is covered in-process below
    assert.ok(mine.some((r) => r.verb === verb && (r.subresource ? `${r.resource}/${r.subresource}` : r.resource) === res), `${need} was used`);
  }
  assert.ok(!srv.requests.some((r) => r.resource === 'secrets'), 'no Secret is ever requested');
  // ConfigMaps: only those named as CA bundles, by name; never a list.
  const cms = mine.filter((r) => r.resource === 'configmaps');
  assert.deepEqual([...new Set(cms.map((r) => `${r.verb} ${r.namespace}/${r.name} ${r.status}`))].sort(), ['get infra/absent-ca 404', 'get infra/client-ca 200']);
  assert.deepEqual(JSON.parse(readFileSync(join(snap, 'min', 'configmaps-checked.json'), 'utf8')), { checked: ['infra/absent-ca', 'infra/client-ca'] });
  for (const r of runs) assertNoSecrets(r.args.join(' '), r.out + r.err);
  for (const f of [audit, ...filesUnder(snap)]) assertNoSecrets(f, readFileSync(f, 'utf8'));
  const line = JSON.parse(readFileSync(audit, 'utf8').trim());
  assert.equal(line.user, 'meshscope', 'the audit names the kubeconfig user, not a credential');
});

test('--watch and the loader with exactly the role: watches open, nothing is forbidden', async () => {
  const start = srv.requests.length;
  const [snap] = await loadLiveContexts({ kubeconfig, contexts: ['min'], requestTimeout: '5s' });
  assert.equal(snap.status, 'ok', snap.reason);
  const h = watchLiveContexts([snap], () => undefined, { maxBackoffMs: 200 });
  try {
    // One watch per listed kind (the Namespace too: no -n here).
    const watched = liveStateOf(snap)!.kinds.length;
    await until(() => srv.openWatchCount() >= watched, { timeoutMs: 5000, what: `${watched} watches` }).catch(() => undefined);
    assert.equal(srv.openWatchCount(), watched);
  } finally {
    h.stop();
  }
  assert.deepEqual(srv.requests.slice(start).filter((r) => r.status === 403).map((r) => r.path), []);
});

test('read-only permissions: weights set says editing is unavailable and why; nothing is written; canEditWeights agrees', { timeout: 60_000 }, async () => {
  const before = structuredClone(srv.store.get(VS, 'app', 'demoapp')!);
  const start = srv.requests.length;
  const audit = join(dir, 'audit-ro.log');
  const [set, tree] = await runAll(
    ['weights', 'set', 'demoapp', 'v2=10', 'v2-canary=90', '-n', 'app', '--yes', '--audit-log', audit, '--context', 'ro'],
    ['tree', '--context', 'ro'],
  );
  assert.equal(tree.code, 0, tree.err);
  assert.equal(set.code, 1);
  assert.match(set.err, /^ro: dry-run failed: editing is unavailable: forbidden: cannot patch virtualservices\.networking\.istio\.io in namespace app \(the server said: .*User "viewer" cannot patch/m);
  assert.deepEqual(srv.store.get(VS, 'app', 'demoapp'), before, 'nothing written');
  assert.ok(!existsSync(audit) || readFileSync(audit, 'utf8') === '', 'no audit line');
  const patches = srv.requests.slice(start).filter((r) => r.verb === 'patch');
  assert.deepEqual(patches.map((r) => [r.query.includes('dryRun=All'), r.status]), [[true, 403]], 'only the dry run was tried');
  for (const r of [set, tree]) assertNoSecrets(r.args.join(' '), r.out + r.err);

  const ro = await openKubeClient({ kubeconfig, context: 'ro' });
  const min = await openKubeClient({ kubeconfig, context: 'min' });
  try {
    assert.deepEqual(await canEditWeights(ro, 'app'), { allowed: false, reason: 'forbidden: cannot patch virtualservices.networking.istio.io in namespace app' });
    assert.deepEqual(await canEditWeights(min, 'app'), { allowed: true });
  } finally {
    ro.close();
    min.close();
  }
});

test('a rejected token is reported as "unauthorized", never echoed', { timeout: 60_000 }, async () => {
  const [tree, set] = await runAll(
    ['tree', '--context', 'bad'],
    ['weights', 'set', 'demoapp', 'v2=10', 'v2-canary=90', '-n', 'app', '--yes', '--context', 'bad'],
  );
  assert.match(tree.err, /context bad: unauthorized/);
  assert.equal(set.code, 1);
  for (const r of [tree, set]) assertNoSecrets(r.args.join(' '), r.out + r.err);
});
