// Every `istioctl ztunnel-config` golden of ../shared/conformance/istio/ztunnel (cases.json), byte for byte; the
// cases istioctl reaches with -f also through the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE } from './support/paths.js';
import { runCli } from './support/cli.js';
import { parseZtunnelDump, parseZtunnelDumpText, ZtunnelDumpError } from '../src/model/ztunnel/parse.js';
import { renderZtunnelView, zcViewOf, type ZcOptions } from '../src/cli/zc.js';

const DIR = join(CONFORMANCE, 'ztunnel');
interface Case {
  name: string; view: string; input: string; golden: string; output: string; with_headers: boolean;
  filters: { namespace?: string; workload_name?: string; workload?: string };
  istioctl: string | null; time_dependent?: boolean;
}
const spec = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as {
  cases: Case[];
  prime: { name: string; input: string; expect: { error: boolean; workloads?: number } }[];
  service_dump: { input: unknown; expect_subset: Record<string, unknown>[] };
};
/** Inside the goldens' certificate window (2023-03-21T13:02:57Z .. 2033-03-22T13:04:57Z). */
const NOW = new Date('2026-01-01T00:00:00Z');

function optionsOf(c: Case): ZcOptions {
  const o: ZcOptions = { output: c.output, withHeaders: c.with_headers };
  const f = c.filters;
  if (c.view === 'workload') {
    if (f.workload_name) o.workload = { name: f.workload_name, namespace: f.namespace ?? '' };
    else o.workloadNamespace = f.namespace;
  }
  if (c.view === 'connections') {
    if (f.workload) o.workload = { name: f.workload, namespace: f.namespace ?? '' };
    else o.workloadNamespace = f.namespace;
  }
  return o;
}

for (const c of spec.cases) {
  test(`zc conformance: ${c.name} (${c.golden})`, () => {
    const text = readFileSync(join(DIR, c.input), 'utf8');
    const got = renderZtunnelView(zcViewOf(c.view), parseZtunnelDumpText(text, c.input), optionsOf(c), NOW, text);
    assert.equal(got, readFileSync(join(DIR, c.golden), 'utf8'));
  });
  if (c.istioctl && !c.time_dependent) {
    test(`zc conformance through the CLI: ${c.istioctl}`, async () => {
      const args = c.istioctl!.split(' ').slice(2).map((a) => (a === 'dump.json' ? join(DIR, c.input) : a));
      const run = await runCli(['zc', ...args]);
      assert.equal(run.stderr, '');
      assert.equal(run.code, 0);
      assert.equal(run.stdout, readFileSync(join(DIR, c.golden), 'utf8'));
    });
  }
}

for (const p of spec.prime) {
  test(`zc prime: ${p.name}`, () => {
    const text = p.input ? readFileSync(join(DIR, p.input), 'utf8') : '';
    if (p.expect.error) {
      assert.throws(() => parseZtunnelDumpText(text, 'input'), ZtunnelDumpError);
      return;
    }
    assert.equal(parseZtunnelDumpText(text, p.input).workloads.length, p.expect.workloads);
  });
}

test('zc conformance: service -o json keeps cidrVips (as network/cidr) and canonical', () => {
  const out = renderZtunnelView('service', parseZtunnelDump(spec.service_dump.input, 'inline'), { output: 'json' });
  const got = JSON.parse(out) as Record<string, unknown>[];
  assert.equal(got.length, spec.service_dump.expect_subset.length);
  spec.service_dump.expect_subset.forEach((want, i) => {
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[i][k], v, k);
  });
});
