// Walks the istioctl conformance corpus (../shared/conformance/istio/manifest.json) and checks every proxy-config
// golden byte for byte; every historic dump must load and render every view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseClustersJson, parseConfigDump } from '../src/model/envoy/parse.js';
import { renderView, type PcOptions, type View } from '../src/cli/pc.js';
import { runCliChildSync } from './support/cli.js';
import { CORPUS_ROOT, requireCorpus } from './support/paths.js';

requireCorpus(CORPUS_ROOT, "istioctl's proxy-config goldens");

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(repoRoot, '../shared/conformance/istio');
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as unknown;
const listed = new Set(JSON.stringify(manifest).match(/(proxy-config|historic-dumps-2019-2020|authz|describe|proxy-status)\/[\w./-]+/g) ?? []);
const read = (p: string): string => {
  assert.ok(listed.has(p), `${p} is listed in manifest.json`);
  return readFileSync(join(corpus, p), 'utf8');
};
/** Inside the secret goldens' validity window (2023-05-05 .. 2033-05-02). */
const NOW = new Date('2026-01-01T00:00:00Z');

function view(view: View, input: string, o: PcOptions = {}): string {
  const text = read(input);
  if (view === 'endpoint') return renderView(view, { clustersJson: JSON.parse(text), clustersSource: input }, o, NOW);
  return renderView(view, { dump: parseConfigDump(JSON.parse(text), input) }, o, NOW);
}

const exact: [string, View, string, PcOptions, string][] = [
  ['route empty-gateway', 'route', 'proxy-config/route/empty-gateway/configdump.json', {}, 'proxy-config/route/empty-gateway/output.txt'],
  ['route http prefix', 'route', 'proxy-config/route/istio-gateway-http-route-prefix/configdump.json', {}, 'proxy-config/route/istio-gateway-http-route-prefix/output.txt'],
  ['eds txt', 'eds', 'proxy-config/eds/configdump.json', {}, 'proxy-config/eds/emptyfilter_output.txt'],
  ['eds json', 'eds', 'proxy-config/eds/configdump.json', { output: 'json' }, 'proxy-config/eds/emptyfilter_output.json'],
  ['eds yaml', 'eds', 'proxy-config/eds/configdump.json', { output: 'yaml' }, 'proxy-config/eds/emptyfilter_output.yaml'],
  ['eds --port txt', 'eds', 'proxy-config/eds/configdump.json', { port: '8080' }, 'proxy-config/eds/portfilter_output.txt'],
  ['eds --port json', 'eds', 'proxy-config/eds/configdump.json', { port: '8080', output: 'json' }, 'proxy-config/eds/portfilter_output.json'],
  ['eds --port yaml', 'eds', 'proxy-config/eds/configdump.json', { port: '8080', output: 'yaml' }, 'proxy-config/eds/portfilter_output.yaml'],
  ['ecds txt', 'ecds', 'proxy-config/ecds/configdump.json', {}, 'proxy-config/ecds/output.txt'],
  ['ecds json', 'ecds', 'proxy-config/ecds/configdump.json', { output: 'json' }, 'proxy-config/ecds/output.json'],
  ['ecds yaml', 'ecds', 'proxy-config/ecds/configdump.json', { output: 'yaml' }, 'proxy-config/ecds/output.yaml'],
  ['secret', 'secret', 'proxy-config/secret/istio/config_dump.json', {}, 'proxy-config/secret/istio/output'],
  ['bootstrap short', 'bootstrap', 'proxy-config/bootstrap/configdump.json', { output: 'short' }, 'proxy-config/bootstrap/versionsummary.txt'],
  ['all', 'all', 'proxy-config/all/config_dump.json', {}, 'proxy-config/all/expected_all_short.txt'],
  ['all --with-headers', 'all', 'proxy-config/all/config_dump.json', { withHeaders: true }, 'proxy-config/all/expected_all_short_withheaders.txt'],
  ['endpoint', 'endpoint', 'proxy-config/endpoint-clusters-2020/clusters.json', {}, 'proxy-config/endpoint-clusters-2020/clustersummary.txt'],
  ['endpoint -o json', 'endpoint', 'proxy-config/endpoint-clusters-2020/clusters.json', { output: 'json' }, 'proxy-config/endpoint-clusters-2020/clustersnofiltered.json.txt'],
  ['endpoint multi-host -o json', 'endpoint', 'proxy-config/endpoint-clusters-2020/clusters.json',
    { output: 'json', cluster: 'outbound|9080||reviews.default.svc.cluster.local' }, 'proxy-config/endpoint-clusters-2020/clustermultihostsfiltered.json.txt'],
];

for (const [name, v, input, o, golden] of exact) {
  test(`golden: ${name}`, () => assert.equal(view(v, input, o), read(golden)));
}

const endpointFilters: PcOptions[] = [
  { cluster: 'outbound|15014||istio-policy.istio-system.svc.cluster.local' },
  { address: '172.17.0.14' },
  { port: '15014' },
  { status: 'unhealthy' },
  { status: 'UNHEALTHY' },
];
for (const f of endpointFilters) {
  test(`golden: endpoint filtered ${JSON.stringify(f)}`, () => {
    const input = 'proxy-config/endpoint-clusters-2020/clusters.json';
    assert.equal(view('endpoint', input, f), read('proxy-config/endpoint-clusters-2020/clustersummaryfiltered.txt'));
    // The 2020 golden file lacks the final newline its sibling goldens have; everything before it is exact.
    assert.equal(view('endpoint', input, { ...f, output: 'json' }), read('proxy-config/endpoint-clusters-2020/clusterfiltered.json.txt') + '\n');
  });
}

test('golden: bootstrap json (structural, as the MANIFEST allows)', () => {
  const got = view('bootstrap', 'proxy-config/bootstrap/configdump.json');
  assert.deepEqual(JSON.parse(got), JSON.parse(read('proxy-config/bootstrap/bootstrapdump.json')));
  assert.ok(got.startsWith('{\n    "bootstrap": {\n'), 'jsonpb 4-space indent');
});

test('secret VALID CERT follows the injected clock', () => {
  const text = read('proxy-config/secret/istio/config_dump.json');
  const at = (d: string) => renderView('secret', { dump: parseConfigDump(JSON.parse(text)) }, {}, new Date(d));
  assert.match(at('2023-05-15T12:00:00Z'), /^default\s+Cert Chain\s+ACTIVE\s+true\s/m);
  assert.match(at('2040-01-01T00:00:00Z'), /^ROOTCA\s+CA\s+ACTIVE\s+false\s/m);
});

const historic = [...listed].filter((p) => p.startsWith('historic-dumps-2019-2020/') && p.endsWith('.json'));
const realDumps = [...historic, 'authz/configdump.yaml', 'describe/http_config.json', 'proxy-status/diff/configdump.json', 'proxy-config/all/config_dump.json'];
const views: View[] = ['cluster', 'listener', 'route', 'eds', 'secret', 'bootstrap', 'ecds', 'all'];

test('every historic and real dump loads and renders every view', () => {
  assert.ok(historic.length >= 6, 'manifest lists the historic dumps');
  for (const p of realDumps) {
    const parsed = parseConfigDump(JSON.parse(read(p)), p);
    for (const v of views) {
      for (const output of ['short', 'json', 'yaml']) {
        try {
          const out = renderView(v, { dump: parsed }, { output }, NOW);
          assert.equal(typeof out, 'string');
        } catch (err) {
          // Only istioctl's own "section missing" / "none found" errors are acceptable.
          assert.match((err as Error).message, /has no configuration type|no (clusters|listeners|routes) found/, `${p} ${v} -o ${output}`);
        }
      }
    }
  }
  const pp = parseConfigDump(JSON.parse(read('historic-dumps-2019-2020/productpage-v1-7bbd79f8fd-k6j79.json')));
  assert.equal(pp.clusters.length, 83);
  assert.equal(pp.listeners.length, 52);
  assert.equal(pp.routeConfigs.length, 33);
  // Legacy HCM names still give the join its RDS names.
  assert.ok(pp.listeners.some((l) => l.chains.some((c) => c.routeConfigName === '9080')));
});

test('mixed-case and camelCase dumps parse the same fields', () => {
  const camel = parseConfigDump(JSON.parse(read('historic-dumps-2019-2020/writer-configdump-camelcase.json')));
  assert.ok(camel.clusters.length > 0 && camel.listeners.length > 0);
  const mixed = parseConfigDump(JSON.parse(read('historic-dumps-2019-2020/util-configdump-mixedcase.json')));
  assert.ok(mixed.clusters.length > 0);
});

test('describe dump: route metadata gives the VirtualService', () => {
  const d = parseConfigDump(JSON.parse(read('describe/http_config.json')));
  const routes = d.routeConfigs.flatMap((rc) => rc.virtualHosts.flatMap((vh) => vh.routes));
  assert.ok(routes.some((r) => r.virtualService === 'bookinfo.default'));
});

test('not a config dump: the error names the source', () => {
  assert.throws(() => parseConfigDump({ cluster_statuses: [] }, 'x/clusters.json'), /x\/clusters\.json: not an Envoy config dump/);
  assert.throws(() => parseConfigDump([1], 'a.json'), /a\.json: .*JSON array/);
  assert.throws(() => parseClustersJson({ configs: [] }, 'b.json'), /b\.json: not an Envoy \/clusters.*config dump/);
});

test('CLI: meshscope proxy-config routes -f FILE prints the golden (real CLI entry via tsx)', () => {
  const input = join(corpus, 'proxy-config/route/istio-gateway-http-route-prefix/configdump.json');
  const { code, out, err } = runCliChildSync(['proxy-config', 'routes', '-f', input]);
  assert.equal(code, 0, err);
  assert.equal(out, read('proxy-config/route/istio-gateway-http-route-prefix/output.txt'));
});

test('CLI: compiled bin prints the endpoint golden', { skip: !existsSync(join(repoRoot, 'dist/cli/pc.js')) && 'not built' }, () => {
  const out = execFileSync(process.execPath, [join(repoRoot, 'bin/meshscope.js'), 'pc', 'ep', '-f', join(corpus, 'proxy-config/endpoint-clusters-2020/clusters.json')], { encoding: 'utf8' });
  assert.equal(out, read('proxy-config/endpoint-clusters-2020/clustersummary.txt'));
});
