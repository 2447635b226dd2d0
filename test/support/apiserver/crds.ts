// The resource types a test API server serves, read from the released CRD manifests in ../shared/conformance/crds
// (Istio's crd-all.gen.yaml and Gateway API's standard or experimental channel), plus the built-in kinds meshscope
// reads. Groups, kinds, plurals, scopes and served versions all come from the manifests, never from a hand list.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CRDS, requireCorpus } from '../paths.js';

export interface ResourceType {
  kind: string;
  plural: string;
  singular: string;
  group: string;
  namespaced: boolean;
  verbs: string[];
  /** Served versions, in the order kube-apiserver lists them (GA, beta, alpha; higher first). */
  versions: string[];
  shortNames?: string[];
  categories?: string[];
  /** The CRD has a status subresource. */
  status?: boolean;
  /** A built-in kind (not from a CRD): unknown resources in its group-version get a Status 404, not text. */
  builtin?: boolean;
  /** The CRD manifest the type comes from (its schema is read from there when a write needs it). */
  source?: string;
}

/** Which Istio CRDs a server has: the released set, the Istio 1.10-era set (only v1alpha3/v1beta1 served), or none. */
export type IstioCrdSet = 'current' | 'istio-1.10' | 'none';
export type GatewayApiChannel = 'standard' | 'experimental' | 'none';

const CRUD = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** The built-in kinds meshscope reads (and Secret, which it must never read; ConfigMap, read only by name). */
export const BUILTIN_TYPES: ResourceType[] = [
  { kind: 'Namespace', plural: 'namespaces', singular: 'namespace', group: '', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], versions: ['v1'], shortNames: ['ns'], builtin: true },
  { kind: 'Service', plural: 'services', singular: 'service', group: '', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], versions: ['v1'], shortNames: ['svc'], builtin: true },
  { kind: 'Pod', plural: 'pods', singular: 'pod', group: '', namespaced: true, verbs: CRUD, versions: ['v1'], shortNames: ['po'], builtin: true },
  { kind: 'Secret', plural: 'secrets', singular: 'secret', group: '', namespaced: true, verbs: CRUD, versions: ['v1'], builtin: true },
  { kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', group: '', namespaced: true, verbs: CRUD, versions: ['v1'], shortNames: ['cm'], builtin: true },
  { kind: 'EndpointSlice', plural: 'endpointslices', singular: 'endpointslice', group: 'discovery.k8s.io', namespaced: true, verbs: CRUD, versions: ['v1', 'v1beta1'], builtin: true },
  { kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: '', group: 'authorization.k8s.io', namespaced: false, verbs: ['create'], versions: ['v1', 'v1beta1'], builtin: true },
];

/** Subresources the built-in kinds have in discovery (pods/portforward, services/proxy, ...). */
export const BUILTIN_SUBRESOURCES: Record<string, { name: string; verbs: string[] }[]> = {
  pods: [{ name: 'pods/portforward', verbs: ['create', 'get'] }, { name: 'pods/proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, { name: 'pods/status', verbs: ['get', 'patch', 'update'] }],
  services: [{ name: 'services/proxy', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, { name: 'services/status', verbs: ['get', 'patch', 'update'] }],
};

/** kube-apiserver's version order: GA before beta before alpha; a higher major, then a higher minor, first. */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    return m ? { major: Number(m[1]), level: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: Number(m[3] ?? 0) } : undefined;
  };
  const x = parse(a), y = parse(b);
  if (!x || !y) return x ? -1 : y ? 1 : a.localeCompare(b);
  return y.level - x.level || y.major - x.major || y.minor - x.minor;
}

interface Crd {
  kind?: string;
  spec?: {
    group: string; scope: string;
    names: { kind: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] };
    versions: { name: string; served: boolean; storage: boolean; subresources?: { status?: unknown } }[];
  };
}

/**
 * The CRDs of one manifest. Each version's `schema:` block (most of the bytes) is cut before parsing: nothing here
 * reads it, and parsing it would take over a second per server start.
 */
function readCrds(file: string): Crd[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)schema:\s*$/.exec(lines[i]);
    if (!m) { kept.push(lines[i]); continue; }
    kept.push(`${m[1]}schema: {}`);
    while (i + 1 < lines.length && (lines[i + 1].trim() === '' || /^\s*/.exec(lines[i + 1])![0].length > m[1].length)) i++;
  }
  return parseAllDocuments(kept.join('\n')).map((d) => d.toJS() as Crd).filter((d) => d?.kind === 'CustomResourceDefinition');
}

const parsed = new Map<string, Crd[]>();
function crdsOf(files: string[]): { crd: Crd; source: string }[] {
  return files.flatMap((f) => {
    let c = parsed.get(f);
    if (!c) { c = readCrds(f); parsed.set(f, c); }
    return c.map((crd) => ({ crd, source: f }));
  });
}

function typeOf(crd: Crd, source: string, keep: (version: string) => boolean): ResourceType | undefined {
  const s = crd.spec!;
  const versions = s.versions.filter((v) => v.served && keep(v.name));
  if (versions.length === 0) return undefined;
  return {
    kind: s.names.kind, plural: s.names.plural, singular: s.names.singular ?? s.names.kind.toLowerCase(), group: s.group,
    namespaced: s.scope === 'Namespaced', verbs: CRUD, versions: versions.map((v) => v.name).sort(compareKubeVersions),
    shortNames: s.names.shortNames, categories: s.names.categories, status: versions.some((v) => v.subresources?.status !== undefined), source,
  };
}

export interface CrdSetOptions {
  istio?: IstioCrdSet;
  gatewayApi?: GatewayApiChannel;
  /** Narrows the Istio CRDs to these served versions (a kind left with none is not served). */
  istioVersions?: string[];
}

/** Every resource type a server with these CRDs serves, built-in kinds first. */
export function resourceTypes(opts: CrdSetOptions = {}): ResourceType[] {
  requireCorpus(CRDS, 'the CRD manifests the test API server serves');
  const istio = opts.istio ?? 'current';
  const channel = opts.gatewayApi ?? 'standard';
  const out = [...BUILTIN_TYPES];
  if (istio !== 'none') {
    const era = istio === 'istio-1.10' ? ['v1alpha3', 'v1beta1'] : undefined;
    const keep = (v: string) => (!era || era.includes(v)) && (!opts.istioVersions || opts.istioVersions.includes(v));
    for (const { crd, source } of crdsOf([join(CRDS, 'istio/crd-all.gen.yaml')])) {
      const t = typeOf(crd, source, keep);
      if (t) out.push(t);
    }
  }
  if (channel !== 'none') {
    const dir = join(CRDS, 'gateway-api', channel);
    const files = readdirSync(dir).filter((f) => /^gateway\.networking\.(x-)?k8s\.io_.*\.yaml$/.test(f)).sort().map((f) => join(dir, f));
    for (const { crd, source } of crdsOf(files)) {
      const t = typeOf(crd, source, () => true);
      if (t) out.push(t);
    }
  }
  return out;
}

/** The versions kube-apiserver lists for a group (kube-aware order) and the preferred (first) one. */
export function groupVersions(types: ResourceType[], group: string): string[] {
  const vs = new Set<string>();
  for (const t of types) if (t.group === group) for (const v of t.versions) vs.add(v);
  return [...vs].sort(compareKubeVersions);
}
