// Walks istioctl's analyzer cases (../shared/conformance/istio/analyze/expected.json): for every case whose analyzer
// meshscope implements, `analyze --only <analyzer>` over the case's inputs must give exactly the expected multiset
// of (code, origin). Cases of analyzers meshscope lacks are reported as skipped, by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/app/analyze-run.js';
import { CHECKS } from '../src/analyze/registry.js';
import { loadMeshConfig } from '../src/sources/analyze-inputs.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(repoRoot, '../shared/conformance/istio');
const expectedFile = resolve(corpus, 'analyze/expected.json');

interface Case {
  id: number; name: string; analyzer: string; inputFiles: string[];
  meshConfigFile: string | null; meshNetworksFile: string | null;
  expected: { code: string; origin: string }[];
}

const cases: Case[] = existsSync(expectedFile) ? (JSON.parse(readFileSync(expectedFile, 'utf8')) as { cases: Case[] }).cases : [];
const implemented = new Set(CHECKS.map((c) => c.name));

test('conformance corpus is present', { skip: cases.length === 0 ? `missing ${expectedFile}` : false }, () => {
  assert.ok(cases.length > 0);
});

for (const c of cases) {
  const skip = implemented.has(c.analyzer) ? false : `${c.analyzer} is not implemented`;
  test(`istioctl case ${c.id} "${c.name}" (${c.analyzer})`, { skip }, () => {
    const { findings } = analyze({
      files: c.inputFiles.map((f) => resolve(corpus, f)),
      only: [c.analyzer],
      defaultNamespace: '',
      meshConfig: c.meshConfigFile ? loadMeshConfig(resolve(corpus, c.meshConfigFile)) : undefined,
    });
    const got = findings.map((f) => `${f.code} ${f.origin}`).sort();
    const want = c.expected.map((e) => `${e.code} ${e.origin}`).sort();
    assert.deepEqual(got, want, findings.map((f) => `${f.level} [${f.code}] (${f.origin}) ${f.message}`).join('\n'));
  });
}
