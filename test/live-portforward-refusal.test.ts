// Port-forwards resume TLS sessions. A port-forward the API server refuses says what the server said: kube-apiserver answers 404 `pods "node-a1" not
// found` when the pod exists but its node cannot be reached (../shared/conformance/kube-apiserver/08-portforward-proxy),
// which must not read as "pod not found".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { APISERVER_SEED, KUBE_APISERVER, requireCorpus } from './support/paths.js';
import { k8s, openKubeClient } from '../src/sources/kube/index.js';
import { adminGet } from '../src/sources/envoy-admin.js';

requireCorpus(KUBE_APISERVER, 'the recorded port-forward refusal');
const recorded = JSON.parse(JSON.parse(readFileSync(join(KUBE_APISERVER, '08-portforward-proxy/portforward-post-spdy-upgrade.json'), 'utf8')).response.body) as { message: string };

let clusters: TestClusters;
before(async () => {
  await k8s();
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a') } });
});
after(async () => { await clusters.close(); });

test('a refused port-forward to an existing pod carries the API server\'s message, not "pod not found"', async () => {
  clusters.servers.a.faults.push({ resource: 'pods/portforward', status: 404, message: recorded.message });
  const client = await openKubeClient({ kubeconfig: clusters.kubeconfig, context: 'a', requestTimeout: '5s' });
  try {
    const err = await adminGet(client, 'istio-system', 'istio-ingressgateway-6d9f7c-a1', 15000, '/config_dump').then(() => undefined, (e: Error) => e);
    assert.ok(err, 'the fetch fails');
    assert.equal(err.message, `port-forward to pod istio-system/istio-ingressgateway-6d9f7c-a1 port 15000: refused by the API server: ${recorded.message} (404)`);
    assert.doesNotMatch(err.message, /pod istio-system\/istio-ingressgateway-6d9f7c-a1 not found/);
  } finally {
    client.close();
    clusters.servers.a.faults.length = 0;
  }
});

test('port-forwards resume the TLS session of the first one instead of a full handshake each', async () => {
  const client = await openKubeClient({ kubeconfig: clusters.kubeconfig, context: 'a', requestTimeout: '5s' });
  const before = clusters.servers.a.requests.length;
  try {
    for (let i = 0; i < 3; i++) await adminGet(client, 'istio-system', 'istio-ingressgateway-6d9f7c-a1', 15000, '/config_dump').catch(() => undefined);
    const forwards = clusters.servers.a.requests.slice(before).filter((r) => r.resource === 'pods' && r.subresource === 'portforward');
    assert.equal(forwards.length, 3);
    assert.deepEqual(forwards.map((r) => r.tlsResumed), [false, true, true]);
  } finally {
    client.close();
  }
});
