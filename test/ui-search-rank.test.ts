// Search ranks the obvious first: an exact IP, name or Envoy cluster name, then prefixes, then fuzzy matches; an IP
// finds the object that owns it; identical rows (the same endpoint seen by several proxies) collapse with a count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYS, start } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';
import { SearchIndex } from '../src/ui/search.js';
import type { TreeNode } from '../src/mesh/tree-types.js';

const SIZES = [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }];
const n = (id: string, kind: TreeNode['kind'], label: string, extra: Partial<TreeNode> = {}): TreeNode => ({ id, kind, label, badges: {}, children: [], ...extra });

test('exact (label, IP word, cluster name) before prefix before substring before fuzzy; | is literal', () => {
  const nodes = [
    n('1', 'endpoint', '172.29.2.201', { context: 'a' }),
    n('2', 'Service', 'istio-ingressgateway', { searchText: 'istio-ingressgateway.istio-system.svc.cluster.local 10.96.0.9 172.29.1.201' }),
    n('3', 'endpoint', '172.29.1.2010', {}),
    n('4', 'envoy-cluster', 'outbound|9080|v2|reviews.default.svc.cluster.local', { detail: 'on app/frontend' }),
    n('5', 'envoy-cluster', 'outbound|9080|v3|reviews.default.svc.cluster.local', { detail: 'on app/frontend' }),
    n('6', 'VirtualService', 'reviews-canary', {}),
    n('7', 'VirtualService', 'reviews', {}),
    n('8', 'Pod', 'frontend-7c55-abcde', { searchText: '172.16.85.196 app=frontend' }),
    n('9', 'envoy-endpoint', '172.16.85.196:80', {}),
  ];
  const idx = new SearchIndex(nodes);
  const ids = (q: string) => idx.search(q).allIds();
  assert.equal(ids('172.29.1.201')[0], '2', 'the Service that owns the IP, not 172.29.2.201 nor 172.29.1.2010');
  assert.ok(ids('172.29.1.201').indexOf('3') > 0);
  assert.deepEqual(ids('172.16.85.196').slice(0, 2), ['8', '9'], 'the pod that owns the IP, then its endpoint');
  assert.equal(ids('outbound|9080|v2|reviews.default.svc.cluster.local')[0], '4');
  assert.ok(!ids('outbound|9080|v2|reviews.default.svc.cluster.local').includes('6'), '| is not OR');
  assert.deepEqual(ids('reviews').slice(0, 2), ['7', '6'], 'exact name, then the prefix');
});

test('identical rows collapse into one with a count; n/N still visit each', () => {
  const nodes = [1, 2, 3].map((i) => n(`p${i}/ep`, 'envoy-endpoint', '10.0.0.7:80', { context: 'a', detail: 'HEALTHY' }));
  nodes.push(n('svc', 'Service', 'web', { context: 'a', searchText: '10.0.0.7' }));
  const res = new SearchIndex(nodes).search('10.0.0.7');
  assert.equal(res.count, 2);
  assert.equal(res.idAt(0), 'svc');
  assert.equal(res.sizeAt(1), 3);
  assert.deepEqual(res.allIds(), ['svc', 'p1/ep', 'p2/ep', 'p3/ep']);
  assert.equal(res.startOf(1), 1);
});

for (const size of SIZES) {
  test(`${size.columns}×${size.rows}: /172.29.1.201 lists cluster-a's ingress gateway Service first, not 172.29.2.201`, async () => {
    const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
    const ui = await start(data, size, plugins);
    await ui.press('/', ...'172.29.1.201');
    const f = ui.frame();
    const rows = f.split('\n').map((l) => l.split('│')[1] ?? '').filter((l) => /^[ ›]\S/.test(l) && !l.includes('Matches for'));
    assert.match(rows[0]!, /^›svc istio-system\/istio-/, f);
    assert.match(f, /ep 172\.29\.2\.201.* ×\d+/, 'identical endpoint rows carry a count');
    assert.ok(f.split('\n').length <= size.rows);
    for (const l of f.split('\n')) assert.ok([...l].length <= size.columns);
    await ui.press(KEYS.enter);
    assert.match(ui.frame(), /match 1\/\d+ for "172\.29\.1\.201"/);
    ui.unmount();
  });
}

test('120×40: an exact Envoy cluster name comes first; a pod IP finds the pod', async () => {
  const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
  const ui = await start(data, { columns: 120, rows: 40 }, plugins);
  await ui.press('/', ...'outbound|9080|v2|reviews.default.svc.cluster.local');
  let f = ui.frame();
  assert.match(f, /│›cluster outbound\|9080\|v2\|reviews\.default\.svc\.cluster\.local/);
  await ui.press(KEYS.esc, '/', ...'172.16.85.196');
  f = ui.frame();
  assert.match(f, /│›pod app\/frontend-7c55c868cf-p5rrv @cluster-a/);
  ui.unmount();
});
