import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterCounters, clusterStatOf, counterDelta, parseStatsFile, parseStatsText, sampleWindow, statsFilter, StatsFormatError } from './stats.js';

const C = 'outbound|8080|v2-canary|demoapp.app.svc.cluster.local';

test('cluster stat names split at the counter, whatever dots the cluster name has', () => {
  assert.deepEqual(clusterStatOf(`cluster.${C}.upstream_rq_total`), { cluster: C, counter: 'rqTotal' });
  assert.deepEqual(clusterStatOf(`cluster.${C}.outlier_detection.ejections_active`), { cluster: C, counter: 'ejectionsActive' });
  assert.deepEqual(clusterStatOf('cluster.outbound_.9080_.v2_.reviews.default.svc.cluster.local.upstream_cx_total'), { cluster: 'outbound_.9080_.v2_.reviews.default.svc.cluster.local', counter: 'cxTotal' });
  assert.equal(clusterStatOf(`cluster.${C}.upstream_rq_pending_total`), undefined);
  assert.equal(clusterStatOf(`cluster.${C}.ejections_active`), undefined);
  assert.equal(clusterStatOf('listener.0.0.0.0_8080.downstream_cx_total'), undefined);
  assert.equal(clusterStatOf('cluster.upstream_rq_total'), undefined);
});

test('clusterCounters reads counters and skips gauges of text, histograms and other stats', () => {
  const raw = { stats: [
    { name: `cluster.${C}.upstream_rq_total`, value: 12 },
    { name: `cluster.${C}.upstream_rq_5xx`, value: 3 },
    { name: `cluster.${C}.version_text`, value: 'abc' },
    { name: 'cluster.xds-grpc.upstream_rq_total', value: 7 },
    { name: 'server.uptime', value: 100 },
    { histograms: { supported_quantiles: [50], computed_quantiles: [] } },
  ] };
  const m = clusterCounters(raw);
  assert.deepEqual(m.get(C), { rqTotal: 12, rq5xx: 3 });
  assert.deepEqual(m.get('xds-grpc'), { rqTotal: 7 });
  assert.deepEqual([...clusterCounters(raw, new Set([C])).keys()], [C]);
  assert.throws(() => clusterCounters({ configs: [] }), StatsFormatError);
  assert.throws(() => parseStatsText('{"stats": ['), /not valid JSON/);
});

test('deltas between two samples; a counter that went down counts from zero', () => {
  const d = counterDelta({ rqTotal: 100, rq5xx: 5, cxTotal: 3 }, { rqTotal: 150, rq5xx: 9, cxTotal: 4, ejectionsActive: 1 });
  assert.deepEqual([d.rq, d.rq5xx, d.cx, d.ejectionsActive, d.seen, d.reset], [50, 4, 1, 1, true, false]);
  const r = counterDelta({ rqTotal: 100 }, { rqTotal: 20 });
  assert.deepEqual([r.rq, r.reset], [20, true]);
  assert.equal(counterDelta(undefined, undefined).seen, false);
  assert.equal(counterDelta(undefined, { rqTotal: 8 }).rq, 8);
});

test('stats.json: samples sorted by time, with a window; bad files say what is wrong', () => {
  const s = parseStatsFile({ samples: [
    { time: '2025-03-14T09:31:10.000Z', stats: { stats: [{ name: `cluster.${C}.upstream_rq_total`, value: 20 }] } },
    { time: '2025-03-14T09:31:00.000Z', stats: { stats: [{ name: `cluster.${C}.upstream_rq_total`, value: 10 }] } },
  ] });
  const w = sampleWindow(s)!;
  assert.equal(w.seconds, 10);
  assert.equal(w.first.clusters.get(C)?.rqTotal, 10);
  assert.equal(sampleWindow(s.slice(0, 1)), undefined);
  assert.throws(() => parseStatsFile({}), /no "samples" array/);
  assert.throws(() => parseStatsFile({ samples: [{ time: 'yesterday', stats: { stats: [] } }] }), /samples\[0\]\.time/);
  assert.throws(() => parseStatsFile({ samples: [{ time: '2025-03-14T09:31:00Z', stats: {} }] }), /samples\[0\]\.stats: .*no "stats" array/);
});

test('the /stats filter is a regex that keeps exactly the counters of the named clusters', () => {
  const re = new RegExp(statsFilter([C, 'outbound|8080|v2|demoapp.app.svc.cluster.local']));
  assert.ok(re.test(`cluster.${C}.upstream_rq_total`));
  assert.ok(re.test(`cluster.${C}.outlier_detection.ejections_active`));
  assert.ok(!re.test(`cluster.${C}.upstream_rq_pending_total`));
  assert.ok(!re.test('cluster.outbound|8080|v3|demoapp.app.svc.cluster.local.upstream_rq_total'));
  assert.ok(!re.test('cluster.outboundX8080|v2|demoapp.app.svc.cluster.local.upstream_rq_total'));
  const all = new RegExp(statsFilter([]));
  assert.ok(all.test('cluster.outbound|9000|v1|tcp-echo.default.svc.cluster.local.upstream_cx_total'));
  assert.ok(all.test('cluster.inbound-vip|8080|http/v1|cart.shop.svc.cluster.local.upstream_rq_total'));
  assert.ok(!all.test('cluster.xds-grpc.upstream_rq_total'));
});

test('the text fast path reads the same counters as JSON.parse, pretty or compact; truncated text is an error', () => {
  const raw = { stats: [
    { name: `cluster.${C}.upstream_rq_total`, value: 12 }, { name: `cluster.${C}.upstream_cx_total`, value: 2 },
    { name: `cluster.${C}.outlier_detection.ejections_active`, value: 1 }, { name: 'cluster.x.version', value: 3.5e3 },
    { name: 'listener.admin.downstream_cx_total', value: 9 }, { histograms: { supported_quantiles: [50], computed_quantiles: [] } },
  ] };
  const want = [...clusterCounters(raw)];
  assert.deepEqual([...parseStatsText(JSON.stringify(raw))], want);
  assert.deepEqual([...parseStatsText(JSON.stringify(raw, null, 2))], want);
  const escaped = { stats: [{ name: 'cluster.a\\"b.upstream_rq_total', value: 4 }] };
  assert.deepEqual([...parseStatsText(JSON.stringify(escaped))], [['a\\"b', { rqTotal: 4 }]]);
  const text = JSON.stringify(raw, null, 1);
  assert.throws(() => parseStatsText(text.slice(0, text.length - 40)), StatsFormatError);
  assert.deepEqual([...parseStatsText('{"stats":[]}')], []);
});

test('RBAC counters: read per stat prefix (HTTP inbound and TCP), kept in samples, and their deltas between two reads', async () => {
  const { rbacDeltas } = await import('./stats.js');
  const read = (denied: number, allowed: number, tcp: number) => ({ stats: [
    { name: 'http.inbound_0.0.0.0_9080.rbac.allowed', value: allowed },
    { name: 'http.inbound_0.0.0.0_9080.rbac.denied', value: denied },
    { name: 'http.inbound_0.0.0.0_9080.rbac.shadow_denied', value: 0 },
    { name: 'tcp.rbac.denied', value: tcp },
    { name: 'http.inbound_0.0.0.0_9080.downstream_rq_total', value: 99 },
  ] });
  const [first, last] = parseStatsFile({ samples: [
    { time: '2025-03-14T09:31:00Z', stats: read(100, 500, 3) },
    { time: '2025-03-14T09:31:10Z', stats: read(112, 790, 3) },
  ] });
  assert.deepEqual(first!.rbac?.get('http.inbound_0.0.0.0_9080.'), { allowed: 500, denied: 100, shadowDenied: 0 });
  assert.deepEqual(rbacDeltas(first!, last!), [{ prefix: 'http.inbound_0.0.0.0_9080.', allowed: 290, denied: 12, shadowDenied: 0 }]);
  const re = new RegExp(statsFilter([C]));
  assert.ok(re.test('http.inbound_0.0.0.0_9080.rbac.denied'));
  assert.ok(re.test('tcp.rbac.allowed'));
  assert.ok(!re.test('http.inbound_0.0.0.0_9080.downstream_rq_total'));
  assert.equal(parseStatsFile({ samples: [{ time: '2025-03-14T09:31:00Z', stats: { stats: [] } }] })[0]!.rbac, undefined);
});
