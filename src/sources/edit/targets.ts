// Finding the VirtualService to edit: in a loaded mesh (snapshot or live model), or by a direct GET on live clusters.
import type { MeshInput } from '../../model/context.js';
import type { KubeObject, LoadedObject } from '../../model/resources.js';
import { snapshotTarget } from './apply.js';
import { liveTarget, TargetError, type EditTarget, type VirtualService } from '../../edit/prepare.js';
import { apiFailure, type VirtualServiceApi } from './live-writer.js';
import { resolve } from 'node:path';

export interface FoundTargets {
  targets: EditTarget[];
  /** Per-context problems (not found, ambiguous, file changed): never hidden. */
  problems: { context: string; message: string }[];
}

/** The edit target for one loaded object of a context (reads its snapshot file now). */
export function targetOf(input: MeshInput, lo: LoadedObject): EditTarget {
  const ctx = input.contexts.find((c) => c.name === lo.origin.context);
  if (ctx?.source.kind === 'snapshot') {
    if (!lo.origin.file) throw new TargetError(`${lo.obj.metadata.name} in ${lo.origin.context} has no snapshot file`);
    return snapshotTarget(lo.origin.context, resolve(ctx.source.path, lo.origin.file), { docIndex: lo.origin.docIndex ?? 0, itemIndex: lo.origin.itemIndex }, lo.obj as VirtualService);
  }
  return liveTarget(lo.origin.context, lo.obj as VirtualService);
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

/** Copies of the same object (kind, API group, namespace/name) in the other loaded contexts: a VirtualService or a Gateway API route. */
export function copiesOf(input: MeshInput, lo: LoadedObject): LoadedObject[] {
  const ns = lo.obj.metadata.namespace ?? 'default';
  const group = groupOf(lo.obj.apiVersion);
  return input.contexts
    .filter((c) => c.name !== lo.origin.context)
    .flatMap((c) => c.objects.filter((o) => o.obj.kind === lo.obj.kind && groupOf(o.obj.apiVersion) === group
      && o.obj.metadata.name === lo.obj.metadata.name && (o.obj.metadata.namespace ?? 'default') === ns));
}

/** VirtualService `name` (in `namespace`, when given) in each context of a loaded mesh. */
export function findInMesh(input: MeshInput, name: string, namespace?: string, requested: string[] = []): FoundTargets {
  const out: FoundTargets = { targets: [], problems: [] };
  for (const ctx of input.contexts) {
    const hits = ctx.objects.filter((o) => o.obj.kind === 'VirtualService' && o.obj.metadata.name === name && (!namespace || (o.obj.metadata.namespace ?? 'default') === namespace));
    if (hits.length === 0) {
      // Contexts that were not asked for by name may simply not have this VirtualService.
      if (requested.length === 0 && ctx.status !== 'error') continue;
      out.problems.push({ context: ctx.name, message: `no VirtualService ${namespace ? `${namespace}/` : ''}${name} in context ${ctx.name}${ctx.status === 'error' && ctx.reason ? ` (${ctx.reason})` : ''}` });
      continue;
    }
    if (hits.length > 1) {
      const nss = [...new Set(hits.map((h) => h.obj.metadata.namespace ?? 'default'))];
      out.problems.push({ context: ctx.name, message: nss.length > 1 ? `VirtualService ${name} exists in several namespaces of context ${ctx.name} (${nss.join(', ')}): pass -n NAMESPACE` : `VirtualService ${nss[0]}/${name} is defined more than once in context ${ctx.name}` });
      continue;
    }
    try {
      out.targets.push(targetOf(input, hits[0]));
    } catch (err) {
      out.problems.push({ context: ctx.name, message: (err as Error).message });
    }
  }
  if (out.targets.length === 0 && out.problems.length === 0) {
    out.problems.push({ context: '', message: `no VirtualService ${namespace ? `${namespace}/` : ''}${name} in ${input.contexts.map((c) => c.name).join(', ') || 'any context'}` });
  }
  return out;
}

/** The networking.istio.io versions to try, newest first. */
export const VS_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];

/** GETs the VirtualService from a live context, trying the served versions in order. */
export async function getLive(access: (apiVersion: string) => Promise<VirtualServiceApi>, namespace: string, name: string): Promise<KubeObject> {
  let last: unknown;
  for (const v of VS_VERSIONS) {
    try {
      return await (await access(v)).get(namespace, name);
    } catch (err) {
      last = err;
      if (apiFailure(err).status !== 404) break;
    }
  }
  const f = apiFailure(last);
  throw new TargetError(f.status === 404 ? `no VirtualService ${namespace}/${name}` : `cannot read VirtualService ${namespace}/${name}: ${f.status ?? ''} ${f.message}`.replace('  ', ' '));
}
