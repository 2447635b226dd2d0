// PeerAuthentication, AuthorizationPolicy and RequestAuthentication load from snapshot folders (with shape checks)
// and are in the live kinds table at the security.istio.io versions meshscope understands.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { KIND_SPECS, listPath } from '../src/sources/kube/kinds.js';

const roots: string[] = [];
after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

const POLICIES = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: istio-system }
spec: { mtls: { mode: STRICT }, portLevelMtls: { "8080": { mode: DISABLE } } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-canary, namespace: app }
spec:
  selector: { matchLabels: { app: demoapp } }
  action: DENY
  rules:
  - from: [{ source: { principals: ["cluster.local/ns/app/sa/client"] } }]
    to: [{ operation: { paths: ["/canary"] } }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: app }
spec: { jwtRules: [{ issuer: "https://example.com", jwksUri: "https://example.com/jwks" }] }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: broken, namespace: app }
spec:
  rules:
  - to: [{ operation: { paths: "/not-a-list" } }]
`;

test('security.istio.io kinds load from a snapshot; a wrongly typed rule field is a located load error', async () => {
  const root = mkdtempSync(join(tmpdir(), 'meshscope-sec-'));
  roots.push(root);
  mkdirSync(join(root, 'c1'));
  writeFileSync(join(root, 'c1', 'policies.yaml'), POLICIES);
  const mesh = await loadSnapshotFolder(root);
  const c = mesh.contexts[0]!;
  assert.deepEqual(c.objects.map((o) => `${o.obj.kind}/${o.obj.metadata.name}`), ['PeerAuthentication/default', 'AuthorizationPolicy/deny-canary', 'RequestAuthentication/jwt']);
  const issue = c.issues.find((i) => /not-a-list/.test(i.message) || /paths/.test(i.message));
  assert.ok(issue, JSON.stringify(c.issues));
  assert.match(issue.message, /spec\.rules\[0\]\.to\[0\]\.operation\.paths must be a list/);
});

test('live kinds table: the three security kinds at each understood version', () => {
  const security = KIND_SPECS.filter((k) => k.group === 'security.istio.io');
  assert.deepEqual(security.map((k) => [k.kind, k.versions, k.list]), [
    ['PeerAuthentication', ['v1', 'v1beta1'], true], ['AuthorizationPolicy', ['v1', 'v1beta1'], true], ['RequestAuthentication', ['v1', 'v1beta1'], true],
  ]);
  const { versions: _versions, list: _list, ...policy } = security[1]!;
  assert.equal(listPath({ ...policy, version: 'v1beta1' }, 'app'), '/apis/security.istio.io/v1beta1/namespaces/app/authorizationpolicies');
});

// Live: the security kinds load from the test API server at the version it serves, and a server without
// security.istio.io loads as before.
import { startTestClusters } from './support/apiserver/index.js';
import { loadLiveContexts } from '../src/sources/kube/index.js';
import type { KubeObject } from '../src/model/resources.js';

test('live: PeerAuthentication and AuthorizationPolicy load at the served security.istio.io version', async () => {
  const seed: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'app' }, spec: { mtls: { mode: 'STRICT' } } },
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-canary', namespace: 'app' }, spec: { action: 'DENY', rules: [{}] } },
  ];
  const clusters = await startTestClusters({ old: { seed, crds: { istio: 'istio-1.10' } }, none: { seed, crds: { istio: 'none' } } });
  try {
    const snaps = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['old,none'], requestTimeout: '5s' });
    const old = snaps.find((s) => s.name === 'old')!;
    assert.equal(old.status, 'ok', old.reason);
    const sec = old.objects.filter((o) => o.obj.apiVersion.startsWith('security.istio.io/')).map((o) => `${o.obj.apiVersion} ${o.obj.kind} ${o.obj.metadata.name}`).sort();
    assert.deepEqual(sec, ['security.istio.io/v1beta1 AuthorizationPolicy deny-canary', 'security.istio.io/v1beta1 PeerAuthentication default']);
    assert.ok(clusters.servers.old!.requests.some((r) => r.group === 'security.istio.io' && r.version === 'v1beta1'), 'listed at v1beta1');
    const none = snaps.find((s) => s.name === 'none')!;
    assert.equal(none.status, 'ok', none.reason);
    assert.ok(!none.objects.some((o) => o.obj.kind === 'PeerAuthentication'));
    assert.ok(!clusters.servers.none!.requests.some((r) => r.group === 'security.istio.io'), 'an unserved group is never listed');
  } finally {
    await clusters.close();
  }
});
