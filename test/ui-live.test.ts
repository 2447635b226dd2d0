// The TUI on live clusters: the real session (src/app/session.ts) against the HTTPS test API servers through the
// real client-node, rendered with ink-testing-library. Header progress, lazy proxy fetch, proxy-status, :ctx, r, --watch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import * as meshJoin from '../src/mesh/join.js';
import * as meshTree from '../src/mesh/tree.js';
import { TuiSession } from '../src/app/session.js';
import type { GlobalOptions } from '../src/core/options.js';
import type { KubeObject } from '../src/model/resources.js';
import { k8s } from '../src/sources/kube/index.js';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { typeOfKind } from './support/apiserver/store.js';
import { KEYS, start, type Driver } from './ui-support.js';
import { SIDECAR_DUMP, GATEWAY_DUMP, CLUSTERS_JSON, APISERVER_SEED } from './support/paths.js';
import { CORPUS_ROOT, requireCorpus } from './support/paths.js';
import { untilText } from './support/poll.js';

requireCorpus(CORPUS_ROOT, 'the config dumps the test Envoys serve');

let clusters: TestClusters;

before(async () => {
  await k8s();
  const proxies = (ctx: string) => ({
    [`istio-system/istio-ingressgateway-6d9f7c-${ctx}1`]: { configDumpFile: GATEWAY_DUMP },
    [`app/demoapp-v2-${ctx}0`]: { configDumpFile: SIDECAR_DUMP, clustersFile: CLUSTERS_JSON },
  });
  clusters = await startTestClusters({
    a: { seedDir: join(APISERVER_SEED, 'a'), proxies: proxies('a') },
    b: { seedDir: join(APISERVER_SEED, 'b'), proxies: proxies('b') },
    c: { seedDir: join(APISERVER_SEED, 'a') },
  });
});
after(async () => { await clusters.close(); });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Live { ui: Driver; session: TuiSession; close(): void }

async function open(over: Partial<GlobalOptions> = {}, size = { columns: 150, rows: 40 }): Promise<Live> {
  const globals: GlobalOptions = { context: ['a'], kubeconfig: clusters.kubeconfig, requestTimeout: '10s', readOnly: true, ...over };
  const session = await TuiSession.open(globals, { yaml, views, join: meshJoin, tree: meshTree });
  const ui = await start(session.data(), size);
  const off = session.onUpdate((u) => { void ui.rerender(u.data); });
  session.start();
  return { ui, session, close: () => { off(); session.stop(); ui.unmount(); } };
}

/**
 * Polls the frame until it matches (a RegExp, or a predicate). The bound is generous on purpose: the test API servers
 * share this process with the UI, and a loaded machine slows both; it only stops a test that would hang.
 */
function until(ui: Driver, want: RegExp | ((frame: string) => boolean), ms = 30_000): Promise<string> {
  return untilText(() => ui.frame(), want, { timeoutMs: ms, intervalMs: 15 });
}

test('header: two contexts ok with counts while a black-holed one spins, then shows its timeout', async () => {
  clusters.servers.c.setBlackhole(true);
  // The servers share this process with the UI: the timeout leaves the healthy contexts room on a busy machine (it
  // applies to them too), and the black-holed one shows it when it runs out.
  const live = await open({ context: ['a', 'b', 'c'], requestTimeout: '15s' });
  try {
    const { ui } = live;
    assert.match(ui.frame(), /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] a loading…/, 'the TUI renders before anything has loaded');
    const early = await until(ui, /● a \d+ objects.*● b \d+ objects[\s\S]*▾ ctx a/);
    assert.match(early, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] c loading…/, 'a and b are shown while c still loads');
    assert.match(early, /▾ ctx a/);
    const f = await until(ui, /✗ c error/, 45_000);
    assert.match(f, / c: timeout after 15s/);
    assert.match(f, /● a \d+ objects 1 proxies/);
  } finally {
    live.close();
    clusters.servers.c.setBlackhole(false);
  }
});

test('header: 403 on one kind marks the context partial with the reason; the rest loads', async () => {
  clusters.servers.b.faults.push({ resource: 'destinationrules', verb: 'list', status: 403 });
  const live = await open({ context: ['a', 'b'] });
  try {
    const f = await until(live.ui, /◐ b \d+ objects.* partial/);
    assert.match(f, /● a \d+ objects/);
    assert.match(f, / b: DestinationRule \(networking\.istio\.io\/v1\): forbidden: cannot list destinationrules\.networking\.istio\.io/);
  } finally {
    live.close();
    clusters.servers.b.faults.length = 0;
  }
});

test("a pod's proxy routes load on demand: loading… then the routes table; a pod without Envoy shows its error", async () => {
  // Hold the port-forward a little so the loading state is on screen for a while.
  clusters.servers.a.faults.push({ resource: 'pods/portforward', latencyMs: 300 });
  const live = await open();
  try {
    const { ui } = live;
    await until(ui, /● a \d+ objects[\s\S]*▾ ctx a/);
    const before = clusters.servers.a.envoy.requests.filter((r) => r.pod === 'app/demoapp-v2-a0').length;
    assert.equal(before, 0, 'sidecars are not fetched on load');
    await ui.press(':', 'pc routes demoapp-v2-a0.app', KEYS.enter);
    let f = await until(ui, /loading… Envoy config_dump/);
    assert.match(f, /│›?pod demoapp-v2-a0 -n app @a/);
    f = await until(ui, /NAME\s+VHOST NAME\s+DOMAINS\s+MATCH/);
    assert.match(f, /inbound-vip\|9080\|http\|reviews-v3\.default\.svc\.cluster\.local/);
    assert.match(f, /Envoy config read \d\d:\d\d:\d\d/);
    assert.match(f, /1 listeners\s+2 routes\s+3 clusters\s+4 endpoints/);
    assert.ok(clusters.servers.a.envoy.requests.some((r) => r.pod === 'app/demoapp-v2-a0' && r.path === '/config_dump?include_eds=true'));

    // R refetches; a pod whose Envoy cannot be reached shows the error on its details and its tree node.
    const n = clusters.servers.a.envoy.requests.length;
    await ui.press('R');
    await until(ui, /loading… Envoy config_dump/);
    await until(ui, /Envoy config read/);
    assert.ok(clusters.servers.a.envoy.requests.length > n, 'R fetched again');
    await ui.press(':', 'pc routes demoapp-v2-a1.app', KEYS.enter);
    f = await until(ui, /✗ Envoy config: port-forward to pod app\/demoapp-v2-a1 port 15000: error forwarding/);
    await ui.press(KEYS.tab);
    f = ui.frame();
    assert.match(f, /pod demoapp-v2-a1 .*✗/, 'the pod node carries the error');
  } finally {
    live.close();
    clusters.servers.a.faults.length = 0;
  }
});

test("proxy-status: SYNCED per type, STALE when istiod's view differs, and the diff on d", async () => {
  const stale = JSON.parse(readFileSync(SIDECAR_DUMP, 'utf8'));
  const routes = stale.configs.find((c: { '@type': string }) => c['@type'].endsWith('RoutesConfigDump'));
  routes.dynamic_route_configs[0].route_config.virtual_hosts[0].domains.push('stale.example.com');
  const live = await open({ context: ['b'] });
  try {
    const { ui } = live;
    await until(ui, /● b \d+ objects[\s\S]*▾ ctx b/);
    await ui.press(':', 'pc routes demoapp-v2-b0.app', KEYS.enter);
    let f = await until(ui, /proxy-status\s+CDS SYNCED\s+LDS SYNCED\s+EDS NOT SENT\s+RDS SYNCED/);
    clusters.servers.b.setIstiodView('demoapp-v2-b0.app', stale);
    await ui.press('R');
    f = await until(ui, /proxy-status\s+CDS SYNCED\s+LDS SYNCED\s+EDS NOT SENT\s+RDS STALE/);
    await ui.press('d');
    f = await until(ui, /Routes Don't Match/);
    assert.match(f, /Clusters Match/);
    assert.match(f, /--- Istiod Routes/);
    assert.match(f, /-\s+"stale\.example\.com"/);
    await ui.press('d');
    f = await until(ui, /RDS STALE\s+d: diff/);
    assert.doesNotMatch(f, /Routes Don't Match/);
    // :ps POD opens the pod with its diff.
    await ui.press(':', 'tree', KEYS.enter, ':', 'ps demoapp-v2-b0.app', KEYS.enter);
    f = await until(ui, /Routes Don't Match/);
    assert.match(f, /RDS STALE/);
  } finally {
    live.close();
    clusters.servers.b.setIstiodView('demoapp-v2-b0.app', undefined);
  }
});

test(':ctx +NAME adds a context at run time (with completion), :ctx -NAME removes it', async () => {
  const live = await open();
  try {
    const { ui } = live;
    await until(ui, /● a \d+ objects[\s\S]*▾ ctx a/);
    assert.doesNotMatch(ui.frame(), /ctx b/);
    await ui.press(':', 'ctx +', KEYS.tab);
    assert.match(ui.frame(), /:ctx \+b▏/, 'completion offers the kubeconfig contexts not loaded yet');
    await ui.press(KEYS.enter);
    await until(ui, /loading context b…|b loading…/);
    let f = await until(ui, /● b \d+ objects/);
    f = await until(ui, /▸ ctx b|▾ ctx b/);
    await ui.press(':', 'ctx -b', KEYS.enter);
    f = await until(ui, (fr) => /context b removed/.test(fr) && !/ctx b/.test(fr));
    assert.doesNotMatch(f, /● b/);
    assert.doesNotMatch(f, /ctx b/);
    await ui.press(':', 'ctx nope', KEYS.enter);
    assert.match(ui.frame(), /no context "nope" \(loaded: a; available: a, b, c\)/);
    // A context named without + that is not loaded yet is added too.
    await ui.press(':', 'ctx b', KEYS.enter);
    await until(ui, /● b \d+ objects/);
  } finally {
    live.close();
  }
});

test('r re-lists keeping the selection; --watch marks a changed object and flashes when it changed', async () => {
  const live = await open({ watch: true });
  try {
    const { ui } = live;
    await until(ui, /● a \d+ objects[\s\S]*▾ ctx a/);
    await ui.press(':', 'vs', KEYS.enter, KEYS.enter);
    let f = await until(ui, /│\s*vs demoapp -n app @a/);
    const listsBefore = clusters.servers.a.requests.filter((r) => r.verb === 'list' && r.resource === 'virtualservices').length;
    await ui.press('r');
    await until(ui, /a loading…/);
    f = await until(ui, /● a \d+ objects/);
    assert.ok(clusters.servers.a.requests.filter((r) => r.verb === 'list' && r.resource === 'virtualservices').length > listsBefore, 'r listed again');
    assert.match(f, /│\s*vs demoapp -n app @a/, 'the selection stays on the same node');
    await sleep(300); // the watches (re)start after the re-list

    const t = typeOfKind('VirtualService')!;
    const vs = structuredClone(clusters.servers.a.store.get(t, 'app', 'demoapp')!) as KubeObject;
    (vs.spec as { http: { route: { weight?: number }[] }[] }).http[0]!.route[0]!.weight = 77;
    clusters.servers.a.store.write(t, vs);
    f = await until(ui, /VirtualService app\/demoapp changed \d\d:\d\d:\d\d @a/);
    assert.match(f, /• vs demoapp/, 'the changed node is marked in the tree');
    assert.match(f, /watch: changed \d\d:\d\d:\d\d/);
  } finally {
    live.close();
  }
});

test('snapshot folder: :ctx toggles among its contexts, r re-reads it, proxy-status says it is not available offline', async () => {
  const live = await open({ fixtures: 'fixtures/demo', context: ['cluster-a'], kubeconfig: undefined });
  try {
    const { ui } = live;
    let f = ui.frame();
    assert.match(f, /● cluster-a/);
    assert.doesNotMatch(f, /cluster-b/);
    await ui.press(':', 'ctx +', KEYS.tab, KEYS.enter);
    f = await until(ui, /● cluster-b \d+ objects/);
    f = await until(ui, /context cluster-b added/);
    await ui.press(':', 'ctx -cluster-a', KEYS.enter);
    f = await until(ui, /context cluster-a removed/);
    assert.doesNotMatch(f, /● cluster-a/);
    await ui.press('r');
    await until(ui, /re-read fixtures\/demo at/);
    await ui.press(':', 'pods', KEYS.enter, KEYS.enter);
    f = await until(ui, /proxy-status\s+not available offline/);
    await ui.press('d');
    assert.match(ui.frame(), /proxy-status is not available offline/);
  } finally {
    live.close();
  }
});

test(':ctx +NAME / -NAME and :ps parse; completion offers loaded contexts, addable ones after +, loaded ones after -', async () => {
  const { parseCommand, completions } = await import('../src/ui/commands.js');
  assert.deepEqual(parseCommand(':ctx +b'), { type: 'ctx', name: 'b', op: 'add' });
  assert.deepEqual(parseCommand('ctx -b'), { type: 'ctx', name: 'b', op: 'remove' });
  assert.deepEqual(parseCommand('ctx b'), { type: 'ctx', name: 'b' });
  assert.deepEqual(parseCommand('ps demoapp-v2-a0.app'), { type: 'ps', pod: 'demoapp-v2-a0.app' });
  const src = { contexts: ['a'], namespaces: [], pods: ['demoapp-v2-a0.app'], addable: ['a', 'b', 'c'] };
  assert.deepEqual(completions('ctx ', src), ['ctx a', 'ctx b', 'ctx c']);
  assert.deepEqual(completions('ctx +', src), ['ctx +b', 'ctx +c']);
  assert.deepEqual(completions('ctx -', src), ['ctx -a']);
  assert.deepEqual(completions('ps demo', src), ['ps demoapp-v2-a0.app']);
});
