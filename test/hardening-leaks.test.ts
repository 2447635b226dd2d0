// Bounds: port-forwards, watches and timers are closed. A child process does loads, port-forward fetches
// (ok, refused, dying mid-transfer, black-holed), watches (started and stopped, also while connects hang) and runs
// commands against test API servers in this process; then nothing may keep its event loop alive, and it must exit on
// its own, without process.exit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { repoRoot, SIDECAR_DUMP, GATEWAY_DUMP, APISERVER_SEED, requireCorpus } from './support/paths.js';

const PROBE = join(import.meta.dirname, 'support/apiserver/leak-probe.ts');
let clusters: TestClusters;
let dir: string;

before(async () => {
  requireCorpus(SIDECAR_DUMP, 'the config dumps the test Envoys serve');
  const proxies = (c: string) => ({
    [`istio-system/istio-ingressgateway-6d9f7c-${c}1`]: { configDumpFile: GATEWAY_DUMP },
    [`app/demoapp-v2-${c}0`]: { configDumpFile: SIDECAR_DUMP },
    [`app/demoapp-v2-canary-${c}0`]: { configDumpFile: SIDECAR_DUMP },
    [`app/client-${c}`]: { configDumpFile: SIDECAR_DUMP },
  });
  clusters = await startTestClusters({
    a: {
      seedDir: join(APISERVER_SEED, 'a'), proxies: proxies('a'),
      faults: [
        { resource: 'pods/portforward', name: 'demoapp-v2-canary-a0', dieAfterBytes: 2000 },
        { resource: 'pods/portforward', name: 'client-a', blackhole: true },
      ],
    },
    // Loads fine, but its watches never answer: stop() must abort connects in flight.
    b: { seedDir: join(APISERVER_SEED, 'b'), proxies: proxies('b'), faults: [{ verb: 'watch', blackhole: true }] },
    // Dead from the start: every request times out.
    dark: { seedDir: join(APISERVER_SEED, 'a'), blackhole: true },
  });
  dir = mkdtempSync(join(tmpdir(), 'meshscope-leaks-'));
});
after(async () => {
  await clusters.close();
  rmSync(dir, { recursive: true, force: true });
});

test('after loads, port-forwards, watches and commands nothing is left open: the process exits on its own', { timeout: 90_000 }, async () => {
  const commands = [
    ['tree', '--context', 'a', '--request-timeout', '2s'],
    ['pc', 'clusters', 'demoapp-v2-a0.app', '--context', 'a', '--request-timeout', '2s'],
    ['pc', 'routes', 'client-b.app', '--context', 'b', '--request-timeout', '1s'],
    ['proxy-status', '--context', 'a', '--request-timeout', '2s'],
    ['snapshot', '--out', join(dir, 'snap'), '--context', 'a', '--pods', 'app=demoapp', '--request-timeout', '2s'],
    ['weights', 'set', 'demoapp', 'v2=60', 'v2-canary=40', '-n', 'app', '--yes', '--context', 'a', '--audit-log', join(dir, 'audit.log')],
  ];
  const env = { ...process.env, HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'cfg'), NO_COLOR: '1', CI: 'true', LEAK_PROBE: JSON.stringify({ kubeconfig: clusters.kubeconfig, commands }) };
  const child = spawn(process.execPath, ['--import', 'tsx', PROBE], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let probedAt = 0;
  child.stdout.on('data', (d: Buffer) => { out += d; if (!probedAt && out.includes('LEAK-PROBE ')) probedAt = Date.now(); });
  child.stderr.on('data', (d: Buffer) => { err += d; });
  const exit = await new Promise<{ code: number | null; at: number }>((done) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('exit', (code) => { clearTimeout(killer); done({ code, at: Date.now() }); });
  });
  assert.ok(probedAt > 0, `the probe finished its work:\n${out}\n${err}`);
  // The work happened, with the failures it was meant to meet.
  assert.match(out, /^loaded a:ok b:ok dark:error$/m);
  assert.match(out, /^proxy demoapp-v2-a0: ok$/m);
  assert.match(out, /^proxy demoapp-v2-a1: port-forward to pod app\/demoapp-v2-a1 port 15000: error forwarding/m);
  assert.match(out, /^proxy demoapp-v2-canary-a0: .*connection closed before the response was complete/m);
  assert.match(out, /^proxy client-a: .*timeout/m);
  assert.match(out, /^command weights: exit 0$/m);
  assert.ok(clusters.servers.b.requests.some((r) => r.verb === 'watch'), 'the hanging watches were attempted');

  const resources = JSON.parse(/LEAK-PROBE (.*)/.exec(out)![1]) as string[];
  const held = resources.filter((r) => !['PipeWrap', 'TTYWrap'].includes(r));
  assert.deepEqual(held, [], `still open after the work: ${resources.join(', ')}`);
  assert.equal(exit.code, 0, err);
  // A handle left open keeps the process alive until the 80 s kill above; 20 s is generous for a loaded machine.
  assert.ok(exit.at - probedAt < 20_000, `the process exited ${exit.at - probedAt} ms after its work, on its own`);
});
