// Hostile strings in the TUI: a copy of fixtures/demo whose names, labels, hosts, annotations and Envoy
// cluster/route names carry escape sequences (test/support/hostile.ts) is driven through every screen; no ESC, C0 or
// C1 byte from the data may reach a frame. ink-testing-library frames carry no styling of their own (checked on the
// clean demo first), so any control byte in a frame came from the data.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { KEYS, start, type Driver } from './ui-support.js';
import { repoRoot, snapshotApp } from './ui-demo-support.js';
import { ALL, CONTROL_BYTES, EVIL_VS, PAYLOADS, firstControl, writeHostileSnapshot, type HostileSnapshot } from './support/hostile.js';
import type { MeshData, UiPlugin } from '../src/ui/types.js';
import { untilText } from './support/poll.js';

let snap: HostileSnapshot;
let app: { data: MeshData; plugins: UiPlugin[] };

before(async () => {
  snap = await writeHostileSnapshot();
  app = await snapshotApp(snap.dir);
});

/**
 * Printable leftovers of a sequence that was cut instead of removed whole. The YAML pane and analyzer messages may
 * show the exact data escaped as text (`"frontend\e]0;pwned\e\\"`, `"gw\u001b]0;pwned…"`): harmless printable
 * characters, so forms that follow such an escape notation are allowed.
 */
const E = String.raw`(?:\\e|\\u001b|\\x1b)`;
const REMNANTS = new RegExp([
  String.raw`(?<!${E})\[31;1m`, String.raw`(?<!${E})\[10;20H`, String.raw`(?<!${E})\[2J`, String.raw`(?<!${E}\])52;c;cm0g`,
  String.raw`(?<!${E}\]0;)pwned`, String.raw`(?<!${E}P)1\$qm`, String.raw`(?<!${E})\[0m`,
].join('|'));

function clean(ui: Driver, where: string, screens: string[]): string {
  const f = ui.frame();
  const bad = firstControl(f);
  assert.equal(bad, undefined, `${where}: a control character reached the frame near ${bad}`);
  assert.doesNotMatch(f, REMNANTS, `${where}: part of an escape sequence reached the frame`);
  screens.push(f);
  return f;
}

/** The frame once it matches, else the last frame (callers assert on it). */
function until(ui: Driver, re: RegExp, ms = 20_000): Promise<string> {
  return untilText(() => ui.frame(), re, { timeoutMs: ms, intervalMs: 10 }).catch(() => ui.frame());
}

test('the clean demo renders without any control byte (frames carry no styling of their own)', async () => {
  const { data, plugins } = await snapshotApp(resolve(repoRoot, 'fixtures/demo'), { readOnly: true });
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('/', 'rev', KEYS.enter, 'l', KEYS.tab);
  assert.doesNotMatch(ui.frame(), CONTROL_BYTES);
  ui.unmount();
});

test('the hostile snapshot really carries the sequences into the tree the TUI shows', () => {
  const labels: string[] = [];
  const stack = [...app.data.roots];
  while (stack.length) {
    const n = stack.pop()!;
    labels.push(n.label, n.detail ?? '', n.searchText ?? '');
    stack.push(...n.children);
  }
  for (const p of [PAYLOADS.sgr, PAYLOADS.osc52, PAYLOADS.title, PAYLOADS.clear, PAYLOADS.c1csi]) {
    assert.ok(labels.some((l) => l.includes(p)), `a node carries ${JSON.stringify(p)}`);
  }
  assert.ok(labels.some((l) => l.includes(EVIL_VS)));
});

for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }]) {
  test(`hostile strings never reach the screen at ${size.columns}×${size.rows}: tree, search, details, lists, pc tabs, !, t, e, help, flashes, header`, async () => {
    const screens: string[] = [];
    const ui = await start(app.data, size, app.plugins);
    clean(ui, 'first render', screens);

    // Search results and the jump: the hostile namespace, VirtualService, ServiceEntry, DestinationRule and pod.
    await ui.press('/', 'evil');
    let f = clean(ui, 'search results for evil', screens);
    assert.match(f, /Matches for "evil" \((\d+)\)/);
    for (let i = 0; i < 6; i++) { await ui.press(KEYS.down); clean(ui, `search result ${i + 2}`, screens); }
    await ui.press(KEYS.enter);
    clean(ui, 'jump to a hostile match', screens);
    await ui.press('/', 'vs evil', KEYS.enter);
    f = clean(ui, 'hostile VirtualService selected', screens);
    assert.match(f, /│vs vs -n evilns @cluster-a/, 'the hostile VirtualService (names cleaned) is selected');
    // Details: YAML (labels, annotations, hosts), destinations → Envoy clusters, the related list.
    await ui.press(KEYS.tab);
    let pages = clean(ui, 'hostile VS details', screens);
    for (let i = 0; i < 8; i++) { await ui.press(KEYS.pgdn); pages += clean(ui, `hostile VS details page ${i + 1}`, screens); }
    assert.match(pages, /Related/);
    assert.match(pages, /annotations:/);
    await ui.press(KEYS.tab, 'l', 'l', 'l', 'l');
    clean(ui, 'hostile VirtualService expanded', screens);

    // The demo objects whose names carry payloads: reviews (SGR), its rules and Envoy clusters.
    await ui.press(KEYS.esc, KEYS.tab, '/', 'reviews', KEYS.enter, 'l', 'j');
    clean(ui, 'reviews VS (SGR in names and hosts) and its jason rule', screens);
    await ui.press(KEYS.tab);
    for (let i = 0; i < 4; i++) { await ui.press(KEYS.pgdn); clean(ui, `reviews rule details page ${i + 1}`, screens); }
    await ui.press(KEYS.tab);

    // List views.
    for (const cmd of ['vs', 'dr', 'se', 'svc', 'pods', 'gw']) {
      await ui.press(':', cmd, KEYS.enter);
      clean(ui, `:${cmd}`, screens);
      for (let i = 0; i < 2; i++) { await ui.press(KEYS.pgdn); clean(ui, `:${cmd} page ${i + 2}`, screens); }
    }
    await ui.press(':', 'tree', KEYS.enter);

    // Proxy-config tabs of pods whose names, clusters, routes and domains are hostile (OSC 52, title).
    for (const pod of ['productpage', 'frontend']) {
      await ui.press(':', `pc routes ${pod}`, KEYS.enter);
      f = clean(ui, `:pc routes ${pod}`, screens);
      assert.match(f, /1 listeners +2 routes +3 clusters +4 endpoints/, `${pod} has proxy views`);
      for (const tab of ['1', '2', '3', '4']) {
        await ui.press(tab);
        clean(ui, `${pod} tab ${tab}`, screens);
        for (let i = 0; i < 3; i++) { await ui.press(KEYS.pgdn); clean(ui, `${pod} tab ${tab} page ${i + 2}`, screens); }
        await ui.press('L', 'L', 'L', 'L');
        clean(ui, `${pod} tab ${tab} scrolled right`, screens);
        await ui.press('H', 'H', 'H', 'H', 'g');
      }
      await ui.press(KEYS.tab);
    }

    // A flash naming a hostile object: the hostile pod has no Envoy dump.
    await ui.press(':', 'pc routes pod', KEYS.enter);
    f = clean(ui, 'flash for a pod without a dump', screens);
    assert.match(f, /has no proxy config dump/);

    // The problem list, with its detail lines.
    await ui.press('!');
    f = clean(ui, '! problems', screens);
    assert.match(f, /Problems \(\d+\)/);
    for (let i = 0; i < 12; i++) { await ui.press('j'); clean(ui, `! problem ${i + 2}`, screens); }
    await ui.press(KEYS.enter);
    clean(ui, 'jump from the problem list (highlighted YAML)', screens);

    // The trace form on the frontend pod (title payload in its name) and a trace through hostile hosts and clusters.
    await ui.press('/', 'frontend-7c', KEYS.enter);
    assert.match(ui.frame(), /│pod frontend-7c55c868cf-/, 'search matches the name as shown (sequences stripped)');
    await ui.press('t');
    f = await until(ui, /trace from/);
    clean(ui, 't trace form', screens);
    assert.match(f, /trace from cluster-a · pod app\/frontend-7c55/);
    await ui.press('demoapp', KEYS.enter);
    f = await until(ui, /demoapp.*(route|cluster|hop)/s);
    clean(ui, 't trace result', screens);
    await ui.press(KEYS.esc, KEYS.esc);
    await ui.press(':', 'tree', KEYS.enter);

    // The weight editor on the hostile VirtualService (hosts and subsets carry payloads) and its diff.
    await ui.press('/', 'vs evil', KEYS.enter, 'e');
    f = await until(ui, /Edit weights/);
    clean(ui, 'e weight editor', screens);
    assert.match(f, /Edit weights +cluster-a +evilns\/vs/);
    await ui.press('0');
    clean(ui, 'e weight editor diff', screens);
    await ui.press('a');
    await until(ui, /Apply to context/);
    clean(ui, 'e confirmation', screens);
    await ui.press('n', KEYS.esc);
    await until(ui, /Tree \(/);

    await ui.press('?');
    clean(ui, 'help', screens);
    await ui.press('x');

    // Flashes and the header from the provider: a notice and a failed context with hostile reason and name.
    await ui.rerender({ ...app.data, notice: { text: `VirtualService app/demoapp changed ${ALL}` } });
    f = clean(ui, 'a provider notice flash', screens);
    assert.match(f, /VirtualService app\/demoapp changed/);
    await ui.rerender({
      ...app.data,
      source: `snap${PAYLOADS.title}`,
      contexts: [...app.data.contexts, { name: `cluster-x${PAYLOADS.osc52}`, status: 'error', reason: `dial tcp: ${ALL} refused` }],
    });
    f = clean(ui, 'a failed context with a hostile name and reason', screens);
    assert.match(f, /cluster-x.*refused/s);

    // Sanity: the screens did show the hostile objects (cleaned), so the checks above looked at something.
    const all = screens.join('\n');
    assert.match(all, /evil/);
    assert.match(all, /reviews/);
    assert.ok(screens.length > 60, `${screens.length} screens checked`);
    ui.unmount();
  });
}
