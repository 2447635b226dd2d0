// FILE|DIR arguments of `meshscope analyze`: plain manifests read like `istioctl analyze -f --use-kube=false`,
// plus istioctl's implicit default ingress gateway Pod and Service. The only I/O in src/analyze.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { objectsOfFile } from './snapshot.js';
import { errorText } from './snapshot-contexts.js';
import type { ContextSnapshot, LoadIssue } from '../model/context.js';
import type { KubeObject, LoadedObject } from '../model/resources.js';
import { UserError } from '../core/errors.js';
import type { MeshConfigLite } from '../model/mesh-config.js';

const MANIFEST = /\.(ya?ml|json)$/i;

/** stat that says what failed: "no such file or directory" only when the path is absent. */
function statOf(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${path}: no such file or directory`);
    throw new UserError(`${path}: cannot read: ${errorText(err)}`);
  }
}

function listFiles(path: string): string[] {
  if (statOf(path).isFile()) return [path];
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (err) {
    throw new UserError(`${path}: cannot read folder: ${errorText(err)}`);
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const p = join(path, name);
    if (statOf(p).isDirectory()) out.push(...listFiles(p));
    else if (MANIFEST.test(name)) out.push(p);
  }
  return out;
}

/** Parses one manifest file with the snapshot loader's parser (List items expanded, Secrets dropped unread). */
export function parseManifestFile(file: string, context: string, issues: LoadIssue[]): LoadedObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read: ${(e as Error).message}`);
  }
  return objectsOfFile(text, /\.json$/i.test(file), context, file, issues);
}

/** istioctl's defaults (pkg/config/analysis/local/defaults.go): the ingress gateway every install has. */
export function implicitIngressGateway(context: string): LoadedObject[] {
  const origin = { context };
  const pod: KubeObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'istio-ingressgateway-dummypod', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
    spec: { containers: [{ name: 'istio-proxy' }] },
  };
  const svc: KubeObject = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: {
      selector: { istio: 'ingressgateway' },
      ports: [
        { name: 'http2', port: 80, targetPort: 80, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 443, protocol: 'TCP' },
        { name: 'tcp', port: 31400, targetPort: 31400, protocol: 'TCP' },
        { name: 'tls', port: 15443, targetPort: 15443, protocol: 'TCP' },
      ],
    },
  };
  return [{ obj: pod, origin }, { obj: svc, origin }];
}

/** Reads FILE|DIR arguments into one context (named after the single folder given, else "manifests"). */
export function loadManifests(paths: readonly string[], opts: { implicitGateway?: boolean; context?: string } = {}): ContextSnapshot {
  const context = opts.context ?? (paths.length === 1 && statSafe(paths[0]!)?.isDirectory() ? basename(resolve(paths[0]!)) : 'manifests');
  const issues: LoadIssue[] = [];
  const objects: LoadedObject[] = [];
  for (const p of paths) for (const f of listFiles(p)) objects.push(...parseManifestFile(f, context, issues));
  if (opts.implicitGateway !== false) {
    for (const d of implicitIngressGateway(context)) {
      const m = d.obj.metadata;
      const defined = objects.some((o) => o.obj.kind === d.obj.kind && o.obj.metadata.name === m.name && o.obj.metadata.namespace === m.namespace);
      if (!defined) objects.push(d);
    }
  }
  return { name: context, source: { kind: 'snapshot', path: paths.join(',') }, objects, proxies: [], issues, status: 'ok' };
}

function statSafe(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** A MeshConfig file (istioctl --meshConfigFile): the fields checks read. */
export function loadMeshConfig(file: string): Partial<MeshConfigLite> {
  let v: { rootNamespace?: string; defaultConfig?: { proxyMetadata?: Record<string, string> } } | null;
  try {
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    v = (docs[0]?.toJS() ?? {}) as typeof v;
  } catch (e) {
    throw new UserError(`${file}: cannot read mesh config: ${(e as Error).message}`);
  }
  const md: Record<string, string> = {};
  for (const [k, val] of Object.entries(v?.defaultConfig?.proxyMetadata ?? {})) md[k] = String(val);
  return { rootNamespace: v?.rootNamespace, proxyMetadata: md };
}
