// fixtures/demo: the committed demo mesh is exactly what the generator writes, and it holds what later features rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { generateDemo } from '../fixtures/tools/gen-demo.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(repoRoot, 'fixtures', 'demo');
const CONTEXTS = ['cluster-a', 'cluster-b'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

type K8s = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: any };

function objectsOf(ctx: string): K8s[] {
  const out: K8s[] = [];
  for (const f of walk(join(demo, ctx)).filter((p) => p.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
      const o = doc.toJS() as K8s;
      if (o?.kind === 'List') out.push(...(o.items as K8s[]));
      else if (o) out.push(o);
    }
  }
  return out;
}

interface Dump { dir: string; ns: string; pod: string; config: any; clusters: any }

function dumpsOf(ctx: string): Dump[] {
  const root = join(demo, ctx, 'proxies');
  return readdirSync(root).flatMap((ns) => readdirSync(join(root, ns)).map((pod) => ({
    dir: join(root, ns, pod), ns, pod,
    config: JSON.parse(readFileSync(join(root, ns, pod, 'config_dump.json'), 'utf8')),
    clusters: JSON.parse(readFileSync(join(root, ns, pod, 'clusters.json'), 'utf8')),
  })));
}

const section = (d: Dump, t: string) => d.config.configs.find((c: any) => c['@type'].endsWith(`.${t}`));

function routeConfig(d: Dump, name: string) {
  return section(d, 'RoutesConfigDump').dynamic_route_configs.find((r: any) => r.route_config.name === name)?.route_config;
}

test('re-running the generator reproduces the committed fixtures byte for byte', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'meshscope-demo-'));
  try {
    generateDemo(tmp);
    const fresh = walk(tmp).map((p) => relative(tmp, p)).sort();
    const committed = walk(demo).map((p) => relative(demo, p)).filter((p) => p !== 'README.md').sort();
    assert.deepEqual(committed, fresh, 'file list differs: run `npm run gen:demo` and commit');
    for (const rel of fresh) {
      assert.ok(readFileSync(join(tmp, rel)).equals(readFileSync(join(demo, rel))), `${rel} differs from the generator's output`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('every YAML document parses and every object has kind and metadata.name', () => {
  let count = 0;
  for (const ctx of CONTEXTS) {
    for (const f of walk(join(demo, ctx)).filter((p) => p.endsWith('.yaml'))) {
      const docs = parseAllDocuments(readFileSync(f, 'utf8'));
      for (const [i, doc] of docs.entries()) {
        assert.equal(doc.errors.length, 0, `${f} document ${i + 1}: ${doc.errors[0]?.message}`);
        const o = doc.toJS() as K8s;
        for (const item of o.kind === 'List' ? o.items as K8s[] : [o]) {
          assert.ok(item.kind, `${f} document ${i + 1}: no kind`);
          assert.ok(item.metadata?.name, `${f} document ${i + 1}: ${item.kind} has no metadata.name`);
          count++;
        }
      }
    }
  }
  assert.ok(count > 80, `only ${count} objects`);
});

test('every Envoy endpoint is a pod of the same context, a ServiceEntry endpoint, or loopback', () => {
  for (const ctx of CONTEXTS) {
    const objs = objectsOf(ctx);
    const podIps = new Map(objs.filter((o) => o.kind === 'Pod').map((p) => [p.status.podIP as string, p]));
    const seIps = new Set(objs.filter((o) => o.kind === 'ServiceEntry').flatMap((se) => (se.spec.endpoints ?? []).map((e: any) => e.address as string)));
    const check = (d: Dump, cluster: string, ip: string | undefined, where: string) => {
      if (ip === undefined) return; // unix pipes (sds-grpc, xds-grpc)
      const pod = podIps.get(ip);
      const fqdn = cluster.includes('|') ? cluster.split('|')[3] : /^outbound_\.\d+_\.[^_]*_\.(.*)$/.exec(cluster)?.[1];
      const fqdnNs = fqdn?.split('.')[1];
      const ok = ip === '127.0.0.1' || seIps.has(ip) || (pod && (!cluster.includes('.svc.cluster.local') || pod.metadata.namespace === fqdnNs));
      assert.ok(ok, `${ctx} ${d.ns}/${d.pod} ${where}: ${cluster} endpoint ${ip} is no pod of ${ctx} (in the service's namespace) nor a ServiceEntry endpoint`);
    };
    for (const d of dumpsOf(ctx)) {
      const eds = section(d, 'EndpointsConfigDump');
      for (const c of [...eds.static_endpoint_configs, ...eds.dynamic_endpoint_configs]) {
        for (const le of c.endpoint_config.endpoints ?? []) for (const lb of le.lb_endpoints) check(d, c.endpoint_config.cluster_name, lb.endpoint.address.socket_address?.address, 'EDS');
      }
      for (const cs of d.clusters.cluster_statuses) for (const h of cs.host_statuses ?? []) check(d, cs.name, h.address.socket_address?.address, 'clusters.json');
    }
  }
  // The cross-cluster hops point at the other context's ingress gateway address.
  const gwB = objectsOf('cluster-b').find((o) => o.kind === 'Service' && o.metadata.name === 'istio-ingressgateway')!;
  const lbB = gwB.status.loadBalancer.ingress[0].ip;
  const ses = objectsOf('cluster-a').filter((o) => o.kind === 'ServiceEntry' && ['external-nginx', 'reviews-default'].includes(o.metadata.name));
  assert.equal(ses.length, 2);
  for (const se of ses) assert.equal(se.spec.endpoints[0].address, lbB);
});

function demoappWeights(d: Dump): Record<string, number> {
  const vh = routeConfig(d, '8080').virtual_hosts.find((v: any) => v.name === 'demoapp.app.svc.cluster.local:8080');
  const route = vh.routes[0];
  assert.equal(route.metadata.filter_metadata.istio.config, '/apis/networking.istio.io/v1/namespaces/app/virtual-service/demoapp');
  return Object.fromEntries(route.route.weighted_clusters.clusters.map((c: any) => [c.name.split('|')[2], c.weight]));
}

test('the frontend proxies disagree: one carries 90/10, the stale one still 100/0', () => {
  const fronts = dumpsOf('cluster-a').filter((d) => d.pod.startsWith('frontend-'));
  assert.equal(fronts.length, 2);
  const byPod = Object.fromEntries(fronts.map((d) => [d.pod, demoappWeights(d)]));
  assert.deepEqual(byPod['frontend-7c55c868cf-fhd87'], { v2: 90, 'v2-canary': 10 });
  assert.deepEqual(byPod['frontend-7c55c868cf-p5rrv'], { v2: 100, 'v2-canary': 0 });
  for (const d of fronts) {
    const names = section(d, 'ClustersConfigDump').dynamic_active_clusters.map((c: any) => c.cluster.name);
    assert.ok(names.includes('outbound|8080|v2|demoapp.app.svc.cluster.local'));
    assert.ok(names.includes('outbound|8080|v2-canary|demoapp.app.svc.cluster.local'));
  }
});

test('productpage routes reviews: end-user jason -> 50/50 v2/v3 via .global, everyone else -> v1', () => {
  const pp = dumpsOf('cluster-a').find((d) => d.pod.startsWith('productpage-v1-'))!;
  const vh = routeConfig(pp, '9080').virtual_hosts.find((v: any) => v.name === 'reviews.default.svc.cluster.local:9080');
  const [jason, rest] = vh.routes;
  assert.deepEqual(jason.match.headers, [{ name: 'end-user', string_match: { exact: 'jason' } }]);
  assert.deepEqual(jason.route.weighted_clusters.clusters, [
    { name: 'outbound|9080|v2|reviews.default.global', weight: 50 },
    { name: 'outbound|9080|v3|reviews.default.global', weight: 50 },
  ]);
  assert.equal(rest.match.headers, undefined);
  assert.equal(rest.route.cluster, 'outbound|9080|v1|reviews.default.svc.cluster.local');
  for (const r of vh.routes) assert.equal(r.metadata.filter_metadata.istio.config, '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews');
});

test('the Envoy side of the deliberate faults is in the dumps', () => {
  const a = dumpsOf('cluster-a');
  for (const d of a) {
    const g = d.clusters.cluster_statuses.find((c: any) => c.name === 'outbound|3000||grafana.istio-system.svc.cluster.local');
    assert.deepEqual(g.host_statuses.map((h: any) => h.health_status.eds_health_status), ['UNHEALTHY'], `${d.pod}: grafana`);
    const details = section(d, 'EndpointsConfigDump').dynamic_endpoint_configs.find((c: any) => c.endpoint_config.cluster_name === 'outbound|9080|v2|details.default.svc.cluster.local');
    assert.equal(details.endpoint_config.endpoints, undefined, `${d.pod}: details v2 has endpoints`);
  }
  const gwA = a.find((d) => d.pod.startsWith('istio-ingressgateway-'))!;
  const vhosts = routeConfig(gwA, 'http.8080').virtual_hosts.map((v: any) => v.name);
  assert.ok(vhosts.includes('b.nginx.com:80') && !vhosts.includes('test.nginx.com:80'));
  const reviews = dumpsOf('cluster-b').find((d) => d.pod.startsWith('reviews-v2-'))!;
  const ratings = routeConfig(reviews, '9080').virtual_hosts.find((v: any) => v.name === 'ratings.default.svc.cluster.local:9080');
  assert.equal(ratings.routes[0].route.cluster, 'outbound|9080|v2|ratings.default.svc.cluster.local');
  const names = section(reviews, 'ClustersConfigDump').dynamic_active_clusters.map((c: any) => c.cluster.name);
  assert.ok(!names.includes('outbound|9080|v2|ratings.default.svc.cluster.local'));
});

test('gateway dumps: tcp-echo 80/20 on 31400, b.nginx.com leaves cluster-a for cluster-b', () => {
  const gwA = dumpsOf('cluster-a').find((d) => d.pod.startsWith('istio-ingressgateway-'))!;
  const l = section(gwA, 'ListenersConfigDump').dynamic_listeners.find((x: any) => x.name === '0.0.0.0_31400').active_state.listener;
  const tcp = l.filter_chains[0].filters.find((f: any) => f.name === 'envoy.filters.network.tcp_proxy').typed_config;
  assert.deepEqual(tcp.weighted_clusters.clusters, [
    { name: 'outbound|9000|v1|tcp-echo.default.svc.cluster.local', weight: 80 },
    { name: 'outbound|9000|v2|tcp-echo.default.svc.cluster.local', weight: 20 },
  ]);
  const b = routeConfig(gwA, 'http.8080').virtual_hosts.find((v: any) => v.name === 'b.nginx.com:80');
  assert.ok(b.routes.some((r: any) => r.route.cluster === 'outbound|80||b.nginx.com'));
  const gwB = dumpsOf('cluster-b').find((d) => d.pod.startsWith('istio-ingressgateway-'))!;
  const bB = routeConfig(gwB, 'http.8080').virtual_hosts.find((v: any) => v.name === 'b.nginx.com:80');
  assert.equal(bB.routes[0].route.cluster, 'outbound|80||nginx.default.svc.cluster.local');
});
