// `meshscope analyze --fixtures fixtures/demo` reports every deliberate fault of the demo, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { joinMesh } from '../src/mesh/join.js';
import { envoyParser } from '../src/analyze/envoy-parser.js';
import { analyze } from '../src/app/analyze-run.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = resolve(repoRoot, 'fixtures/demo');

// The demo's deliberate faults, each with the finding that reveals it.
const FAULTS = [
  'IST0101 cluster-b VirtualService default/ratings', // a VirtualService names a subset its DestinationRule lacks
  'MS0007 cluster-a Gateway istio-system/http-gateway', // a Gateway host that no VirtualService serves
  'MS0201 cluster-a VirtualService app/demoapp', // one frontend proxy still runs the old 100/0 weights (stale push)
  'IST0173 cluster-a DestinationRule default/details', // a DestinationRule subset that selects no pods
  'MS0202 cluster-a VirtualService istio-system/grafana-virtualservice', // one unhealthy endpoint (grafana's only one)
  'MS0505 cluster-a DestinationRule app/frontend', // plain text (DISABLE) to frontend, whose PeerAuthentication is STRICT
  'MS0602 cluster-b Service shop/inventory', // ambient: istio.io/use-waypoint names a waypoint that does not exist
  'MS0203 cluster-a VirtualService app/demoapp', // the stale proxy's recorded traffic: the canary gets 0% of its requests
  'MS0204 cluster-a VirtualService app/demoapp', // the canary answers 5xx, v2 does not (recorded stats)
  'MS0403 cluster-a HTTPRoute web/storefront', // Gateway API: a backendRef into default, where no ReferenceGrant allows it
  // Not a fault, a story: productpage's RBAC filter counted the app namespace's /api/* calls it refused (Info).
  'MS0508 cluster-a AuthorizationPolicy default/deny-app-api',
];

test('analyze on fixtures/demo: exactly the deliberate faults', async () => {
  const input = await loadSnapshotFolder(demo);
  const { findings } = analyze({ input, join: (i) => joinMesh(i, { parser: envoyParser }) });
  const got = findings.map((f) => `${f.code} ${f.context} ${f.origin}`).sort();
  assert.deepEqual(got, [...FAULTS].sort(), findings.map((f) => `${f.level} [${f.code}] [${f.context}] (${f.origin}) ${f.message}`).join('\n'));
  const drift = findings.find((f) => f.code === 'MS0201')!;
  assert.equal(drift.proxy?.startsWith('app/frontend-'), true, 'drift names the stale proxy');
  assert.match(drift.message, /intent .*v2 90%.*v2-canary 10%; Envoy .*v2 100%.*v2-canary 0%/);
  const share = findings.find((f) => f.code === 'MS0203')!;
  assert.equal(share.proxy, drift.proxy, 'the share finding names the same stale proxy');
  assert.match(share.message, /^Destination demoapp v2-canary of rule "weight-based-routing" got 0% of the 204 requests counted on app\/frontend-7c55c868cf-p5rrv, its weight is 10%/);
  const errors = findings.find((f) => f.code === 'MS0204')!;
  assert.equal(errors.path, 'spec.http[0].route[1].destination');
  assert.match(errors.message, /demoapp v2-canary .* answered 5xx to 14\.5% of 69 requests while demoapp v2 did not \(counted on app\/client-d44cdc4b7-9dl8s, app\/frontend-7c55c868cf-fhd87\)/);
  assert.equal(findings.find((f) => f.code === 'IST0101')!.message, 'Referenced host+subset in destinationrule not found: "ratings+v2"');
  const mtls = findings.find((f) => f.code === 'MS0505')!;
  assert.match(mtls.message, /DestinationRule sends plain text \(DISABLE\) to app\/frontend .* but PeerAuthentication app\/frontend-strict requires mTLS \(STRICT\)/, 'both objects named');
  assert.equal(mtls.path, 'spec.trafficPolicy.tls.mode');
  const refused = findings.find((f) => f.code === 'MS0508')!;
  assert.equal(refused.level, 'Info');
  assert.equal(refused.proxy, 'default/productpage-v1-7bbd79f8fd-k6j79');
  const refGrant = findings.find((f) => f.code === 'MS0403')!;
  assert.match(refGrant.message, /backendRef default\/reviews is in another namespace and no ReferenceGrant in default allows HTTPRoutes from web/);
  assert.match(refused.message, /refused 12 of 373 requests \(403 RBAC: access denied\) in 10 s, at inbound_0\.0\.0\.0_9080; AuthorizationPolicy default\/deny-app-api \(DENY\) can refuse them/);

});
