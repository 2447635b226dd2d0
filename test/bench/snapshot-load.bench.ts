// Snapshot loading speed: one context at the join bench's scale (2,000 VirtualServices, 2,000 DestinationRules,
// 2,000 ServiceEntries, 5,000 Services, 20,000 Pods = 31,000 objects), written once as multi-document YAML and once
// as JSON Lists under .bench/, then loaded with loadSnapshotFolder. The reference is JSON.parse on the JSON bytes.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import type { Report } from './run.js';
import { loadSnapshotFolder } from '../../src/sources/snapshot.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Objects of one generated context, grouped by file name. Deterministic. */
export function generateContextObjects(scale = 1): Record<string, object[]> {
  const n = (x: number) => Math.round(x * scale);
  const ns = (i: number) => `ns-${i % 50}`;
  const files: Record<string, object[]> = { 'istio/virtualservices': [], 'istio/destinationrules': [], 'istio/serviceentries': [], 'core/services': [], 'core/pods': [] };
  for (let i = 0; i < n(2000); i++) {
    files['istio/virtualservices'].push({
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `svc-${i}`, namespace: ns(i), resourceVersion: `${1000 + i}` },
      spec: { hosts: [`svc-${i}`], http: [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: `svc-${i}`, subset: 'v2' }, weight: 50 }, { destination: { host: `svc-${i}`, subset: 'v3' }, weight: 50 }] }, { route: [{ destination: { host: `svc-${i}`, subset: 'v1' } }] }] },
    });
    files['istio/destinationrules'].push({
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `svc-${i}`, namespace: ns(i) },
      spec: { host: `svc-${i}`, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } }, subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })) },
    });
    files['istio/serviceentries'].push({
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: `ext-${i}`, namespace: ns(i) },
      spec: { hosts: [`ext-${i}.example.com`], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'TLS' }] },
    });
  }
  for (let i = 0; i < n(5000); i++) {
    files['core/services'].push({
      apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: ns(i), labels: { app: `svc-${i}` } },
      spec: { type: 'ClusterIP', clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`, selector: { app: `svc-${i}` }, ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'TCP' }] },
    });
  }
  for (let i = 0; i < n(20000); i++) {
    const app = `svc-${i % 5000}`;
    files['core/pods'].push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `${app}-v${(i % 3) + 1}-7d9f8b-${i}`, namespace: ns(i % 5000), labels: { app, version: `v${(i % 3) + 1}`, 'security.istio.io/tlsMode': 'istio' }, annotations: { 'sidecar.istio.io/status': '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy"]}' } },
      spec: { nodeName: `node-${i % 40}`, serviceAccountName: app, containers: [{ name: app, image: `example/${app}:1.0`, ports: [{ containerPort: 9080, protocol: 'TCP' }] }, { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', args: ['proxy', 'sidecar'] }] },
      status: { phase: 'Running', podIP: `10.244.${(i >> 8) & 255}.${i & 255}`, hostIP: `192.168.0.${i % 40}` },
    });
  }
  return files;
}

/** Writes the context as YAML (kubectl-style multi-document) or as JSON `kind: List` files; reuses an existing folder. */
export function writeGeneratedSnapshot(dir: string, format: 'yaml' | 'json', contexts = 1, scale = 1): void {
  if (existsSync(join(dir, '.complete'))) return;
  const files = generateContextObjects(scale);
  for (let c = 0; c < contexts; c++) {
    for (const [name, objs] of Object.entries(files)) {
      const file = join(dir, `cluster-${c}`, `${name}.${format}`);
      mkdirSync(dirname(file), { recursive: true });
      const text = format === 'json'
        ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }, null, 2)
        : objs.map((o) => dump(o, { lineWidth: -1, noRefs: true })).join('---\n');
      writeFileSync(file, text);
    }
  }
  writeFileSync(join(dir, '.complete'), '');
}

function bytesOf(dir: string): Buffer[] {
  const out: Buffer[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(readFileSync(join(d, e.name)));
    }
  };
  walk(dir);
  return out;
}

async function timeLoad(dir: string): Promise<{ ms: number; objects: number }> {
  const t = performance.now();
  const mesh = await loadSnapshotFolder(dir);
  const ms = performance.now() - t;
  const objects = mesh.contexts.reduce((n, c) => n + c.objects.length, 0);
  if (mesh.contexts.some((c) => c.issues.length > 0)) throw new Error(`generated snapshot ${dir} has load issues`);
  return { ms, objects };
}

export async function run(report: Report): Promise<void> {
  const jsonDir = join(repoRoot, '.bench', 'snapshot-31k-json');
  const yamlDir = join(repoRoot, '.bench', 'snapshot-31k-yaml');
  writeGeneratedSnapshot(jsonDir, 'json');
  writeGeneratedSnapshot(yamlDir, 'yaml');

  const jsonBytes = bytesOf(jsonDir);
  const mb = jsonBytes.reduce((n, b) => n + b.length, 0) / 1e6;
  let parseMs = Infinity;
  for (let round = 0; round < 2; round++) {
    const tp = performance.now();
    for (const b of jsonBytes) JSON.parse(b.toString('utf8'));
    parseMs = Math.min(parseMs, performance.now() - tp);
  }

  await timeLoad(jsonDir); // warm-up (module load, JIT)
  const json = await timeLoad(jsonDir);
  const yaml = await timeLoad(yamlDir);
  report({ name: `snapshot-load-json (${json.objects} objects, ${mb.toFixed(0)} MB)`, value: json.ms, unit: 'ms', ratio: json.ms / parseMs, reference: 'JSON.parse' });
  report({ name: `snapshot-load-yaml (${yaml.objects} objects)`, value: yaml.ms, unit: 'ms', ratio: yaml.ms / json.ms, reference: 'snapshot-load-json' });
  report({ name: 'snapshot-load-yaml rate', value: yaml.objects / (yaml.ms / 1000) / 1000, unit: 'k objects/s' });
}
