// kubeconfig files are loaded by client-node's KubeConfig; meshscope keeps kubectl's rules client-node lacks. Paths in
// a kubeconfig (certificate-authority, client-certificate, client-key, tokenFile, an exec command with a path
// separator) are relative to the folder of the file that declared them, never to the process's working directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startApiServer, type TestApiServer } from './support/apiserver/index.js';
import { testCertificate } from './support/apiserver/certs.js';
import { APISERVER_SEED } from './support/paths.js';
import { loadKubeconfig, loadLiveContexts, k8s, KubeClient } from '../src/sources/kube/index.js';

let srv: TestApiServer;
let dir: string;

before(async () => {
  await k8s();
  srv = await startApiServer({ seedDir: join(APISERVER_SEED, 'a'), tokens: { 'token-exec': 'admin', 'token-file': 'admin' } });
  dir = mkdtempSync(join(tmpdir(), 'meshscope-kubeconfig-'));
  mkdirSync(join(dir, 'certs'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'secrets'));
  const tls = testCertificate();
  writeFileSync(join(dir, 'certs', 'ca.pem'), srv.caPem);
  writeFileSync(join(dir, 'certs', 'client.crt'), tls.cert);
  writeFileSync(join(dir, 'certs', 'client.key'), tls.key);
  writeFileSync(join(dir, 'secrets', 'token'), 'token-file\n');
  const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'token-exec' } });
  writeFileSync(join(dir, 'bin', 'auth.sh'), `#!/bin/sh\necho '${credential}'\n`);
  chmodSync(join(dir, 'bin', 'auth.sh'), 0o755);
  const cluster = { server: srv.url, 'certificate-authority': 'certs/ca.pem' };
  writeFileSync(join(dir, 'config'), stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'exec',
    clusters: [{ name: 'a', cluster }],
    users: [
      { name: 'exec', user: { 'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key', exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: './bin/auth.sh', interactiveMode: 'Never' } } },
      { name: 'file', user: { tokenFile: 'secrets/token' } },
    ],
    contexts: [{ name: 'exec', context: { cluster: 'a', user: 'exec' } }, { name: 'file', context: { cluster: 'a', user: 'file' } }],
  }));
});
after(async () => {
  await srv?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('relative certificate, key, CA and exec command resolve against the kubeconfig folder, not the working directory', async () => {
  assert.notEqual(process.cwd(), dir);
  const kc = await loadKubeconfig(join(dir, 'config'));
  const user = kc.users.find((u) => u.name === 'exec')!;
  assert.equal(user.certFile, join(dir, 'certs/client.crt'));
  assert.equal(user.keyFile, join(dir, 'certs/client.key'));
  assert.equal(user.exec.command, join(dir, 'bin/auth.sh'));
  assert.equal(kc.clusters[0].caFile, join(dir, 'certs/ca.pem'));
  const [snap] = await loadLiveContexts({ kubeconfig: join(dir, 'config'), contexts: ['exec'], requestTimeout: '10s' });
  assert.equal(snap.status, 'ok', snap.reason);
  assert.ok(srv.requests.some((r) => r.user === 'admin'), 'the exec plugin\'s token was sent');
});

test('a relative tokenFile resolves against the kubeconfig folder', async () => {
  const kc = await loadKubeconfig(join(dir, 'config'));
  const client = await KubeClient.create(kc, 'file', { timeoutMs: 10_000 });
  try {
    const res = await client.request<{ kind: string }>('GET', '/api/v1/namespaces');
    assert.equal(res.body.kind, 'NamespaceList');
  } finally {
    client.close();
  }
});

test('a command without a path separator is looked up in PATH, as kubectl does', async () => {
  const other = join(dir, 'other');
  writeFileSync(other, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
    clusters: [{ name: 'c', cluster: { server: srv.url } }],
    users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin' } } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
  }));
  const kc = await loadKubeconfig(other);
  assert.equal(kc.users[0].exec.command, 'kubelogin');
});

test('a broken kubeconfig names the file and what client-node found wrong', async () => {
  const bad = join(dir, 'bad');
  writeFileSync(bad, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: {} }] }));
  await assert.rejects(loadKubeconfig(bad), { message: `kubeconfig ${bad}: clusters[0].cluster.server is missing` });
  writeFileSync(bad, '- a list\n');
  await assert.rejects(loadKubeconfig(bad), { message: `kubeconfig ${bad}: not a kubeconfig (expected a mapping)` });
  writeFileSync(bad, 'a: [\n');
  await assert.rejects(loadKubeconfig(bad), { message: /^kubeconfig .*bad: not valid YAML: / });
});
