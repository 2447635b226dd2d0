// Contended writes: N concurrent `meshscope weights set` processes (the real CLI, child processes, --yes)
// on one VirtualService of the HTTPS test API server. Every write lands on the version it read or is refused; the
// audit log has exactly one line per landed write; the final object equals the last landed write: no lost update.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { typeOfKind } from './support/apiserver/store.js';
import { readAudit } from '../src/sources/edit/audit.js';
import { type AuditEntry } from '../src/edit/types.js';
import { runCliChild } from './support/cli.js';
import { APISERVER_SEED } from './support/paths.js';
import { until } from './support/poll.js';

const VS = typeOfKind('VirtualService')!;
const N = 5;
let clusters: TestClusters;
let dir: string;

before(async () => {
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a') } });
  dir = mkdtempSync(join(tmpdir(), 'meshscope-contended-'));
});
after(async () => {
  await clusters.close();
  rmSync(dir, { recursive: true, force: true });
});

const srv = () => clusters.servers.a;
const env = () => ({ ...process.env, HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), NO_COLOR: '1', CI: 'true' });

interface Run { weight: number; code: number; out: string; err: string }

function weightsSet(weight: number, auditLog: string): Promise<Run> {
  const args = ['weights', 'set', 'demoapp', `v2=${weight}`, `v2-canary=${100 - weight}`,
    '--kubeconfig', clusters.kubeconfig, '--context', 'a', '-n', 'app', '--yes', '--audit-log', auditLog, '--request-timeout', '10s'];
  return runCliChild(args, { env: env(), timeoutMs: 60_000 }).then((r) => ({ weight, ...r }));
}

/** Runs N writers at once and checks the invariants; returns the runs and the landed audit entries. */
async function contend(auditLog: string, weights: number[]): Promise<{ runs: Run[]; landed: AuditEntry[] }> {
  const start = srv().requests.length;
  const rv0 = srv().store.get(VS, 'app', 'demoapp')!.metadata.resourceVersion!;
  const runs = await Promise.all(weights.map((w) => weightsSet(w, auditLog)));
  const ok = runs.filter((r) => r.code === 0);
  for (const r of runs) {
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.err}`);
    if (r.code === 0) assert.match(r.out, /^a: applied: resourceVersion \d+ → \d+$/m, r.out);
    else assert.match(r.err, /^a: (write|dry-run) failed: the object was changed by someone else since it was loaded \(resourceVersion \d+ → \d+\); nothing was written$/m, r.err);
  }
  assert.ok(ok.length >= 1, 'at least one write lands');

  // Exactly one audit line per landed write, each the write of the process that says it landed.
  const landed = readAudit(auditLog).filter((e) => Number(e.resourceVersionAfter) > Number(rv0));
  assert.equal(landed.length, ok.length);
  const weightOf = (e: AuditEntry) => e.weightsAfter['demoapp:v2'];
  assert.deepEqual(landed.map(weightOf).sort(), ok.map((r) => r.weight).sort());
  for (const r of ok) {
    const [, before, afterRv] = /resourceVersion (\d+) → (\d+)/.exec(r.out)!;
    const e = landed.find((x) => x.resourceVersionAfter === afterRv)!;
    assert.ok(e, `audit line for resourceVersion ${afterRv}`);
    assert.equal(e.resourceVersionBefore, before, 'landed on the version it read');
  }

  // No lost update: in resourceVersion order each landed write was made on the one before it.
  landed.sort((x, y) => Number(x.resourceVersionAfter) - Number(y.resourceVersionAfter));
  let prev = rv0;
  for (const e of landed) {
    assert.equal(e.resourceVersionBefore, prev, `write → ${e.resourceVersionAfter} was made on ${e.resourceVersionBefore}, the object was at ${prev}`);
    prev = e.resourceVersionAfter!;
  }
  const last = landed[landed.length - 1];
  const final = srv().store.get(VS, 'app', 'demoapp')!;
  assert.equal(final.metadata.resourceVersion, last.resourceVersionAfter, 'nothing changed the object after the last landed write');
  assert.deepEqual((final.spec.http[0].route as { weight: number }[]).map((r) => r.weight), [weightOf(last), 100 - weightOf(last)]);

  // The server saw each writer's write at most once, and exactly the landed ones succeeded.
  const writes = srv().requests.slice(start).filter((r) => r.verb === 'patch' && !r.query.includes('dryRun'));
  assert.ok(writes.length <= weights.length, 'no write re-sent');
  assert.equal(writes.filter((r) => r.status === 200).length, ok.length);
  assert.ok(!srv().requests.slice(start).some((r) => r.verb === 'update'), 'never a PUT');
  return { runs, landed };
}

test(`${N} writers that all read the same version: exactly one lands, ${N - 1} are refused with the conflict`, { timeout: 90_000 }, async () => {
  // A barrier: every writer's GET is held until all N have read, so they all hold the same resourceVersion.
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  const start = srv().requests.length;
  // The bound is generous (N CLI processes start on a shared machine); past it the gate opens anyway and the test says so.
  const allRead = until(() => srv().requests.slice(start).filter((r) => r.verb === 'get' && r.resource === 'virtualservices').length >= N, { timeoutMs: 45_000, what: `${N} reads` });
  allRead.then(open, open);
  srv().faults.push({ verb: 'get', resource: 'virtualservices', name: 'demoapp', gate });
  try {
    const { runs, landed } = await contend(join(dir, 'barrier.log'), [10, 20, 30, 40, 50]);
    assert.equal(landed.length, 1);
    assert.equal(runs.filter((r) => r.code === 1).length, N - 1);
  } finally {
    open();
    srv().faults.length = 0;
  }
});

test(`${N} writers racing freely: every write lands on what it read or is refused; no lost update`, { timeout: 90_000 }, async (t) => {
  // A little latency on every request widens the window between read and write.
  srv().latencyMs = 15;
  try {
    const { landed } = await contend(join(dir, 'race.log'), [15, 25, 35, 45, 55]);
    t.diagnostic(`${landed.length} of ${N} writes landed`);
  } finally {
    srv().latencyMs = 0;
  }
});
