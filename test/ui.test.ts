// TUI behaviour through ink-testing-library: every test asserts on the rendered frame text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { Text, useInput } from 'ink';
import { KEYS, miniData, start } from './ui-support.js';
import { syntheticData, syntheticTree } from './support/synthetic.js';
import type { UiPlugin } from '../src/ui/types.js';

const lines = (f: string) => f.split('\n');
/** The row of the frame that contains `text`. */
const rowWith = (f: string, text: string) => lines(f).find((l) => l.includes(text)) ?? '';

test('first render: header with contexts, source, READ-ONLY, tree, details and key hints', async () => {
  const ui = await start(miniData());
  const f = ui.frame();
  assert.match(f, /meshscope/);
  assert.match(f, /fixtures\/mini/);
  assert.match(f, /READ-ONLY/);
  assert.match(f, /● cluster-a 5 objects 1 proxies/);
  assert.match(f, /✗ cluster-b error/);
  assert.match(f, /▾ ctx cluster-a/);
  assert.match(f, /▸ ns default/);
  assert.match(f, /\? help/);
  assert.match(f, /q quit/);
  assert.equal(lines(f).length, 29, 'fills the terminal but one row');
  ui.unmount();
});

test('a context in an error state shows its one-line reason', async () => {
  const ui = await start(miniData());
  assert.match(ui.frame(), /cluster-b: connect ECONNREFUSED 127\.0\.0\.1:6443/);
  ui.unmount();
});

test('a loading context shows a spinner; an empty mesh says so', async () => {
  const ui = await start(miniData({ roots: [], contexts: [{ name: 'prod-eu', status: 'loading' }] }));
  const f = ui.frame();
  assert.match(f, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] prod-eu loading…/);
  assert.match(f, /nothing loaded yet/);
  assert.match(f, /nothing selected/);
  await ui.press('j', 'l', KEYS.enter, '/', 'x', KEYS.enter);
  assert.match(ui.frame(), /no match for "x"/);
  ui.unmount();
  const none = await start(miniData({ roots: [], contexts: [] }));
  assert.match(none.frame(), /no contexts loaded/);
  none.unmount();
});

test('navigation: j/k, arrows, g/G move the selection and the details follow', async () => {
  const ui = await start(miniData());
  await ui.press('j');
  assert.match(ui.frame(), /Details[\s\S]*│ns default/);
  await ui.press('G');
  assert.match(ui.frame(), /│ns istio-system @cluster-b/);
  await ui.press('g', KEYS.down, KEYS.down);
  assert.match(ui.frame(), /│ns app/);
  await ui.press(KEYS.up, 'k');
  assert.match(ui.frame(), /│ctx cluster-a/);
  ui.unmount();
});

test('expand and collapse with l/h and →/←, and h goes to the parent', async () => {
  const ui = await start(miniData());
  await ui.press('j', 'l');
  assert.match(ui.frame(), /▾ ns default/);
  assert.match(ui.frame(), /▸ VirtualServices/);
  await ui.press('l', KEYS.right);
  assert.match(ui.frame(), /▾ VirtualServices/);
  await ui.press(KEYS.right, 'l');
  const f = ui.frame();
  assert.match(f, /▾ vs reviews/);
  assert.match(f, /rule http\[0\] jason headers end-use/);
  await ui.press('h'); // from the jason rule to its parent
  await ui.press('h'); // collapse reviews
  assert.match(ui.frame(), /▸ vs reviews/);
  assert.doesNotMatch(ui.frame(), /http\[0\] jason/);
  ui.unmount();
});

test('badges: weight bars, health counts, problems and drift markers, links', async () => {
  const ui = await start(miniData(), { columns: 160, rows: 40 });
  await ui.press('/', 'jason', KEYS.enter, 'l');
  const f = ui.frame();
  assert.match(f, /reviews\.default\.global v2 ███░░ 50% 1\/1/);
  assert.match(f, /reviews\.default\.global v3 ███░░ 50% 0\/1 ✗1/);
  await ui.press('/', 'frontend', KEYS.enter);
  assert.match(ui.frame(), /pod frontend-6b8f-abcde 1\/1 ≠1/);
  await ui.press('/', 'b.nginx', KEYS.enter, 'l');
  assert.match(ui.frame(), /↗ cluster-b\/istio-ingressgateway via ServiceEntry b\.nginx\.com/);
  ui.unmount();
});

test('search: live results while typing, Enter jumps, n/N cycle, Esc cancels', async () => {
  const ui = await start(miniData());
  await ui.press('/');
  assert.match(ui.frame(), /type to search names, hosts/);
  await ui.press('r', 'e', 'v');
  let f = ui.frame();
  assert.match(f, /\/rev▏/);
  assert.match(f, /Matches for "rev" \(\d+\)/);
  const results = lines(f).filter((l) => /│[ ›](vs|→|rule)/.test(l));
  assert.ok(results.length > 0);
  assert.match(rowWith(f, 'Matches for'), /rev/);
  assert.match(lines(f)[lines(f).findIndex((l) => l.includes('Matches for')) + 1]!, /vs default\/reviews @cluster-a/, 'the VirtualService ranks first');
  await ui.press(KEYS.enter);
  f = ui.frame();
  assert.match(f, /match 1\/\d+ for "rev"/);
  assert.match(f, /│›?vs reviews -n default @cluster-a/);
  assert.match(f, /▾ VirtualServices/, 'ancestors were expanded');
  await ui.press('n');
  assert.match(ui.frame(), /match 2\/\d+/);
  await ui.press('N');
  assert.match(ui.frame(), /match 1\/\d+/);
  // Envoy cluster names contain `|` and IPs are searchable.
  await ui.press('/', '10.0.1.5', KEYS.enter);
  assert.match(ui.frame(), /│›?pod frontend-6b8f-abcde -n app @cluster-a/);
  await ui.press('/', 'zzz', KEYS.esc);
  assert.doesNotMatch(ui.frame(), /\/zzz/);
  ui.unmount();
});

test('search on a 100,000-node tree answers and jumps', async () => {
  const roots = syntheticTree(100_000);
  const ui = await start(syntheticData(roots));
  await ui.press('/', 's', 'v', 'c', '-', '7', '-', '1', '9');
  assert.match(ui.frame(), /Matches for "svc-7-19"/);
  await ui.press(KEYS.enter);
  assert.match(ui.frame(), /│›?vs svc-7-19 -n ns-7 @cluster-a/);
  ui.unmount();
});

test('command bar: completion, list views, Enter jumps, - toggles back, errors flash', async () => {
  const ui = await start(miniData());
  await ui.press(':', 'v');
  assert.match(ui.frame(), /:v▏/);
  await ui.press(KEYS.tab);
  assert.match(ui.frame(), /:vs▏/);
  await ui.press(KEYS.enter);
  let f = ui.frame();
  assert.match(f, /VirtualServices \(1\)/);
  assert.match(f, /vs default\/reviews @cluster-a/);
  await ui.press(KEYS.enter);
  assert.match(ui.frame(), /Tree \(/);
  assert.match(ui.frame(), /│›?vs reviews -n default/);
  await ui.press('-');
  assert.match(ui.frame(), /VirtualServices \(1\)/);
  await ui.press(':', 'c', 't', 'x', ' ', KEYS.tab);
  assert.match(ui.frame(), /:ctx cluster-a▏/);
  await ui.press(KEYS.tab);
  assert.match(ui.frame(), /:ctx cluster-b▏/);
  await ui.press(KEYS.enter, ':', 't', 'r', 'e', 'e', KEYS.enter, ':', 'c', 't', 'x', ' ', 'c', 'l', 'u', 's', 't', 'e', 'r', '-', 'b', KEYS.enter);
  f = ui.frame();
  assert.match(f, /Tree \(\d+ rows\) \[ctx cluster-b\]/);
  assert.doesNotMatch(f, /ctx cluster-a/);
  await ui.press(':', 'n', 's', ' ', 'a', 'p', 'p', KEYS.enter);
  assert.match(ui.frame(), /no namespace|Tree/);
  await ui.press(':', 'b', 'o', 'g', 'u', 's', KEYS.enter);
  assert.match(ui.frame(), /✗ unknown command :bogus/);
  await ui.press(':', 'c', 't', 'x', ' ', 'n', 'o', 'p', 'e', KEYS.enter);
  assert.match(ui.frame(), /no context "nope" \(loaded: cluster-a, cluster-b\)/);
  ui.unmount();
});

test(':pc routes POD opens the proxy-config tab; tabs switch with h/l and digits', async () => {
  const ui = await start(miniData(), { columns: 140, rows: 30 });
  await ui.press(':', 'p', 'c', ' ', 'r', 'o', 'u', 't', 'e', 's', ' ', 'f', 'r', 'o', 'n', 't', KEYS.enter);
  let f = ui.frame();
  assert.match(f, / 1 listeners  2 routes  3 clusters  4 endpoints/);
  assert.match(f, /NAME\s+VHOST NAME\s+DOMAINS\s+MATCH\s+VIRTUAL SERVICE/);
  assert.match(f, /8080\s+demoapp\.app\.svc\.cluster\.local:8080\s+demoapp\s+\/\*\s+demoapp\.app/);
  await ui.press('l');
  f = ui.frame();
  assert.match(f, /SERVICE FQDN\s+PORT\s+SUBSET\s+DIRECTION\s+TYPE\s+DESTINATION RULE/);
  assert.match(f, /demoapp\.app\.svc\.cluster\.local\s+8080\s+v2-canary\s+outbound\s+EDS/);
  await ui.press('4');
  assert.match(ui.frame(), /10\.0\.2\.7:8080\s+HEALTHY\s+OK\s+outbound\|8080\|v2\|demoapp/);
  await ui.press('h', 'h', 'h');
  assert.match(ui.frame(), /ADDRESSES\s+PORT\s+MATCH\s+DESTINATION/);
  ui.unmount();
});

test('switching panes with Tab; details scroll and Enter follows a related entry; Esc goes back', async () => {
  const ui = await start(miniData(), { columns: 140, rows: 30 });
  await ui.press('/', 'jason', KEYS.enter);
  let f = ui.frame();
  assert.match(f, /Destinations → Envoy clusters/);
  assert.match(f, /50% reviews\.default\.global subset v2/);
  assert.match(f, /no Envoy cluster implements it/);
  assert.match(f, /↗ VirtualService default\/reviews/);
  assert.match(f, /←\/→ fold/, 'tree hints while the tree has focus');
  await ui.press(KEYS.tab);
  f = ui.frame();
  assert.match(f, /←\/→ tab/, 'details hints once the details pane has focus');
  assert.match(f, /cluster-a\/default\/productpage-v1 outbound\|9080\|v2\|reviews\.default\.global 50% 1\/1/, 'the focused pane is wider');
  await ui.press('G', KEYS.enter);
  f = ui.frame();
  assert.match(f, /│›?vs reviews -n default @cluster-a/);
  await ui.press(KEYS.esc);
  assert.match(ui.frame(), /│›?rule http\[0\] jason/);
  ui.unmount();
});

test('Enter on a link follows it into the other context', async () => {
  const ui = await start(miniData());
  await ui.press('/', 'b.nginx.com', KEYS.enter, 'l', 'j');
  assert.match(ui.frame(), /↗ cluster-b\/istio-ingressgateway/);
  await ui.press(KEYS.enter);
  const f = ui.frame();
  assert.match(f, /│gw istio-ingressgateway -n istio-system @cluster-b/);
  ui.unmount();
});

test('help overlay lists every key, including plugin keys; any key closes it', async () => {
  const plugin: UiPlugin = { key: 'e', help: 'edit weights of the selected rule', hint: 'edit', open: () => React.createElement(Text, null, 'EDITOR') };
  const ui = await start(miniData(), { columns: 120, rows: 60 }, [plugin]);
  await ui.press('?');
  const f = ui.frame();
  for (const k of ['↑/↓ j/k', 'PgUp/PgDn', 'g/G', '←/→ h/l', 'Enter', 'Tab', 'Esc', '-', '/', 'n/N', ':', 'r', '?', 'q Ctrl-C', ':pc VIEW POD', ':ctx NAME', ':ns NAME']) {
    assert.ok(f.includes(k), `help lists ${k}`);
  }
  assert.match(f, /e\s+edit weights of the selected rule/);
  assert.match(f, /≠ +intent \/ Envoy drift/);
  await ui.press('x');
  assert.doesNotMatch(ui.frame(), /PgUp\/PgDn/);
  ui.unmount();
});

test('a plugin key opens its overlay, which owns the keyboard until it closes', async () => {
  let closeIt: () => void = () => {};
  function Editor({ close }: { close: () => void }) {
    closeIt = close;
    useInput((input) => { if (input === 'x') close(); });
    return React.createElement(Text, null, 'WEIGHT EDITOR OPEN');
  }
  const plugin: UiPlugin = {
    key: 'e', help: 'edit weights', hint: 'edit', appliesTo: (n) => n?.kind === 'VirtualService', notApplicable: 'e works on a VirtualService',
    open: (ctx) => React.createElement(Editor, { close: ctx.close }),
  };
  const ui = await start(miniData(), undefined, [plugin]);
  assert.match(ui.frame(), /e edit/);
  await ui.press('e');
  assert.match(ui.frame(), /e works on a VirtualService/);
  await ui.press('/', 'reviews', KEYS.enter, 'e');
  assert.match(ui.frame(), /WEIGHT EDITOR OPEN/);
  await ui.press('j');
  assert.match(ui.frame(), /WEIGHT EDITOR OPEN/);
  await ui.press('x');
  assert.doesNotMatch(ui.frame(), /WEIGHT EDITOR OPEN/);
  void closeIt;
  ui.unmount();
});

test('resize re-lays out: 80×24 keeps every line within 80 columns, 160×50 shows more', async () => {
  const ui = await start(miniData(), { columns: 80, rows: 24 });
  await ui.press('/', 'jason', KEYS.enter);
  let f = ui.frame();
  assert.equal(lines(f).length, 23);
  for (const l of lines(f)) assert.ok([...l].length <= 80, `line fits 80 columns: ${l}`);
  await ui.resize(160, 50);
  f = ui.frame();
  assert.equal(lines(f).length, 49);
  assert.ok(lines(f).some((l) => [...l].length > 100));
  assert.match(f, /Destinations → Envoy clusters/);
  await ui.resize(80, 24);
  assert.equal(lines(ui.frame()).length, 23);
  ui.unmount();
});

test('refresh calls the provider; new data keeps the selection; q quits', async () => {
  let refreshed = 0;
  const data = miniData({ refresh: () => { refreshed++; } });
  const ui = await start(data);
  await ui.press('/', 'reviews', KEYS.enter, 'r');
  assert.equal(refreshed, 1);
  assert.match(ui.frame(), /refreshing…/);
  await ui.rerender(miniData({ contexts: [{ name: 'cluster-a', status: 'ok', counts: { objects: 6 } }] }));
  const f = ui.frame();
  assert.match(f, /cluster-a 6 objects/);
  assert.match(f, /│›?vs reviews -n default/);
  await ui.press('q');
  assert.equal(ui.quitCalled(), true);
  ui.unmount();
});

test('strings from the data are sanitized before display', async () => {
  const ui = await start(miniData({ source: 'evil\x1b]0;pwned\x07dir' }));
  await ui.press('/', 'reviews', KEYS.enter);
  const f = ui.frame();
  assert.doesNotMatch(f, /\x1b\]0;pwned/);
  assert.match(f, /evildir/);
  assert.match(f, /namespace: default/);
  ui.unmount();
});
