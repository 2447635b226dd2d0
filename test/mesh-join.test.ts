import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinMesh } from '../src/mesh/join.js';
import { buildMeshTree } from '../src/mesh/tree.js';
import { renderTreeText, filterByKind } from '../src/mesh/tree-format.js';
import { walkTree } from '../src/mesh/tree-walk.js';
import type { ParsedDump } from '../src/model/envoy/types.js';
import type { ProxyDump } from '../src/model/context.js';
import type { TreeNode } from '../src/mesh/tree-types.js';
import { context, input, obj, pod, svc } from './mesh-build.js';

const GW_LB = '35.0.0.2';

function frontendDump(weights: [number, number]): ParsedDump {
  const cl = (subset: string) => ({
    name: `outbound|8080|${subset}|demoapp.app.svc.cluster.local`, direction: 'outbound', port: 8080, subset, fqdn: 'demoapp.app.svc.cluster.local',
    type: 'EDS', destinationRule: 'demoapp.app', dynamic: true, warming: false, raw: {},
  });
  return {
    clusters: [cl('v2'), cl('v2-canary')],
    listeners: [],
    routeConfigs: [{
      name: '8080', dynamic: true, raw: {},
      virtualHosts: [{
        name: 'demoapp.app.svc.cluster.local:8080', domains: ['demoapp.app.svc.cluster.local'],
        routes: [{
          name: 'canary', match: { prefix: '/', headers: [] }, virtualService: 'demoapp.app', action: 'route', raw: {},
          weightedClusters: [
            { name: 'outbound|8080|v2|demoapp.app.svc.cluster.local', weight: weights[0] },
            { name: 'outbound|8080|v2-canary|demoapp.app.svc.cluster.local', weight: weights[1] },
          ],
        }],
      }],
    }],
    edsEndpoints: [
      { cluster: 'outbound|8080|v2|demoapp.app.svc.cluster.local', address: '10.1.0.11', port: 8080, health: 'HEALTHY', from: 'eds' },
      { cluster: 'outbound|8080|v2|demoapp.app.svc.cluster.local', address: '10.1.0.12', port: 8080, health: 'UNHEALTHY', from: 'eds' },
      { cluster: 'outbound|8080|v2-canary|demoapp.app.svc.cluster.local', address: '10.1.0.13', port: 8080, health: 'HEALTHY', from: 'eds' },
    ],
    sections: [], raw: {},
  };
}

function build() {
  const proxies: ProxyDump[] = [
    { context: 'cluster-a', namespace: 'app', pod: 'frontend-1' },
    { context: 'cluster-a', namespace: 'app', pod: 'frontend-2' },
  ];
  const a = context('cluster-a', [
    obj('Namespace', undefined, 'app', undefined),
    pod('app', 'demoapp-v2-1', '10.1.0.11', { app: 'demoapp', version: 'v2' }),
    pod('app', 'demoapp-v2-2', '10.1.0.12', { app: 'demoapp', version: 'v2' }),
    pod('app', 'demoapp-canary-1', '10.1.0.13', { app: 'demoapp', version: 'v2-canary' }),
    pod('app', 'frontend-1', '10.1.0.21', { app: 'frontend' }),
    pod('app', 'frontend-2', '10.1.0.22', { app: 'frontend' }),
    pod('istio-system', 'istio-ingressgateway-a', '10.1.0.2', { istio: 'ingressgateway' }),
    pod('default', 'reviews-v1-1', '10.1.0.31', { app: 'reviews', version: 'v1' }),
    svc('app', 'demoapp', { app: 'demoapp' }, [8080]),
    svc('app', 'frontend', { app: 'frontend' }, [80]),
    svc('default', 'reviews', { app: 'reviews' }, [9080]),
    svc('istio-system', 'istio-ingressgateway', { istio: 'ingressgateway' }, [80], { type: 'LoadBalancer', lb: '35.0.0.1' }),
    obj('DestinationRule', 'app', 'demoapp', { host: 'demoapp', subsets: [
      { name: 'v2', labels: { version: 'v2' } }, { name: 'v2-canary', labels: { version: 'v2-canary' } }, { name: 'v3', labels: { version: 'v3' } },
    ] }),
    obj('VirtualService', 'app', 'demoapp', { hosts: ['demoapp'], http: [
      { name: 'canary', route: [
        { destination: { host: 'demoapp', subset: 'v2' }, weight: 90 },
        { destination: { host: 'demoapp', subset: 'v2-canary' }, weight: 10 },
      ] },
      { name: 'broken', match: [{ uri: { prefix: '/v4' } }], route: [{ destination: { host: 'demoapp', subset: 'v4' } }] },
    ] }),
    obj('Gateway', 'app', 'frontend-gateway', { selector: { istio: 'ingressgateway' }, servers: [
      { port: { number: 80, protocol: 'HTTP', name: 'http' }, hosts: ['frontend.dujie.com', 'orphan.dujie.com'] },
    ] }),
    obj('VirtualService', 'app', 'frontend', { hosts: ['frontend.dujie.com', 'frontend'], gateways: ['frontend-gateway', 'mesh', 'missing-gw'], http: [
      { route: [{ destination: { host: 'frontend' } }], mirror: { host: 'frontend' }, mirrorPercentage: { value: 25 } },
    ] }),
    obj('ServiceEntry', 'default', 'b-nginx', { hosts: ['b.nginx.com'], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], endpoints: [{ address: GW_LB }] }),
    obj('VirtualService', 'default', 'nginx', { hosts: ['b.nginx.com'], http: [{ route: [{ destination: { host: 'b.nginx.com' } }] }] }),
    obj('ServiceEntry', 'default', 'reviews-default', {
      hosts: ['reviews.default.global'], location: 'MESH_INTERNAL', resolution: 'DNS', addresses: ['240.0.0.3'],
      ports: [{ number: 9080, name: 'http1', protocol: 'http' }], endpoints: [{ address: GW_LB, labels: { cluster: 'cluster2' }, ports: { http1: 15443 } }],
    }),
    obj('DestinationRule', 'default', 'reviews-global', { host: 'reviews.default.global', subsets: [
      { name: 'v2', labels: { cluster: 'cluster2' } }, { name: 'v3', labels: { cluster: 'cluster2' } },
    ] }),
    obj('DestinationRule', 'default', 'reviews', { host: 'reviews.default.svc.cluster.local', subsets: [
      { name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }, { name: 'v3', labels: { version: 'v3' } },
    ] }),
    obj('VirtualService', 'default', 'reviews', { hosts: ['reviews.default.svc.cluster.local'], http: [
      { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [
        { destination: { host: 'reviews.default.global', subset: 'v2' }, weight: 50 },
        { destination: { host: 'reviews.default.global', subset: 'v3' }, weight: 50 },
      ] },
      { route: [{ destination: { host: 'reviews.default.svc.cluster.local', subset: 'v1' } }] },
    ] }),
  ], proxies);
  const b = context('cluster-b', [
    pod('istio-system', 'istio-ingressgateway-b', '10.2.0.2', { istio: 'ingressgateway' }),
    pod('default', 'nginx-1', '10.2.0.5', { app: 'nginx' }),
    pod('default', 'reviews-v2-1', '10.2.0.32', { app: 'reviews', version: 'v2' }),
    pod('default', 'reviews-v3-1', '10.2.0.33', { app: 'reviews', version: 'v3' }),
    svc('istio-system', 'istio-ingressgateway', { istio: 'ingressgateway' }, [80, 15443], { type: 'LoadBalancer', lb: GW_LB }),
    svc('default', 'nginx', { app: 'nginx' }, [80]),
    svc('default', 'reviews', { app: 'reviews' }, [9080]),
    obj('DestinationRule', 'default', 'reviews', { host: 'reviews.default.svc.cluster.local', subsets: [
      { name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }, { name: 'v3', labels: { version: 'v3' } },
    ] }),
    obj('Gateway', 'default', 'nginx-gateway', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, protocol: 'HTTP' }, hosts: ['b.nginx.com'] }] }),
    obj('VirtualService', 'default', 'nginx', { hosts: ['b.nginx.com'], gateways: ['nginx-gateway'], http: [{ route: [{ destination: { host: 'nginx' } }] }] }),
  ]);
  const parsed = new Map<ProxyDump, ParsedDump>([[proxies[0]!, frontendDump([90, 10])], [proxies[1]!, frontendDump([100, 0])]]);
  return joinMesh(input(a, b), { parsed });
}

function find(roots: TreeNode[], pred: (n: TreeNode) => boolean): TreeNode[] {
  const out: TreeNode[] = [];
  walkTree(roots, (n) => { if (pred(n)) out.push(n); });
  return out;
}

test('VS → rules → destinations → subsets → pods, with weights', () => {
  const mesh = build();
  const vs = mesh.virtualService('cluster-a', 'app', 'demoapp')!;
  assert.equal(vs.rules.length, 2);
  const [v2, canary] = vs.rules[0]!.destinations;
  assert.equal(v2!.weight, 90);
  assert.equal(canary!.weight, 10);
  assert.deepEqual(v2!.pods.map((p) => p.name).sort(), ['demoapp-v2-1', 'demoapp-v2-2']);
  assert.deepEqual(canary!.pods.map((p) => p.name), ['demoapp-canary-1']);
  assert.equal(v2!.targets[0]!.kind, 'Service');
  assert.equal(v2!.subsetDef?.rule.name, 'demoapp');
  assert.equal(mesh.rule(vs.rules[0]!.id), vs.rules[0]);
  assert.equal(mesh.destinationsOf(vs.rules[0]!.id).length, 2);
  // edges both ways
  assert.ok(mesh.edgesTo(v2!.id, 'rule-destination').some((e) => e.from === vs.rules[0]!.id));
  assert.ok(mesh.edgesFrom(v2!.id, 'destination-pod').length === 2);
});

test('missing subset and empty subset are dangling edges with reasons', () => {
  const mesh = build();
  const bad = mesh.virtualService('cluster-a', 'app', 'demoapp')!.rules[1]!.destinations[0]!;
  const d = mesh.edgesFrom(bad.id, 'destination-subset');
  assert.equal(d.length, 1);
  assert.match(d[0]!.dangling!, /subset "v4" not found in DestinationRule app\/demoapp \(has v2, v2-canary, v3\)/);
  assert.ok(bad.problems.some((p) => p.code === 'IST0101'));
  const tree = buildMeshTree(mesh);
  const v3 = find(tree, (n) => n.id === 'cluster-a/DestinationRule/app/demoapp/subset:v3')[0]!;
  assert.match(v3.children[0]!.dangling!, /subset v3 \(version=v3\) selects no pods/);
});

test('gateway binding: short name, mesh, missing gateway, and a gateway host no VS serves', () => {
  const mesh = build();
  const vs = mesh.virtualService('cluster-a', 'app', 'frontend')!;
  assert.equal(vs.mesh, true);
  const [gwb, meshb, missing] = vs.gateways;
  assert.equal(gwb!.gateway?.name, 'frontend-gateway');
  assert.deepEqual(gwb!.hosts, ['frontend.dujie.com']);
  assert.equal(meshb!.mesh, true);
  assert.match(missing!.dangling!, /Gateway app\/missing-gw not found in context cluster-a/);
  const gw = mesh.context('cluster-a')!.gatewayByKey.get('app/frontend-gateway')!;
  assert.deepEqual(gw.pods.map((p) => p.name), ['istio-ingressgateway-a']);
  assert.deepEqual(gw.services.map((s) => s.name), ['istio-ingressgateway']);
  assert.ok(mesh.edgesFrom(gw.id).some((e) => e.dangling && /orphan\.dujie\.com on server port 80 is served by no VirtualService/.test(e.dangling)));
  // One finding, one code: the analyzer gateway.UnservedHost reports the same host as MS0007.
  assert.deepEqual(mesh.problems(gw.id).filter((p) => /orphan\.dujie\.com/.test(p.message)).map((p) => p.code), ['MS0007']);
  assert.deepEqual(mesh.gatewaysForHost('cluster-a', 'frontend.dujie.com').map((g) => g.name), ['frontend-gateway']);
  assert.deepEqual(mesh.virtualServicesForHost('cluster-a', 'frontend.dujie.com', gw).map((v) => v.name), ['frontend']);
  const mirror = vs.rules[0]!.destinations.find((d) => d.mirror)!;
  assert.equal(mirror.mirrorPercent, 25);
});

test('Envoy routes link to VS rules; destinations link to clusters per proxy; stale weights are drift', () => {
  const mesh = build();
  const rule = mesh.virtualService('cluster-a', 'app', 'demoapp')!.rules[0]!;
  assert.equal(mesh.envoyRoutesOf(rule).length, 2);
  const v2 = rule.destinations[0]!;
  const links = mesh.clustersFor(v2);
  assert.deepEqual(links.map((l) => [l.proxy.podName, l.name, l.weight]), [
    ['frontend-1', 'outbound|8080|v2|demoapp.app.svc.cluster.local', 90],
    ['frontend-2', 'outbound|8080|v2|demoapp.app.svc.cluster.local', 100],
  ]);
  assert.equal(links[0]!.drift, undefined);
  assert.match(links[1]!.drift!, /Envoy weight 100% on app\/frontend-2, intent 90%/);
  assert.equal(links[0]!.healthy, 1);
  assert.equal(links[0]!.total, 2);
  const stale = mesh.envoyRoutesOf(rule).find((r) => r.proxy.podName === 'frontend-2')!;
  assert.match(stale.drift[0]!, /weights differ: intent demoapp\.app\.svc\.cluster\.local v2 90%, demoapp\.app\.svc\.cluster\.local v2-canary 10%; Envoy .*v2 100%.*v2-canary 0%/);
  assert.ok(mesh.problems(rule.id).some((p) => p.drift));
});

test('ServiceEntry endpoint at another context gateway hops to its Gateway, VS and pods', () => {
  const mesh = build();
  const d = mesh.virtualService('cluster-a', 'default', 'nginx')!.rules[0]!.destinations[0]!;
  assert.equal(d.targets[0]!.kind, 'ServiceEntry');
  assert.equal(d.hops.length, 1);
  const hop = d.hops[0]!;
  assert.equal(hop.context, 'cluster-b');
  assert.equal(hop.gatewayService?.name, 'istio-ingressgateway');
  assert.deepEqual(hop.gateways.map((g) => g.name), ['nginx-gateway']);
  assert.deepEqual(hop.virtualServices.map((v) => v.name), ['nginx']);
  assert.deepEqual(hop.pods.map((p) => p.name), ['nginx-1']);
  assert.equal(hop.dangling, undefined);
  assert.ok(mesh.edgesFrom(d.id, 'cross-context').some((e) => e.to === 'cluster-b/Service/istio-system/istio-ingressgateway'));
});

test('.global subsets hop to the remote service subset pods; the default rule stays local', () => {
  const mesh = build();
  const vs = mesh.virtualService('cluster-a', 'default', 'reviews')!;
  const [v2, v3] = vs.rules[0]!.destinations;
  assert.equal(vs.rules[0]!.match, 'end-user=jason');
  for (const [d, want] of [[v2!, 'reviews-v2-1'], [v3!, 'reviews-v3-1']] as const) {
    assert.equal(d.weight, 50);
    assert.equal(d.subsetDef?.rule.name, 'reviews-global');
    assert.equal(d.hops.length, 1);
    assert.equal(d.hops[0]!.targetHost, 'reviews.default.svc.cluster.local');
    assert.equal(d.hops[0]!.port, 15443);
    assert.deepEqual(d.hops[0]!.pods.map((p) => `${p.context}/${p.name}`), [`cluster-b/${want}`]);
  }
  const local = vs.rules[1]!.destinations[0]!;
  assert.deepEqual(local.pods.map((p) => `${p.context}/${p.name}`), ['cluster-a/reviews-v1-1']);
  assert.equal(local.hops.length, 0);
  assert.deepEqual(mesh.services.get('reviews.default.svc.cluster.local')!.members.map((m) => m.context), ['cluster-a', 'cluster-b']);
});

test('tree: default shape, stable ids, badges, links into the other context', () => {
  const mesh = build();
  const tree = buildMeshTree(mesh);
  assert.deepEqual(tree.map((n) => n.id), ['cluster-a', 'cluster-b']);
  const app = tree[0]!.children.find((n) => n.label === 'app')!;
  assert.deepEqual(app.children.map((g) => g.label), ['Gateways', 'VirtualServices', 'DestinationRules', 'Services', 'Workloads']);
  const dest = find(tree, (n) => n.kind === 'destination' && n.label === 'demoapp v2-canary')[0]!;
  assert.equal(dest.badges.weight, 10);
  assert.ok(dest.children.some((c) => c.kind === 'envoy-cluster' && c.label === 'outbound|8080|v2-canary|demoapp.app.svc.cluster.local'));
  const hop = find(tree, (n) => n.kind === 'link' && n.label.startsWith('→ cluster-b'))[0]!;
  assert.equal(hop.linkTo, 'cluster-b/Service/istio-system/istio-ingressgateway');
  const ids = new Set<string>();
  walkTree(tree, (n) => { assert.ok(!ids.has(n.id), `duplicate id ${n.id}`); ids.add(n.id); });
  for (const n of find(tree, (x) => x.linkTo !== undefined && !x.linkTo.includes('/proxy/'))) assert.ok(ids.has(n.linkTo!), `link target ${n.linkTo} exists`);
  // stable: a refresh with an extra unrelated object keeps every id
  const again = new Set<string>();
  walkTree(buildMeshTree(build()), (n) => again.add(n.id));
  assert.deepEqual([...again].sort(), [...ids].sort());
  const text = renderTreeText(tree);
  assert.match(text, /demoapp v2 {2}.*\[90%/);
  assert.match(text, /frontend {2}frontend\.app\.svc\.cluster\.local {2}\[100% {2}2\/2\]/);
  assert.match(text, /outbound\|8080\|v2\|demoapp\.app\.svc\.cluster\.local {2}on app\/frontend-2 {2}\[100% {2}1\/2 {2}≠/);
  assert.match(text, /frontend {2}frontend\.app\.svc\.cluster\.local {2}\[mirror 25%/);
  const onlyVs = filterByKind(tree, 'VirtualService');
  walkTree(onlyVs, (n, parents) => { if (parents.length === 3) assert.equal(n.kind, 'VirtualService'); });
});

test('a kube-DNS-only host (name.namespace) resolves with an info note that carries no code', () => {
  const mesh = joinMesh(input(context('c', [
    pod('default', 'reviews-1', '10.0.0.5', { app: 'reviews' }),
    svc('default', 'reviews', { app: 'reviews' }, [9080]),
    obj('VirtualService', 'app', 'r', { hosts: ['r'], http: [{ route: [{ destination: { host: 'reviews.default' } }] }] }),
  ])));
  const d = mesh.virtualService('c', 'app', 'r')!.rules[0]!.destinations[0]!;
  assert.equal(d.resolution.via, 'kube-dns');
  assert.equal(d.targets[0]?.name, 'reviews');
  assert.deepEqual(d.problems.map((p) => [p.severity, p.code]), [['info', undefined]]);
  assert.match(d.problems[0]!.message, /Istio does not expand name\.namespace/);
});

test('tree: object subtrees are built on first access and serialise like any other children', () => {
  const tree = buildMeshTree(build());
  const vs = find(tree, (n) => n.kind === 'VirtualService' && n.id === 'cluster-a/VirtualService/app/frontend')[0]!;
  const kids = vs.children;
  assert.ok(kids.length > 0 && kids.some((c) => c.kind === 'rule'));
  assert.equal(vs.children, kids, 'built once');
  const json = JSON.parse(JSON.stringify(vs)) as TreeNode;
  assert.deepEqual(Object.keys(json), ['id', 'kind', 'label', 'detail', 'context', 'badges', 'children', 'ref', 'searchText']);
  assert.deepEqual(json.children.map((c) => c.id), kids.map((c) => c.id));
  assert.ok(json.children.some((r) => r.children.some((d) => d.kind === 'destination')), 'grandchildren serialised too');
  // A fresh tree (nothing read yet) renders the same text as one already walked.
  assert.equal(renderTreeText(buildMeshTree(build())), renderTreeText(tree));
});
