// A MeshConfig for authorization: from a file (plain MeshConfig YAML/JSON, or the `istio` ConfigMap with the config
// under data.mesh) or from the `istio` ConfigMap of a loaded context.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { KubeObject } from '../model/resources.js';
import { UserError } from '../core/errors.js';

export interface AuthzMeshConfig {
  rootNamespace?: string;
  trustDomain?: string;
  trustDomainAliases?: string[];
  extensionProviders?: { name?: string; [k: string]: unknown }[];
}

function fromValue(v: unknown, where: string): AuthzMeshConfig {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new UserError(`${where}: a mesh config must be a mapping`);
  const o = v as Record<string, unknown>;
  if (o.kind === 'ConfigMap') {
    const mesh = (o.data as Record<string, unknown> | undefined)?.mesh;
    if (typeof mesh !== 'string') throw new UserError(`${where}: ConfigMap has no data.mesh`);
    return fromValue(parse(mesh), `${where} (data.mesh)`);
  }
  const providers = o.extensionProviders;
  if (providers !== undefined && !Array.isArray(providers)) throw new UserError(`${where}: extensionProviders must be a list`);
  const aliases = o.trustDomainAliases;
  return {
    rootNamespace: typeof o.rootNamespace === 'string' ? o.rootNamespace : undefined,
    trustDomain: typeof o.trustDomain === 'string' ? o.trustDomain : undefined,
    trustDomainAliases: Array.isArray(aliases) ? aliases.map(String) : undefined,
    extensionProviders: providers as AuthzMeshConfig['extensionProviders'],
  };
}

export function readAuthzMeshConfig(file: string): AuthzMeshConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read mesh config ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let v: unknown;
  try {
    v = parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return fromValue(v, file);
}

/** The mesh config of a loaded context: the `istio` ConfigMap in the root namespace, if it was loaded. */
export function meshConfigOfObjects(objects: KubeObject[], istioNamespace = 'istio-system'): AuthzMeshConfig | undefined {
  const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'istio' && o.metadata.namespace === istioNamespace);
  if (!cm) return undefined;
  try {
    return fromValue(cm, `ConfigMap ${istioNamespace}/istio`);
  } catch {
    return undefined;
  }
}
