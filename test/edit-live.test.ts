// Live weight edits through the real client-node against two HTTPS test API servers (two contexts):
// JSON patch with a resourceVersion test op, dry run first, conflicts (422), failing dry runs, partial failure, undo, audit.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { typeOfKind } from './support/apiserver/store.js';
import { runSet, runUndo, runGet, type WeightsIO } from '../src/cli/weights.js';
import type { GlobalOptions } from '../src/core/options.js';
import { readAudit } from '../src/sources/edit/audit.js';
import { buildJsonPatch } from '../src/sources/edit/live-writer.js';
import { liveAccess } from '../src/sources/edit/kube-client.js';
import { getLive } from '../src/sources/edit/targets.js';
import { applyEdits } from '../src/sources/edit/apply.js';
import { liveTarget, prepareEdit, type VirtualService } from '../src/edit/prepare.js';
import { currentValues, getRule } from '../src/edit/planner.js';
import { loadWritePolicy } from '../src/sources/edit/policy.js';
import type { KubeObject } from '../src/model/resources.js';

const SEED = join(import.meta.dirname, 'support/apiserver/seed');
const VS = typeOfKind('VirtualService')!;
let clusters: TestClusters;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(async () => {
  clusters = await startTestClusters({ a: { seedDir: join(SEED, 'a') }, b: { seedDir: join(SEED, 'b'), istioVersions: ['v1beta1', 'v1alpha3'] } });
  dir = mkdtempSync(join(tmpdir(), 'meshscope-live-weights-'));
  env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
});
afterEach(async () => {
  await clusters.close();
  rmSync(dir, { recursive: true, force: true });
});

const auditFile = () => join(dir, 'state', 'meshscope', 'audit.log');
const serverVs = (ctx: 'a' | 'b') => clusters.servers[ctx].store.get(VS, 'app', 'demoapp')!;
const weightsOn = (ctx: 'a' | 'b') => (serverVs(ctx).spec.http[0].route as { weight?: number }[]).map((r) => r.weight);
const patches = (ctx: 'a' | 'b') => clusters.servers[ctx].requests.filter((r) => r.resource === 'virtualservices' && (r.verb === 'patch' || r.verb === 'update'));

function globals(contexts: string[]): GlobalOptions {
  return { kubeconfig: clusters.kubeconfig, context: contexts, namespace: 'app', readOnly: false, requestTimeout: '5s' };
}

function io(confirm?: (q: string) => Promise<boolean>) {
  const o = { out: '', err: '' };
  const x: WeightsIO & { o: typeof o } = { o, out: (s) => { o.out += s; }, err: (s) => { o.err += s; }, color: false, confirm, env };
  return x;
}

/** Someone else changes the object on the server (a new resourceVersion). */
function concurrentEdit(ctx: 'a' | 'b', weights: number[]): void {
  const next = structuredClone(serverVs(ctx)) as KubeObject;
  next.spec.http[0].route.forEach((r: { weight?: number }, i: number) => { r.weight = weights[i]; });
  clusters.servers[ctx].store.write(VS, next);
}

test('the JSON patch: a resourceVersion test op first, then only weight fields (replace, or add where absent)', () => {
  const obj = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x', resourceVersion: '7' }, spec: { http: [{ route: [{ destination: { host: 'a' }, weight: 90 }, { destination: { host: 'b' } }], mirror: { host: 'm' } }] } } as KubeObject;
  assert.deepEqual(buildJsonPatch(obj, '7', [
    { path: ['spec', 'http', 0, 'route', 0, 'weight'], before: 90, after: 60 },
    { path: ['spec', 'http', 0, 'route', 1, 'weight'], before: undefined, after: 40 },
    { path: ['spec', 'http', 0, 'mirrorPercentage', 'value'], before: undefined, after: 5 },
  ]), [
    { op: 'test', path: '/metadata/resourceVersion', value: '7' },
    { op: 'replace', path: '/spec/http/0/route/0/weight', value: 60 },
    { op: 'add', path: '/spec/http/0/route/1/weight', value: 40 },
    { op: 'add', path: '/spec/http/0/mirrorPercentage', value: { value: 5 } },
  ]);
});

test('set on two contexts: dry run then one JSON patch each, never a PUT; audit has user, uid and resourceVersions', async () => {
  const rvA = serverVs('a').metadata.resourceVersion;
  const x = io();
  assert.equal(await runSet(globals(['a', 'b']), 'demoapp', ['v2-canary=0'], { rebalance: true, yes: true }, x), 0, x.o.err);
  assert.deepEqual(weightsOn('a'), [100, 0]);
  assert.deepEqual(weightsOn('b'), [100, 0]);
  for (const c of ['a', 'b'] as const) {
    assert.deepEqual(patches(c).map((r) => [r.verb, r.query.includes('dryRun=All'), r.status]), [['patch', true, 200], ['patch', false, 200]]);
  }
  assert.equal(patches('b')[0].version, 'v1beta1', 'b is written in the version it serves');
  assert.match(x.o.out, /a: applied: resourceVersion \d+ → \d+\nb: applied/);
  const entries = readAudit(auditFile());
  assert.equal(entries.length, 2);
  const a = entries.find((e) => e.context === 'a')!;
  assert.equal(a.user, 'a', 'the kubeconfig user of the context');
  assert.equal(a.uid, serverVs('a').metadata.uid);
  assert.equal(a.resourceVersionBefore, rvA);
  assert.equal(a.resourceVersionAfter, serverVs('a').metadata.resourceVersion);
  assert.deepEqual([a.weightsBefore, a.weightsAfter], [{ 'demoapp:v2': 90, 'demoapp:v2-canary': 10 }, { 'demoapp:v2': 100, 'demoapp:v2-canary': 0 }]);
  assert.ok(!readFileSync(auditFile(), 'utf8').includes('token-admin'), 'no token in the audit log');
  const g = io();
  assert.equal(await runGet(globals(['a', 'b']), 'demoapp', { output: 'text' }, g), 0);
  assert.match(g.o.out, /^a {2}app\/demoapp {2}\(resourceVersion \d+\)\n {2}http\[0\] default/);
});

test('conflict: the object changed after it was loaded → 422 on the test op, said plainly with the new weights, nothing written', async () => {
  const x = io(async () => { concurrentEdit('a', [70, 30]); return true; });
  assert.equal(await runSet(globals(['a']), 'demoapp', ['v2=50', 'v2-canary=50'], {}, x), 1);
  assert.match(x.o.err, /a: dry-run failed: the object was changed by someone else since it was loaded \(resourceVersion \d+ → \d+\); nothing was written/);
  assert.match(x.o.err, /the object now has:\n.*http\[0\] default.*\n\s+demoapp v2\s+70 .*\n\s+demoapp v2-canary\s+30 /);
  assert.deepEqual(weightsOn('a'), [70, 30]);
  assert.equal(patches('a').filter((r) => !r.query.includes('dryRun')).length, 0, 'no write attempted');
  assert.equal(patches('a')[0].status, 422);
  assert.equal(existsSync(auditFile()), false);
});

test('a failing dry run (admission denial) writes nothing in any context', async () => {
  clusters.servers.a.faults.push({ verb: 'patch', resource: 'virtualservices', status: 400, message: 'admission webhook "validation.istio.io" denied the request: configuration is invalid', times: 1 });
  const x = io();
  assert.equal(await runSet(globals(['a', 'b']), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, x), 1);
  assert.match(x.o.err, /a: dry-run failed: rejected: admission webhook "validation\.istio\.io" denied the request/);
  assert.match(x.o.err, /b: not written: dry run ok, but nothing was written because a failed/);
  assert.deepEqual(weightsOn('a'), [90, 10]);
  assert.deepEqual(weightsOn('b'), [80, 20]);
  assert.ok(patches('b').every((r) => r.query.includes('dryRun=All')));
  assert.equal(existsSync(auditFile()), false);
});

test('partial failure across contexts: a lands, b conflicts at write time; both reported, one audit line', async () => {
  const policy = loadWritePolicy(false, env);
  const access = (c: string, v: string) => liveAccess(c, v, { kubeconfig: clusters.kubeconfig, requestTimeout: '5s' });
  const preps = [];
  for (const c of ['a', 'b']) {
    const obj = await getLive(async (v) => (await access(c, v)).api, 'app', 'demoapp');
    const target = liveTarget(c, obj as VirtualService);
    const rule = getRule(target.object, { kind: 'http', index: 0 });
    preps.push(prepareEdit(target, rule, { ...currentValues(rule), weights: [50, 50] }));
  }
  const results = await applyEdits(preps, { policy, auditLog: auditFile(), live: access }, {
    dryRun: false,
    progress: (c, stage) => { if (c === 'b' && stage === 'write') concurrentEdit('b', [60, 40]); },
  });
  assert.equal(results.length, 2);
  assert.equal(results[0].ok, true);
  assert.ok(!results[1].ok && results[1].reason === 'conflict' && results[1].stage === 'write');
  assert.deepEqual(results[1].ok ? [] : results[1].current?.destinations.map((d) => d.effective), [60, 40]);
  assert.deepEqual(weightsOn('a'), [50, 50]);
  assert.deepEqual(weightsOn('b'), [60, 40]);
  assert.deepEqual(readAudit(auditFile()).map((e) => e.context), ['a']);
});

test('undo: the last batch reversed with the precondition; refused when changed since', async () => {
  assert.equal(await runSet(globals(['a', 'b']), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, io()), 0);
  const x = io();
  assert.equal(await runUndo(globals([]), { yes: true }, x), 0, x.o.err);
  assert.deepEqual(weightsOn('a'), [90, 10]);
  assert.deepEqual(weightsOn('b'), [80, 20]);
  assert.match(x.o.out, /-\s+weight: 50\n\+\s+weight: 90/);
  const entries = readAudit(auditFile());
  assert.deepEqual(entries.map((e) => e.action), ['set', 'set', 'undo', 'undo']);
  assert.ok(entries.slice(2).every((e) => e.resourceVersionAfter && e.user));

  assert.equal(await runSet(globals(['a']), 'demoapp', ['v2=60', 'v2-canary=40'], { yes: true }, io()), 0);
  concurrentEdit('a', [65, 35]);
  const y = io();
  assert.equal(await runUndo(globals(['a']), { yes: true }, y), 1);
  assert.match(y.o.err, /was changed since the edit .*nothing was written/);
  assert.deepEqual(weightsOn('a'), [65, 35]);
});

test('a context marked readOnly in the config is refused live, with the reason', async () => {
  mkdirSync(join(dir, 'config', 'meshscope'), { recursive: true });
  writeFileSync(join(dir, 'config', 'meshscope', 'config.yaml'), 'contexts:\n- {name: b, readOnly: true}\n');
  const x = io();
  assert.equal(await runSet(globals(['a', 'b']), 'demoapp', ['v2=50', 'v2-canary=50'], { yes: true }, x), 1);
  assert.match(x.o.err, /context b is read-only/);
  assert.equal(patches('a').length + patches('b').length, 0);
});

test('TUI editor env on a live mesh: the loaded resourceVersion is the precondition; copies in the other context', async () => {
  const { loadLiveContexts } = await import('../src/sources/kube/index.js');
  const { createWeightsEditorEnv } = await import('../src/app/weights-env.js');
  const input = { contexts: await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a', 'b'], namespace: 'app', requestTimeout: '5s' }) };
  const ed = createWeightsEditorEnv(input, globals(['a', 'b']), { env });
  const opened = ed.open({ context: 'a', kind: 'VirtualService', namespace: 'app', name: 'demoapp' });
  assert.ok(typeof opened === 'object', String(opened));
  assert.equal(opened.target.source, 'live');
  assert.deepEqual(opened.copies.map((c) => c.context), ['b']);
  assert.ok(!opened.target.text.includes('managedFields'));
  concurrentEdit('b', [75, 25]);
  const preps = [opened.target, ...opened.copies].map((t) => prepareEdit(t, getRule(t.object, { kind: 'http', index: 0 }), { weights: [100, 0], mirrors: [] }));
  const results = await ed.apply(preps);
  assert.ok(!results[0].ok && results[0].reason === 'aborted', 'a is not written because b failed its dry run');
  assert.ok(!results[1].ok && results[1].reason === 'conflict');
  assert.deepEqual(weightsOn('a'), [90, 10]);
  const fresh = { contexts: await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], namespace: 'app', requestTimeout: '5s' }) };
  const ed2 = createWeightsEditorEnv(fresh, globals(['a']), { env });
  const o2 = ed2.open({ context: 'a', kind: 'VirtualService', namespace: 'app', name: 'demoapp' });
  assert.ok(typeof o2 === 'object');
  const [r] = await ed2.apply([prepareEdit(o2.target, getRule(o2.target.object, { kind: 'http', index: 0 }), { weights: [100, 0], mirrors: [] })]);
  assert.ok(r.ok && r.resourceVersionAfter === serverVs('a').metadata.resourceVersion, JSON.stringify(r));
  assert.match(r.message, /applied: resourceVersion \d+ → \d+/);
  const undo = await ed2.prepareUndo();
  assert.ok(Array.isArray(undo), String(undo));
  assert.ok((await ed2.apply(undo)).every((x) => x.ok));
  assert.deepEqual(weightsOn('a'), [90, 10]);
});
