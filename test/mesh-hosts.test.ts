import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DestinationRuleIndex, HostRegistry, globalToLocal, hostIntersection, hostsIntersect, hostSubsetOf, isExportedTo,
  mostSpecificMatch, parseGatewayHost, resolveGatewayRef, selectorMatches, toFqdn,
} from '../src/mesh/hosts.js';

test('toFqdn completes short names against the referring namespace only', () => {
  const cases: [string, string, string][] = [
    ['reviews', 'default', 'reviews.default.svc.cluster.local'],
    ['reviews', 'app', 'reviews.app.svc.cluster.local'],
    ['reviews.default', 'app', 'reviews.default'],
    ['reviews.default.svc.cluster.local', 'app', 'reviews.default.svc.cluster.local'],
    ['reviews.default.global', 'default', 'reviews.default.global'],
    ['*.example.com', 'default', '*.example.com'],
    ['*', 'default', '*'],
    ['10.0.0.1', 'default', '10.0.0.1'],
  ];
  for (const [host, ns, want] of cases) assert.equal(toFqdn(host, ns), want, `${host} in ${ns}`);
});

test('host intersection and subset with wildcards', () => {
  const cases: [string, string, boolean, string | undefined][] = [
    ['a.example.com', 'a.example.com', true, 'a.example.com'],
    ['a.example.com', 'b.example.com', false, undefined],
    ['*.example.com', 'a.example.com', true, 'a.example.com'],
    ['a.b.example.com', '*.example.com', true, 'a.b.example.com'],
    ['*.example.com', '*.a.example.com', true, '*.a.example.com'],
    ['*', 'frontend.dujie.com', true, 'frontend.dujie.com'],
    ['*.dujie.com', '*.nginx.com', false, undefined],
    ['example.com', '*.example.com', false, undefined],
  ];
  for (const [a, b, meets, inter] of cases) {
    assert.equal(hostsIntersect(a, b), meets, `${a} ∩ ${b}`);
    assert.equal(hostsIntersect(b, a), meets, `${b} ∩ ${a}`);
    assert.equal(hostIntersection(a, b), inter, `${a} ∩ ${b} value`);
  }
  assert.equal(hostSubsetOf('a.example.com', '*.example.com'), true);
  assert.equal(hostSubsetOf('*.example.com', 'a.example.com'), false);
  assert.equal(mostSpecificMatch('a.b.example.com', ['*', '*.example.com', '*.b.example.com']), '*.b.example.com');
  assert.equal(mostSpecificMatch('x.com', ['*.example.com']), undefined);
});

test('exportTo visibility', () => {
  const cases: [string[] | undefined, string, string, boolean][] = [
    [undefined, 'a', 'b', true],
    [[], 'a', 'b', true],
    [['*'], 'a', 'b', true],
    [['.'], 'a', 'a', true],
    [['.'], 'a', 'b', false],
    [['b', 'c'], 'a', 'c', true],
    [['b', 'c'], 'a', 'd', false],
    [['~'], 'a', 'a', false],
  ];
  for (const [exp, owner, client, want] of cases) assert.equal(isExportedTo(exp, owner, client), want, `${JSON.stringify(exp)} ${owner}→${client}`);
});

test('gateway references and gateway server hosts', () => {
  assert.deepEqual(resolveGatewayRef('mesh', 'app'), { mesh: true });
  assert.deepEqual(resolveGatewayRef('frontend-gateway', 'app'), { mesh: false, namespace: 'app', name: 'frontend-gateway' });
  assert.deepEqual(resolveGatewayRef('istio-system/ingressgateway', 'app'), { mesh: false, namespace: 'istio-system', name: 'ingressgateway' });
  assert.deepEqual(resolveGatewayRef('bookinfo-gateway.default', 'app'), { mesh: false, namespace: 'default', name: 'bookinfo-gateway' });
  assert.deepEqual(parseGatewayHost('./a.com', 'gw-ns'), { namespace: 'gw-ns', host: 'a.com' });
  assert.deepEqual(parseGatewayHost('*/a.com', 'gw-ns'), { namespace: '*', host: 'a.com' });
  assert.deepEqual(parseGatewayHost('a.com', 'gw-ns'), { namespace: '*', host: 'a.com' });
  assert.equal(globalToLocal('reviews.default.global'), 'reviews.default.svc.cluster.local');
  assert.equal(globalToLocal('a.b.c.global'), undefined);
  assert.equal(selectorMatches({ app: 'x' }, { app: 'x', version: 'v1' }), true);
  assert.equal(selectorMatches({ app: 'x', version: 'v2' }, { app: 'x', version: 'v1' }), false);
});

function registry(): HostRegistry<string> {
  const r = new HostRegistry<string>();
  r.add({ host: 'reviews.default.svc.cluster.local', kind: 'Service', namespace: 'default', name: 'reviews', value: 'svc:reviews' });
  r.add({ host: 'ratings.bookinfo.svc.cluster.local', kind: 'Service', namespace: 'bookinfo', name: 'ratings', value: 'svc:ratings' });
  r.add({ host: 'private.team.svc.cluster.local', kind: 'Service', namespace: 'team', name: 'private', exportTo: ['.'], value: 'svc:private' });
  r.add({ host: '*.example.com', kind: 'ServiceEntry', namespace: 'default', name: 'wild', value: 'se:wild' });
  r.add({ host: '*.api.example.com', kind: 'ServiceEntry', namespace: 'default', name: 'wild-api', value: 'se:wild-api' });
  r.add({ host: 'reviews.default.global', kind: 'ServiceEntry', namespace: 'default', name: 'reviews-default', value: 'se:global' });
  r.add({ host: 'b.nginx.com', kind: 'ServiceEntry', namespace: 'default', name: 'b', exportTo: ['default', 'app'], value: 'se:b' });
  return r;
}

test('HostRegistry.resolve follows Istio rules', () => {
  const r = registry();
  const cases: { host: string; from: string; want?: string; via?: string; note?: RegExp }[] = [
    { host: 'reviews', from: 'default', want: 'svc:reviews', via: 'exact' },
    { host: 'reviews', from: 'app', note: /no Service or ServiceEntry for host reviews\.app\.svc\.cluster\.local/ },
    { host: 'reviews.default.svc.cluster.local', from: 'app', want: 'svc:reviews', via: 'exact' },
    { host: 'ratings.bookinfo.svc.cluster.local', from: 'default', want: 'svc:ratings', via: 'exact' },
    { host: 'reviews.default', from: 'app', want: 'svc:reviews', via: 'kube-dns', note: /does not expand name\.namespace/ },
    { host: 'x.example.com', from: 'app', want: 'se:wild', via: 'wildcard' },
    { host: 'v1.api.example.com', from: 'app', want: 'se:wild-api', via: 'wildcard' },
    { host: 'reviews.default.global', from: 'default', want: 'se:global', via: 'exact' },
    { host: 'private.team.svc.cluster.local', from: 'team', want: 'svc:private' },
    { host: 'private.team.svc.cluster.local', from: 'other', note: /not exported to namespace other/ },
    { host: 'b.nginx.com', from: 'app', want: 'se:b' },
    { host: 'b.nginx.com', from: 'kube-system', note: /not exported/ },
  ];
  for (const c of cases) {
    const res = r.resolve(c.host, c.from);
    assert.equal(res.entries[0]?.value, c.want, `${c.host} from ${c.from}`);
    if (c.via) assert.equal(res.via, c.via, `${c.host} via`);
    if (c.note) assert.match(res.note ?? '', c.note, `${c.host} note`);
  }
});

test('DestinationRuleIndex: client namespace, then service namespace, then the root namespace', () => {
  const idx = new DestinationRuleIndex<string>();
  idx.add({ host: 'reviews.default.svc.cluster.local', namespace: 'default', name: 'reviews', value: 'default/reviews' });
  idx.add({ host: 'reviews.default.svc.cluster.local', namespace: 'app', name: 'reviews-app', exportTo: ['.'], value: 'app/reviews-app' });
  idx.add({ host: '*.svc.cluster.local', namespace: 'istio-system', name: 'mesh-mtls', value: 'istio-system/mesh-mtls' });
  idx.add({ host: '*.local', namespace: 'istio-system', name: 'all-local', value: 'istio-system/all-local' });
  idx.add({ host: 'hidden.secret.svc.cluster.local', namespace: 'secret', name: 'hidden', exportTo: ['.'], value: 'secret/hidden' });
  const cases: [string, string, string | undefined, string | undefined, string | undefined][] = [
    // host, client ns, service ns, expected rule, scope
    ['reviews.default.svc.cluster.local', 'default', 'default', 'default/reviews', 'client-namespace'],
    ['reviews.default.svc.cluster.local', 'app', 'default', 'app/reviews-app', 'client-namespace'],
    ['reviews.default.svc.cluster.local', 'web', 'default', 'default/reviews', 'service-namespace'],
    ['ratings.default.svc.cluster.local', 'web', 'default', 'istio-system/mesh-mtls', 'root-namespace'],
    ['grafana.istio-system.svc.cluster.local', 'istio-system', 'istio-system', 'istio-system/mesh-mtls', 'root-namespace'],
    ['hidden.secret.svc.cluster.local', 'web', 'secret', 'istio-system/mesh-mtls', 'root-namespace'],
    ['hidden.secret.svc.cluster.local', 'secret', 'secret', 'secret/hidden', 'client-namespace'],
    ['b.nginx.com', 'default', 'default', undefined, undefined],
  ];
  for (const [host, client, svcNs, want, scope] of cases) {
    const m = idx.lookup(host, client, svcNs);
    assert.equal(m?.rules[0]?.value, want, `${host} from ${client}`);
    assert.equal(m?.scope, scope, `${host} from ${client} scope`);
  }
});
