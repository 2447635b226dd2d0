// The trace to the end on the demo: the request refused by an AuthorizationPolicy names the policy and the rule,
// the mTLS mismatch stops at the handshake naming both objects, and Envoy's RBAC filters sit beside the intent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot } from './support/paths.js';
import { runCli } from './support/cli.js';

const demo = join(repoRoot, 'fixtures/demo');
const trace = (...args: string[]) => runCli(['--fixtures', demo, 'trace', '--context', 'cluster-a', '--from', 'client-d44cdc4b7-9dl8s.app', ...args]);

test('trace: the refused request says which policy and rule refuse it, with the RBAC filters beside it', async () => {
  const r = await trace('--host', 'productpage.default', '--port', '9080', '--path', '/api/v1/products');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /✓ identity +spiffe:\/\/cluster\.local\/ns\/app\/sa\/default/);
  assert.match(r.stdout, /✓ mtls +default\/productpage-v1-7bbd79f8fd-k6j79:9080: auto mTLS/);
  assert.match(r.stdout, /✗ authz +AuthorizationPolicy default\/deny-app-api rules\[0\]: denied: AuthorizationPolicy default\/deny-app-api rules\[0\] \(403 RBAC: access denied\)/);
  assert.match(r.stdout, /✓ rbac +default\/productpage-v1-7bbd79f8fd-k6j79 \(its config_dump\): Envoy's RBAC filters enforce DENY deny-app-api\.default \(1\): as the policies build them/);
  assert.match(r.stdout, /result: ✗ the request fails at intent authz AuthorizationPolicy default\/deny-app-api rules\[0\]/);
});

test('trace: the same client may browse productpage', async () => {
  const r = await trace('--host', 'productpage.default', '--port', '9080', '--path', '/productpage');
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /✓ authz .*allowed: no DENY policy matches/);
});

test('trace: the mTLS mismatch stops at the handshake, naming the DestinationRule and the PeerAuthentication', async () => {
  const r = await trace('--host', 'frontend');
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ mtls +app\/frontend-7c55c868cf-\w+:80: DestinationRule app\/frontend spec\.trafficPolicy\.tls\.mode = DISABLE; PeerAuthentication app\/frontend-strict \(workload\) = STRICT: .*503 UC/);
  assert.doesNotMatch(r.stdout, /authz/, 'no authorization after a failed handshake');
  const json = await trace('--host', 'frontend', '-o', 'json');
  const steps = (JSON.parse(json.stdout) as { steps: { kind: string; matched: boolean; details?: Record<string, unknown> }[] }).steps;
  const m = steps.find((s) => s.kind === 'mtls')!;
  assert.deepEqual([m.matched, m.details?.client, m.details?.server], [false, 'DISABLE', 'STRICT']);
});
