// Bad input, property-based (fast-check, seeded: see test/support/fuzz.ts). The YAML/JSON loader, the config-dump
// parser and its views, host resolution and the join, the weight planner and the CLI argument parser get generated
// garbage: wrong types, deep nesting, truncated and mutated real dumps, duplicate names, unknown kinds. The result is
// always a clean value or a located error; no exception escapes, and nothing is written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { parseJsonObjects } from '../src/sources/json-objects.js';
import { parseYamlObjects } from '../src/sources/yaml-objects.js';
import { loadSnapshotFolder, objectsOfFile } from '../src/sources/snapshot.js';
import type { LoadIssue, MeshInput } from '../src/model/context.js';
import { DumpFormatError, parseClustersJson, parseConfigDump } from '../src/model/envoy/parse.js';
import { renderView, type View } from '../src/cli/pc.js';
import { UserError } from '../src/core/errors.js';
import {
  HostRegistry, DestinationRuleIndex, hostIntersection, hostsIntersect, hostSubsetOf, isExportedTo, kubeDnsExpansion, mostSpecificMatch,
  parseGatewayHost, resolveGatewayRef, selectorMatches, toFqdn,
} from '../src/mesh/hosts.js';
import {
  PlanError, apportion, assignWeights, currentValues, evenSplit, findDestination, listRules, planEdits, resolveRule, setWeight, validateWeights,
  applyEditsToObject,
} from '../src/edit/planner.js';
import { PAYLOADS, repoRoot } from './support/hostile.js';
import { runCli } from './support/cli.js';
import { fuzzParams, FUZZ_SEED } from './support/fuzz.js';
import { folderListing } from './support/files.js';
import { CORPUS_ROOT, requireCorpus } from './support/paths.js';

requireCorpus(CORPUS_ROOT, 'the real dumps the fuzzer mutates');

const CORPUS = resolve(repoRoot, '../shared/conformance/istio');
const NOW = new Date('2026-01-01T00:00:00Z');
let cases = 0;
const count = <T extends unknown[]>(fn: (...a: T) => void) => (...a: T) => { cases++; fn(...a); };

const roots: string[] = [];
const savedEnv = { XDG_STATE_HOME: process.env.XDG_STATE_HOME, KUBECONFIG: process.env.KUBECONFIG };
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
function tmp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `meshscope-${prefix}-`));
  roots.push(d);
  return d;
}

// ---------------------------------------------------------------- generators

const weirdScalar = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 12 }), fc.constant('80'), fc.constant(''),
  fc.constantFrom(...Object.values(PAYLOADS)), fc.constant('*'), fc.constant('*.'), fc.constant('.'), fc.constant('a..b'),
);
const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdScalar },
  { weight: 1, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: a }, { weight: 1, arbitrary: weird });

const hostArb = fc.oneof(
  fc.constantFrom('reviews', 'reviews.default', 'reviews.default.svc.cluster.local', '*.example.com', '*', '*.default.svc.cluster.local',
    'ratings.prod.svc.cluster.local', 'api.example.com', '10.0.0.1', '*.svc.cluster.local', 'a', '', '.', '*.', 'x.global'),
  fc.stringMatching(/^(\*\.)?[a-z]{1,3}(\.[a-z]{1,3}){0,4}$/),
  fc.string({ maxLength: 10 }),
);
const nsArb = fc.constantFrom('default', 'prod', 'istio-system', 'a', '');
const labelsArb = maybe(fc.dictionary(fc.constantFrom('app', 'version', 'istio'), fc.constantFrom('reviews', 'v1', 'v2', 'ingressgateway'), { maxKeys: 3 }));

const destinationArb = maybe(fc.record({
  host: maybe(hostArb), subset: fc.option(maybe(fc.constantFrom('v1', 'v2', 'v3')), { nil: undefined }),
  port: fc.option(maybe(fc.record({ number: maybe(fc.integer({ min: 1, max: 65535 })) })), { nil: undefined }),
}, { requiredKeys: [] }));
const routeArb = maybe(fc.record({ destination: destinationArb, weight: fc.option(maybe(fc.integer({ min: -5, max: 120 })), { nil: undefined }) }, { requiredKeys: [] }));
const ruleArb = maybe(fc.record({
  name: fc.option(maybe(fc.constantFrom('a', 'b', 'canary')), { nil: undefined }),
  match: fc.option(maybe(fc.array(maybe(fc.record({ uri: maybe(fc.record({ prefix: fc.string({ maxLength: 4 }) })), port: weird }, { requiredKeys: [] })), { maxLength: 2 })), { nil: undefined }),
  route: maybe(fc.array(routeArb, { maxLength: 4 })),
  mirror: fc.option(destinationArb, { nil: undefined }),
  mirrorPercentage: fc.option(maybe(fc.record({ value: maybe(fc.double({ min: -10, max: 200, noNaN: true })) })), { nil: undefined }),
  mirrors: fc.option(maybe(fc.array(maybe(fc.record({ destination: destinationArb, percentage: maybe(fc.record({ value: weird })) }, { requiredKeys: [] })), { maxLength: 2 })), { nil: undefined }),
}, { requiredKeys: [] }));
const vsSpecArb = maybe(fc.record({
  hosts: maybe(fc.array(maybe(hostArb), { maxLength: 3 })),
  gateways: fc.option(maybe(fc.array(maybe(fc.constantFrom('mesh', 'gw', 'istio-system/gw', 'x/y/z', '')), { maxLength: 2 })), { nil: undefined }),
  http: fc.option(maybe(fc.array(ruleArb, { maxLength: 3 })), { nil: undefined }),
  tcp: fc.option(maybe(fc.array(ruleArb, { maxLength: 2 })), { nil: undefined }),
  tls: fc.option(maybe(fc.array(ruleArb, { maxLength: 1 })), { nil: undefined }),
  exportTo: fc.option(maybe(fc.array(fc.constantFrom('.', '*', 'prod', '~'), { maxLength: 2 })), { nil: undefined }),
}, { requiredKeys: [] }));
const otherSpecArb: Record<string, fc.Arbitrary<unknown>> = {
  DestinationRule: maybe(fc.record({ host: maybe(hostArb), subsets: maybe(fc.array(maybe(fc.record({ name: maybe(fc.constantFrom('v1', 'v2')), labels: labelsArb }, { requiredKeys: [] })), { maxLength: 3 })), exportTo: weird }, { requiredKeys: [] })),
  Gateway: maybe(fc.record({ selector: labelsArb, servers: maybe(fc.array(maybe(fc.record({ hosts: maybe(fc.array(maybe(hostArb), { maxLength: 2 })), port: maybe(fc.record({ number: maybe(fc.integer({ min: 0, max: 70000 })), name: weird, protocol: maybe(fc.constantFrom('HTTP', 'HTTPS', 'TCP', 'TLS')) }, { requiredKeys: [] })), tls: weird }, { requiredKeys: [] })), { maxLength: 2 })) }, { requiredKeys: [] })),
  ServiceEntry: maybe(fc.record({ hosts: maybe(fc.array(maybe(hostArb), { maxLength: 2 })), addresses: weird, ports: maybe(fc.array(maybe(fc.record({ number: maybe(fc.integer({ min: 0, max: 70000 })), name: weird, protocol: weird }, { requiredKeys: [] })), { maxLength: 2 })), resolution: weird, location: weird, endpoints: weird, exportTo: weird }, { requiredKeys: [] })),
  Service: maybe(fc.record({ selector: labelsArb, ports: maybe(fc.array(maybe(fc.record({ port: maybe(fc.integer({ min: 0, max: 70000 })), name: weird, targetPort: weird, protocol: weird }, { requiredKeys: [] })), { maxLength: 2 })), type: weird, clusterIP: weird }, { requiredKeys: [] })),
  Pod: maybe(fc.record({ containers: maybe(fc.array(maybe(fc.record({ name: maybe(fc.constantFrom('app', 'istio-proxy')), args: weird }, { requiredKeys: [] })), { maxLength: 2 })) }, { requiredKeys: [] })),
  Sidecar: weird, WorkloadEntry: weird, EndpointSlice: weird, Namespace: weird, Frobnicator: weird,
};
const KINDS = ['VirtualService', ...Object.keys(otherSpecArb)];
const API_VERSIONS: Record<string, string> = {
  VirtualService: 'networking.istio.io/v1', DestinationRule: 'networking.istio.io/v1beta1', Gateway: 'networking.istio.io/v1alpha3',
  ServiceEntry: 'networking.istio.io/v1', Sidecar: 'networking.istio.io/v1', WorkloadEntry: 'networking.istio.io/v1', Service: 'v1', Pod: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1', Namespace: 'v1', Frobnicator: 'example.com/v9',
};

/** A Kubernetes-looking object whose fields may have the wrong type. Small name space: duplicates are common. */
const objectArb: fc.Arbitrary<unknown> = fc.constantFrom(...KINDS).chain((kind) => fc.record({
  apiVersion: fc.oneof({ weight: 6, arbitrary: fc.constant(API_VERSIONS[kind]) }, { weight: 1, arbitrary: fc.constantFrom('networking.istio.io/v1alpha99', 'v0', '') }, { weight: 1, arbitrary: weird }),
  kind: fc.oneof({ weight: 8, arbitrary: fc.constant(kind) }, { weight: 1, arbitrary: weird }),
  metadata: fc.oneof(
    { weight: 8, arbitrary: fc.record({ name: maybe(fc.constantFrom('reviews', 'ratings', 'gw', 'x')), namespace: fc.option(maybe(nsArb), { nil: undefined }), labels: fc.option(labelsArb, { nil: undefined }), annotations: fc.option(weird, { nil: undefined }), resourceVersion: fc.option(weird, { nil: undefined }) }, { requiredKeys: ['name'] }) },
    { weight: 1, arbitrary: weird },
  ),
  spec: kind === 'VirtualService' ? vsSpecArb : otherSpecArb[kind]!,
  status: fc.option(weird, { nil: undefined }),
}, { requiredKeys: ['apiVersion', 'kind', 'metadata'] }));

// ---------------------------------------------------------------- assertions shared by the loader properties

function assertLocated(issues: LoadIssue[], file: string, lines: number): void {
  for (const i of issues) {
    assert.equal(i.file, file, `issue names the file: ${JSON.stringify(i)}`);
    assert.equal(i.context, 'ctx');
    assert.ok(typeof i.message === 'string' && i.message.length > 0 && !i.message.includes('\n    at '), `one clear message: ${JSON.stringify(i)}`);
    if (i.line !== undefined) assert.ok(Number.isInteger(i.line) && i.line >= 1 && i.line <= lines + 1, `line ${i.line} within 1..${lines + 1}`);
  }
}

function assertValidObjects(objs: ReturnType<typeof objectsOfFile>): void {
  for (const o of objs) {
    assert.equal(typeof o.obj.kind, 'string');
    assert.equal(typeof o.obj.apiVersion, 'string');
    assert.equal(typeof o.obj.metadata.name, 'string');
    assert.ok(o.obj.metadata.name.length > 0);
    assert.ok(o.origin.line >= 1);
  }
}

// ---------------------------------------------------------------- YAML / JSON loader

describe('YAML and JSON loader', () => {
  const yamlLine = fc.oneof(
    fc.constantFrom('---', '--- # c', '...', '%YAML 1.2', 'apiVersion: networking.istio.io/v1', 'apiVersion: v1', 'kind: VirtualService', 'kind: List',
      'kind: Secret', 'kind: VirtualServiceList', 'metadata:', '  name: reviews', '  name: [', '  name: {a: 1}', '  namespace: 5', 'items:', '- kind: Pod',
      '  metadata: {name: p}', '- 5', '- null', 'spec: 5', 'spec:', '  hosts: null', '  http:', '  - route:', '    - destination: {host: r}', '      weight: "80"',
      'key: "unterminated', "key: 'x", '&a [*a]', '*nope', '!!binary x', '? complex', ': bad', '\t tab', 'a: b: c', 'dup: 1', 'dup: 2', '#comment', '',
      '\ufeffkind: X', 'name: \x1b[2J', 'x: "\\e]52;c;QQ==\\a"', '{', '[', '- [', '}', 'configs: []', 'cluster_statuses: []'),
    fc.string({ maxLength: 20 }),
  );
  const yamlText = fc.array(yamlLine, { maxLength: 25 }).map((l) => l.join('\n'));

  test('parseYamlObjects and objectsOfFile on line soup: located issues, valid objects, no exception', () => {
    fc.assert(fc.property(yamlText, count((text: string) => {
      const p = parseYamlObjects(text);
      for (const e of p.entries) assert.ok(e.line >= 1);
      const issues: LoadIssue[] = [];
      const objs = objectsOfFile(text, false, 'ctx', 'f.yaml', issues);
      assertLocated(issues, 'f.yaml', text.split('\n').length);
      assertValidObjects(objs);
    })), fuzzParams(2500));
  });

  const objectsText = fc.tuple(fc.array(objectArb, { minLength: 1, maxLength: 5 }), fc.constantFrom('docs', 'list', 'json', 'json-array', 'json-list'));
  const render = ([objs, how]: [unknown[], string]): { text: string; json: boolean } => {
    const clean = JSON.parse(JSON.stringify(objs, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? 0 : v)));
    if (how === 'docs') return { text: clean.map((o: unknown) => yamlStringify(o)).join('---\n'), json: false };
    if (how === 'list') return { text: yamlStringify({ apiVersion: 'v1', kind: 'List', items: clean }), json: false };
    if (how === 'json') return { text: JSON.stringify(clean[0], null, 2), json: true };
    if (how === 'json-array') return { text: JSON.stringify(clean), json: true };
    return { text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: clean }, null, 1), json: true };
  };

  test('objects with wrong types (weight: "80", hosts: null, spec: 5, metadata: []) load or are named in an issue', () => {
    fc.assert(fc.property(objectsText, count((t: [unknown[], string]) => {
      const { text, json } = render(t);
      const issues: LoadIssue[] = [];
      const objs = objectsOfFile(text, json, 'ctx', json ? 'f.json' : 'f.yaml', issues);
      assertLocated(issues, json ? 'f.json' : 'f.yaml', text.split('\n').length);
      assertValidObjects(objs);
      // every input object is accounted for: loaded, or an issue (Secrets and kustomize files are summarised)
      assert.ok(objs.length + issues.length >= (t[0].length > 0 ? 1 : 0));
    })), fuzzParams(1500));
  });

  test('truncated and byte-mutated text of real manifests: a located error or clean objects', () => {
    const files = ['cluster-a/default/bookinfo.yaml', 'cluster-a/app/demoapp.yaml', 'cluster-b/default/pods.yaml'].map((f) => readFileSync(join(repoRoot, 'fixtures/demo', f), 'utf8'));
    const arb = fc.record({ file: fc.nat({ max: files.length - 1 }), cut: fc.double({ min: 0, max: 1, noNaN: true }), flips: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(':', '-', ' ', '\n', '"', "'", '[', '{', '&', '*', '!', '\t', '#', '\x1b', 'x')), { maxLength: 4 }) });
    fc.assert(fc.property(arb, count(({ file, cut, flips }: { file: number; cut: number; flips: [number, string][] }) => {
      let text = files[file]!;
      text = text.slice(0, Math.floor(text.length * (0.05 + 0.95 * cut)));
      for (const [at, ch] of flips) { const i = Math.floor(at * text.length); text = text.slice(0, i) + ch + text.slice(i + 1); }
      const issues: LoadIssue[] = [];
      assertValidObjects(objectsOfFile(text, false, 'ctx', 'f.yaml', issues));
      assertLocated(issues, 'f.yaml', text.split('\n').length);
    })), fuzzParams(400));
  });

  test('very deep nesting: a located error, never a stack overflow', () => {
    for (const depth of [1000, 20000, 200000]) {
      for (const [text, json] of [['['.repeat(depth), true], ['['.repeat(depth) + ']'.repeat(depth), true], ['{"a":'.repeat(depth) + '1' + '}'.repeat(depth), true],
        ['a: ['.repeat(Math.min(depth, 20000)), false], ['- '.repeat(Math.min(depth, 20000)) + 'x', false], ['%YAML 1.2\n---\n' + '['.repeat(Math.min(depth, 20000)), false],
        [Array.from({ length: Math.min(depth, 3000) }, (_, i) => `${' '.repeat(i)}k:`).join('\n'), false]] as [string, boolean][]) {
        const issues: LoadIssue[] = [];
        assert.doesNotThrow(() => objectsOfFile(text, json, 'ctx', 'deep', issues), `depth ${depth}: ${text.slice(0, 12)}`);
        assertLocated(issues, 'deep', text.split('\n').length);
      }
    }
  });

  test('10 MB strings load as data, and a 10 MB garbage line is a located error', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const issues: LoadIssue[] = [];
    const objs = objectsOfFile(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: ${big}\n`, false, 'ctx', 'big.yaml', issues);
    assert.equal(issues.length, 0);
    assert.equal((objs[0]!.obj as unknown as { data: { k: string } }).data.k.length, big.length);
    const j = objectsOfFile(JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: big } }), true, 'ctx', 'big.json', issues);
    assert.equal(j[0]!.obj.metadata.name.length, big.length);
    const bad: LoadIssue[] = [];
    objectsOfFile(`kind: X\nmetadata: {name: "${big}`, false, 'ctx', 'bad.yaml', bad);
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.message, /invalid YAML/);
    assert.equal(bad[0]!.file, 'bad.yaml');
    assert.ok(bad[0]!.message.length < 500, 'the message does not echo the 10 MB line');
  });

  test('duplicate keys are a located YAML error; duplicate objects both load', () => {
    const issues: LoadIssue[] = [];
    objectsOfFile('kind: A\nkind: B\nmetadata: {name: x}\napiVersion: v1\n', false, 'ctx', 'dup.yaml', issues);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /duplicat/);
    assert.equal(issues[0]!.line, 2);
    const vs = 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: d}\nspec: {hosts: [r]}\n';
    const twice: LoadIssue[] = [];
    assert.equal(objectsOfFile(`${vs}---\n${vs}`, false, 'ctx', 'twice.yaml', twice).length, 2);
  });

  test('parseJsonObjects: truncated real dumps give one located "invalid JSON" problem', () => {
    const texts = ['proxy-config/all/config_dump.json', 'proxy-config/eds/configdump.json', 'proxy-config/endpoint-clusters-2020/clusters.json'].map((f) => readFileSync(join(CORPUS, f), 'utf8'));
    fc.assert(fc.property(fc.nat({ max: texts.length - 1 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), count((i: number, cut: number) => {
      const text = texts[i]!.slice(0, Math.floor(texts[i]!.length * cut));
      if (text.trimEnd() === texts[i]!.trimEnd()) return; // only whitespace was cut: still valid
      const p = parseJsonObjects(text);
      assert.equal(p.problems.length, 1);
      assert.match(p.problems[0]!.message, /^invalid JSON/);
      assert.ok(p.problems[0]!.line! >= 1 && p.problems[0]!.line! <= text.split('\n').length + 1);
    })), fuzzParams(300));
  });
});

// ---------------------------------------------------------------- snapshot folders

describe('loadSnapshotFolder on generated folders', () => {
  test('generated manifests and dumps: every issue names its file; the folder is never written', async () => {
    const dumpText = readFileSync(join(CORPUS, 'proxy-config/all/config_dump.json'), 'utf8');
    const fileArb = fc.record({
      name: fc.constantFrom('a.yaml', 'b.yml', 'sub/c.json', 'deep/er/d.yaml', 'proxies/default/p1/config_dump.json', 'proxies/default/p1/clusters.json', 'proxies/x/p2/config_dump.json'),
      body: fc.oneof(
        fc.array(objectArb, { maxLength: 3 }).map((o) => JSON.stringify(o)),
        fc.array(objectArb, { maxLength: 3 }).map((o) => o.map((x) => yamlStringify(JSON.parse(JSON.stringify(x)))).join('---\n')),
        fc.double({ min: 0, max: 1, noNaN: true }).map((c) => dumpText.slice(0, Math.floor(dumpText.length * c))),
        fc.constant(dumpText), fc.string({ maxLength: 40 }), fc.constant('{"configs": [null, 5, {"@type": 7}]}'),
      ),
    });
    const dir = tmp('fuzz-folder');
    let n = 0;
    await fc.assert(fc.asyncProperty(fc.array(fileArb, { minLength: 1, maxLength: 5 }), async (files) => {
      cases++;
      const root = join(dir, String(n++));
      for (const f of files) {
        mkdirSync(dirname(join(root, 'ctx', f.name)), { recursive: true });
        writeFileSync(join(root, 'ctx', f.name), f.body);
      }
      const before = folderListing(root);
      const mesh = await loadSnapshotFolder(root);
      assert.equal(mesh.contexts.length, 1);
      const c = mesh.contexts[0]!;
      assert.ok(['ok', 'partial', 'error'].includes(c.status));
      for (const i of c.issues) {
        assert.ok(i.file && (files.some((f) => `ctx/${f.name}` === i.file || `ctx/${f.name}`.startsWith(`${i.file}/`))), `issue names a file: ${JSON.stringify(i)}`);
      }
      assertValidObjects(c.objects);
      if (c.status !== 'ok') assert.ok(c.reason && c.reason.length > 0);
      assert.equal(folderListing(root), before);
      rmSync(root, { recursive: true, force: true });
    }), fuzzParams(150));
  });
});

// ---------------------------------------------------------------- config dumps

describe('config-dump parser and pc views on mutated real dumps', () => {
  const dumps = [
    'proxy-config/all/config_dump.json', 'proxy-config/eds/configdump.json', 'proxy-config/ecds/configdump.json', 'proxy-config/secret/istio/config_dump.json',
    'proxy-config/bootstrap/configdump.json', 'historic-dumps-2019-2020/writer-configdump-camelcase.json', 'historic-dumps-2019-2020/util-configdump-mixedcase.json',
    'proxy-config/route/istio-gateway-http-route-prefix/configdump.json',
  ].map((f) => ({ file: f, value: JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as unknown }));
  const clusters = JSON.parse(readFileSync(join(CORPUS, 'proxy-config/endpoint-clusters-2020/clusters.json'), 'utf8')) as unknown;
  const pathsOf = (v: unknown): (string | number)[][] => {
    const out: (string | number)[][] = [];
    const walk = (x: unknown, p: (string | number)[]) => {
      out.push(p);
      if (Array.isArray(x)) x.forEach((y, i) => walk(y, [...p, i]));
      else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) walk(y, [...p, k]);
    };
    walk(v, []);
    return out;
  };
  const paths = dumps.map((d) => pathsOf(d.value));
  const clusterPaths = pathsOf(clusters);
  const DELETE = Symbol('delete');
  const mutationArb = fc.array(fc.record({ at: fc.nat(), value: fc.oneof({ weight: 5, arbitrary: weird }, { weight: 1, arbitrary: fc.constant(DELETE) }) }), { minLength: 1, maxLength: 5 });
  const mutate = (v: unknown, ps: (string | number)[][], muts: { at: number; value: unknown }[]): unknown => {
    let copy = structuredClone(v);
    for (const m of muts) {
      const p = ps[m.at % ps.length]!;
      if (p.length === 0) { copy = m.value === DELETE ? undefined : m.value; continue; }
      let cur: unknown = copy;
      for (const k of p.slice(0, -1)) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
      if (!cur || typeof cur !== 'object') continue;
      const last = p[p.length - 1]!;
      if (m.value === DELETE && Array.isArray(cur)) cur.splice(Number(last), 1); // JSON has no sparse arrays
      else if (m.value === DELETE) delete (cur as Record<string | number, unknown>)[last];
      else (cur as Record<string | number, unknown>)[last] = structuredClone(m.value);
    }
    return copy;
  };
  const VIEWS: View[] = ['cluster', 'listener', 'route', 'eds', 'secret', 'bootstrap', 'ecds', 'all'];
  const expected = (err: unknown) => err instanceof DumpFormatError || err instanceof UserError;

  test('parseConfigDump + every pc view (short, json, yaml): a result or a named error', () => {
    fc.assert(fc.property(fc.nat({ max: dumps.length - 1 }), mutationArb, fc.constantFrom<('short' | 'json' | 'yaml')>('short', 'json', 'yaml'), count((i: number, muts: { at: number; value: unknown }[], output: 'short' | 'json' | 'yaml') => {
      const raw = mutate(dumps[i]!.value, paths[i]!, muts);
      let parsed;
      try {
        parsed = parseConfigDump(raw, 'dump.json');
      } catch (err) {
        assert.ok(err instanceof DumpFormatError, `only DumpFormatError may escape parseConfigDump, got ${(err as Error)?.stack ?? String(err)}`);
        assert.match((err as Error).message, /^dump\.json: /);
        return;
      }
      for (const view of VIEWS) {
        try {
          const out = renderView(view, { dump: parsed }, { output }, NOW);
          assert.equal(typeof out, 'string');
        } catch (err) {
          assert.ok(expected(err), `pc ${view} -o ${output} on ${dumps[i]!.file} threw ${(err as Error)?.stack ?? String(err)}`);
        }
      }
    })), fuzzParams(1200));
  });

  test('parseClustersJson + the endpoint view on mutated /clusters output', () => {
    fc.assert(fc.property(mutationArb, fc.constantFrom<('short' | 'json' | 'yaml')>('short', 'json', 'yaml'), count((muts: { at: number; value: unknown }[], output: 'short' | 'json' | 'yaml') => {
      const raw = mutate(clusters, clusterPaths, muts);
      try {
        parseClustersJson(raw, 'clusters.json');
        renderView('endpoint', { clustersJson: raw, clustersSource: 'clusters.json' }, { output }, NOW);
      } catch (err) {
        assert.ok(expected(err), `endpoint view threw ${(err as Error)?.stack ?? String(err)}`);
      }
    })), fuzzParams(500));
  });
});

// ---------------------------------------------------------------- host resolution and the join

describe('host resolution', () => {
  test('hosts.ts functions never throw and keep their laws on arbitrary hosts', () => {
    fc.assert(fc.property(hostArb, hostArb, nsArb, nsArb, count((a: string, b: string, ns1: string, ns2: string) => {
      assert.equal(hostsIntersect(a, b), hostsIntersect(b, a));
      assert.equal(typeof toFqdn(a, ns1), 'string');
      hostSubsetOf(a, b);
      const x = hostIntersection(a, b);
      if (x !== undefined) assert.ok(hostsIntersect(a, b));
      kubeDnsExpansion(a);
      mostSpecificMatch(a, [b, '*', a]);
      parseGatewayHost(a, ns1);
      resolveGatewayRef(a, ns2);
      isExportedTo([ns1, '.', '*'], ns1, ns2);
    })), fuzzParams(1500));
  });

  test('HostRegistry: resolved entries are registered ones; an exact own-namespace host resolves to itself', () => {
    const entryArb = fc.record({ host: hostArb, kind: fc.constantFrom<('Service' | 'ServiceEntry')>('Service', 'ServiceEntry'), namespace: nsArb, name: fc.constantFrom('a', 'b'),
      exportTo: fc.option(fc.array(fc.constantFrom('.', '*', 'prod', 'default', '~'), { maxLength: 2 }), { nil: undefined }) });
    fc.assert(fc.property(fc.array(entryArb, { maxLength: 8 }), hostArb, nsArb, count((entries, written, from) => {
      const reg = new HostRegistry<number>();
      entries.forEach((e, i) => reg.add({ ...e, value: i }));
      const r = reg.resolve(written, from);
      for (const e of [...r.entries, ...r.hidden]) assert.ok(e.value >= 0 && e.value < entries.length);
      assert.ok(r.entries.length > 0 || typeof r.note === 'string');
      const dr = new DestinationRuleIndex<number>();
      entries.forEach((e, i) => dr.add({ host: e.host, namespace: e.namespace, name: e.name, exportTo: e.exportTo, value: i } as never));
      dr.lookup(r.fqdn, from, from);
      if (entries.length > 0) {
        const e = entries[0]!;
        if (e.host && !e.host.includes('*') && e.host.includes('.')) {
          const own = new HostRegistry<number>();
          own.add({ ...e, exportTo: undefined, value: 0 });
          assert.equal(own.resolve(e.host, e.namespace).entries.length, 1, `host ${e.host} resolves in its own namespace`);
        }
      }
      selectorMatches(e0Labels(entries), { app: 'reviews' });
    })), fuzzParams(1500));
  });

  test('the join, the tree, analyze and summary over objects with wrong types never throw', async () => {
    const { joinMesh } = await import('../src/mesh/join.js');
    const { buildMeshTree } = await import('../src/mesh/tree.js');
    const { renderTreeText } = await import('../src/mesh/tree-format.js');
    const { formatSummary } = await import('../src/format/summary.js');
    const { analyze } = await import('../src/app/analyze-run.js');
    const { envoyParser } = await import('../src/analyze/envoy-parser.js');
    fc.assert(fc.property(fc.array(objectArb, { maxLength: 8 }), fc.boolean(), count((objs: unknown[], twoContexts: boolean) => {
      const issues: LoadIssue[] = [];
      const loaded = objectsOfFile(JSON.stringify(objs), true, 'ctx', 'f.json', issues);
      const ctx = (name: string) => ({ name, source: { kind: 'snapshot' as const, path: '/x' }, objects: loaded.map((o) => ({ ...o, origin: { ...o.origin, context: name } })), proxies: [], issues, status: 'ok' as const });
      const input: MeshInput = { contexts: twoContexts ? [ctx('a'), ctx('b')] : [ctx('a')] };
      try {
        const mesh = joinMesh(input);
        renderTreeText(buildMeshTree(mesh));
        formatSummary(input, { limit: 0 });
        analyze({ input, join: (i) => joinMesh(i, { parser: envoyParser }) });
      } catch (err) {
        assert.fail(`threw on ${JSON.stringify(loaded.map((o) => o.obj))}: ${(err as Error)?.stack ?? String(err)}`);
      }
    })), fuzzParams(800));
  });
});

function e0Labels(entries: { name: string }[]): Record<string, string> | undefined {
  return entries.length ? { app: entries[0]!.name } : undefined;
}

// ---------------------------------------------------------------- the weight planner

describe('weight planner', () => {
  const vsArb = vsSpecArb.map((spec) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'r', namespace: 'd' }, spec }));
  const plannerErr = (err: unknown) => err instanceof PlanError;

  test('listRules / resolveRule / findDestination / planEdits on wrong-typed VirtualServices: rules or a PlanError', () => {
    fc.assert(fc.property(vsArb, fc.option(fc.constantFrom('0', '1', 'http/0', 'tcp/0', 'tls[0]', 'a', 'canary', '', 'x/9'), { nil: undefined }),
      fc.array(fc.tuple(fc.constantFrom('v1', 'v2', 'v3', 'reviews', 'reviews:', 'reviews:v1', 'r', ':', ''), fc.integer({ min: -10, max: 130 })), { maxLength: 3 }), fc.boolean(),
      count((vs, selector, assignments, rebalance) => {
        const rules = listRules(vs as never);
        for (const r of rules) {
          assert.ok(Number.isFinite(r.total));
          for (const d of r.destinations) assert.equal(typeof d.host, 'string');
        }
        try {
          const rule = resolveRule(vs as never, selector);
          const values = currentValues(rule);
          const assigned = new Map<number, number>();
          for (const [dest, w] of assignments) assigned.set(findDestination(rule, dest), w);
          values.weights = assignWeights(values.weights, assigned, rebalance);
          const edits = planEdits(rule, values);
          // planEdits only returns edits when the result is valid
          const after = applyEditsToObject(vs, edits);
          const total = listRules(after as never).find((r) => r.ref.kind === rule.ref.kind && r.ref.index === rule.ref.index)!;
          if (edits.some((e) => e.path.includes('weight'))) assert.deepEqual(validateWeights(total.destinations.map((d) => d.effective)), []);
        } catch (err) {
          assert.ok(plannerErr(err), `only PlanError may escape, got ${(err as Error)?.stack ?? String(err)}`);
        }
      })), fuzzParams(1500));
  });

  test('weight arithmetic: apportion sums to its total; setWeight/evenSplit keep 100 over valid input', () => {
    const weightsArb = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(fc.oneof(fc.double(), fc.integer({ min: -5, max: 100 })), { minLength: 1, maxLength: 6 }), count((total: number, shares: number[]) => {
      const a = apportion(total, shares);
      assert.equal(a.reduce((x, y) => x + y, 0), total);
      assert.ok(a.every((x) => Number.isInteger(x) && x >= 0));
    })), fuzzParams(500));
    fc.assert(fc.property(weightsArb.chain((w) => fc.tuple(fc.constant(w), fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length }), fc.nat({ max: w.length - 1 }), fc.integer({ min: -50, max: 150 }))), count(([w, locked, focus, v]: [number[], boolean[], number, number]) => {
      const fixed = apportion(100, w); // a valid starting point
      const lockedSum = fixed.reduce((s, x, i) => (locked[i] && i !== focus ? s + x : s), 0);
      const s = setWeight(fixed, locked, focus, v);
      assert.ok(s.every((x) => Number.isInteger(x) && x >= 0 && x <= 100));
      if (lockedSum <= 100) assert.equal(s.reduce((x, y) => x + y, 0), 100);
      const e = evenSplit(fixed, locked);
      assert.equal(e.reduce((x, y) => x + y, 0), locked.every((l) => l) ? 100 : Math.max(100, fixed.reduce((t, x, i) => (locked[i] ? t + x : t), 0)));
    })), fuzzParams(500));
  });
});

// ---------------------------------------------------------------- the CLI argument parser

describe('CLI argument parser', () => {
  let fixtures: string;
  before(() => {
    fixtures = tmp('fuzz-cli');
    const ctx = join(fixtures, 'c1');
    mkdirSync(join(ctx, 'proxies', 'default', 'reviews-v1-abc'), { recursive: true });
    writeFileSync(join(ctx, 'mesh.yaml'), [
      'apiVersion: v1\nkind: Service\nmetadata: {name: reviews, namespace: default}\nspec: {selector: {app: reviews}, ports: [{name: http, port: 9080}]}',
      'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: reviews, namespace: default}\nspec: {host: reviews, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: reviews, namespace: default, resourceVersion: "7"}\nspec:\n  hosts: [reviews]\n  http:\n  - name: main\n    route:\n    - destination: {host: reviews, subset: v1}\n      weight: 80\n    - destination: {host: reviews, subset: v2}\n      weight: 20',
      'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: odd, namespace: default}\nspec:\n  hosts: null\n  http:\n  - route:\n    - destination: {host: reviews}\n      weight: "80"\n  - route: 5',
    ].join('\n---\n') + '\n');
    cpSync(join(CORPUS, 'proxy-config/all/config_dump.json'), join(ctx, 'proxies', 'default', 'reviews-v1-abc', 'config_dump.json'));
    cpSync(join(CORPUS, 'proxy-config/endpoint-clusters-2020/clusters.json'), join(ctx, 'proxies', 'default', 'reviews-v1-abc', 'clusters.json'));
    process.env.XDG_STATE_HOME = join(tmp('fuzz-state'), 'state');
    process.env.KUBECONFIG = join(fixtures, 'no-such-kubeconfig'); // a stray live path fails fast, locally
  });

  const word = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('summary', 'tree', 'analyze', 'weights', 'get', 'set', 'undo', 'pc', 'proxy-config', 'proxy-status', 'ps', 'snapshot', 'help',
      'cluster', 'listener', 'route', 'endpoint', 'eds', 'secret', 'bootstrap', 'ecds', 'all', 'reviews', 'odd', 'reviews-v1-abc', 'reviews-v1-abc.default', 'v1=50', 'v2=50',
      'v1=x', '=5', 'v3=10', 'reviews:v1=100', '-o', 'json', 'yaml', 'text', 'short', '--output', '--kind', 'vs', 'dr', '--rule', '0', 'http/9', 'main', '--mirror', '10',
      '--rebalance', '--dry-run', '--limit', '-1', '0', '--context', 'c1', 'nope', '-n', 'default', '--namespace', '--read-only', '--watch', '--all-contexts', '--request-timeout',
      '1ms', 'bogus', '--port', '99999', '--fqdn', '--verbose', 'maybe', '--with-headers', '--failure-threshold', 'Info', '--only', 'IST0101', '--suppress', 'X=Y z',
      '--list', '--help', '-h', '--version', '--', '--force', '--audit-log', '--out', '--pods', 'a=b', '--kubeconfig', '--mesh-config', '--name', '--status', '--address',
      '-f', '--file', '--cluster', '--subset', '--direction', '--type', '--istiod-namespace', '--proxy-concurrency', '--unknown', '-z') },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }).filter((s) => s !== '-' && !s.includes('\0')) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(PAYLOADS).filter((p) => !p.includes('\0'))) },
  );
  // Never --yes/-y (confirmation would allow a legitimate write) nor `-f -` (stdin).
  const argvArb = fc.array(word, { maxLength: 7 });

  test('random argv: exit 0, 1 or 2, one clear line on a usage error, no stack, no internal error, nothing written', async () => {
    const before = folderListing(fixtures);
    await fc.assert(fc.asyncProperty(argvArb, async (words) => {
      cases++;
      const args = ['--fixtures', fixtures, ...words];
      const r = await runCli(args);
      const show = JSON.stringify(args.slice(2));
      assert.equal(r.threw, undefined, `main() threw on ${show}: ${String(r.threw)}`);
      assert.ok([0, 1, 2].includes(r.code), `exit ${r.code} on ${show}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `no stack or internal error on ${show}: ${r.stderr}`);
      // a usage error is one line; asking for a command group alone (`weights`) shows its help instead
      if (r.code === 2 && !r.stderr.startsWith('Usage:')) assert.equal(r.stderr.trim().split('\n').length, 1, `one line on ${show}: ${r.stderr}`);
      if (r.code !== 0) assert.ok(r.stderr.trim().length > 0, `a message on ${show}`);
      assert.equal(folderListing(fixtures), before, `nothing written by ${show}`);
    }), fuzzParams(400));
  });

  test('weights set with invalid input or without --yes: a message, and the folder is byte-identical', async () => {
    const before = folderListing(fixtures);
    const assignment = fc.oneof(fc.constantFrom('v1=50', 'v2=50', 'v1=150', 'v1=-1', 'v1=1.5', 'v1=', '=', 'v9=10', 'reviews=100', 'reviews:v1=60', 'reviews:=1', 'v1=1e3', 'v1=0', 'v2=0'), fc.string({ maxLength: 6 }).filter((s) => !s.includes('\0')));
    await fc.assert(fc.asyncProperty(fc.constantFrom('reviews', 'odd', 'missing'), fc.array(assignment, { maxLength: 3 }), fc.option(fc.constantFrom('0', 'main', 'http/1', 'tcp/0', 'x'), { nil: undefined }), fc.option(fc.constantFrom('10', '200', 'x', 'h=5'), { nil: undefined }), fc.boolean(), async (vs, assigns, rule, mirror, dryRun) => {
      cases++;
      const args = ['--fixtures', fixtures, 'weights', 'set', vs, ...assigns, ...(rule !== undefined ? ['--rule', rule] : []), ...(mirror !== undefined ? ['--mirror', mirror] : []), ...(dryRun ? ['--dry-run'] : [])];
      const r = await runCli(args);
      const show = JSON.stringify(args.slice(2));
      assert.equal(r.threw, undefined, `threw on ${show}: ${String(r.threw)}`);
      assert.ok([0, 1, 2].includes(r.code), `exit ${r.code} on ${show}`);
      assert.doesNotMatch(r.stderr, /\n\s+at |internal error/, `${show}: ${r.stderr}`);
      if (r.code !== 0) assert.ok(r.stderr.trim().length > 0);
      assert.equal(folderListing(fixtures), before, `nothing written by ${show}`);
    }), fuzzParams(300));
  });
});

test(`at least 10,000 generated cases ran (seed ${FUZZ_SEED})`, () => {
  assert.ok(cases >= 10_000, `${cases} cases`);
});
