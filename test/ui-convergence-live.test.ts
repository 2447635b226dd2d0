// The TUI's follow-up after a live weight write, on the test API server: the editor env's apply hands the write to
// followAfterWrite, whose status line shows the convergence progress, names a proxy that keeps the old route when the
// time runs out, and then asks for the tree again. The footer renders that status under the flash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { meshEnvoy } from './support/apiserver/envoy-mesh.js';
import { APISERVER_SEED } from './support/paths.js';
import { k8s } from '../src/sources/kube/index.js';
import type { GlobalOptions } from '../src/core/options.js';
import { getRule } from '../src/edit/planner.js';
import { prepareEdit } from '../src/edit/prepare.js';
import type { FollowStatus } from '../src/app/weights-follow.js';
import { KEYS, miniData, start } from './ui-support.js';

const SIDECARS = ['demoapp-v2-a0', 'demoapp-v2-canary-a0', 'client-a'];
let clusters: TestClusters;
let state: string;

before(async () => {
  await k8s();
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a') } });
  const a = clusters.servers.a!;
  for (const pod of SIDECARS) a.setProxy('app', pod, meshEnvoy({ store: a.store, virtualService: 'app/demoapp', port: 8080, lagMs: pod === 'client-a' ? 1500 : 0 }));
  a.setProxy('app', 'demoapp-v2-canary-a0', meshEnvoy({ store: a.store, virtualService: 'app/demoapp', port: 8080, stale: true }));
  a.setProxy('istio-system', 'istio-ingressgateway-6d9f7c-a1', { configDump: { configs: [] } });
  state = mkdtempSync(join(tmpdir(), 'meshscope-follow-'));
});
after(async () => {
  await clusters?.close();
  rmSync(state, { recursive: true, force: true });
});

const globals = (): GlobalOptions => ({ context: ['a'], namespace: 'app', kubeconfig: clusters.kubeconfig, readOnly: false, requestTimeout: '5s' });

test('after a live apply in the editor: progress on the status line, the stale proxy named at the timeout, then a refresh', async () => {
  const { loadLiveContexts } = await import('../src/sources/kube/index.js');
  const { createWeightsEditorEnv } = await import('../src/app/weights-env.js');
  const { followAfterWrite } = await import('../src/app/weights-follow.js');
  const input = { contexts: await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['a'], namespace: 'app', requestTimeout: '5s' }) };
  const statuses: (FollowStatus | undefined)[] = [];
  let refreshed = 0;
  const staleSeen: { context: string; namespace: string; pod: string }[] = [];
  let following: Promise<number | undefined> | undefined;
  const env = createWeightsEditorEnv(input, globals(), {
    env: { ...process.env, XDG_STATE_HOME: state, XDG_CONFIG_HOME: state },
    afterWrite: (preps, results) => {
      following = followAfterWrite(globals(), preps, results, { status: (s) => statuses.push(s), done: (stale) => { refreshed++; staleSeen.push(...stale); } }, 4000);
    },
  });
  const opened = env.open({ context: 'a', kind: 'VirtualService', namespace: 'app', name: 'demoapp' });
  assert.ok(typeof opened === 'object', String(opened));
  const results = await env.apply([prepareEdit(opened.target, getRule(opened.target.object, { kind: 'http', index: 0 }), { weights: [100, 0], mirrors: [] })]);
  assert.ok(results[0]!.ok, JSON.stringify(results));
  assert.ok(following, 'the write is followed');
  assert.equal(await following, 3, 'the wait times out on the stale proxy');
  const texts = statuses.map((s) => `${s?.kind} ${s?.text}`);
  assert.ok(texts.some((t) => /^progress convergence app\/demoapp: a http\[0\]: \d\/3 proxies run demoapp v2 100% \/ v2-canary 0%; waiting: .*demoapp-v2-canary-a0 \(a\)/.test(t)), texts.join('\n'));
  assert.match(texts.at(-1)!, /^error convergence app\/demoapp: timed out; never converged: app\/demoapp-v2-canary-a0 \(a\) still runs demoapp v2 90% \/ v2-canary 10%/);
  assert.equal(refreshed, 1, 'the tree is read again at the end');
  assert.deepEqual(staleSeen, [{ namespace: 'app', pod: 'demoapp-v2-canary-a0', context: 'a' }], 'the stale proxy is fetched, so its row shows ≠');
});

test('a snapshot write, a dry run or a failed write is not followed', async () => {
  const { followAfterWrite } = await import('../src/app/weights-follow.js');
  const sink = { status: () => assert.fail('no status'), done: () => assert.fail('no refresh') };
  assert.equal(await followAfterWrite({ ...globals(), fixtures: 'x' }, [], [], sink), undefined);
  assert.equal(await followAfterWrite(globals(), [], [{ context: 'a', ok: false, stage: 'write', reason: 'conflict', message: 'x' }], sink), undefined);
});

for (const size of [{ columns: 120, rows: 40 }, { columns: 60, rows: 20 }]) {
  test(`the status line sits under the flash in place of the hints, within the frame (${size.columns}×${size.rows})`, async () => {
    const data = { ...miniData(), status: { text: 'convergence app/demoapp: a http[0]: 2/3 proxies run demoapp v2 100% / v2-canary 0%; waiting: client-a (a)', kind: 'progress' as const } };
    const ui = await start(data, size);
    await ui.press(KEYS.down);
    const lines = ui.frame().split('\n');
    assert.ok(lines.length <= size.rows);
    assert.match(lines.at(-1)!, /^ ⟳ convergence app\/demoapp: a http\[0\]: 2\/3 proxies run/);
    for (const l of lines) assert.ok([...l].length <= size.columns, l);
    ui.unmount();
  });
}
