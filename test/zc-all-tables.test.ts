// `zc all` as tables reads the dump's own objects when they have istioctl's shape (readTablesDump) and writes plain
// ASCII tables in one pass (tabwriteAscii): the same text and the same errors as the full reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFORMANCE } from './support/paths.js';
import { parseZtunnelDump, parseZtunnelDumpText } from '../src/model/ztunnel/parse.js';
import { readTablesDump } from '../src/model/ztunnel/tables-dump.js';
import { workloadCells } from '../src/model/ztunnel/views.js';
import { renderAllTables } from '../src/format/ztunnel-config.js';
import { tabwriteAscii, tabwriteCells } from '../src/format/tabwriter.js';
import { allTablesOutput } from '../src/cli/zc-all.js';
import { joinHalves, readHead, readServicesPart, splitBeforeServices } from '../src/model/ztunnel/split-dump.js';
import { UidHealth } from '../src/model/ztunnel/uid-health.js';

const TEXT = readFileSync(join(CONFORMANCE, 'ztunnel/testdata/dump.json'), 'utf8');
const NOW = new Date('2026-01-01T00:00:00Z');
type Json = Record<string, unknown>;
const dump = () => JSON.parse(TEXT) as Record<string, Record<string, Json>>;
const first = (o: Record<string, Json>) => o[Object.keys(o)[0]];

/** The text of the full reading, or its error. */
function full(raw: unknown, withHeaders = false): string {
  try {
    return renderAllTables(parseZtunnelDump(raw, 'd.json'), { withHeaders, now: NOW });
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** allTablesOutput on the text of `raw`: read whole, or (splitMinChars 0) in halves on two threads. */
async function light(raw: unknown, withHeaders = false, o: { halves?: boolean; indent?: number } = {}): Promise<string> {
  try {
    return await allTablesOutput(JSON.stringify(raw, null, o.indent), 'd.json', { withHeaders, now: NOW, splitMinChars: o.halves ? 0 : undefined });
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

/** The halves' reading of a text, undefined where it gives way to the whole reading. */
function byHalves(text: string) {
  const h = splitBeforeServices(text);
  const head = h && readHead(h.head, 'd.json');
  const tail = h && readServicesPart(h.tail, 'd.json');
  return head && tail ? joinHalves(head, tail) : undefined;
}

test('zc all tables: the sample dump, with and without headers, whole and in halves', async () => {
  for (const withHeaders of [false, true]) {
    const want = renderAllTables(parseZtunnelDumpText(TEXT, 'd.json'), { withHeaders, now: NOW });
    assert.equal(await allTablesOutput(TEXT, 'd.json', { withHeaders, now: NOW }), want);
    assert.equal(await allTablesOutput(TEXT, 'd.json', { withHeaders, now: NOW, splitMinChars: 0 }), want);
  }
  // The halves are read, not given up: as ztunnel writes it (indented), and compact.
  for (const text of [TEXT, JSON.stringify(JSON.parse(TEXT))]) {
    const d = byHalves(text);
    assert.ok(d, 'read in halves');
    assert.equal(renderAllTables(d, { now: NOW }), renderAllTables(parseZtunnelDumpText(TEXT, 'd.json'), { now: NOW }));
  }
});

test('zc all tables in halves: whatever the halves could read otherwise is read whole', async () => {
  const moved = (change: (d: Record<string, unknown>) => Record<string, unknown>) => change(JSON.parse(TEXT) as Record<string, unknown>);
  const cases: [string, Record<string, unknown>][] = [
    ['services before workloads', moved(({ services, ...rest }) => ({ services, ...rest }))],
    ['Workloads after services', moved(({ workloads, ...rest }) => ({ ...rest, Workloads: workloads }))],
    ['policies in both halves', moved(({ policies, ...rest }) => ({ policies, ...rest, Policies: policies }))],
    ['policies between workloads and services', moved(({ workloads, policies, ...rest }) => ({ workloads, policies, ...rest }))],
  ];
  for (const [name, d] of cases) {
    const text = JSON.stringify(d);
    assert.equal(byHalves(text), undefined, name);
    assert.equal(await light(d, false, { halves: true }), full(d), name);
  }
  // A member twice in the text (JSON.parse keeps the last): read whole.
  const twice = `{"services":{},${JSON.stringify(JSON.parse(TEXT)).slice(1)}`;
  assert.equal(byHalves(twice), undefined, 'services twice');
  assert.equal(await allTablesOutput(twice, 'd.json', { now: NOW, splitMinChars: 0 }), full(JSON.parse(twice)));
  // A workload's own "services" member is no cut: the last one is the dump's.
  const nested = moved((d) => { first(d.workloads as Record<string, Json>).services = { 'ns/a.ns.svc.cluster.local': { 80: 80 } }; return d; });
  assert.ok(byHalves(JSON.stringify(nested)));
  assert.equal(await light(nested, false, { halves: true }), full(nested));
});

test('zc all tables: objects not of istioctl\'s shape read as parseZtunnelDump reads them', async () => {
  const variants: [string, (d: Record<string, Record<string, Json>>) => void][] = [
    ['null name', (d) => { first(d.workloads).name = null; }],
    ['name in another case', (d) => { const w = first(d.workloads); w.NAME = w.name; delete w.name; }],
    ['both cases', (d) => { first(d.workloads).Name = 'other'; }],
    ['null workload', (d) => { d.workloads[Object.keys(d.workloads)[0]] = null as unknown as Json; }],
    ['null workloadIps', (d) => { first(d.workloads).workloadIps = null; }],
    ['null ip', (d) => { first(d.workloads).workloadIps = [null, '10.0.0.9']; }],
    ['waypoint without destination', (d) => { first(d.workloads).waypoint = { port: 1 }; }],
    ['null waypoint', (d) => { first(d.workloads).waypoint = null; }],
    ['unknown members', (d) => { first(d.workloads).extra = { a: [1] }; first(d.services).visibility = 'x'; }],
    ['service namespace in another case', (d) => { const s = first(d.services); s.Namespace = s.namespace; delete s.namespace; }],
    ['null endpoint', (d) => { const eps = first(d.services).endpoints as Json; eps[Object.keys(eps)[0]] = null; }],
    ['endpoint uid in another case', (d) => { const eps = first(d.services).endpoints as Record<string, Json>; const e = first(eps); e.WorkloadUID = e.workloadUid; delete e.workloadUid; }],
    ['null endpoints', (d) => { first(d.services).endpoints = null; }],
    ['cidrVips both forms', (d) => { first(d.services).cidrVips = ['net/10.0.0.0/8', { cidr: '10.1.0.0/16' }]; }],
    ['null port', (d) => { first(d.services).ports = { 80: null }; }],
    ['list form', (d) => { d.workloads = Object.values(d.workloads) as unknown as Record<string, Json>; d.services = Object.values(d.services) as unknown as Record<string, Json>; }],
    ['workloads absent', (d) => { delete (d as Json).workloads; }],
    ['non-ASCII and control characters', (d) => { first(d.workloads).name = 'pödé'; first(d.services).name = 'a\u001b[31mb'; }],
    ['a namespace with a dot', (d) => { first(d.workloads).namespace = 'book.info'; }],
    // Errors: the first wrong value in dump order, located.
    ['wrong name', (d) => { first(d.workloads).name = 5; }],
    ['wrong nested', (d) => { first(d.workloads).locality = { zone: 1 }; }],
    ['wrong tunnel port', (d) => { first(d.workloads).applicationTunnel = { port: 'x' }; }],
    ['wrong ip', (d) => { first(d.workloads).workloadIps = [1]; }],
    ['wrong endpoint port', (d) => { const eps = first(d.services).endpoints as Record<string, Json>; first(eps).port = { 80: 'x' }; }],
    ['wrong cidr', (d) => { first(d.services).cidrVips = [{ cidr: 1 }]; }],
    ['wrong canonical', (d) => { first(d.services).canonical = 'yes'; }],
    ['wrong policies', (d) => { d.policies = 'x' as unknown as Record<string, Json>; }],
    ['wrong state', (d) => { d.workloadState = [] as unknown as Record<string, Json>; }],
    ['two wrong values', (d) => { first(d.services).name = 1; first(d.workloads).uid = true; }],
  ];
  for (const [name, change] of variants) {
    const d = dump();
    change(d);
    const want = full(d);
    assert.equal(await light(d), want, name);
    for (const indent of [undefined, 2]) assert.equal(await light(d, false, { halves: true, indent }), want, `${name}, in halves, indent ${indent}`);
    if (name.startsWith('wrong') || name.startsWith('two')) assert.match(want, /^error: d\.json: /, name);
  }
  for (const halves of [false, true]) {
    assert.match(await light([], false, { halves }), /^error: d\.json: not a ztunnel config dump/);
    assert.match(await light({ workloads: 1 }, false, { halves }), /^error: d\.json: workloads must be a list or an object, not a number/);
    assert.match(await light({ workloads: {}, services: 1 }, false, { halves }), /^error: d\.json: services must be a list or an object, not a number/);
  }
});

test('zc all tables: workloads sort by namespace.name then node, whatever the namespaces', () => {
  const names = ['a', 'a-b', 'a.b', 'a.', '', 'b', 'a.b.c'];
  const workloads = [];
  for (let i = 0; i < 60; i++) workloads.push({ namespace: names[(i * 7) % names.length], name: `w${(i * 13) % 9}`, node: `n${i % 4}`, workloadIps: [`10.0.0.${i}`] });
  for (const list of [workloads, workloads.filter((w) => !w.namespace.includes('.'))]) {
    const got = workloadCells(readTablesDump({ workloads: list }, 'x'));
    const want = [...list].sort((a, b) => {
      const ka = `${a.namespace}.${a.name}`;
      const kb = `${b.namespace}.${b.name}`;
      return ka < kb ? -1 : ka > kb ? 1 : a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
    });
    assert.deepEqual((got.order ?? []).map((r) => got.cells[r * got.cols + 2]), want.map((w) => w.workloadIps[0]));
  }
});

test('tabwriteAscii writes what tabwriteCells writes, and declines anything but printable ASCII', () => {
  const header = ['A', 'BB', 'C'];
  const cells = ['x', '', 'long value', 'yyyyyy', 'z', '', '', 'q', 'r'];
  for (const padding of [1, 5]) {
    const rows = [header, cells.slice(0, 3), cells.slice(3, 6), cells.slice(6, 9)];
    assert.equal(tabwriteAscii(header, cells, padding), tabwriteCells(rows, { padding }));
  }
  assert.equal(tabwriteAscii(header, [], 1), tabwriteCells([header], { padding: 1 }));
  assert.equal(tabwriteAscii(header, cells, 1, [2, 0, 1]), tabwriteCells([header, cells.slice(6, 9), cells.slice(0, 3), cells.slice(3, 6)], { padding: 1 }));
  for (const bad of ['é', '\t', '\n', '\u007f', '\u{1F600}']) assert.equal(tabwriteAscii(header, ['a', bad, 'c'], 1), undefined, JSON.stringify(bad));
});

test('UidHealth: the last workload of a uid decides, through fingerprint collisions and growth', () => {
  const health = new UidHealth();
  const want = new Map<string, boolean>();
  // Same length and same last 16 characters: the same fingerprint, told apart by the uid itself.
  const tail = '-6d9f7c8b5-x1234';
  for (let i = 0; i < 3000; i++) {
    const uid = i % 3 === 0 ? `${String(i).padStart(6, '0')}${tail}` : `Kubernetes//Pod/ns/app-${i % 2000}`;
    const healthy = i % 5 !== 0;
    health.set(uid, healthy);
    want.set(uid, healthy);
  }
  for (const [uid, healthy] of want) assert.equal(health.isHealthy(uid), healthy, uid);
  for (const uid of ['', 'nope', `999999${tail}`, 'Kubernetes//Pod/ns/app-2000']) assert.equal(health.isHealthy(uid), false, uid);
});
