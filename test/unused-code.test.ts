// knip (knip.json) finds no unused files or exports in src/; a new unused export fails the run and is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';

const KNIP = join(repoRoot, 'node_modules/knip/bin/knip.js');

function knip(cwd: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [KNIP, '--no-progress', '--no-config-hints'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('knip: no unused files or exports in src/', { timeout: 150_000 }, () => {
  const r = knip(repoRoot);
  assert.equal(r.code, 0, r.out);
});

test('knip: an unused export or an unused file fails the run and is named', { timeout: 150_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-knip-'));
  try {
    for (const f of ['src', 'test', 'fixtures/tools', 'package.json', 'tsconfig.json', 'knip.json']) cpSync(join(repoRoot, f), join(dir, f), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    appendFileSync(join(dir, 'src/core/errors.ts'), '\nexport function neverCalled(): number {\n  return 1;\n}\n');
    writeFileSync(join(dir, 'src/core/orphan.ts'), 'export const orphan = 1;\n');
    const r = knip(dir);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /neverCalled\s+function\s+src\/core\/errors\.ts/);
    assert.match(r.out, /src\/core\/orphan\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
