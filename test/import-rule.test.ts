// The import rule (.dependency-cruiser.cjs, ARCHITECTURE.md) holds for src/, and a bad import fails it with the import named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';

const CRUISE = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

function cruise(cwd: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [CRUISE, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test('src/ follows the import rule (layers one way, ui/ reaches no I/O, nothing imports cli/, no cycles)', { timeout: 150_000 }, () => {
  const r = cruise(repoRoot);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /no dependency violations found/);
});

test('a bad import fails the rule and names the offending import', { timeout: 150_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-import-rule-'));
  try {
    cpSync(join(repoRoot, 'src'), join(dir, 'src'), { recursive: true, filter: (p) => !/\.test\.tsx?$/.test(p) });
    for (const f of ['tsconfig.json', '.dependency-cruiser.cjs']) cpSync(join(repoRoot, f), join(dir, f));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'src/ui/bad-import.ts'), "import { loadMesh } from '../sources/load.js';\nexport const bad = loadMesh;\n");
    writeFileSync(join(dir, 'src/mesh/leaky.ts'), "import { readFileSync } from 'node:fs';\nexport const leaky = readFileSync;\n");
    writeFileSync(join(dir, 'src/ui/bad-reach.ts'), "import { leaky } from '../mesh/leaky.js';\nexport const reach = leaky;\n");
    writeFileSync(join(dir, 'src/model/bad-cli.ts'), "import type { Command } from 'commander';\nimport { globalsOf } from '../cli/global.js';\nexport const bad = (c: Command) => globalsOf(c);\n");
    const r = cruise(dir);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /error ui-imports-only-[\w-]+: src\/ui\/bad-import\.ts → src\/sources\/load\.ts/);
    assert.match(r.out, /error ui-reaches-no-io: src\/ui\/bad-reach\.ts → fs\n\s+src\/mesh\/leaky\.ts →/);
    assert.match(r.out, /error pure-layers-do-no-io: src\/mesh\/leaky\.ts → fs/);
    assert.match(r.out, /error nothing-imports-cli: src\/model\/bad-cli\.ts → src\/cli\/global\.ts/);
    assert.match(r.out, /error model-imports-only-core: src\/model\/bad-cli\.ts → src\/cli\/global\.ts/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
