// Reads and writes share one duration parser and one retry policy (the live KubeClient): `--request-timeout 1m30s`
// is 90 s on a write as on a read, `0` is no timeout, and a write is never retried.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startTestClusters, type TestClusters } from './support/apiserver/index.js';
import { APISERVER_SEED } from './support/paths.js';
import { k8s } from '../src/sources/kube/index.js';
import { liveAccess } from '../src/sources/edit/kube-client.js';
import { buildJsonPatch } from '../src/sources/edit/live-writer.js';

let clusters: TestClusters;
before(async () => {
  await k8s();
  clusters = await startTestClusters({ a: { seedDir: join(APISERVER_SEED, 'a') } });
});
after(async () => { await clusters.close(); });

const access = (requestTimeout?: string) => liveAccess('a', 'networking.istio.io/v1', { kubeconfig: clusters.kubeconfig, requestTimeout });

test('--request-timeout takes kubectl durations on writes: 1m30s is 90 s, 0 is none, the default 10 s', async () => {
  assert.equal((await access('1m30s')).timeoutMs, 90_000);
  assert.equal((await access('0')).timeoutMs, 0);
  assert.equal((await access('500ms')).timeoutMs, 500);
  assert.equal((await access()).timeoutMs, 10_000);
  await assert.rejects(access('10 seconds'), /--request-timeout: invalid duration "10 seconds"/);
});

test('a write slower than 1 s fails at --request-timeout 1s and lands at 1m30s; it is sent once either way', async () => {
  const srv = clusters.servers.a;
  const patchOf = async (timeout: string) => {
    const acc = await access(timeout);
    const vs = await acc.api.get('app', 'demoapp');
    const ops = buildJsonPatch(vs, vs.metadata.resourceVersion!, [{ path: ['spec', 'http', 0, 'route', 0, 'weight'], before: 90, after: 90 }] as never);
    return acc.api.patch('app', 'demoapp', ops, true);
  };
  // Generous bounds: the slow answer (1.5 s) is well past 1 s, and far below 90 s even on a loaded machine.
  srv.faults.push({ verb: 'patch', resource: 'virtualservices', latencyMs: 1500 });
  try {
    let from = srv.requests.length;
    await assert.rejects(patchOf('1s'), (err: { message?: string; code?: unknown }) => /timeout after 1s/.test(String(err.message)) && err.code === undefined);
    assert.equal(srv.requests.slice(from).filter((r) => r.verb === 'patch').length, 1, 'a write that timed out is not re-sent');
    from = srv.requests.length;
    const res = await patchOf('1m30s');
    assert.equal(res.metadata.name, 'demoapp');
    assert.equal(srv.requests.slice(from).filter((r) => r.verb === 'patch').length, 1);
  } finally {
    srv.faults.length = 0;
  }
});
