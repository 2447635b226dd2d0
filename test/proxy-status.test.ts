// proxy-status model and writers: syncz nonces → istioctl's statuses, the table (default, -v with ages from an
// injected clock, namespace filter, several istiods), the jsonpb layout, go-difflib's unified diff, and the per-pod
// comparison on proxy-status/diff/configdump.json (equal → Match; a modified istiod view → Don't Match + diff).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import {
  humanDuration, istiodOf, proxyStatusRows, synczToResponse, toSyncResponse, type SyncResponse, type SyncStatus,
} from '../src/model/proxy-status.js';
import { compareProxy, dynamicEntries } from '../src/model/proxy-compare.js';
import { proxyStatusJson, proxyStatusTable, proxyStatusYaml } from '../src/format/proxy-status.js';
import { marshalJsonpb, ENVOY_SCHEMA, envoyJsonNames } from '../src/format/jsonpb-writer.js';
import { splitLines, unifiedDiff } from '../src/format/difflib.js';
import { diffProxy, rfc1123 } from '../src/format/proxy-diff.js';
import * as istiod from '../src/sources/istiod.js';
import { requireCorpus } from './support/paths.js';

const repoRoot = resolve(import.meta.dirname, '..');
const DUMP = resolve(repoRoot, '../shared/conformance/istio/proxy-status/diff/configdump.json');
requireCorpus(DUMP, 'the config dump the proxy-status diff is checked on');
const load = () => JSON.parse(readFileSync(DUMP, 'utf8')) as { configs: Record<string, unknown>[] };
const section = (d: { configs: Record<string, unknown>[] }, t: string) => d.configs.find((c) => String(c['@type']).endsWith(t)) as Record<string, any>;

const rows: SyncStatus[] = [
  { cluster_id: 'east', proxy: 'web-1.shop', istio_version: '1.22.0', cluster_sent: 'n2', cluster_acked: 'n2', listener_sent: 'n2', listener_acked: 'n1', route_sent: 'n2', route_acked: 'n2' },
  { cluster_id: 'east', proxy: 'api-1.shop', istio_version: '1.22.0', cluster_sent: 'n2', cluster_acked: 'n2', listener_sent: 'n2', listener_acked: 'n2', route_sent: 'n2', route_acked: 'n2', endpoint_sent: 'n2', endpoint_acked: 'n2', extensionconfig_sent: 'n1', extensionconfig_acked: '' },
  { cluster_id: 'east', proxy: 'gw-1.istio-system', istio_version: '1.21.2', cluster_sent: 'n3', cluster_acked: 'n3' },
];

test('syncz nonces become the ClientConfigs istioctl reads: SYNCED / STALE / NOT_SENT, ECDS only when reported', () => {
  const r = synczToResponse(rows, { id: 'istiod-7d4f-abc' });
  assert.equal(istiodOf(r).id, 'istiod-7d4f-abc');
  const [web, api] = r.resources!;
  assert.deepEqual(web.node, { id: 'web-1.shop', metadata: { CLUSTER_ID: 'east', ISTIO_VERSION: '1.22.0', NAMESPACE: 'shop' } });
  assert.deepEqual(web.genericXdsConfigs!.map((g) => [g.typeUrl!.split('.').pop(), g.configStatus]),
    [['Cluster', 'SYNCED'], ['Listener', 'STALE'], ['RouteConfiguration', 'SYNCED'], ['ClusterLoadAssignment', 'NOT_SENT']]);
  assert.equal(api.genericXdsConfigs!.at(-1)!.configStatus, 'STALE');
  assert.equal(api.genericXdsConfigs!.at(-1)!.typeUrl, 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig');
  // A newer istiod answering a DiscoveryResponse is taken as it is; anything else is refused with a reason.
  assert.equal(toSyncResponse(r, { id: 'x' }), r);
  assert.throws(() => toSyncResponse({ hello: 1 }, { id: 'x' }), /neither a list of proxies nor a DiscoveryResponse/);
  assert.deepEqual(istiodOf({}), { id: 'MISSING', version: '1.3?' });
  assert.deepEqual(istiodOf({ controlPlane: { identifier: 'not json' } }), { id: 'INVALID', version: '1.3?' });
});

test('table: sorted by NAME, SUBSCRIBED TYPES counts NOT SENT, several istiods merged, -n filters on NAMESPACE', () => {
  const responses = { a: synczToResponse(rows, { id: 'istiod-a' }), b: synczToResponse([{ cluster_id: 'west', proxy: 'db-0.data', istio_version: '1.22.0' }], { id: 'istiod-b' }) };
  const out = proxyStatusTable(responses);
  const lines = out.split('\n');
  assert.equal(lines[0], 'NAME                  CLUSTER     ISTIOD       VERSION     SUBSCRIBED TYPES');
  assert.deepEqual(lines.slice(1, -1).map((l) => l.split(/ {2,}/)), [
    ['api-1.shop', 'east', 'istiod-a', '1.22.0', '5 (CDS,LDS,EDS,RDS,ECDS)'],
    ['db-0.data', 'west', 'istiod-b', '1.22.0', '4 (CDS,LDS,EDS,RDS)'],
    ['gw-1.istio-system', 'east', 'istiod-a', '1.21.2', '4 (CDS,LDS,EDS,RDS)'],
    ['web-1.shop', 'east', 'istiod-a', '1.22.0', '4 (CDS,LDS,EDS,RDS)'],
  ]);
  assert.equal(lines.at(-1), '');
  const shop = proxyStatusTable(responses, { namespace: 'shop' });
  assert.deepEqual(shop.split('\n').slice(1, -1).map((l) => l.split(' ')[0]), ['api-1.shop', 'web-1.shop']);
  assert.equal(proxyStatusTable({}), 'NAME     CLUSTER     ISTIOD     VERSION     SUBSCRIBED TYPES\n');
});

test('-v: a column per type ordered by full type URL (envoy.config.* before envoy.extensions.*), IGNORED when not subscribed, ages from the injected clock', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const r: SyncResponse = {
    resources: [{
      '@type': 'type.googleapis.com/envoy.service.status.v3.ClientConfig',
      node: { id: 'web-1.shop', metadata: { CLUSTER_ID: 'east', ISTIO_VERSION: '1.22.0' } },
      genericXdsConfigs: [
        { typeUrl: 'type.googleapis.com/envoy.config.cluster.v3.Cluster', configStatus: 'SYNCED', lastUpdated: ago(5 * 60_000) },
        { typeUrl: 'type.googleapis.com/envoy.config.listener.v3.Listener', configStatus: 'STALE', lastUpdated: ago(42_000) },
        { typeUrl: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', configStatus: 'ERROR', lastUpdated: ago(3 * 86_400_000 + 4 * 3_600_000) },
        { typeUrl: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment', configStatus: 'NOT_SENT', lastUpdated: ago(1000) },
        { typeUrl: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret', configStatus: 'SYNCED' },
      ],
    }],
    controlPlane: { identifier: JSON.stringify({ Component: 'istiod', ID: 'istiod-a', Info: { version: '1.22.0' } }) },
  };
  const out = proxyStatusTable({ a: r }, { verbosity: 1, now });
  const [head, row] = out.split('\n');
  assert.deepEqual(head.split(/ {2,}/), ['NAME', 'CLUSTER', 'CDS', 'ECDS', 'EDS', 'LDS', 'RDS', 'SDS', 'ISTIOD', 'VERSION']);
  assert.deepEqual(row.split(/ {2,}/), ['web-1.shop', 'east', 'SYNCED (5m)', 'IGNORED', 'NOT SENT', 'STALE (42s)', 'ERROR (3d4h)', 'SYNCED', 'istiod-a', '1.22.0']);
  assert.match(proxyStatusTable({ a: r }), /5 \(CDS,LDS,EDS,RDS,SDS\)$/m);
});

test('humanDuration follows kubectl (apimachinery HumanDuration)', () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  const cases: [number, string][] = [[-5 * s, '<invalid>'], [-1500, '0s'], [0, '0s'], [119 * s, '119s'], [2 * m, '2m'], [9 * m + 5 * s, '9m5s'],
    [10 * m + 5 * s, '10m'], [179 * m, '179m'], [3 * h, '3h'], [7 * h + 30 * m, '7h30m'], [8 * h + 30 * m, '8h'], [47 * h, '47h'],
    [2 * d, '2d'], [7 * d + 23 * h, '7d23h'], [8 * d, '8d'], [729 * d, '729d'], [2 * 365 * d, '2y'], [3 * 365 * d + 10 * d, '3y10d'], [9 * 365 * d, '9y']];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test('jsonpb layout: Struct one indent deeper, empty message with a blank line, empty lists left out, map keys sorted', () => {
  const text = marshalJsonpb({ node: { id: 'p', metadata: { b: 1, a: { c: [1, { d: 'x<y' }] } } }, list: [], lb: {}, '@type': 'type.googleapis.com/x.Y' }, '  ', {
    kindOf: (k) => (k === 'metadata' ? 'struct' : 'message'),
  });
  assert.equal(text, [
    '{', '  "@type": "type.googleapis.com/x.Y",', '  "node": {', '    "id": "p",', '    "metadata": {',
    '        "a": {', '              "c": [', '                    1,', '                    {',
    '                          "d": "x\\u003cy"', '                        }', '                  ]', '            },',
    '        "b": 1', '      }', '  },', '  "lb": {', '', '  }', '}',
  ].join('\n'));
  assert.deepEqual(JSON.parse(text), { '@type': 'type.googleapis.com/x.Y', node: { id: 'p', metadata: { a: { c: [1, { d: 'x<y' }] }, b: 1 } }, lb: {} });
  // Envoy's filter_metadata values are Structs; TypedStruct.value too.
  assert.equal(ENVOY_SCHEMA.kindOf('filterMetadata', {}), 'structMap');
  assert.equal(ENVOY_SCHEMA.kindOf('value', { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct' }), 'struct');
});

/** Rebuilds `b` from `a` and a unified diff, checking the context lines on the way. */
function applyPatch(a: string[], diff: string): string[] {
  const lines = splitLines(diff).slice(2, -1);
  const out: string[] = [];
  let ai = 0;
  for (let i = 0; i < lines.length;) {
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$/.exec(lines[i++]);
    assert.ok(h, `hunk header: ${lines[i - 1]}`);
    const start = Number(h[1]) - (h[2] === '0' ? 0 : 1);
    while (ai < start) out.push(a[ai++]);
    while (i < lines.length && !lines[i].startsWith('@@')) {
      const l = lines[i++];
      if (l[0] === ' ') { assert.equal(a[ai], l.slice(1)); out.push(a[ai++]); } else if (l[0] === '-') { assert.equal(a[ai], l.slice(1)); ai++; } else out.push(l.slice(1));
    }
  }
  while (ai < a.length) out.push(a[ai++]);
  return out;
}

test('unified diff: go-difflib ranges and grouping; applying it to a gives b', () => {
  const a = splitLines('a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\nr\ns\nt');
  const b = a.map((l) => (l === 'j\n' ? 'J\n' : l));
  const d = unifiedDiff(a, b, 'Istiod Routes', 'Envoy Routes', 7);
  assert.equal(d.split('\n').slice(0, 3).join('\n'), '--- Istiod Routes\n+++ Envoy Routes\n@@ -3,15 +3,15 @@');
  assert.equal(unifiedDiff(splitLines('x'), splitLines('y'), 'A', 'B', 7), '--- A\n+++ B\n@@ -1 +1 @@\n-x\n+y\n');
  assert.equal(unifiedDiff(a, a, 'A', 'B', 7), '');
  assert.deepEqual(splitLines('a\nb'), ['a\n', 'b\n']);
  assert.deepEqual(splitLines('a\n'), ['a\n', '\n']);
  fc.assert(fc.property(
    fc.array(fc.constantFrom('{', '}', '},', '"a": 1,', '"b": 2', '[', ']'), { maxLength: 260 }),
    fc.array(fc.tuple(fc.nat(300), fc.constantFrom('del', 'ins', 'chg')), { maxLength: 8 }),
    (base, edits) => {
      const A = base.map((l) => `${l}\n`);
      const B = [...A];
      for (const [at, op] of edits) {
        const i = B.length === 0 ? 0 : at % B.length;
        if (op === 'del') B.splice(i, 1); else if (op === 'ins') B.splice(i, 0, `"new${at}": true\n`); else B[i] = `"chg${at}"\n`;
      }
      const diff = unifiedDiff(A, B, 'A', 'B', 7);
      assert.deepEqual(applyPatch(A, diff), B);
    },
  ), { numRuns: 150 });
});

test('rfc1123 is Go time.RFC1123 in the given zone', () => {
  assert.equal(rfc1123(new Date('2006-01-02T15:04:05Z'), 'UTC'), 'Mon, 02 Jan 2006 15:04:05 UTC');
  assert.equal(rfc1123(new Date('2024-07-04T08:09:10Z'), 'America/New_York'), 'Thu, 04 Jul 2024 04:09:10 EDT');
});

test("diff: istiod's view equal to Envoy's → Clusters/Listeners/Routes Match with Envoy's last RDS load", () => {
  const d = load();
  const last = Math.max(...section(d, 'RoutesConfigDump').dynamic_route_configs.map((r: { last_updated: string }) => Date.parse(r.last_updated)));
  assert.equal(diffProxy(d, load(), { timeZone: 'UTC' }), `Clusters Match\nListeners Match\nRoutes Match (RDS last loaded at ${rfc1123(new Date(last), 'UTC')})\n`);
  assert.deepEqual(compareProxy(d, load()), { CDS: 'SYNCED', LDS: 'SYNCED', EDS: 'NOT SENT', RDS: 'SYNCED' });
  // Versions and update times differ on every push; they are not compared. Neither is the order of the lists.
  const reordered = load();
  const ls = section(reordered, 'ListenersConfigDump');
  ls.dynamic_listeners.reverse();
  for (const l of ls.dynamic_listeners) { l.active_state.version_info = 'other'; l.active_state.last_updated = '2020-01-01T00:00:00Z'; }
  assert.match(diffProxy(reordered, d, { timeZone: 'UTC' }), /^Clusters Match\nListeners Match\nRoutes Match/);
});

test("diff: a modified istiod view → Don't Match with a unified diff (7 lines of context) that turns istiod's text into Envoy's", () => {
  const envoy = load();
  const view = load();
  section(view, 'RoutesConfigDump').dynamic_route_configs[0].route_config.virtual_hosts[0].domains.push('stale.example.com');
  section(view, 'ClustersConfigDump').dynamic_active_clusters[0].cluster.connect_timeout = '99s';
  section(view, 'ListenersConfigDump').dynamic_listeners.splice(1, 1);
  const out = diffProxy(view, envoy, { timeZone: 'UTC' });
  const parts = out.split(/^(Clusters|Listeners|Routes) Don't Match.*\n/m);
  assert.deepEqual([parts[1], parts[3], parts[5]], ['Clusters', 'Listeners', 'Routes']);
  assert.match(out, /^Routes Don't Match \(RDS last loaded at \w{3}, \d\d \w{3} \d{4} [\d:]{8} UTC\)$/m);
  assert.match(parts[2], /^--- Istiod Clusters\n\+\+\+ Envoy Clusters\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
  assert.match(parts[2], /^-\s+"connectTimeout": "99s"$/m);
  assert.match(parts[4], /^\+\s+"name": "main_internal",$/m);
  assert.match(parts[6], /^-\s+"stale\.example\.com"$/m);
  for (const p of [parts[2], parts[4], parts[6]]) {
    assert.ok(p.endsWith('\n\n'), 'each diff is followed by an empty line (Println)');
    const hunk = p.split('\n').slice(3);
    const lead = hunk.findIndex((l) => l[0] === '-' || l[0] === '+');
    assert.ok(lead <= 7, 'at most 7 lines of context before a change');
  }
  // Rebuild Envoy's jsonpb text from istiod's with the routes diff.
  const text = (entries: unknown) => marshalJsonpb({ dynamicRouteConfigs: entries }, '   ', ENVOY_SCHEMA);
  const a = splitLines(text(envoyJsonNames(dynamicEntries(view, 'RDS'))));
  const b = splitLines(text(envoyJsonNames(dynamicEntries(envoy, 'RDS'))));
  assert.deepEqual(applyPatch(a, parts[6].slice(0, -1)), b);
  assert.deepEqual(compareProxy(view, envoy), { CDS: 'STALE', LDS: 'STALE', EDS: 'NOT SENT', RDS: 'STALE' });
});

test('diff: a type missing from one side diffs against the "config dump has no configuration type" text', () => {
  const envoy = load();
  const view = load();
  view.configs = view.configs.filter((c) => !String(c['@type']).endsWith('ClustersConfigDump'));
  const out = diffProxy(view, envoy, { timeZone: 'UTC' });
  assert.match(out, /^Clusters Don't Match\n--- Istiod Clusters\n\+\+\+ Envoy Clusters\n@@ -1 \+1,\d+ @@\n-config dump has no configuration type type\.googleapis\.com\/envoy\.admin\.v3\.ClustersConfigDump\n\+\{\n/);
  assert.match(out, /^Listeners Match$/m);
  assert.equal(compareProxy(view, envoy).CDS, 'NOT SENT');
});

test('sources/istiod keeps the exports the TUI and the live tests use (the diff writer is format/proxy-diff.ts)', () => {
  assert.equal(typeof diffProxy, 'function');
  for (const f of ['compareProxy', 'fetchIstiodConfigDump', 'fetchSyncz', 'fetchSyncResponse', 'syncStates', 'dynamicResources'] as const) {
    assert.equal(typeof istiod[f], 'function', f);
  }
  assert.deepEqual([...istiod.XDS_TYPES], ['CDS', 'LDS', 'EDS', 'RDS']);
  assert.deepEqual(istiod.syncStates(rows[0]), { CDS: 'SYNCED', LDS: 'STALE', EDS: 'NOT SENT', RDS: 'SYNCED' });
});

test('-o json / yaml print one document per istiod, filtered by namespace', () => {
  const responses = { a: synczToResponse(rows, { id: 'istiod-a' }), b: synczToResponse([{ proxy: 'db-0.data' }], { id: 'istiod-b' }) };
  const json = proxyStatusJson(responses, { namespace: 'shop' });
  const docs = json.split(/^(?=\{)/m).map((t) => JSON.parse(t) as SyncResponse);
  assert.equal(docs.length, 2);
  assert.deepEqual(docs[0].resources!.map((c) => c.node!.id), ['web-1.shop', 'api-1.shop']);
  assert.equal(docs[1].resources, undefined, 'an empty list is left out, as jsonpb does');
  assert.match(proxyStatusYaml(responses), /^- '@type': type\.googleapis\.com\/envoy\.service\.status\.v3\.ClientConfig$/m);
  assert.deepEqual(proxyStatusRows(responses, 'data').map((r) => [r.proxy, r.istiod]), [['db-0.data', 'istiod-b']]);
});
