// Live, the CA bundle ConfigMaps that Gateways and BackendTLSPolicies name are read one by one (GET, never a list;
// Secrets never), a 404 recorded as checked, so the translation reports the missing one; snapshots keep both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestClusters } from './support/apiserver/index.js';
import { testCertificate } from './support/apiserver/certs.js';
import { loadLiveContexts } from '../src/sources/kube/index.js';
import { writeSnapshot } from '../src/sources/snapshot-writer.js';
import { loadSnapshotFolder } from '../src/sources/snapshot.js';
import { translateGatewayApi } from '../src/mesh/gateway-api/translate.js';
import { caConfigMapRefs } from '../src/model/gateway-api.js';
import type { ContextSnapshot } from '../src/model/context.js';
import type { KubeObject } from '../src/model/resources.js';

const GW = 'gateway.networking.k8s.io/v1';
const caRef = (name: string, namespace?: string) => ({ caCertificateRefs: [{ group: '', kind: 'ConfigMap', name, ...(namespace ? { namespace } : {}) }] });
const listener = (name: string, port: number) => ({ name, port, protocol: 'HTTPS', hostname: `${name}.example`, tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } });
const SEED: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } },
  {
    apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'infra' },
    spec: {
      gatewayClassName: 'istio', listeners: [listener('ok', 443), listener('gone', 8443)],
      tls: { frontend: { default: { validation: caRef('client-ca') }, perPort: [{ port: 8443, tls: { validation: caRef('gone') } }] } },
    },
  },
  { apiVersion: GW, kind: 'BackendTLSPolicy', metadata: { name: 'tls', namespace: 'app' }, spec: { targetRefs: [{ group: '', kind: 'Service', name: 'shop' }], validation: { hostname: 'shop.example', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'shop-ca' }] } } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'client-ca', namespace: 'infra' }, data: { 'ca.crt': testCertificate().cert } } as KubeObject,
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'infra' }, data: { k: 'v' } } as KubeObject,
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'infra' }, data: { 'tls.crt': 'eA==' } } as KubeObject,
];

function listenerErrors(snap: ContextSnapshot): Map<string, string> {
  const t = translateGatewayApi(snap.objects.map((o) => o.obj), { domainSuffix: 'cluster.local', configMapsChecked: snap.configMapsChecked });
  const out = new Map<string, string>();
  for (const [l, errs] of t.gateways.gateways[0]!.listenerErrors) if (errs.length) out.set(l, errs.map((e) => e.message).join('; '));
  return out;
}

test('caConfigMapRefs: Gateway frontend (default, per port, other namespace), BackendTLSPolicy; never a Secret', () => {
  const gwWithSecret: KubeObject = { apiVersion: GW, kind: 'Gateway', metadata: { name: 'x', namespace: 'a' }, spec: { tls: { frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'Secret', name: 's' }, { name: 'cm', namespace: 'b' }] } } } } } };
  assert.deepEqual(caConfigMapRefs([...SEED, gwWithSecret]).sort(), ['app/shop-ca', 'b/cm', 'infra/client-ca', 'infra/gone']);
});

test('live: only the referenced ConfigMaps are read, each with a GET; the 404 is reported missing, also from the snapshot written', async () => {
  const clusters = await startTestClusters({ gw: { seed: structuredClone(SEED), crds: { gatewayApi: 'experimental' } } });
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-cm-'));
  try {
    const [snap] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['gw'], requestTimeout: '5s' });
    assert.equal(snap!.status, 'ok', snap!.reason);
    const reqs = clusters.servers.gw!.requests;
    assert.deepEqual(reqs.filter((r) => r.resource === 'configmaps').map((r) => `${r.verb} ${r.namespace}/${r.name} ${r.status}`).sort(), [
      'get app/shop-ca 404', 'get infra/client-ca 200', 'get infra/gone 404',
    ]);
    assert.ok(!reqs.some((r) => r.resource === 'secrets'), 'no Secret is ever requested');
    assert.deepEqual(snap!.configMapsChecked, ['app/shop-ca', 'infra/client-ca', 'infra/gone']);
    assert.deepEqual(snap!.objects.filter((o) => o.obj.kind === 'ConfigMap').map((o) => o.obj.metadata.name), ['client-ca']);

    const live = listenerErrors(snap!);
    assert.equal(live.get('ok'), undefined, 'the ConfigMap read is a usable bundle');
    assert.match(live.get('gone') ?? '', /configmap infra\/gone not found/);
    const t = translateGatewayApi(snap!.objects.map((o) => o.obj), { domainSuffix: 'cluster.local', configMapsChecked: snap!.configMapsChecked });
    assert.match(JSON.stringify(t.policies), /reference app\/shop-ca \(of kind ConfigMap\) not found/);
    // Without the record, a reference into a namespace no ConfigMap was loaded from is unknown (trusted).
    const unrecorded = translateGatewayApi(snap!.objects.map((o) => o.obj), { domainSuffix: 'cluster.local' });
    assert.doesNotMatch(JSON.stringify(unrecorded.policies), /shop-ca \(of kind ConfigMap\) not found/);

    await writeSnapshot(join(dir, 'snap'), [snap!]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'snap/gw/configmaps-checked.json'), 'utf8')), { checked: ['app/shop-ca', 'infra/client-ca', 'infra/gone'] });
    assert.match(readFileSync(join(dir, 'snap/gw/infra/configmaps.yaml'), 'utf8'), /name: client-ca/);
    const [again] = (await loadSnapshotFolder(join(dir, 'snap'))).contexts;
    assert.equal(again!.status, 'ok', again!.reason);
    assert.deepEqual(again!.configMapsChecked, snap!.configMapsChecked);
    assert.deepEqual([...listenerErrors(again!)], [...live]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await clusters.close();
  }
});

test('live: a forbidden ConfigMap read is a warning and leaves its reference unknown', async () => {
  const clusters = await startTestClusters({ gw: { seed: structuredClone(SEED), crds: { gatewayApi: 'experimental' } } });
  try {
    clusters.servers.gw!.faults.push({ resource: 'configmaps', verb: 'get', namespace: 'infra', status: 403 });
    const [snap] = await loadLiveContexts({ kubeconfig: clusters.kubeconfig, contexts: ['gw'], requestTimeout: '5s' });
    assert.equal(snap!.status, 'ok', snap!.reason);
    assert.deepEqual(snap!.configMapsChecked, ['app/shop-ca']);
    const w = snap!.issues.filter((i) => i.object?.startsWith('ConfigMap '));
    assert.deepEqual(w.map((i) => [i.severity, i.object]).sort(), [['warning', 'ConfigMap infra/client-ca'], ['warning', 'ConfigMap infra/gone']]);
    assert.match(w[0]!.message, /^CA bundle not read \(its references are not checked\): forbidden/);
    assert.equal(listenerErrors(snap!).get('gone'), undefined);
  } finally {
    await clusters.close();
  }
});
