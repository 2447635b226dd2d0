// Ambient enrollment over the real objects of an ambient cluster (../shared/conformance/kube-apiserver/
// 10-cluster-b-ambient) and a ztunnel dump: modes from labels, ztunnel's view, and drift where they differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recorded } from './support/ambient.js';
import { buildAmbientContext } from '../src/mesh/ambient.js';
import type { ContextSnapshot } from '../src/model/context.js';
import type { KubeObject } from '../src/model/resources.js';

function snapshot(objects: KubeObject[], ztunnelDump: unknown): ContextSnapshot {
  return {
    name: 'cluster-b', source: { kind: 'snapshot', path: '/x' }, status: 'ok', issues: [], proxies: [],
    objects: objects.map((obj) => ({ obj, origin: { context: 'cluster-b' } })),
    ztunnels: [{ context: 'cluster-b', pod: 'ztunnel-r7v2n', configDump: ztunnelDump }],
  };
}

const service = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop', labels }, spec: { selector: { app: name } } });
const zWorkload = (name: string, protocol: string, extra: Record<string, unknown> = {}) => ({ uid: `cluster-b//Pod/shop/${name}`, name, namespace: 'shop', protocol, node: 'node-b1', serviceAccount: 'cart', workloadIps: [], status: 'Healthy', ...extra });

function objects(): KubeObject[] {
  return [
    ...recorded('namespaces-ambient.json', 'Namespace'), ...recorded('pods-shop.json', 'Pod'), ...recorded('ztunnel-pods.json', 'Pod'),
    ...recorded('gateway-waypoint.json'), service('cart'), service('waypoint'),
  ];
}

test('modes: the ambient namespace with its waypoint, its pods, the waypoint Envoy and ztunnel', () => {
  const dump = {
    workloads: [zWorkload('cart-v1-5f7d9c8b6-q4x8z', 'HBONE'), zWorkload('cart-v2-6b8c4d7f5-j2m5t', 'HBONE')],
    services: [
      { name: 'waypoint', namespace: 'shop', hostname: 'waypoint.shop.svc.cluster.local', vips: ['network2/10.96.0.50'] },
      { name: 'cart', namespace: 'shop', hostname: 'cart.shop.svc.cluster.local', vips: ['network2/10.96.0.60'], waypoint: { destination: 'network2/10.96.0.50' } },
    ],
  };
  const a = buildAmbientContext(snapshot(objects(), dump));
  assert.equal(a.namespaces.get('shop')?.mode, 'ambient-waypoint');
  assert.equal(a.namespaces.get('shop')?.waypoint?.name, 'waypoint');
  const cart = a.services.get('shop/cart')!;
  assert.equal(cart.mode, 'ambient-waypoint');
  assert.equal(cart.waypoint?.on, 'Namespace');
  assert.equal(cart.ztunnel?.waypoint, 'waypoint');
  assert.deepEqual(cart.drift, []);
  const v1 = a.pods.get('shop/cart-v1-5f7d9c8b6-q4x8z')!;
  // waypoint-for: service, so pod-addressed traffic goes straight to ztunnel.
  assert.equal(v1.mode, 'ambient');
  assert.equal(v1.redirected, true);
  assert.equal(v1.ztunnelPod, 'ztunnel-r7v2n');
  assert.deepEqual(v1.ztunnel && [v1.ztunnel.protocol, v1.ztunnel.node], ['HBONE', 'node-b1']);
  assert.deepEqual(v1.drift, []);
  assert.equal(a.pods.get('shop/waypoint-7c9f6d5b8-h6k3w')?.mode, 'gateway');
  assert.equal(a.pods.get('istio-system/ztunnel-r7v2n')?.mode, 'none');
  const w = a.waypoints.get('shop/waypoint')!;
  assert.deepEqual([w.waypointFor, w.services, w.pods], ['service', ['shop/cart', 'shop/waypoint'], ['shop/waypoint-7c9f6d5b8-h6k3w']]);
});

test('drift: unknown to ztunnel, not captured, waypoint not bound, sidecar with ambient redirection', () => {
  const objs = objects();
  const pod = objs.find((o) => o.metadata.name === 'cart-v2-6b8c4d7f5-j2m5t')!;
  (pod.spec as { containers: { name: string }[] }).containers.push({ name: 'istio-proxy' });
  const dump = {
    workloads: { 'network2/10.248.0.31': zWorkload('cart-v1-5f7d9c8b6-q4x8z', 'TCP', { node: 'node-b9' }) },
    services: { 'network2/10.96.0.60': { name: 'cart', namespace: 'shop', hostname: 'cart.shop.svc.cluster.local', vips: ['network2/10.96.0.60'] } },
  };
  const a = buildAmbientContext(snapshot(objs, dump));
  const v1 = a.pods.get('shop/cart-v1-5f7d9c8b6-q4x8z')!;
  assert.deepEqual(v1.drift.map((d) => d.code), ['not-captured', 'node-mismatch']);
  const v2 = a.pods.get('shop/cart-v2-6b8c4d7f5-j2m5t')!;
  assert.equal(v2.mode, 'sidecar');
  assert.deepEqual(v2.drift.map((d) => [d.code, d.path]), [['sidecar-and-ambient', 'metadata.annotations["ambient.istio.io/redirection"]']]);
  const cart = a.services.get('shop/cart')!;
  assert.deepEqual(cart.drift.map((d) => d.code), ['waypoint-mismatch']);
  assert.match(cart.drift[0].message, /Namespace shop names waypoint shop\/waypoint, but ztunnel ztunnel-r7v2n has no waypoint for it/);
  const empty = buildAmbientContext(snapshot(objs, { workloads: [], services: [] }));
  assert.deepEqual(empty.pods.get('shop/cart-v1-5f7d9c8b6-q4x8z')!.drift.map((d) => d.code), ['not-in-ztunnel']);
});
