// `:vs` lists each VirtualService once, without the namespace twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, start } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { loadMesh } from '../src/sources/load.js';

test(':vs on the demo: one row per VirtualService object, namespace once', async () => {
  const dir = demoCopy();
  const input = await loadMesh({ fixtures: dir, context: [], readOnly: true });
  const expected = input.contexts.flatMap((c) => c.objects).filter((o) => o.obj.kind === 'VirtualService').length;
  const { data, plugins } = await snapshotApp(dir, { readOnly: true });
  const ui = await start(data, { columns: 120, rows: 60 }, plugins);
  await ui.press(':', 'v', 's', KEYS.enter);
  const f = ui.frame();
  assert.match(f, new RegExp(`VirtualServices \\(${expected}\\)`), f);
  const rows = f.split('\n').filter((l) => /^[›\s]vs /.test(l));
  assert.equal(rows.length, expected);
  for (const r of rows) assert.doesNotMatch(r, /vs ([^/\s]+)\/\1\//, `namespace once: ${r}`);
  ui.unmount();
});
