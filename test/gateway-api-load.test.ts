import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { objectsOfFile, loadSnapshotFolder } from '../src/sources/snapshot.js';
import type { KubeObject } from '../src/model/resources.js';
import { startTestClusters } from './support/apiserver/index.js';
import { loadLiveContexts } from '../src/sources/kube/index.js';
import { GATEWAY_API_GATEWAY_KEY, indexKind, isGatewayApiObject } from '../src/model/gateway-api.js';
import type { LoadIssue } from '../src/model/context.js';
import { CONFORMANCE } from './support/paths.js';

const TRANSLATION = join(CONFORMANCE, 'gateway-api-translation/testdata');

test('every Gateway API kind of the translation inputs loads from a snapshot folder', async () => {
  const mesh = await loadSnapshotFolder(TRANSLATION);
  const objs = mesh.contexts.flatMap((c) => c.objects.map((o) => o.obj));
  const kinds = new Set(objs.filter(isGatewayApiObject).map((o) => o.kind));
  for (const k of ['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'ReferenceGrant', 'ListenerSet', 'BackendTLSPolicy', 'XBackend', 'XBackendTrafficPolicy']) {
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

test('live: Gateway API objects are listed at the version the context serves, beside Istio Gateways', async () => {
  const seed: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'istio-gw', namespace: 'app' }, spec: { selector: { istio: 'ingressgateway' }, servers: [] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'app' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'app' }, spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name: 'shop', port: 80, weight: 9 }, { name: 'shop-canary', port: 80, weight: 1 }] }] } },
  ];
  const clusters = await startTestClusters({ gw: { seed, crds: { gatewayApi: 'standard' } } });
  try {
    const [snap] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['gw'], requestTimeout: '5s' });
    assert.equal(snap!.status, 'ok', snap!.reason);
    const names = snap!.objects.map((o) => `${o.obj.apiVersion} ${o.obj.kind} ${o.obj.metadata.name}`).filter((n) => /Gateway|HTTPRoute/.test(n)).sort();
    assert.deepEqual(names, ['gateway.networking.k8s.io/v1 Gateway web', 'gateway.networking.k8s.io/v1 HTTPRoute shop', 'networking.istio.io/v1 Gateway istio-gw']);
    assert.ok(clusters.servers.gw!.requests.some((r) => r.group === 'gateway.networking.k8s.io' && r.version === 'v1' && r.resource === 'httproutes'), 'HTTPRoutes listed at v1');
  } finally {
    await clusters.close();
  }
});

test('live: backend policies and XBackends are listed at the versions the experimental CRDs serve; a standard cluster does not call them absent', async () => {
  const seed: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: 'tls', namespace: 'app' }, spec: { targetRefs: [{ group: '', kind: 'Service', name: 'shop' }], validation: { hostname: 'shop.example', wellKnownCACertificates: 'System' } } },
    { apiVersion: 'gateway.networking.x-k8s.io/v1alpha1', kind: 'XBackendTrafficPolicy', metadata: { name: 'lb', namespace: 'app' }, spec: { targetRefs: [{ group: '', kind: 'Service', name: 'shop' }] } },
    { apiVersion: 'gateway.networking.x-k8s.io/v1alpha1', kind: 'XBackend', metadata: { name: 'ext', namespace: 'app' }, spec: { type: 'ExternalHostname', externalHostname: { hostname: 'ext.example' }, port: { port: 443 } } },
  ];
  const clusters = await startTestClusters({ x: { seed, crds: { gatewayApi: 'experimental' } }, std: { seed: [], crds: { gatewayApi: 'standard' } } });
  try {
    const [x, std] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['x', 'std'], requestTimeout: '5s' });
    assert.equal(x!.status, 'ok', x!.reason);
    const names = x!.objects.map((o) => `${o.obj.apiVersion} ${o.obj.kind} ${o.obj.metadata.name}`).filter((n) => /Backend/.test(n)).sort();
    assert.deepEqual(names, [
      'gateway.networking.k8s.io/v1 BackendTLSPolicy tls',
      'gateway.networking.x-k8s.io/v1alpha1 XBackend ext',
      'gateway.networking.x-k8s.io/v1alpha1 XBackendTrafficPolicy lb',
    ]);
    assert.equal(std!.status, 'ok', std!.reason);
    assert.deepEqual((std!.absent ?? []).filter((a) => /XBackend|x-k8s/.test(a)), []);
  } finally {
    await clusters.close();
  }
});
