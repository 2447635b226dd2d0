// Generates (once, cached in os.tmpdir()) a large snapshot folder for the join bench:
// 10 contexts × (2,000 VirtualServices, 2,000 DestinationRules, 2,000 ServiceEntries, 5,000 Services, 20,000 pods),
// written as `kubectl get -o json` Lists, one file per namespace and kind.
// Run directly to (re)build it: node --import tsx test/bench/gen-large-snapshot.ts [--force]
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LARGE = { contexts: 10, namespaces: 50, vs: 2000, dr: 2000, se: 2000, services: 5000, pods: 20000 };
const VERSION = 'v1';

export function largeSnapshotDir(): string {
  return join(tmpdir(), `meshscope-large-snapshot-${VERSION}`);
}

const gwIp = (c: number): string => `35.200.${c}.10`;
const list = (items: unknown[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } });
const meta = (name: string, namespace: string, labels?: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  name, namespace, uid: `${namespace}-${name}`, resourceVersion: '12345', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}), ...extra,
});

function pod(ns: string, svc: string, version: string, replica: number, ip: string) {
  const rs = `${svc}-${version}-7d9c8b6f5`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(`${rs}-${String(replica).padStart(5, 'x')}`, ns, { app: svc, version, 'pod-template-hash': '7d9c8b6f5', 'security.istio.io/tlsMode': 'istio' }, {
      annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"]}', 'prometheus.io/port': '15020' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: `${ns}-${rs}`, controller: true }],
    }),
    spec: {
      serviceAccountName: svc, nodeName: `node-${replica % 7}`,
      containers: [
        { name: svc, image: `registry.example.com/${svc}:${version}`, ports: [{ containerPort: 8080, protocol: 'TCP' }] },
        { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', args: ['proxy', 'sidecar'] },
      ],
    },
    status: { phase: 'Running', podIP: ip, hostIP: `10.0.0.${replica % 7}`, containerStatuses: [{ name: svc, ready: true }, { name: 'istio-proxy', ready: true }] },
  };
}

function writeContext(root: string, c: number): void {
  const ctx = `ctx-${String(c).padStart(2, '0')}`;
  const dir = join(root, ctx);
  const perNs = {
    services: LARGE.services / LARGE.namespaces, vs: LARGE.vs / LARGE.namespaces, dr: LARGE.dr / LARGE.namespaces,
    se: LARGE.se / LARGE.namespaces, podsPerSvc: LARGE.pods / LARGE.services,
  };
  const sys = join(dir, 'istio-system');
  mkdirSync(sys, { recursive: true });
  writeFileSync(join(sys, 'gateway.json'), list([
    { apiVersion: 'v1', kind: 'Service', metadata: meta('istio-ingressgateway', 'istio-system', { app: 'istio-ingressgateway', istio: 'ingressgateway' }),
      spec: { type: 'LoadBalancer', clusterIP: `10.96.${c}.2`, selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8080 }, { name: 'tls', port: 15443 }] },
      status: { loadBalancer: { ingress: [{ ip: gwIp(c) }] } } },
    pod('istio-system', 'istio-ingressgateway', 'gw', 1, `10.${100 + c}.255.2`),
  ]));
  let ipSeq = 0;
  for (let n = 0; n < LARGE.namespaces; n++) {
    const ns = `ns-${String(n).padStart(2, '0')}`;
    const nsDir = join(dir, ns);
    mkdirSync(nsDir, { recursive: true });
    const services: unknown[] = [];
    const pods: unknown[] = [];
    for (let s = 0; s < perNs.services; s++) {
      const name = `svc-${s}`;
      services.push({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, ns, { app: name }),
        spec: { type: 'ClusterIP', clusterIP: `10.96.${n}.${s}`, selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] } });
      for (let p = 0; p < perNs.podsPerSvc; p++) {
        ipSeq++;
        pods.push(pod(ns, name, p % 2 === 0 ? 'v1' : 'v2', p, `10.${100 + c}.${ipSeq >> 8}.${ipSeq & 255}`));
      }
    }
    const vss: unknown[] = [];
    const drs: unknown[] = [];
    const ses: unknown[] = [];
    for (let i = 0; i < perNs.vs; i++) {
      const host = `svc-${i}`;
      vss.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta(host, ns),
        spec: { hosts: [host, `${host}.${ns}.example.com`], gateways: ['mesh', `${ns}-gateway`], http: [
          { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host, subset: 'v2' } }] },
          { name: 'canary', route: [{ destination: { host, subset: 'v1' }, weight: 90 }, { destination: { host, subset: 'v2' }, weight: 10 }],
            mirror: { host: `api-${i}.${ns}.example.com` }, mirrorPercentage: { value: 5 } },
        ] } });
    }
    for (let i = 0; i < perNs.dr; i++) {
      drs.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(`svc-${i}`, ns),
        spec: { host: `svc-${i}.${ns}.svc.cluster.local`, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
          subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] } });
    }
    for (let i = 0; i < perNs.se; i++) {
      // Every tenth entry points at the next context's ingress gateway (a cross-context hop).
      const remote = i % 10 === 0;
      ses.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: meta(`api-${i}`, ns),
        spec: { hosts: [`api-${i}.${ns}.example.com`], location: 'MESH_EXTERNAL', resolution: remote ? 'STATIC' : 'DNS',
          ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
          endpoints: [{ address: remote ? gwIp((c + 1) % LARGE.contexts) : `api-${i}.backend.example.net` }] } });
    }
    const gateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: meta(`${ns}-gateway`, ns),
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [`*.${ns}.example.com`] }] } };
    writeFileSync(join(nsDir, 'services.json'), list(services));
    writeFileSync(join(nsDir, 'pods.json'), list(pods));
    writeFileSync(join(nsDir, 'virtualservices.json'), list(vss));
    writeFileSync(join(nsDir, 'destinationrules.json'), list(drs));
    writeFileSync(join(nsDir, 'serviceentries.json'), list(ses));
    writeFileSync(join(nsDir, 'gateways.json'), list([gateway]));
  }
}

/** Writes the snapshot unless it is there already; returns its folder. */
export function ensureLargeSnapshot(force = false): string {
  const root = largeSnapshotDir();
  const done = join(root, '.complete');
  if (!force && existsSync(done)) return root;
  rmSync(root, { recursive: true, force: true });
  for (let c = 0; c < LARGE.contexts; c++) writeContext(root, c);
  writeFileSync(done, new Date().toISOString());
  return root;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t = performance.now();
  const dir = ensureLargeSnapshot(process.argv.includes('--force'));
  console.log(`${dir} (${Math.round(performance.now() - t)} ms)`);
}
