// The `s` key on fixtures/demo: observed shares from the recorded stats beside the intended weights, asserted on the
// frame text. Expected numbers come from the demo's stats.json files, not from the code under test.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import type { MeshInput } from '../src/model/context.js';
import { meshData } from '../src/app/data-adapter.js';
import { trafficPluginFor } from '../src/app/traffic-plugin.js';
import { sparkline } from '../src/ui/traffic/TrafficView.js';
import { KEYS, start } from './ui-support.js';
import { repoRoot } from './support/paths.js';

const demo = resolve(repoRoot, 'fixtures/demo');
let input: MeshInput;
before(async () => { input = await loadSnapshotFolder(demo); });

function app() {
  const mesh = joinMesh(input);
  const data = meshData(input, mesh, buildMeshTree(mesh), { source: 'fixtures/demo', readOnly: true, refresh: () => {}, yaml, views });
  return { data, plugins: [trafficPluginFor(input, mesh, { fixtures: demo, context: [], readOnly: true })] };
}

/** Requests to one demoapp subset between the two samples, over the app proxies' stats.json. */
function requests(subset: string): number {
  const dir = join(demo, 'cluster-a/proxies/app');
  return ['client-d44cdc4b7-9dl8s', 'frontend-7c55c868cf-fhd87', 'frontend-7c55c868cf-p5rrv'].reduce((sum, pod) => {
    const f = JSON.parse(readFileSync(join(dir, pod, 'stats.json'), 'utf8')) as { samples: { stats: { stats: { name: string; value: number }[] } }[] };
    const v = (i: number) => f.samples[i]!.stats.stats.find((s) => s.name === `cluster.outbound|8080|${subset}|demoapp.app.svc.cluster.local.upstream_rq_total`)?.value ?? 0;
    return sum + v(1) - v(0);
  }, 0);
}

test('s on the demoapp rule shows the observed shares beside the intended weights, with a sparkline and the 5xx rate', async () => {
  const { data, plugins } = app();
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('/', 'weight-based', KEYS.enter);
  assert.match(ui.frame(), /rule .*http\[0\] weight-based-routing|http\[0\] weight-based-routing/);
  await ui.press('s');
  const f = ui.frame();
  const v2 = requests('v2');
  const canary = requests('v2-canary');
  const share = (n: number) => `${((n / (v2 + canary)) * 100).toFixed(1)}%`;
  assert.match(f, /traffic · cluster-a app\/demoapp/);
  assert.match(f, /http\[0\] weight-based-routing +match: \*/);
  const row = (label: string) => f.split('\n').find((l) => new RegExp(`│\\s+${label} `).test(l)) ?? '';
  assert.match(row('demoapp v2'), new RegExp(`demoapp v2 +90% █{9}░ +observed +${share(v2).replace('.', '\\.')} ${sparkline([v2 / (v2 + canary)])}`));
  assert.match(row('demoapp v2-canary'), new RegExp(`demoapp v2-canary +10% █░{9} +observed +${share(canary).replace('.', '\\.')} ${sparkline([canary / (v2 + canary)])}.* 5xx +14\\.5%`));
  assert.match(f, /counted by: app\/client-d44cdc4b7-9dl8s, app\/frontend-7c55c868cf-fhd87, app\/frontend-7c55c868cf-p5rrv/);
  await ui.press(KEYS.esc);
  assert.doesNotMatch(ui.frame(), /traffic · /);
  ui.unmount();
});

test('s on a TCP VirtualService counts connections; elsewhere it says where it works', async () => {
  const { data, plugins } = app();
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('/', 'tcp-echo', KEYS.enter);
  await ui.press('s');
  let f = ui.frame();
  assert.match(f, /traffic · cluster-a default\/tcp-echo/);
  assert.match(f, /tcp-echo v1:9000 +80% .* observed +80\.5% .* cps/);
  assert.doesNotMatch(f, /5xx/);
  await ui.press(KEYS.esc);
  await ui.press('/', 'productpage-v1', KEYS.enter, 's');
  f = ui.frame();
  assert.match(f, /s works on a VirtualService, a route rule or a destination/);
  ui.unmount();
});

test('sparkline: one bar per value, highest last', () => {
  assert.equal(sparkline([0, 0.5, 1]), '▁▅█');
  assert.equal(sparkline([]), '');
});
