// The `s` key on a Gateway API route rule: observed share per backendRef from the recorded stats, beside its proportion.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'yaml';
import * as views from '../src/model/envoy/views.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { meshData } from '../src/app/data-adapter.js';
import { trafficPluginFor } from '../src/app/traffic-plugin.js';
import { KEYS, start } from './ui-support.js';
import { gatewayApiSnapshot } from './support/gateway-api-envoy.js';

const root = mkdtempSync(join(tmpdir(), 'meshscope-ui-route-traffic-'));
after(() => rmSync(root, { recursive: true, force: true }));
gatewayApiSnapshot(root);

test('s on an HTTPRoute rule shows each backendRef\'s observed share beside its weight, counted on the sidecars that carry it', async () => {
  const input = await loadSnapshotFolder(root);
  const mesh = joinMesh(input);
  const data = meshData(input, mesh, buildMeshTree(mesh), { source: root, readOnly: true, refresh: () => {}, yaml, views });
  const ui = await start(data, { columns: 120, rows: 40 }, [trafficPluginFor(input, mesh, { fixtures: root, context: [], readOnly: true })]);
  await ui.press('/', 'app/reviews', KEYS.enter);
  await ui.press(KEYS.right, KEYS.down);
  assert.match(ui.frame(), /› +▸ rules\[0\] any request +on 2 proxies/, ui.frame());
  await ui.press('s');
  const f = ui.frame();
  assert.match(f, /traffic · c1 HTTPRoute app\/reviews/, f);
  assert.match(f, /rules\[0\] +match: \*/);
  const row = (label: string) => f.split('\n').find((l) => new RegExp(`│\\s+${label} `).test(l)) ?? '';
  assert.match(row('reviews-v1:9080'), /75% .* observed +66\.7%/);
  assert.match(row('reviews-v2:9080'), /25% .* observed +33\.3%/);
  assert.match(f, /counted by: app\/client-a, app\/client-b/);
  ui.unmount();
});
