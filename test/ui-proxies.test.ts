// `:proxies` compares each proxy's xDS versions (CDS, LDS, RDS per route config, EDS version_info) with the
// other proxies of its context, from the dumps alone, and marks the outliers STALE; Enter goes to the pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, dumpVersions, proxySync } from '../src/mesh/proxy-sync.js';
import { KEYS, start } from './ui-support.js';
import { demoCopy, snapshotApp } from './ui-demo-support.js';

const dump = (v: { cds?: string; lds?: string; routes?: Record<string, string>; eds?: string }, camel = false) => {
  const k = (snake: string, cc: string) => (camel ? cc : snake);
  return {
    configs: [
      { '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump', [k('version_info', 'versionInfo')]: v.cds },
      { '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', [k('version_info', 'versionInfo')]: v.lds },
      { '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump', [k('dynamic_route_configs', 'dynamicRouteConfigs')]: Object.entries(v.routes ?? {}).map(([name, ver]) => ({ [k('version_info', 'versionInfo')]: ver, [k('route_config', 'routeConfig')]: { name } })) },
      { '@type': 'type.googleapis.com/envoy.admin.v3.EndpointsConfigDump', [k('dynamic_endpoint_configs', 'dynamicEndpointConfigs')]: v.eds ? [{ [k('version_info', 'versionInfo')]: v.eds }] : [] },
    ],
  };
};

test('compareVersions orders istiod push versions by time, then counter', () => {
  assert.ok(compareVersions('2025-03-14T09:26:53Z/57', '2025-03-14T09:26:53Z/9') > 0);
  assert.ok(compareVersions('2025-03-14T09:26:53Z/57', '2025-03-15T00:00:00Z/1') < 0);
  assert.equal(compareVersions('x/1', 'x/1'), 0);
});

test('proxySync: the proxy behind on one route config is STALE for RDS only; contexts are compared separately; camelCase dumps read', () => {
  const t1 = '2025-01-01T00:00:00Z/5';
  const t2 = '2025-01-01T00:01:00Z/6';
  const rows = proxySync([
    dumpVersions('a', 'ns/p1', dump({ cds: t2, lds: t2, routes: { '80': t2, '8080': t2 }, eds: t2 })),
    dumpVersions('a', 'ns/p2', dump({ cds: t2, lds: t2, routes: { '80': t2, '8080': t1 }, eds: t2 }, true)),
    dumpVersions('b', 'ns/p3', dump({ cds: t1, lds: t1, routes: { '80': t1 } })),
  ]);
  const by = Object.fromEntries(rows.map((r) => [r.proxy, r]));
  assert.deepEqual(by['ns/p2']!.states, { CDS: 'SYNCED', LDS: 'SYNCED', RDS: 'STALE', EDS: 'SYNCED' });
  assert.deepEqual(by['ns/p2']!.staleRoutes, ['8080']);
  assert.equal(by['ns/p1']!.stale, false);
  assert.deepEqual(by['ns/p3']!.states, { CDS: 'SYNCED', LDS: 'SYNCED', RDS: 'SYNCED', EDS: 'NONE' }, 'b is compared with b only');
  assert.equal(rows[0]!.proxy, 'ns/p2', 'stale proxies first');
});

for (const size of [{ columns: 120, rows: 40 }, { columns: 80, rows: 24 }, { columns: 60, rows: 20 }]) {
  test(`:proxies on the demo at ${size.columns}×${size.rows}: the stale frontend proxy is STALE for RDS, first; Enter goes to its pod`, async () => {
    const { data, plugins } = await snapshotApp(demoCopy(), { readOnly: true });
    const ui = await start(data, size, plugins);
    await ui.press(':', ...'proxies', KEYS.enter);
    const f = ui.frame();
    assert.ok(f.split('\n').length <= size.rows, f);
    assert.match(f, /cluster-a: 6 proxies, 1 stale/); // with the Gateway API gateway web/public-istio
    const row = f.split('\n').find((l) => /›≠app\/frontend-7c55c868cf-p5/.test(l));
    assert.ok(row, `the stale proxy is the first row, selected:\n${f}`);
    if (size.columns >= 120) {
      assert.match(row!, /SYNCED\s+SYNCED\s+STALE\s+-/);
      assert.match(f, /behind: RDS 2025-03-14T09:26:53Z\/57; route configs 8080/);
    }
    await ui.press(KEYS.enter);
    assert.match(ui.frame(), /│›?pod frontend-7c55c868/);
    assert.match(ui.frame(), /›  +▸ pod \S*p5r.*≠1/, "the stale pod is selected in the tree");
    ui.unmount();
  });
}
