// Hostile strings for the hardening tests: terminal control sequences of every family, and a snapshot folder
// (a copy of fixtures/demo) whose names, labels, annotations, hosts and Envoy names carry them.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshotFolder } from '../../src/sources/snapshot.js';
import { listProxyDirs } from '../../src/sources/proxy-files.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const demoDir = join(repoRoot, 'fixtures/demo');

/** One payload per family. None holds '.', '|', '/' or ':' so host and cluster-name syntax survives the injection. */
export const PAYLOADS = {
  sgr: '\x1b[31;1m',
  cursor: '\x1b[10;20H\x1b[2A',
  clear: '\x1b[2J\x1b[3J',
  osc52: '\x1b]52;c;cm0gLXJmIH4=\x07',
  title: '\x1b]0;pwned\x1b\\',
  c1csi: '\x9b31m',
  dcs: '\x1bP1$qm\x1b\\',
  c1dcs: '\x90q#0\x9c',
  c0: '\x07\x08\r',
  del: '\x7f\x1b',
  nul: '\x00\x1b[0m',
} as const;

export type PayloadFamily = keyof typeof PAYLOADS;

/** Every payload glued together. */
export const ALL = Object.values(PAYLOADS).join('');

/** ESC, C0 (other than tab and newline), DEL and C1: none of these may reach a terminal. */
export const CONTROL_BYTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** The first control character of a string, shown as an escape, with a little context; undefined when clean. */
export function firstControl(s: string): string | undefined {
  const m = CONTROL_BYTES.exec(s);
  if (!m) return undefined;
  const from = Math.max(0, m.index - 40);
  return JSON.stringify(s.slice(from, m.index + 20));
}

/**
 * Demo names that become hostile: every occurrence in every string (names, hosts, labels, cluster names, route
 * names, domains, pod folders) gets the family's payload appended, so intent and Envoy still join.
 */
export const TOKENS: Record<string, PayloadFamily> = {
  reviews: 'sgr',
  productpage: 'osc52',
  frontend: 'title',
  demoapp: 'clear',
  ratings: 'cursor',
  details: 'c1csi',
  'tcp-echo': 'dcs',
  nginx: 'c0',
  bookinfo: 'c1dcs',
  client: 'del',
};

export function mutateString(s: string): string {
  let out = s;
  for (const [token, family] of Object.entries(TOKENS)) {
    if (out.includes(token)) out = out.split(token).join(token + PAYLOADS[family]);
  }
  return out;
}

/** Deep copy with every string value mutated (keys too when `keys`). */
export function mutateDeep<T>(v: T, keys = false): T {
  if (typeof v === 'string') return mutateString(v) as T;
  if (Array.isArray(v)) return v.map((x) => mutateDeep(x, keys)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[keys ? mutateString(k) : k] = mutateDeep(x, keys);
    return out as T;
  }
  return v;
}

export const EVIL_NS = `evil${PAYLOADS.clear}ns`;
export const EVIL_VS = `vs${PAYLOADS.osc52}${PAYLOADS.title}`;
export const EVIL_HOST = `evil${PAYLOADS.sgr}${PAYLOADS.c1csi}host.example.com`;

/** Objects added next to the demo: a hostile namespace with a VS, DR and ServiceEntry, all strings poisoned. */
function extraObjects(): Record<string, unknown>[] {
  const labels = { [`k${PAYLOADS.c0}`]: `v${ALL}`, app: `evil${PAYLOADS.dcs}` };
  const annotations = { note: `hello${ALL}world`, [`a${PAYLOADS.osc52}`]: 'x' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: EVIL_NS, labels: { 'istio-injection': 'enabled', ...labels }, annotations } },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: `se${PAYLOADS.cursor}`, namespace: EVIL_NS, labels, annotations },
      spec: { hosts: [EVIL_HOST], ports: [{ number: 80, name: `http${PAYLOADS.sgr}`, protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `dr${PAYLOADS.del}`, namespace: EVIL_NS, labels, annotations },
      spec: { host: EVIL_HOST, subsets: [{ name: `v1${PAYLOADS.c1csi}`, labels: { version: `v1${PAYLOADS.c0}` } }, { name: 'v2', labels: { version: 'v2' } }] },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: EVIL_VS, namespace: EVIL_NS, labels, annotations },
      spec: {
        hosts: [EVIL_HOST, `other${PAYLOADS.clear}`], gateways: [`gw${PAYLOADS.title}`, 'mesh'],
        http: [{
          name: `rule${PAYLOADS.sgr}`,
          match: [{ uri: { prefix: `/p${PAYLOADS.osc52}` }, headers: { [`h${PAYLOADS.c0}`]: { exact: 'x' } } }],
          route: [
            { destination: { host: EVIL_HOST, subset: `v1${PAYLOADS.c1csi}` }, weight: 70 },
            { destination: { host: EVIL_HOST, subset: 'v2' }, weight: 30 },
            { destination: { host: `missing${PAYLOADS.dcs}` }, weight: 0 },
          ],
        }],
      },
    },
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod${PAYLOADS.cursor}`, namespace: EVIL_NS, labels: { version: `v1${PAYLOADS.c0}`, app: 'x' }, annotations },
      spec: { containers: [{ name: 'app', image: `img${PAYLOADS.clear}` }, { name: 'istio-proxy' }] },
      status: { podIP: '10.9.9.9', phase: `Running${PAYLOADS.sgr}` },
    },
  ];
}

export interface HostileSnapshot {
  dir: string;
  /** One context, to pass as --context for pc. */
  context: string;
  /** POD.NAMESPACE args of pods with dumps, per context. */
  pods: Record<string, string[]>;
  /** The mutated name of the demo's bookinfo reviews VirtualService. */
  reviewsVs: string;
}

/**
 * Writes the hostile copy of fixtures/demo under os.tmpdir(). Manifests are rewritten as JSON (YAML forbids raw
 * control characters; JSON carries them escaped, and the loader must still hand them out exactly).
 */
export async function writeHostileSnapshot(): Promise<HostileSnapshot> {
  const dir = mkdtempSync(join(tmpdir(), 'meshscope-hostile-'));
  const mesh = await loadSnapshotFolder(demoDir);
  const pods: Record<string, string[]> = {};
  for (const ctx of mesh.contexts) {
    const byFile = new Map<string, unknown[]>();
    for (const o of ctx.objects) {
      const list = byFile.get(o.origin.file) ?? [];
      const obj = mutateDeep(o.obj) as { metadata: { annotations?: Record<string, string> } };
      obj.metadata.annotations = { ...obj.metadata.annotations, [`meshscope.test/evil${PAYLOADS.c0}`]: `a${ALL}` };
      list.push(obj);
      byFile.set(o.origin.file, list);
    }
    if (ctx.name === 'cluster-a') byFile.set('cluster-a/evil.yaml', extraObjects());
    for (const [file, items] of byFile) {
      const out = join(dir, file.replace(/\.ya?ml$/, '.json'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1));
    }
    pods[ctx.name] = [];
    for (const p of await listProxyDirs(join(demoDir, ctx.name))) {
      const ns = mutateString(p.namespace);
      const pod = mutateString(p.pod);
      const target = join(dir, ctx.name, 'proxies', ns, pod);
      mkdirSync(target, { recursive: true });
      for (const f of ['config_dump.json', 'clusters.json']) {
        const text = readFileSync(join(p.dir, f), 'utf8');
        writeFileSync(join(target, f), JSON.stringify(mutateDeep(JSON.parse(text)), null, 1));
      }
      pods[ctx.name]!.push(`${pod}.${ns}`);
    }
  }
  return { dir, context: 'cluster-a', pods, reviewsVs: mutateString('reviews') };
}

/** Every string inside a JSON-like value (keys included). */
export function allStrings(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) for (const x of v) allStrings(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.add(k); allStrings(x, out); }
  return out;
}
