// Generated inputs of the ambient benches (deterministic, cached in .bench/): a ztunnel /config_dump of about 50 MB,
// and a snapshot folder of 10 ambient contexts with 2,000 workloads each (and their ztunnels' dumps).
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.js';

const BENCH = join(repoRoot, '.bench');
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function workload(i: number, ns: string, node: string, waypoint: boolean) {
  return {
    uid: `Kubernetes//Pod/${ns}/app-${i}-6d9f7c8b5-x${i}`, workloadIps: [ip(i)], ...(waypoint ? { waypoint: { destination: 'network1/10.96.0.10' } } : {}),
    protocol: i % 7 === 0 ? 'TCP' : 'HBONE', name: `app-${i}-6d9f7c8b5-x${i}`, namespace: ns, trustDomain: 'cluster.local', serviceAccount: `sa-${i % 50}`,
    workloadName: `app-${i}`, workloadType: 'deployment', canonicalName: `app-${i % 500}`, canonicalRevision: 'v1', network: 'network1', node,
    status: i % 11 === 0 ? 'Unhealthy' : 'Healthy', clusterId: 'Kubernetes', locality: { region: 'r1', zone: `z${i % 3}` },
  };
}

function service(s: number, ns: string, members: number[]) {
  const hostname = `svc-${s}.${ns}.svc.cluster.local`;
  return {
    name: `svc-${s}`, namespace: ns, hostname, vips: [`network1/10.96.${(s >> 8) & 255}.${s & 255}`], ports: { '8080': 8080, '9090': 9090 },
    endpoints: Object.fromEntries(members.map((i) => [`Kubernetes//Pod/${ns}/app-${i}-6d9f7c8b5-x${i}:network1/${ip(i)}`, { workloadUid: `Kubernetes//Pod/${ns}/app-${i}-6d9f7c8b5-x${i}`, service: `${ns}/${hostname}`, address: `network1/${ip(i)}`, port: { '8080': 8080, '9090': 9090 } }])),
    subjectAltNames: [], ipFamilies: 'IPv4', ...(s % 2 === 0 ? { waypoint: { destination: 'network1/10.96.0.10' } } : {}),
  };
}

/** A ztunnel dump (map form, as ztunnel writes it) with `workloads` workloads and a service per 10 of them. */
export function ztunnelDump(workloads: number, namespaces = 40): Record<string, unknown> {
  const w: Record<string, unknown> = {};
  for (let i = 0; i < workloads; i++) w[`network1/${ip(i)}`] = workload(i, `ns-${i % namespaces}`, `node-${i % 20}`, i % 3 === 0);
  const s: Record<string, unknown> = {};
  for (let k = 0; k < workloads / 10; k++) {
    const members = Array.from({ length: 10 }, (_, j) => k * 10 + j).filter((i) => i < workloads);
    s[`network1/10.96.${(k >> 8) & 255}.${k & 255}`] = service(k, `ns-${k % namespaces}`, members);
  }
  const workloadState: Record<string, unknown> = {};
  for (let i = 0; i < Math.min(workloads, 2000); i++) {
    workloadState[`state-${i}`] = { state: 'Up', connections: { inbound: [{ src: `${ip(i + 1)}:4${i % 1000}`, originalDst: null, actualDst: `${ip(i)}:8080`, protocol: 'HBONE' }], outbound: [] }, info: { name: `app-${i}-6d9f7c8b5-x${i}`, namespace: `ns-${i % namespaces}`, serviceAccount: `sa-${i % 50}` } };
  }
  const certificates = Array.from({ length: 50 }, (_, i) => ({ identity: `spiffe://cluster.local/ns/ns-${i}/sa/sa-${i}`, state: 'Available', certChain: [{ pem: 'x', serialNumber: String(1e15 + i), validFrom: '2025-01-01T00:00:00Z', expirationTime: '2035-01-01T00:00:00Z' }], rootCerts: [] }));
  return { workloads: w, services: s, policies: [{ name: 'allow', namespace: 'ns-1', scope: 'Namespace', action: 'Allow', rules: [] }], certificates, workloadState };
}

/** .bench/ztunnel-50mb.json: a ztunnel dump of about 50 MB. */
export function ensureLargeZtunnelDump(): string {
  const file = join(BENCH, 'ztunnel-50mb.json');
  if (existsSync(file) && statSync(file).size > 40e6) return file;
  mkdirSync(BENCH, { recursive: true });
  writeFileSync(file, JSON.stringify(ztunnelDump(66000)));
  return file;
}

/** .bench/ambient-10x2000/: 10 contexts, each an ambient namespace with a waypoint, 2,000 pods, 200 Services, ztunnel. */
export function ensureAmbientSnapshot(): string {
  const dir = join(BENCH, 'ambient-10x2000');
  if (existsSync(join(dir, 'ctx-9', 'objects.json'))) return dir;
  for (let c = 0; c < 10; c++) {
    const cdir = join(dir, `ctx-${c}`);
    mkdirSync(join(cdir, 'ztunnel', `ztunnel-c${c}`), { recursive: true });
    const ns = 'shop';
    const items: unknown[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' } } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', namespace: ns }, spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: `ztunnel-c${c}`, namespace: 'istio-system', labels: { app: 'ztunnel' } }, spec: { nodeName: 'node-0', containers: [{ name: 'istio-proxy' }] }, status: { phase: 'Running' } },
    ];
    for (let i = 0; i < 2000; i++) {
      items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `app-${i}-6d9f7c8b5-x${i}`, namespace: ns, labels: { app: `svc-${Math.floor(i / 10)}` }, annotations: { 'ambient.istio.io/redirection': 'enabled' } }, spec: { nodeName: `node-${i % 20}`, serviceAccountName: `sa-${i % 50}`, containers: [{ name: 'app' }] }, status: { phase: 'Running', podIP: ip(i) } });
    }
    for (let s = 0; s < 200; s++) items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${s}`, namespace: ns }, spec: { selector: { app: `svc-${s}` }, clusterIP: `10.96.${(s >> 8) & 255}.${s & 255}`, ports: [{ name: 'http', port: 8080 }] } });
    writeFileSync(join(cdir, 'objects.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    writeFileSync(join(cdir, 'ztunnel', `ztunnel-c${c}`, 'config_dump.json'), JSON.stringify(ztunnelDump(2000, 1).workloads ? rename(ztunnelDump(2000, 1), ns) : {}));
  }
  return dir;
}

/** The dump's namespace ns-0 renamed to `ns` (the contexts' ambient namespace). */
function rename(d: Record<string, unknown>, ns: string): unknown {
  return JSON.parse(JSON.stringify(d).replaceAll('ns-0', ns));
}
