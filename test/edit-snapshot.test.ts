// `meshscope weights` on snapshot folders: exact file edits, stale-file refusal, atomic writes, audit, undo, read-only.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { runGet, runSet, runUndo, type WeightsIO } from '../src/cli/weights.js';
import type { GlobalOptions } from '../src/core/options.js';
import { readAudit } from '../src/sources/edit/audit.js';
import { runCliChildSync } from './support/cli.js';

const REPO = resolve(import.meta.dirname, '..');

const DEMOAPP = `# demoapp: canary rollout in cluster-a
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: demoapp
  namespace: app   # the app namespace
spec:
  hosts: [demoapp.example.com]
  gateways: ["istio-system/public-gateway"]
  http:
  - name: default
    route:
    - destination:
        host: demoapp
        subset: v2       # stable
      weight: 90
    - destination: {host: demoapp, subset: v2-canary}
      weight: 10   # canary
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: demoapp, namespace: app}
spec:
  host: demoapp
  subsets: [{name: v2, labels: {version: v2}}, {name: v2-canary, labels: {version: v2-canary}}]
`;

const TCP_ECHO = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: tcp-echo
  namespace: app
spec:
  hosts:
  - "*"
  gateways:
  - tcp-echo-gateway
  tcp:
  - match:
    - port: 31400
    route:
    - destination:
        host: tcp-echo
        port:
          number: 9000
        subset: v1
      weight: 80
    - destination:
        host: tcp-echo
        port:
          number: 9000
        subset: v2
      weight: 20
`;

const GCP = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: gcpbackend-migration
  namespace: app
spec:
  hosts:
  - legacy.example.com
  http:
  - route:
    - destination:
        host: legacy.example.com
      weight: 90
    - destination:
        host: gcpbackend.com
      weight: 10 # 10% traffic to gcp backend.
    mirror:
      host: gcpbackend.com
    mirrorPercentage:
      value: 5
`;

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshscope-weights-'));
  for (const c of ['cluster-a', 'cluster-b']) {
    mkdirSync(join(dir, 'mesh', c, 'app'), { recursive: true });
    writeFileSync(join(dir, 'mesh', c, 'app', 'demoapp.yaml'), DEMOAPP.replace('cluster-a', c));
  }
  writeFileSync(join(dir, 'mesh', 'cluster-a', 'app', 'tcp-echo.yaml'), TCP_ECHO);
  writeFileSync(join(dir, 'mesh', 'cluster-a', 'app', 'gcp.yaml'), GCP);
  env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), USER: 'tester' };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (c: string, f = 'demoapp.yaml') => join(dir, 'mesh', c, 'app', f);
const auditFile = () => join(dir, 'state', 'meshscope', 'audit.log');

function globals(over: Partial<GlobalOptions> = {}): GlobalOptions {
  return { fixtures: join(dir, 'mesh'), context: ['cluster-a'], namespace: 'app', readOnly: false, ...over };
}

function io(confirm?: (q: string) => Promise<boolean>) {
  const o = { out: '', err: '' };
  const x: WeightsIO & { o: typeof o } = { o, out: (s) => { o.out += s; }, err: (s) => { o.err += s; }, color: false, confirm, env };
  return x;
}

function snapshotTree(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, readFileSync(p, 'utf8'));
    }
  };
  walk(join(dir, 'mesh'));
  return out;
}

/** Changed lines between two texts of equal line count, as [before, after] pairs. */
function changed(a: string, b: string): [string, string][] {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'same number of lines');
  return x.map((l, i) => [l, y[i]] as [string, string]).filter(([l, m]) => l !== m);
}

test('set v2=50 v2-canary=50 --yes changes exactly two numbers in one file, and audits it', async () => {
  const before = snapshotTree();
  const x = io();
  const code = await runSet(globals(), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, x);
  assert.equal(code, 0, x.o.err);
  const after = snapshotTree();
  const diffs = [...before].filter(([p, t]) => after.get(p) !== t).map(([p]) => p);
  assert.deepEqual(diffs, [file('cluster-a')], 'one file changed');
  assert.deepEqual(changed(before.get(file('cluster-a'))!, after.get(file('cluster-a'))!), [
    ['      weight: 90', '      weight: 50'],
    ['      weight: 10   # canary', '      weight: 50   # canary'],
  ]);
  assert.match(x.o.out, /-      weight: 90\n\+      weight: 50\n/);
  assert.match(x.o.out, /cluster-a: wrote .*demoapp\.yaml/);
  const [entry, ...rest] = readAudit(auditFile());
  assert.equal(rest.length, 0, 'one audit line');
  assert.equal(entry.action, 'set');
  assert.equal(entry.user, userInfo().username, 'the local OS user for snapshots');
  assert.equal(entry.context, 'cluster-a');
  assert.equal(entry.namespace, 'app');
  assert.equal(entry.name, 'demoapp');
  assert.equal(entry.file, file('cluster-a'));
  assert.deepEqual(entry.rule, { kind: 'http', index: 0, name: 'default', label: 'http[0] default' });
  assert.deepEqual(entry.weightsBefore, { 'demoapp:v2': 90, 'demoapp:v2-canary': 10 });
  assert.deepEqual(entry.weightsAfter, { 'demoapp:v2': 50, 'demoapp:v2-canary': 50 });
  assert.ok(entry.time && entry.fileSha256Before && entry.fileSha256After);
  assert.ok(!/token|password|client-key/i.test(readFileSync(auditFile(), 'utf8')));
});

test('the file edited on disk after it was read is refused: exit 1, nothing written, no audit line', async () => {
  const edited = `${DEMOAPP}# someone else was here\n`;
  const x = io(async () => { writeFileSync(file('cluster-a'), edited); return true; });
  const code = await runSet(globals(), 'demoapp', ['v2=50', 'v2-canary=50'], {}, x);
  assert.equal(code, 1);
  assert.match(x.o.err, /changed on disk since meshscope read it; nothing was written/);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), edited);
  assert.equal(existsSync(auditFile()), false);
});

test('re-running after the file was edited on disk (since meshscope wrote it) is refused: exit 1, nothing written; --force overrides', async () => {
  assert.equal(await runSet(globals(), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, io()), 0);
  const edited = readFileSync(file('cluster-a'), 'utf8').replace('# demoapp: canary rollout', '# demoapp: canary rollout (hand edit)');
  writeFileSync(file('cluster-a'), edited);
  for (const args of [['v2=50', 'v2-canary=50'], ['v2=40', 'v2-canary=60']]) {
    const x = io();
    assert.equal(await runSet(globals(), 'demoapp', args, { yes: true }, x), 1, args.join(' '));
    assert.match(x.o.err, /cluster-a: refused: .*demoapp\.yaml changed on disk since meshscope wrote it at .*nothing was written.*--force/);
    assert.equal(readFileSync(file('cluster-a'), 'utf8'), edited);
  }
  assert.equal(readAudit(auditFile()).length, 1);
  assert.equal(await runSet(globals(), 'demoapp', ['v2=40', 'v2-canary=60'], { yes: true, force: true }, io()), 0);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), edited.replace('weight: 50\n', 'weight: 40\n').replace('weight: 50   # canary', 'weight: 60   # canary'));
});

test('the write is atomic: a new inode by rename, mode kept, no temp file left', async () => {
  chmodSync(file('cluster-a'), 0o640);
  const ino = statSync(file('cluster-a')).ino;
  assert.equal(await runSet(globals(), 'demoapp', ['v2-canary=0', 'v2=100'], { yes: true }, io()), 0);
  const st = statSync(file('cluster-a'));
  assert.notEqual(st.ino, ino, 'renamed over, not rewritten in place');
  assert.equal(st.mode & 0o777, 0o640);
  assert.deepEqual(readdirSync(join(dir, 'mesh', 'cluster-a', 'app')).sort(), ['demoapp.yaml', 'gcp.yaml', 'tcp-echo.yaml']);
});

test('validation happens before any write: bad totals and ranges exit 1 with nothing written', async () => {
  const before = snapshotTree();
  for (const args of [['v2=60', 'v2-canary=50'], ['v2=101', 'v2-canary=-1'], ['v2=0', 'v2-canary=0'], ['v2=50.5', 'v2-canary=49.5'], ['v9=10']]) {
    const x = io();
    assert.equal(await runSet(globals(), 'demoapp', args, { yes: true }, x), 1, args.join(' '));
    assert.match(x.o.err, /nothing was written/);
  }
  assert.deepEqual(snapshotTree(), before);
  assert.equal(existsSync(auditFile()), false);
});

test('--rebalance: unnamed destinations share the rest; without a terminal and without --yes nothing is applied', async () => {
  const x = io();
  assert.equal(await runSet(globals(), 'demoapp', ['v2-canary=0'], { rebalance: true }, x), 1);
  assert.match(x.o.out, /demoapp v2 90→100, demoapp v2-canary 10→0/);
  assert.match(x.o.err, /not applied: pass --yes/);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), DEMOAPP);
  const no = io(async () => false);
  assert.equal(await runSet(globals(), 'demoapp', ['v2-canary=0'], { rebalance: true }, no), 1);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), DEMOAPP);
  const yes = io(async (q) => { assert.match(q, /apply to cluster-a app\/demoapp/); return true; });
  assert.equal(await runSet(globals(), 'demoapp', ['v2-canary=0'], { rebalance: true }, yes), 0);
  assert.match(readFileSync(file('cluster-a'), 'utf8'), /weight: 100\n[\s\S]*weight: 0   # canary/);
});

test('--dry-run validates and checks the file, writes nothing, exit 0', async () => {
  const x = io();
  assert.equal(await runSet(globals(), 'demoapp', ['v2=50', 'v2-canary=50'], { dryRun: true }, x), 0);
  assert.match(x.o.out, /dry run ok/);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), DEMOAPP);
  assert.equal(existsSync(auditFile()), false);
});

test('tcp-echo 80/20 and the gcpbackend mirror percentage are edited the same way', async () => {
  assert.equal(await runSet(globals(), 'tcp-echo', ['v1=50', 'v2=50'], { yes: true }, io()), 0);
  assert.deepEqual(changed(TCP_ECHO, readFileSync(file('cluster-a', 'tcp-echo.yaml'), 'utf8')), [['      weight: 80', '      weight: 50'], ['      weight: 20', '      weight: 50']]);
  const x = io();
  assert.equal(await runSet(globals(), 'gcpbackend-migration', [], { mirror: ['25'], yes: true }, x), 0, x.o.err);
  assert.deepEqual(changed(GCP, readFileSync(file('cluster-a', 'gcp.yaml'), 'utf8')), [['      value: 5', '      value: 25']]);
  assert.equal(await runSet(globals(), 'gcpbackend-migration', ['gcpbackend.com=30', 'legacy.example.com=70'], { yes: true }, io()), 0);
  const entries = readAudit(auditFile());
  assert.equal(entries.length, 3);
  assert.deepEqual(entries[1].mirrorBefore, { 'gcpbackend.com': 5 });
  assert.deepEqual(entries[1].mirrorAfter, { 'gcpbackend.com': 25 });
});

test('several contexts: each file written, one audit line per context in one batch', async () => {
  const x = io();
  assert.equal(await runSet(globals({ context: ['cluster-a', 'cluster-b'] }), 'demoapp', ['v2-canary=0'], { rebalance: true, yes: true }, x), 0, x.o.err);
  assert.match(x.o.out, /cluster-a: wrote[\s\S]*cluster-b: wrote/);
  const entries = readAudit(auditFile());
  assert.deepEqual(entries.map((e) => e.context), ['cluster-a', 'cluster-b']);
  assert.equal(entries[0].batch, entries[1].batch);
});

test('undo reverts the last edit byte for byte, audits it, and refuses when the object changed since', async () => {
  assert.equal(await runSet(globals({ context: ['cluster-a', 'cluster-b'] }), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, io()), 0);
  const x = io();
  assert.equal(await runUndo(globals({ context: [] }), { yes: true }, x), 0, x.o.err);
  assert.match(x.o.out, /-      weight: 50\n\+      weight: 90\n/);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), DEMOAPP);
  assert.equal(readFileSync(file('cluster-b'), 'utf8'), DEMOAPP.replace('cluster-a', 'cluster-b'));
  const entries = readAudit(auditFile());
  assert.equal(entries.length, 4);
  assert.deepEqual(entries.slice(2).map((e) => [e.action, e.undoOf]), [['undo', entries[1].id], ['undo', entries[0].id]]);
  const again = io();
  await assert.rejects(runUndo(globals({ context: [] }), { yes: true }, again), /nothing to undo/);

  assert.equal(await runSet(globals(), 'demoapp', ['v2=70', 'v2-canary=30'], { yes: true }, io()), 0);
  writeFileSync(file('cluster-a'), readFileSync(file('cluster-a'), 'utf8').replace('weight: 70', 'weight: 75').replace('weight: 30', 'weight: 25'));
  const stale = readFileSync(file('cluster-a'), 'utf8');
  const y = io();
  assert.equal(await runUndo(globals(), { yes: true }, y), 1);
  assert.match(y.o.err, /was changed since the edit .*demoapp v2=75 demoapp v2-canary=25.*nothing was written/);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), stale);
});

test('--read-only and readOnly: true in the config refuse writes and say why', async () => {
  const x = io();
  assert.equal(await runSet(globals({ readOnly: true }), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, x), 1);
  assert.match(x.o.err, /refused: read-only mode \(--read-only\)/);
  mkdirSync(join(dir, 'config', 'meshscope'), { recursive: true });
  writeFileSync(join(dir, 'config', 'meshscope', 'config.yaml'), 'contexts:\n  cluster-b:\n    readOnly: true\n');
  const y = io();
  assert.equal(await runSet(globals({ context: ['cluster-a', 'cluster-b'] }), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, y), 1);
  assert.match(y.o.err, /context cluster-b is read-only \(readOnly: true in .*config\.yaml\)/);
  assert.equal(readFileSync(file('cluster-a'), 'utf8'), DEMOAPP, 'nothing written in the writable context either');
  assert.equal(await runSet(globals(), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, io()), 0, 'cluster-a alone is writable');
});

test('weights get prints every rule per context, as text and json', async () => {
  const x = io();
  assert.equal(await runGet(globals({ context: [] }), 'demoapp', { output: 'text' }, x), 0);
  assert.match(x.o.out, /cluster-a {2}app\/demoapp[\s\S]*http\[0\] default {2}match: any\n {4}demoapp v2 +90 +█+░+\n {4}demoapp v2-canary +10 [\s\S]*cluster-b {2}app\/demoapp/);
  const j = io();
  assert.equal(await runGet(globals(), 'tcp-echo', { output: 'json' }, j), 0);
  const data = JSON.parse(j.o.out) as { context: string; rules: { kind: string; destinations: { subset: string; weight: number; port: number }[] }[] }[];
  assert.deepEqual(data[0].rules[0].destinations.map((d) => [d.subset, d.port, d.weight]), [['v1', 9000, 80], ['v2', 9000, 20]]);
  const missing = io();
  assert.equal(await runGet(globals(), 'nope', { output: 'text' }, missing), 1);
  assert.match(missing.o.err, /no VirtualService app\/nope in context cluster-a/);
});

test('the real CLI: exit 2 on usage errors, 0 applied, 1 on a stale re-run', () => {
  const run = (...args: string[]) => runCliChildSync(args, { env: { ...process.env, ...env, NO_COLOR: '1' } });
  const bad = run('weights', 'set', 'demoapp', '--fixtures', join(dir, 'mesh'), 'v2=abc');
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /weight "abc" is not a number/);
  const ok = run('weights', 'set', 'demoapp', '-n', 'app', '--context', 'cluster-a', '--fixtures', join(dir, 'mesh'), 'v2=50', 'v2-canary=50', '--yes');
  assert.equal(ok.code, 0, ok.err);
  assert.equal(changed(DEMOAPP, readFileSync(file('cluster-a'), 'utf8')).length, 2);
  const again = run('weights', 'set', 'demoapp', '-n', 'app', '--context', 'cluster-a', '--fixtures', join(dir, 'mesh'), 'v2=50', 'v2-canary=50', '--yes');
  assert.equal(again.code, 0, 'no change is not an error');
  assert.match(again.out, /nothing to change/);
});

test('done-when on a copy of fixtures/demo', async () => {
  const copy = join(dir, 'demo');
  cpSync(join(REPO, 'fixtures', 'demo'), copy, { recursive: true });
  const g: GlobalOptions = { fixtures: copy, context: ['cluster-a'], namespace: 'app', readOnly: false };
  const before = execFileSync('find', [copy, '-type', 'f']).toString().split('\n').filter(Boolean).map((p) => [p, readFileSync(p, 'utf8')] as const);
  const x = io();
  const code = await runSet(g, 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, x);
  assert.equal(code, 0, x.o.err);
  const changedFiles = before.filter(([p, t]) => readFileSync(p, 'utf8') !== t);
  assert.equal(changedFiles.length, 1, 'one file');
  const lines = changed(changedFiles[0][1], readFileSync(changedFiles[0][0], 'utf8'));
  const numbersChanged = lines.filter(([a, b]) => a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#'));
  assert.ok(lines.length <= 2 && numbersChanged.length === lines.length, JSON.stringify(lines));
  const edited = `${readFileSync(changedFiles[0][0], 'utf8')}# edited on disk\n`;
  writeFileSync(changedFiles[0][0], edited);
  const y = io();
  assert.equal(await runSet(g, 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, y), 1, 'the same command again is refused');
  assert.match(y.o.err, /changed on disk since meshscope wrote it/);
  assert.equal(readFileSync(changedFiles[0][0], 'utf8'), edited);
  // tcp-echo's 80/20 and the gcpbackend mirror percentage, the same way.
  const all = { ...g, namespace: undefined };
  for (const [vs, args, opts] of [['tcp-echo', ['v1=50', 'v2=50'], {}], ['gcpbackend-migration', [], { mirror: ['20'] }]] as const) {
    const texts = new Map(before.map(([p]) => [p, readFileSync(p, 'utf8')]));
    const z = io();
    assert.equal(await runSet(all, vs, [...args], { ...opts, yes: true }, z), 0, z.o.err);
    const files = [...texts].filter(([p, t]) => readFileSync(p, 'utf8') !== t);
    assert.equal(files.length, 1, vs);
    const l = changed(files[0][1], readFileSync(files[0][0], 'utf8'));
    assert.ok(l.length >= 1 && l.length <= 2 && l.every(([a, b]) => a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#')), JSON.stringify(l));
  }
});
