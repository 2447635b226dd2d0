// Small in-memory MeshInput builders for the mesh tests.
import type { ContextSnapshot, MeshInput, ProxyDump } from '../src/model/context.js';
import type { KubeObject, LoadedObject } from '../src/model/resources.js';

let line = 1;

export function obj(kind: string, ns: string | undefined, name: string, spec: unknown, extra: Partial<KubeObject> & { labels?: Record<string, string> } = {}): KubeObject {
  const { labels, ...rest } = extra;
  const apiVersion = ['Pod', 'Service', 'Namespace'].includes(kind) ? 'v1' : kind === 'EndpointSlice' ? 'discovery.k8s.io/v1' : 'networking.istio.io/v1';
  return { apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}), ...(labels ? { labels } : {}) }, spec, ...rest } as KubeObject;
}

export function pod(ns: string, name: string, ip: string, labels: Record<string, string>, sidecar = true): KubeObject {
  return obj('Pod', ns, name, { containers: [{ name: 'app' }, ...(sidecar ? [{ name: 'istio-proxy' }] : [])] }, {
    labels, status: { podIP: ip, phase: 'Running', containerStatuses: [{ ready: true }] },
  });
}

export function svc(ns: string, name: string, selector: Record<string, string>, ports: number[], extra: Partial<KubeObject> & { type?: string; clusterIP?: string; lb?: string } = {}): KubeObject {
  const { type, clusterIP, lb, ...rest } = extra;
  return obj('Service', ns, name, {
    selector, type, clusterIP: clusterIP ?? '10.96.0.1', ports: ports.map((p) => ({ name: `http-${p}`, port: p })),
  }, { ...rest, ...(lb ? { status: { loadBalancer: { ingress: [{ ip: lb }] } } } : {}) });
}

export function context(name: string, objects: KubeObject[], proxies: ProxyDump[] = []): ContextSnapshot {
  const los: LoadedObject[] = objects.map((o) => ({ obj: o, origin: { context: name, file: 'mem.yaml', line: line++ } }));
  return { name, source: { kind: 'snapshot', path: 'mem' }, objects: los, proxies, issues: [], status: 'ok' };
}

export function input(...contexts: ContextSnapshot[]): MeshInput {
  return { contexts };
}
