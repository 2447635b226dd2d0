// Walks istioctl's analyzer cases (../shared/conformance/istio/analyze/expected.json): for every case whose analyzer
// meshscope implements, `analyze --only <analyzer>` over the case's inputs must give exactly the expected multiset
// of (code, level, origin). The analyzers meshscope lacks are named below; any other analyzer in the corpus fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/app/analyze-run.js';
import { CHECKS } from '../src/analyze/registry.js';
import { loadMeshConfig } from '../src/sources/analyze-inputs.js';
import { requireCorpus } from './support/paths.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(repoRoot, '../shared/conformance/istio');
const expectedFile = resolve(corpus, 'analyze/expected.json');

interface Case {
  id: number; name: string; analyzer: string; inputFiles: string[];
  meshConfigFile: string | null; meshNetworksFile: string | null;
  expected: { code: string; level: string; origin: string }[];
}

requireCorpus(expectedFile, "istioctl's analyzer test cases");
const cases = (JSON.parse(readFileSync(expectedFile, 'utf8')) as { cases: Case[] }).cases;
const implemented = new Set(CHECKS.map((c) => c.name));

/** istioctl analyzers meshscope does not implement (yet); their cases are skipped by name. */
const KNOWN_MISSING = new Set([
  'gateway.SecretAnalyzer',
  'k8sgateway.SelectorAnalyzer',
  'meshnetworks.MeshNetworksAnalyzer',
]);

test('every analyzer of the corpus is implemented or named as missing; none named is implemented', () => {
  assert.ok(cases.length > 0);
  const analyzers = new Set(cases.map((c) => c.analyzer));
  assert.deepEqual([...analyzers].filter((a) => !implemented.has(a) && !KNOWN_MISSING.has(a)), [], 'analyzers neither implemented nor known missing');
  assert.deepEqual([...KNOWN_MISSING].filter((a) => implemented.has(a)), [], 'implemented now: remove from KNOWN_MISSING');
  assert.deepEqual([...KNOWN_MISSING].filter((a) => !analyzers.has(a)), [], 'named missing but not in the corpus');
});

for (const c of cases) {
  const skip = KNOWN_MISSING.has(c.analyzer) ? `${c.analyzer} is not implemented` : false;
  test(`istioctl case ${c.id} "${c.name}" (${c.analyzer})`, { skip }, () => {
    const { findings } = analyze({
      files: c.inputFiles.map((f) => resolve(corpus, f)),
      only: [c.analyzer],
      defaultNamespace: '',
      meshConfig: c.meshConfigFile ? loadMeshConfig(resolve(corpus, c.meshConfigFile)) : undefined,
    });
    const got = findings.map((f) => `${f.code} ${f.level} ${f.origin}`).sort();
    const want = c.expected.map((e) => `${e.code} ${e.level} ${e.origin}`).sort();
    assert.deepEqual(got, want, findings.map((f) => `${f.level} [${f.code}] (${f.origin}) ${f.message}`).join('\n'));
  });
}
