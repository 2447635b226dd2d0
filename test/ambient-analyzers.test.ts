// The ambient checks (MS0601–MS0606) over the recorded ambient cluster plus faults added to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAnalysisInput } from '../src/analyze/input.js';
import { runChecks } from '../src/analyze/registry.js';
import type { ContextSnapshot } from '../src/model/context.js';
import type { KubeObject } from '../src/model/resources.js';
import { recorded } from './support/ambient.js';

const meta = (name: string, namespace?: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}) => ({ name, ...(namespace ? { namespace } : {}), labels, annotations });

function snapshot(extra: KubeObject[], ztunnelDump?: unknown): ContextSnapshot {
  const objects: KubeObject[] = [
    ...recorded('namespaces-ambient.json', 'Namespace'), ...recorded('pods-shop.json', 'Pod'), ...recorded('gateway-waypoint.json'), ...recorded('httproute-cart.json'),
    { apiVersion: 'v1', kind: 'Service', metadata: meta('cart', 'shop'), spec: { selector: { app: 'cart' }, ports: [{ port: 8080, name: 'http' }] } },
    ...extra,
  ];
  return {
    name: 'cluster-b', source: { kind: 'snapshot', path: '/x' }, status: 'ok', issues: [], proxies: [],
    objects: objects.map((obj, i) => ({ obj, origin: { context: 'cluster-b', file: 'mesh.yaml', line: i + 1 } })),
    ...(ztunnelDump ? { ztunnels: [{ context: 'cluster-b', pod: 'ztunnel-r7v2n', configDump: ztunnelDump }] } : {}),
  };
}

const run = (snap: ContextSnapshot) => runChecks(buildAnalysisInput({ contexts: [snap] }), { only: ['MS0601', 'MS0602', 'MS0603', 'MS0604', 'MS0605', 'MS0606'] })
  .map((f) => [f.code, f.origin, f.path, f.message]);

test('the recorded ambient cluster (waypoint bound, route on a waypoint-served service) is clean', () => {
  assert.deepEqual(run(snapshot([])), []);
});

test('L7 intent without a waypoint, a missing waypoint, sidecars in ambient, and ztunnel drift are found', () => {
  const extra: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('plain', undefined, { 'istio.io/dataplane-mode': 'ambient' }) },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('reviews', 'plain'), spec: { selector: { app: 'reviews' } } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('ratings', 'plain', { 'istio.io/use-waypoint': 'gone' }), spec: { selector: { app: 'ratings' } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('reviews-1', 'plain', { app: 'reviews' }), spec: { nodeName: 'node-b1', containers: [{ name: 'reviews' }] }, status: { phase: 'Running' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('legacy-1', 'plain', { app: 'legacy', 'sidecar.istio.io/inject': 'true' }), spec: { containers: [{ name: 'legacy' }, { name: 'istio-proxy' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('both-1', 'plain', { app: 'both' }, { 'ambient.istio.io/redirection': 'enabled' }), spec: { containers: [{ name: 'both' }, { name: 'istio-proxy' }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta('reviews', 'plain'), spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('reviews', 'plain'), spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }] } },
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta('get-only', 'plain'), spec: { selector: { matchLabels: { app: 'reviews' } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] } },
  ];
  const dump = { workloads: [{ name: 'reviews-1', namespace: 'plain', protocol: 'TCP', node: 'node-b1' }], services: [] };
  const got = run(snapshot(extra, dump));
  const summary = got.map(([code, origin, path]) => `${code} ${origin} ${path}`);
  assert.deepEqual(summary, [
    'MS0602 Service plain/ratings metadata.labels["istio.io/use-waypoint"]',
    'MS0605 Pod plain/both-1 metadata.annotations["ambient.istio.io/redirection"]',
    'MS0601 AuthorizationPolicy plain/get-only spec.rules[0].to[0].operation.methods',
    'MS0601 HTTPRoute plain/reviews spec.parentRefs[0]',
    'MS0601 VirtualService plain/reviews spec.hosts[0]',
    'MS0604 Pod plain/legacy-1 metadata.labels["sidecar.istio.io/inject"]',
    'MS0606 Pod plain/reviews-1 undefined',
    'MS0606 Pod shop/cart-v1-5f7d9c8b6-q4x8z undefined',
    'MS0606 Pod shop/cart-v2-6b8c4d7f5-j2m5t undefined',
  ]);
  assert.match(String(got.find((f) => f[0] === 'MS0602')![3]), /names waypoint plain\/gone, which does not exist/);
  assert.match(String(got.find((f) => f[1] === 'Pod plain/reviews-1')![3]), /not-captured/);
  assert.match(String(got.find((f) => f[1] === 'Pod shop/cart-v1-5f7d9c8b6-q4x8z')![3]), /not-in-ztunnel/);
});

test('MS0602 live: a missing waypoint is found without any Gateway; skipped only when Gateways could not be listed', () => {
  const label: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: meta('ratings', 'plain', { 'istio.io/use-waypoint': 'gone' }), spec: { selector: { app: 'ratings' } } };
  const live = (over: Partial<ContextSnapshot>): ContextSnapshot => ({
    name: 'live-a', source: { kind: 'live' }, status: 'ok', issues: [], proxies: [],
    objects: [{ obj: label, origin: { context: 'live-a' } }], ...over,
  });
  const codes = (snap: ContextSnapshot) => run(snap).filter((f) => f[0] === 'MS0602').map((f) => String(f[3]));
  assert.equal(codes(live({})).length, 1, 'Gateway API served, no Gateway of that name: the waypoint is missing');
  const absent = codes(live({ absent: ['Gateway API not installed'] }));
  assert.match(absent[0] ?? '', /which does not exist .*: the Gateway API is not installed there\)/);
  assert.deepEqual(codes(live({ issues: [{ context: 'live-a', severity: 'error', message: 'Gateway (gateway.networking.k8s.io/v1): forbidden: cannot list gateways.gateway.networking.k8s.io', resource: { group: 'gateway.networking.k8s.io', kind: 'Gateway' } }] })), [], 'unknown when the list failed');
});
