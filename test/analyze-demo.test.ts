// `meshscope analyze --fixtures fixtures/demo` reports every deliberate fault of the demo, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { envoyParser } from '../src/analyze/envoy-parser.js';
import { analyze } from '../src/analyze/run.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = resolve(repoRoot, 'fixtures/demo');

// The demo's deliberate faults (issue 2), each with the finding that reveals it.
const FAULTS = [
  'IST0101 cluster-b VirtualService default/ratings', // a VirtualService names a subset its DestinationRule lacks
  'MS0007 cluster-a Gateway istio-system/http-gateway', // a Gateway host that no VirtualService serves
  'MS0201 cluster-a VirtualService app/demoapp', // one frontend proxy still runs the old 100/0 weights (stale push)
  'IST0173 cluster-a DestinationRule default/details', // a DestinationRule subset that selects no pods
  'MS0202 cluster-a VirtualService istio-system/grafana-virtualservice', // one unhealthy endpoint (grafana's only one)
  'MS0203 cluster-a VirtualService app/demoapp', // the stale proxy's recorded traffic: the canary gets 0% of its requests
  'MS0204 cluster-a VirtualService app/demoapp', // the canary answers 5xx, v2 does not (recorded stats)
];

test('analyze on fixtures/demo: exactly the deliberate faults', { skip: existsSync(demo) ? false : 'fixtures/demo missing' }, async () => {
  const input = await loadSnapshotFolder(demo);
  const { findings } = analyze({ input, join: (i) => joinMesh(i, { parser: envoyParser }) });
  const got = findings.map((f) => `${f.code} ${f.context} ${f.origin}`).sort();
  assert.deepEqual(got, [...FAULTS].sort(), findings.map((f) => `${f.level} [${f.code}] [${f.context}] (${f.origin}) ${f.message}`).join('\n'));
  const drift = findings.find((f) => f.code === 'MS0201')!;
  assert.equal(drift.proxy?.startsWith('app/frontend-'), true, 'drift names the stale proxy');
  assert.match(drift.message, /intent .*v2 90%.*v2-canary 10%; Envoy .*v2 100%.*v2-canary 0%/);
  const share = findings.find((f) => f.code === 'MS0203')!;
  assert.equal(share.proxy, drift.proxy, 'the share finding names the same stale proxy');
  assert.match(share.message, /^Destination demoapp:v2-canary of rule "weight-based-routing" got 0% of the 204 requests counted on app\/frontend-7c55c868cf-p5rrv, its weight is 10%/);
  const errors = findings.find((f) => f.code === 'MS0204')!;
  assert.equal(errors.path, 'spec.http[0].route[1].destination');
  assert.match(errors.message, /demoapp:v2-canary .* answered 5xx to 14\.5% of 69 requests while demoapp:v2 did not \(counted on app\/client-d44cdc4b7-9dl8s, app\/frontend-7c55c868cf-fhd87\)/);
  assert.equal(findings.find((f) => f.code === 'IST0101')!.message, 'Referenced host+subset in destinationrule not found: "ratings+v2"');

  // fixtures/demo/README.md documents each fault with its code.
  const readme = resolve(demo, 'README.md');
  if (existsSync(readme)) {
    const codes = new Set(readFileSync(readme, 'utf8').match(/\b(?:IST|MS)\d{4}\b/g) ?? []);
    if (codes.size > 0) {
      for (const f of FAULTS) assert.ok(codes.has(f.split(' ')[0]!), `fixtures/demo/README.md names ${f.split(' ')[0]}`);
    }
  }
});
