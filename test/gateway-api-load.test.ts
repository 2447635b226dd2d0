import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { objectsOfFile, loadSnapshotFolder } from '../src/sources/snapshot.js';
import { gatewayApiKinds } from '../src/sources/kube/kinds.js';
import { GATEWAY_API_GATEWAY_KEY, indexKind, isGatewayApiObject } from '../src/model/gateway-api.js';
import type { LoadIssue } from '../src/model/context.js';
import { CONFORMANCE } from './support/paths.js';

const TRANSLATION = join(CONFORMANCE, 'gateway-api-translation/testdata');

test('every Gateway API kind of the translation inputs loads from a snapshot folder', async () => {
  const mesh = await loadSnapshotFolder(TRANSLATION);
  const objs = mesh.contexts.flatMap((c) => c.objects.map((o) => o.obj));
  const kinds = new Set(objs.filter(isGatewayApiObject).map((o) => o.kind));
  for (const k of ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant', 'ListenerSet']) {
    assert.ok(kinds.has(k), `no ${k} loaded`);
  }
  const errors = mesh.contexts.flatMap((c) => c.issues).filter((i) => i.severity === 'error');
  assert.deepEqual(errors.map((e) => e.message), []);
});

test('a Gateway API field of the wrong type is a located load error', () => {
  const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: default}
spec:
  rules:
  - backendRefs:
    - name: svc
      weight: "80"
`;
  const issues: LoadIssue[] = [];
  const objs = objectsOfFile(text, false, 'c', 'r.yaml', issues);
  assert.equal(objs.length, 0);
  assert.match(issues[0]!.message, /HTTPRoute default\/r: spec\.rules\[0\]\.backendRefs\[0\]\.weight must be a whole number/);
});

test('a Gateway API Gateway is not indexed as an Istio Gateway', () => {
  const gw = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway' };
  assert.equal(indexKind(gw), GATEWAY_API_GATEWAY_KEY);
  assert.equal(indexKind({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway' }), 'Gateway');
  assert.equal(indexKind({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }), 'HTTPRoute');
});

test('live Gateway API kinds are listed at the preferred version the context serves', () => {
  const served = new Map([['gateway.networking.k8s.io', new Set(['v1', 'v1beta1', 'v1alpha2'])]]);
  const kinds = gatewayApiKinds(served);
  const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.version]));
  assert.equal(byKind.HTTPRoute, 'v1');
  assert.equal(byKind.TCPRoute, 'v1');
  assert.equal(byKind.TLSRoute, 'v1');
  assert.equal(gatewayApiKinds(new Map([['gateway.networking.k8s.io', new Set(['v1alpha2'])]])).find((k) => k.kind === 'TCPRoute')?.version, 'v1alpha2');
  assert.deepEqual(gatewayApiKinds(new Map()), []);
});
