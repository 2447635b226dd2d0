// End-to-end: the real binary in tmux at 120×40 on fixtures/demo, driven as a new user would.
// Skips (with the reason) when tmux or the build (dist/) is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { untilText } from './support/poll.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const session = `meshscope-e2e-${process.pid}`;
const hasTmux = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).status === 0;
const built = existsSync(join(root, 'dist/cli/main.js'));
const skip = !hasTmux ? 'tmux is not installed (apt-get install -y tmux)' : !built ? 'dist/ is missing: run npm run build' : false;

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session);
const keys = (...k: string[]) => tmux('send-keys', '-t', session, ...k);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function waitFor(what: RegExp, timeoutMs = 15_000): Promise<string> {
  const read = () => { try { return screen(); } catch { return '(session gone)'; } };
  return untilText(read, what, { timeoutMs, intervalMs: 100 });
}

test('a new user in tmux: search, expand, proxy routes, cross-cluster link, help, quit', { skip, timeout: 120_000 }, async () => {
  const cmd = `cd ${JSON.stringify(root)} && env -u CI NO_COLOR=1 node bin/meshscope.js --fixtures fixtures/demo; echo "EXIT=$?"; sleep 5`;
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd);
  try {
    let s = await waitFor(/● cluster-a .*● cluster-b/);
    assert.match(s, /meshscope\s+fixtures\/demo/);
    assert.match(s, /\? help/);

    keys('?');
    s = await waitFor(/Keys/);
    assert.match(s, /fuzzy search/);
    assert.match(s, /:pc VIEW POD/);
    keys('Escape');
    await waitFor(/Tree \(/);

    keys('/');
    await waitFor(/Search/);
    keys('rev');
    s = await waitFor(/Matches for "rev"/);
    assert.match(s, /│[ ›]vs default\/reviews @cluster-a/, 'the reviews VirtualService is the first match');
    keys('Enter');
    s = await waitFor(/│›?vs reviews -n default @cluster-a/);
    keys('l');
    s = await waitFor(/rule http\[0\].*jason/);
    assert.match(s, /reviews\.default\.global subset v2/);

    keys(':pc routes frontend');
    await waitFor(/:pc routes frontend▏/);
    keys('Enter');
    s = await waitFor(/ 1 listeners  2 routes  3 clusters  4 endpoints/);
    assert.match(s, /NAME\s+VHOST NAME/);
    // Page down the details to the weighted clusters under the routes table.
    const split = /demoapp\.app\.svc\.cluster\.local:8080 → v2 (90%, v2-canary 10%|100%, v2-canary 0%)/;
    let seen = '';
    for (let i = 0; i < 12 && !split.test(seen); i++) {
      keys('PageDown');
      await sleep(250);
      seen += screen();
    }
    assert.match(seen, /demoapp\.app\.svc\.cluster\.local:8080 → v2 90%, v2-canary 10%/);

    // b.nginx.com: destination → ServiceEntry endpoint → hop link into cluster-b; Enter follows it.
    keys('Tab', '/b.nginx');
    await waitFor(/Matches for "b\.nginx"/);
    keys('Enter');
    await waitFor(/│›?→ b\.nginx\.com:80 -n default @cluster-a/);
    for (const k of ['l', 'j', 'j', 'l', 'j']) { keys(k); await sleep(200); }
    s = await waitFor(/▸ ↗ → cluster-b istio-system\/istio-/);
    keys('Enter');
    s = await waitFor(/│›?svc istio-ingressgateway -n istio-system @cluster-b/);

    keys('q');
    await waitFor(/EXIT=0/);
    s = screen();
    assert.doesNotMatch(s, /Tree \(/, 'the alternate screen is gone after quitting');
  } finally {
    try { tmux('kill-session', '-t', session); } catch { /* already gone */ }
  }
});
