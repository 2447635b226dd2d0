import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../model/resources.js';
import { clientTls, handshake, serverMtls } from './mtls.js';

const pa = (ns: string, name: string, spec: object, ts = '2024-01-01T00:00:00Z'): KubeObject => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: ns, creationTimestamp: ts }, spec });
const w = { namespace: 'app', labels: { app: 'demoapp' } };

test('server mode: port level > workload > namespace > mesh > PERMISSIVE; UNSET inherits', () => {
  assert.deepEqual(serverMtls([], w, 8080), { mode: 'PERMISSIVE', level: 'default' });
  const mesh = pa('istio-system', 'default', { mtls: { mode: 'STRICT' } });
  assert.equal(serverMtls([mesh], w, 8080).level, 'mesh');
  const ns = pa('app', 'ns', { mtls: { mode: 'UNSET' } });
  assert.equal(serverMtls([mesh, ns], w, 8080).mode, 'STRICT', 'UNSET namespace inherits the mesh');
  const wl = pa('app', 'wl', { selector: { matchLabels: { app: 'demoapp' } }, mtls: { mode: 'PERMISSIVE' }, portLevelMtls: { 8080: { mode: 'DISABLE' } } });
  assert.deepEqual(serverMtls([mesh, ns, wl], w, 8080), { mode: 'DISABLE', level: 'port', policy: { kind: 'PeerAuthentication', namespace: 'app', name: 'wl' }, path: 'spec.portLevelMtls.8080.mode' });
  assert.equal(serverMtls([mesh, ns, wl], w, 9090).mode, 'PERMISSIVE');
  assert.equal(serverMtls([mesh, wl], { namespace: 'app', labels: { app: 'other' } }, 8080).mode, 'STRICT', 'selector not matching');
});

test('client: DR subset and port level win; auto mTLS respects DISABLE; handshake outcomes', () => {
  const dr: KubeObject = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'd', namespace: 'app' }, spec: { host: 'demoapp', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: [{ name: 'v2', trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] } }] } };
  const strict = { hasSidecar: true, mode: 'STRICT' as const };
  const c = clientTls(dr as never, 80, 'v2', strict);
  assert.deepEqual(c, { sends: 'plaintext', mode: 'DISABLE', rule: { kind: 'DestinationRule', namespace: 'app', name: 'd' }, path: 'spec.subsets[0].trafficPolicy.portLevelSettings[0].tls.mode' });
  assert.equal(handshake(c, strict).ok, false);
  assert.match(handshake(c, strict).summary, /503 UC/);
  assert.equal(clientTls(dr as never, 80, 'v1', strict).sends, 'istio-mtls');
  assert.equal(clientTls(undefined, 80, undefined, { hasSidecar: true, mode: 'DISABLE' }).sends, 'plaintext');
  assert.equal(handshake(clientTls(dr as never, 80, undefined, { hasSidecar: true, mode: 'DISABLE' }), { hasSidecar: true, mode: 'DISABLE' }).ok, false);
  assert.equal(handshake(clientTls(undefined, 80, undefined, strict), strict).ok, true);
});
