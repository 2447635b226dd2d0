// `meshscope zc`: both dump layouts, -o yaml, located errors, and the ztunnel pick rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFORMANCE } from './support/paths.js';
import { runCli } from './support/cli.js';
import { parseZtunnelDump } from '../src/model/ztunnel/parse.js';
import { renderZtunnelView } from '../src/cli/zc.js';
import { pickZtunnel } from '../src/model/ztunnel/pick.js';
import type { KubeObject } from '../src/model/resources.js';

const DUMP = join(CONFORMANCE, 'ztunnel/testdata/dump.json');
const raw = JSON.parse(readFileSync(DUMP, 'utf8')) as Record<string, Record<string, unknown>>;
const NOW = new Date('2026-01-01T00:00:00Z');

test('the list form and the older map form print the same tables', () => {
  const listForm = { ...raw, workloads: Object.values(raw.workloads), services: Object.values(raw.services) };
  const mapForm = { ...raw, policies: Object.fromEntries((raw.policies as unknown as unknown[]).map((p, i) => [`p${i}`, p])) };
  for (const view of ['workload', 'service', 'policy', 'connections', 'all'] as const) {
    const a = renderZtunnelView(view, parseZtunnelDump(raw, 'a'), {}, NOW);
    assert.equal(renderZtunnelView(view, parseZtunnelDump(listForm, 'b'), {}, NOW), a, view);
    assert.equal(renderZtunnelView(view, parseZtunnelDump(mapForm, 'c'), {}, NOW), a, view);
  }
});

test('member names match in any letter case, as Go decodes them', () => {
  const { workloadState, ...rest } = raw as Record<string, unknown>;
  const d = parseZtunnelDump({ ...rest, workloadstate: workloadState }, 'x');
  assert.equal(d.workloadState.length, 6);
});

test('-o yaml is the json output with sorted keys; -o json of workloads keeps the struct field order', () => {
  const d = parseZtunnelDump(raw, 'a');
  const json = renderZtunnelView('service', d, { output: 'json' });
  const yaml = renderZtunnelView('service', d, { output: 'yaml' });
  assert.deepEqual(parseYaml(yaml), JSON.parse(json));
  const w = JSON.parse(renderZtunnelView('workload', d, { output: 'json', workloadNamespace: 'bookinfo' })) as Record<string, unknown>[];
  assert.equal(w.length, 8);
  assert.deepEqual(Object.keys(w[0]).slice(0, 3), ['uid', 'workloadIps', 'waypoint']);
  assert.ok(json.startsWith('[\n    {\n        "name": '));
});

test('a value of the wrong type is an error naming the file and the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zc-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ workloads: { '/10.0.0.1': { name: 5 } } }));
  const run = await runCli(['zc', 'workload', '-f', file]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /bad\.json: workloads\["\/10\.0\.0\.1"\]\.name must be a string, not a number/);
  writeFileSync(file, '');
  const empty = await runCli(['zc', 'all', '-f', file]);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /empty ztunnel config dump/);
  const usage = await runCli(['zc', 'nope', '-f', file]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown ztunnel-config view "nope"/);
  const both = await runCli(['zc', 'workload', 'ztunnel-abc', '--node', 'n1', '--fixtures', dir]);
  assert.equal(both.code, 2);
});

const pod = (name: string, namespace: string, node: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { nodeName: node }, status: { phase: 'Running' },
});

test('the ztunnel is picked as istioctl picks it', () => {
  const pods = [pod('ztunnel-a', 'istio-system', 'n1', { app: 'ztunnel' }), pod('ztunnel-b', 'istio-system', 'n2', { app: 'ztunnel' }), pod('web-1', 'app', 'n2', { app: 'web' })];
  assert.equal(pickZtunnel({ pods, node: 'n2', perNode: true }).pod, 'ztunnel-b');
  assert.deepEqual(pickZtunnel({ pods, podArg: 'web-1.app', perNode: false }), { pod: 'ztunnel-b', namespace: 'istio-system', workload: { name: 'web-1', namespace: 'app' } });
  assert.equal(pickZtunnel({ pods, podArg: 'ztunnel-a', perNode: true }).pod, 'ztunnel-a');
  assert.equal(pickZtunnel({ pods, podArg: 'daemonset/ztunnel', perNode: true }).pod, 'ztunnel-a');
  assert.equal(pickZtunnel({ pods, perNode: false }).pod, 'ztunnel-a');
  assert.throws(() => pickZtunnel({ pods, perNode: true }), /ztunnel pod name or --node must be set/);
  assert.throws(() => pickZtunnel({ pods, node: 'n9', perNode: false }), /no ztunnel pod runs on node n9/);
  assert.throws(() => pickZtunnel({ pods: [...pods, { ...pod('idle', 'app', ''), spec: {} }], podArg: 'idle.app', perNode: false }), /not scheduled/);
});
