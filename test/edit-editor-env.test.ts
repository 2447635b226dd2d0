// The TUI editor's I/O glue on a snapshot folder: open a VirtualService with its copies, apply, undo, read-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { createWeightsEditorEnv } from '../src/app/weights-env.js';
import { prepareEdit } from '../src/edit/prepare.js';
import { resolveRule } from '../src/edit/planner.js';
import { readAudit } from '../src/sources/edit/audit.js';

const VS = (c: string) => `# ${c}
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: demoapp, namespace: app}
spec:
  hosts: [demoapp]
  http:
  - route:
    - destination: {host: demoapp, subset: v2}
      weight: 90
    - destination: {host: demoapp, subset: v2-canary}
      weight: 10
`;

test('open → copies in the other context → apply to both → undo both; read-only reported per context', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-editor-env-'));
  try {
    for (const c of ['cluster-a', 'cluster-b']) {
      mkdirSync(join(dir, 'mesh', c), { recursive: true });
      writeFileSync(join(dir, 'mesh', c, 'vs.yaml'), VS(c));
    }
    const env = { HOME: dir, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') };
    const input = await loadSnapshotFolder(join(dir, 'mesh'));
    const globals = { fixtures: join(dir, 'mesh'), context: [], readOnly: false };
    const ed = createWeightsEditorEnv(input, globals, { env });
    const opened = ed.open({ context: 'cluster-a', kind: 'VirtualService', namespace: 'app', name: 'demoapp' });
    assert.ok(typeof opened === 'object');
    assert.deepEqual(opened.copies.map((c) => c.context), ['cluster-b']);
    assert.equal(ed.readOnly('cluster-a'), undefined);
    const preps = [opened.target, ...opened.copies].map((t) => prepareEdit(t, resolveRule(t.object, '0'), { weights: [100, 0], mirrors: [] }));
    const stages: string[] = [];
    const results = await ed.apply(preps, (c, s) => stages.push(`${c}:${s}`));
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    assert.deepEqual(stages, ['cluster-a:dry-run', 'cluster-b:dry-run', 'cluster-a:write', 'cluster-b:write', ':done']);
    assert.match(readFileSync(join(dir, 'mesh', 'cluster-b', 'vs.yaml'), 'utf8'), /weight: 100\n[\s\S]*weight: 0\n/);
    const undo = await ed.prepareUndo();
    assert.ok(Array.isArray(undo) && undo.length === 2);
    assert.ok((await ed.apply(undo)).every((r) => r.ok));
    for (const c of ['cluster-a', 'cluster-b']) assert.equal(readFileSync(join(dir, 'mesh', c, 'vs.yaml'), 'utf8'), VS(c));
    assert.deepEqual(readAudit(join(dir, 'state', 'meshscope', 'audit.log')).map((e) => e.action), ['set', 'set', 'undo', 'undo']);
    assert.match(String(await ed.prepareUndo()), /nothing to undo/);
    assert.match(ed.open({ context: 'cluster-a', kind: 'VirtualService', namespace: 'app', name: 'nope' }) as string, /not loaded in cluster-a/);
    const ro = createWeightsEditorEnv(input, { ...globals, readOnly: true }, { env });
    assert.match(ro.readOnly('cluster-b') ?? '', /--read-only/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
