import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { loadSnapshotFolder, snapshotFilePath } from '../src/sources/snapshot.js';
import { UserError } from '../src/core/errors.js';
import type { ContextSnapshot, MeshInput } from '../src/model/context.js';

/** Writes { 'rel/path': text } under a fresh temp folder and returns it. */
const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshscope-snap-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function ctx(mesh: MeshInput, name: string): ContextSnapshot {
  const c = mesh.contexts.find((x) => x.name === name);
  assert.ok(c, `context ${name} missing; have ${mesh.contexts.map((x) => x.name).join(', ')}`);
  return c;
}

const names = (c: ContextSnapshot) => c.objects.map((o) => `${o.obj.kind}/${o.obj.metadata.name}`);

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
`;

const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: default
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: v1}
`;

test('multi-document YAML: every document loads with docIndex and 1-based start line', async () => {
  const root = folder({ 'cluster-a/istio.yaml': `# leading comment\n---\n${VS}---\n\n# about the DR\n${DR}---\n` });
  const mesh = await loadSnapshotFolder(root);
  assert.equal(mesh.contexts.length, 1);
  const a = ctx(mesh, 'cluster-a');
  assert.equal(a.status, 'ok');
  assert.deepEqual(a.issues, []);
  assert.deepEqual(names(a), ['VirtualService/reviews', 'DestinationRule/reviews']);
  assert.deepEqual(a.objects[0].origin, { context: 'cluster-a', file: 'cluster-a/istio.yaml', docIndex: 0, line: 3 });
  assert.deepEqual(a.objects[1].origin, { context: 'cluster-a', file: 'cluster-a/istio.yaml', docIndex: 1, line: 16 });
  assert.equal(a.objects[1].obj.spec.subsets[0].labels.version, 'v1');
  assert.deepEqual(a.source, { kind: 'snapshot', path: root });
  assert.equal(snapshotFilePath(a, a.objects[0].origin.file!), join(root, 'cluster-a', 'istio.yaml'));
});

test('YAML keeps strings as strings (no timestamps) and numbers as numbers', async () => {
  const root = folder({
    'c/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: default\n  creationTimestamp: 2024-01-02T03:04:05Z\n  labels: {version: "1.0", on: on}\nspec: {containers: [{name: app, ports: [{containerPort: 8080}]}]}\n',
  });
  const o = ctx(await loadSnapshotFolder(root), 'c').objects[0].obj;
  assert.equal(o.metadata.creationTimestamp, '2024-01-02T03:04:05Z');
  assert.equal(o.metadata.labels?.version, '1.0');
  assert.equal(o.spec.containers[0].ports[0].containerPort, 8080);
});

test('kind: List as kubectl get -o yaml prints it: one object per item, with itemIndex and the item line', async () => {
  const list = `apiVersion: v1
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: details
    namespace: default
  spec:
    ports:
    - name: http
      port: 9080
- apiVersion: v1
  kind: Service
  metadata:
    annotations:
      note: |
        - not an item
        - still not
    name: ratings
    namespace: default
kind: List
metadata:
  resourceVersion: ""
`;
  const a = ctx(await loadSnapshotFolder(folder({ 'cluster-a/svc.yaml': list })), 'cluster-a');
  assert.deepEqual(names(a), ['Service/details', 'Service/ratings']);
  assert.deepEqual(a.objects.map((o) => [o.origin.docIndex, o.origin.itemIndex, o.origin.line]), [[0, 0, 3], [0, 1, 12]]);
});

test('List items in flow style still get exact lines (fallback locator)', async () => {
  const text = 'kind: List\napiVersion: v1\nitems: [\n  {apiVersion: v1, kind: Service, metadata: {name: a}},\n\n  {apiVersion: v1, kind: Service, metadata: {name: b}}]\n';
  const a = ctx(await loadSnapshotFolder(folder({ 'c/l.yaml': text })), 'c');
  assert.deepEqual(a.objects.map((o) => [o.obj.metadata.name, o.origin.itemIndex, o.origin.line]), [['a', 0, 4], ['b', 1, 6]]);
});

test('typed lists (VirtualServiceList) lend kind and apiVersion to items that omit them', async () => {
  const text = JSON.stringify({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualServiceList', items: [{ metadata: { name: 'x', namespace: 'a' }, spec: {} }] });
  const o = ctx(await loadSnapshotFolder(folder({ 'c/vs.json': text })), 'c').objects[0].obj;
  assert.equal(o.kind, 'VirtualService');
  assert.equal(o.apiVersion, 'networking.istio.io/v1');
});

test('JSON files: single objects and Lists, with item lines', async () => {
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's1', namespace: 'default', annotations: { x: 'a "quoted" } ] value' } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 's2', namespace: 'default' } },
  ] }, null, 2);
  const root = folder({
    'ctx/one.json': JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }),
    'ctx/list.json': list,
  });
  const c = ctx(await loadSnapshotFolder(root), 'ctx');
  assert.equal(c.status, 'ok');
  const byName = new Map(c.objects.map((o) => [o.obj.metadata.name, o.origin]));
  assert.deepEqual(byName.get('default'), { context: 'ctx', file: 'ctx/one.json', docIndex: 0, line: 1 });
  // Each item starts at its own '{' line: the line before `"apiVersion": "v1",` of that item.
  const lines = list.split('\n');
  const itemStarts = lines.flatMap((l, i) => (l === '    {' ? [i + 1] : []));
  assert.equal(itemStarts.length, 2);
  assert.deepEqual([byName.get('s1')?.itemIndex, byName.get('s1')?.line], [0, itemStarts[0]]);
  assert.deepEqual([byName.get('s2')?.itemIndex, byName.get('s2')?.line], [1, itemStarts[1]]);
});

test('proxies: config_dump.json and optional clusters.json are kept as parsed JSON, per namespace/pod', async () => {
  const dump = { configs: [{ '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump' }] };
  const root = folder({
    'cluster-a/k8s.yaml': VS,
    'cluster-a/proxies/app/frontend-1/config_dump.json': JSON.stringify(dump),
    'cluster-a/proxies/app/frontend-1/clusters.json': JSON.stringify({ cluster_statuses: [] }),
    'cluster-a/proxies/istio-system/gw/config_dump.json': JSON.stringify(dump),
  });
  const a = ctx(await loadSnapshotFolder(root), 'cluster-a');
  assert.equal(a.status, 'ok');
  assert.deepEqual(names(a), ['VirtualService/reviews'], 'proxy JSON is not read as manifests');
  assert.deepEqual(a.proxies.map((p) => `${p.namespace}/${p.pod}`), ['app/frontend-1', 'istio-system/gw']);
  const fe = a.proxies[0];
  assert.deepEqual(fe.configDump, dump);
  assert.deepEqual(fe.clusters, { cluster_statuses: [] });
  assert.equal(fe.configDumpFile, 'cluster-a/proxies/app/frontend-1/config_dump.json');
  assert.equal(fe.clustersFile, 'cluster-a/proxies/app/frontend-1/clusters.json');
  assert.equal(a.proxies[1].clusters, undefined);
  assert.equal(a.proxies[1].error, undefined);
});

test('a folder of manifests with no context sub-folders is one context named after the folder', async () => {
  const root = folder({ 'k8s/vs.yaml': VS, 'k8s/base/dr.yml': DR, 'k8s/README.md': '# not a manifest' });
  const mesh = await loadSnapshotFolder(join(root, 'k8s'));
  assert.deepEqual(mesh.contexts.map((c) => c.name), ['k8s']);
  const k = mesh.contexts[0];
  assert.deepEqual(k.objects.map((o) => o.origin.file).sort(), ['base/dr.yml', 'vs.yaml']);
  assert.equal(k.source.kind === 'snapshot' && k.source.path, join(root, 'k8s'));
});

test('a single manifest file loads as one context named after its folder', async () => {
  const root = folder({ 'manifests/vs.yaml': VS });
  const mesh = await loadSnapshotFolder(join(root, 'manifests', 'vs.yaml'));
  assert.deepEqual(mesh.contexts.map((c) => c.name), ['manifests']);
  assert.deepEqual(mesh.contexts[0].objects[0].origin.file, 'vs.yaml');
});

test('--context narrows; an unknown context is an error naming the available ones', async () => {
  const root = folder({ 'cluster-a/vs.yaml': VS, 'cluster-b/dr.yaml': DR, '.git/config.json': '{}' });
  const all = await loadSnapshotFolder(root);
  assert.deepEqual(all.contexts.map((c) => c.name), ['cluster-a', 'cluster-b']);
  const b = await loadSnapshotFolder(root, { contexts: ['cluster-b'] });
  assert.deepEqual(b.contexts.map((c) => c.name), ['cluster-b']);
  await assert.rejects(loadSnapshotFolder(root, { contexts: ['cluster-c'] }), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /context cluster-c not found/);
    assert.match(err.message, /available: cluster-a, cluster-b/);
    return true;
  });
});

test('-n narrows objects and proxies to a namespace; cluster-scoped objects stay', async () => {
  const root = folder({
    'c/all.yaml': [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}',
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: app}',
      'apiVersion: v1\nkind: Service\nmetadata: {name: s2, namespace: other}',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}',
    ].join('\n---\n'),
    'c/proxies/app/p1/config_dump.json': '{"configs":[]}',
    'c/proxies/other/p2/config_dump.json': '{"configs":[]}',
  });
  const c = ctx(await loadSnapshotFolder(root, { namespace: 'app' }), 'c');
  assert.deepEqual(names(c), ['Namespace/app', 'Service/s1', 'ClusterRole/reader']);
  assert.deepEqual(c.proxies.map((p) => p.pod), ['p1']);
});

test('each kind of load error names the file, the document or line, and what is wrong', async () => {
  const root = folder({
    'c/bad-yaml.yaml': `${VS}---\nkind: Service\nmetadata:\n  name: x\n   bad: indent\n---\n${DR}`,
    'c/no-kind.yaml': 'apiVersion: v1\nmetadata: {name: a}\n',
    'c/no-name.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {namespace: default}\n',
    'c/scalar.yaml': 'just a string\n',
    'c/bad.json': '{\n  "apiVersion": "v1",\n  "kind": "Service",\n}\n',
    'c/dump-in-wrong-place.json': '{"configs": []}',
    'c/proxies/app/p1/config_dump.json': '{"not": "a dump"}',
    'c/proxies/app/p2/config_dump.json': '{"configs": [}',
  });
  const c = ctx(await loadSnapshotFolder(root), 'c');
  const find = (file: string) => {
    const i = c.issues.find((x) => x.file === file);
    assert.ok(i, `no issue for ${file}: ${JSON.stringify(c.issues)}`);
    assert.equal(i.severity, 'error');
    return i;
  };
  const y = find('c/bad-yaml.yaml');
  assert.equal(y.docIndex, 1);
  assert.equal(y.line, 15);
  assert.match(y.message, /invalid YAML: bad indentation/);
  assert.match(find('c/no-kind.yaml').message, /has no kind/);
  assert.equal(find('c/no-kind.yaml').docIndex, 0);
  const nn = find('c/no-name.yaml');
  assert.match(nn.message, /Service has no metadata.name/);
  assert.equal(nn.line, 1);
  assert.match(find('c/scalar.yaml').message, /not a Kubernetes object/);
  const j = find('c/bad.json');
  assert.match(j.message, /invalid JSON/);
  assert.equal(j.line, 4);
  assert.match(find('c/dump-in-wrong-place.json').message, /Envoy config dump.*proxies\/<namespace>\/<pod>\/config_dump\.json/);
  assert.match(find('c/proxies/app/p1/config_dump.json').message, /not an Envoy config dump \(no "configs" array\)/);
  const p2 = find('c/proxies/app/p2/config_dump.json');
  assert.match(p2.message, /invalid JSON/);
  assert.equal(p2.line, 1);
  assert.ok(c.proxies.find((p) => p.pod === 'p1')?.error, 'the broken dump is listed with its error');

  // A broken file never hides the others: the good documents of bad-yaml.yaml still load.
  assert.deepEqual(names(c), ['VirtualService/reviews', 'DestinationRule/reviews']);
  assert.equal(c.status, 'partial');
  assert.match(c.reason ?? '', /8 files could not be fully loaded/);
});

test('an unreadable file is reported and skipped; the rest load', async () => {
  const root = folder({ 'c/ok.yaml': VS, 'c/locked.yaml': DR });
  symlinkSync(join(root, 'c/gone.yaml'), join(root, 'c/dangling.yaml'));
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) chmodSync(join(root, 'c/locked.yaml'), 0o000);
  const c = ctx(await loadSnapshotFolder(root), 'c');
  assert.deepEqual(names(c).sort(), asRoot ? ['DestinationRule/reviews', 'VirtualService/reviews'] : ['VirtualService/reviews']);
  const dangling = c.issues.find((i) => i.file === 'c/dangling.yaml');
  assert.match(dangling?.message ?? '', /cannot read file: no such file/);
  if (!asRoot) assert.match(c.issues.find((i) => i.file === 'c/locked.yaml')?.message ?? '', /cannot read file: permission denied/);
  assert.equal(c.status, 'partial');
});

test('a missing folder is a clear UserError', async () => {
  await assert.rejects(loadSnapshotFolder('/nonexistent/meshscope-snap'), /snapshot folder \/nonexistent\/meshscope-snap does not exist/);
});

test('an empty context is an error status with a reason, not an exception', async () => {
  const root = folder({ 'empty/README.md': 'nothing here' });
  const mesh = await loadSnapshotFolder(join(root, 'empty'));
  assert.equal(mesh.contexts[0].status, 'error');
  assert.match(mesh.contexts[0].reason ?? '', /no Kubernetes manifests/);
});

test('Secrets are never loaded: skipped with a warning, also inside Lists', async () => {
  const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: default}\ndata: {password: aHVudGVyMg==}\n';
  const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default' }, data: { key: 'c2VjcmV0' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'default' } },
  ] });
  const c = ctx(await loadSnapshotFolder(folder({ 'c/a.yaml': `${secret}---\n${VS}`, 'c/b.json': list })), 'c');
  assert.deepEqual(names(c).sort(), ['Service/svc', 'VirtualService/reviews']);
  assert.ok(!JSON.stringify(c.objects).includes('aHVudGVyMg'), 'no Secret data in the model');
  assert.ok(!JSON.stringify(c.issues).includes('aHVudGVyMg'), 'no Secret data in issues');
  const warnings = c.issues.filter((i) => i.severity === 'warning');
  assert.equal(warnings.length, 2);
  assert.match(warnings[0].message, /skipped a Secret: meshscope never reads Secrets/);
  assert.equal(c.status, 'ok', 'skipping Secrets is not a failure');
});

test('kustomization files are skipped with a warning, not an error', async () => {
  const c = ctx(await loadSnapshotFolder(folder({ 'repo/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [vs.yaml]\n', 'repo/vs.yaml': VS })), 'repo');
  assert.equal(c.status, 'ok');
  assert.equal(c.issues.length, 1);
  assert.equal(c.issues[0].severity, 'warning');
  assert.equal(basename(c.issues[0].file ?? ''), 'kustomization.yaml');
});

test('document indexes and lines agree with the yaml package (the editor rewrites files by them)', async () => {
  const { parseYamlObjects } = await import('../src/sources/yaml-objects.js');
  const { parseAllDocuments, LineCounter } = await import('yaml');
  const a = 'kind: A\nmetadata: {name: a}\n';
  const texts = [
    `---\n${a}`, `# c\n---\n${a}`, `${a}---\n`, `${a}---\n---\n${a}`, `\n\n---\n${a}`, `${a}--- \n${a}`,
    `${a}---\n# only a comment\n---\n${a}`, `${a}---   # trailing comment\n\n${a}`, `x: |\n  ---not a marker\n---\n${a}`,
    `%YAML 1.2\n---\n${a}...\n---\n${a}`, `--- {kind: A, metadata: {name: a}}\n---\n${a}`, `${a}\r\n---\r\n${a}`,
  ];
  for (const text of texts) {
    const lc = new LineCounter();
    const expected = parseAllDocuments(text, { lineCounter: lc })
      .map((d, i) => ({ i, d }))
      .filter(({ d }) => d.errors.length === 0 && d.toJS() !== null && d.toJS() !== undefined)
      .map(({ i, d }) => [i, lc.linePos(d.contents!.range[0]).line]);
    const got = parseYamlObjects(text).entries.map((e) => [e.docIndex, e.line]);
    assert.deepEqual(got, expected, JSON.stringify(text));
  }
});
