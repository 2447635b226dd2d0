// Inputs of `meshscope authz build`: policy files and the workload from flags, or a pod of a loaded snapshot (its
// namespace, labels and the policies, services and mesh config of its context).
import { UsageError, UserError } from '../core/errors.js';
import type { GlobalOptions } from '../core/options.js';
import type { KubeObject } from '../model/resources.js';
import { sanitizeLine } from '../core/sanitize.js';
import { buildAuthzFilters, type BuildResult } from '../mesh/authz/builder.js';
import { policiesForWorkload } from '../mesh/authz/select.js';
import { trustDomainBundle } from '../mesh/authz/trust-domain.js';
import type { KnownService } from '../mesh/authz/ext-authz.js';
import { readAuthzMeshConfig, meshConfigOfObjects, type AuthzMeshConfig } from '../sources/mesh-config-file.js';

type Globals = Pick<GlobalOptions, 'fixtures' | 'context' | 'namespace'> & Partial<GlobalOptions>;

function parseServices(values: string[]): KnownService[] {
  return values.map((v) => {
    const i = v.indexOf('/');
    if (i <= 0 || i === v.length - 1) throw new UsageError(`--service "${v}": expected NAMESPACE/HOST, e.g. foo/ext-authz.foo.svc.cluster.local`);
    return { namespace: v.slice(0, i), hostname: v.slice(i + 1) };
  });
}

/** Services of a loaded context as istiod names them: `name.ns.svc.cluster.local`, and ServiceEntry hosts. */
export function servicesOfObjects(objects: KubeObject[]): KnownService[] {
  const out: KnownService[] = [];
  for (const o of objects) {
    const ns = o.metadata.namespace ?? 'default';
    if (o.kind === 'Service') out.push({ namespace: ns, hostname: `${o.metadata.name}.${ns}.svc.cluster.local` });
    if (o.kind === 'ServiceEntry') for (const h of (o.spec?.hosts ?? []) as string[]) out.push({ namespace: ns, hostname: h });
  }
  return out;
}

export async function buildWorkloadFilters(inputs: string[], o: Record<string, unknown>, g: Globals): Promise<BuildResult> {
  const fileMesh: AuthzMeshConfig = o.meshConfig ? readAuthzMeshConfig(String(o.meshConfig)) : {};
  let objects: KubeObject[];
  let namespace: string;
  let labels: Record<string, string>;
  let mesh = fileMesh;
  let services = parseServices((o.service as string[]) ?? []);
  if (g.fixtures) {
    if (inputs.length !== 1) throw new UsageError('with --fixtures, give one pod: authz build POD[.NAMESPACE]');
    const arg = inputs[0]!;
    const i = arg.lastIndexOf('.');
    const [podName, podNs] = i > 0 ? [arg.slice(0, i), arg.slice(i + 1)] : [arg, g.namespace || 'default'];
    const { loadMesh } = await import('../sources/load.js');
    const input = await loadMesh({ ...(g as GlobalOptions), namespace: undefined });
    const hits = input.contexts.flatMap((c) => c.objects.filter((x) => x.obj.kind === 'Pod' && x.obj.metadata.name === podName && (x.obj.metadata.namespace ?? 'default') === podNs).map((x) => ({ c, pod: x.obj })));
    if (hits.length === 0) throw new UserError(`pod ${sanitizeLine(podName)}.${sanitizeLine(podNs)} not found in ${g.fixtures}`);
    if (hits.length > 1) throw new UserError(`pod ${sanitizeLine(podName)}.${sanitizeLine(podNs)} is in several contexts (${hits.map((h) => h.c.name).join(', ')}): choose one with --context`);
    const { c, pod } = hits[0]!;
    objects = c.objects.map((x) => x.obj);
    namespace = podNs;
    labels = { ...(pod.metadata.labels ?? {}), ...parseLabels((o.workloadLabels as string[]) ?? []) };
    if (!o.meshConfig) mesh = meshConfigOfObjects(objects) ?? {};
    services = [...services, ...servicesOfObjects(objects)];
  } else {
    if (inputs.length === 0) throw new UsageError('authz build needs policy files (or --fixtures DIR and a pod)');
    if (!o.workloadNamespace) throw new UsageError('authz build needs --workload-namespace NS');
    const { loadManifests } = await import('../sources/analyze-inputs.js');
    const snap = loadManifests(inputs, { implicitGateway: false, context: 'policies' });
    for (const issue of snap.issues) process.stderr.write(`${sanitizeLine(`${issue.severity}: ${issue.file ?? ''}${issue.line ? `:${issue.line}` : ''}: ${issue.message}`)}\n`);
    if (snap.issues.some((x) => x.severity === 'error')) throw new UserError('some policy files could not be read; nothing built');
    objects = snap.objects.map((x) => x.obj);
    namespace = String(o.workloadNamespace);
    labels = parseLabels((o.workloadLabels as string[]) ?? []);
  }
  const rootNamespace = String(o.rootNamespace ?? mesh.rootNamespace ?? 'istio-system');
  // Policy files without a namespace take the workload's, as `kubectl apply -n` would.
  const withNs = objects.map((x) => (x.kind === 'AuthorizationPolicy' && !x.metadata.namespace ? { ...x, metadata: { ...x.metadata, namespace } } : x));
  const policies = policiesForWorkload(withNs, { namespace, labels, rootNamespace });
  const td = (o.trustDomain as string | undefined) ?? mesh.trustDomain ?? 'cluster.local';
  const aliases = [...(mesh.trustDomainAliases ?? []), ...((o.trustDomainAlias as string[]) ?? [])];
  return buildAuthzFilters(policies, {
    forTCP: Boolean(o.tcp), trustDomain: trustDomainBundle(td, aliases),
    extensionProviders: mesh.extensionProviders as never, services,
  });
}

export function parseLabels(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) throw new UsageError(`--workload-labels: "${part}" is not k=v`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
