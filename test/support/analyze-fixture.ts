// Builds analysis input from inline YAML: for the checks' unit tests and for embedding callers.
import type { ContextSnapshot, MeshInput, ProxyDump } from '../../src/model/context.js';
import type { ParsedDump } from '../../src/model/envoy/types.js';
import { objectsOfFile } from '../../src/sources/snapshot.js';
import { joinMesh } from '../../src/mesh/join.js';
import { buildAnalysisInput, type AnalysisInput, type BuildOptions } from '../../src/analyze/input.js';

export function contextFromYaml(name: string, yaml: string): ContextSnapshot {
  const issues: ContextSnapshot['issues'] = [];
  const objects = objectsOfFile(yaml, false, name, `${name}.yaml`, issues);
  if (issues.some((i) => i.severity === 'error')) throw new Error(issues.map((i) => i.message).join('; '));
  return { name, source: { kind: 'snapshot', path: name }, objects, proxies: [], issues, status: 'ok' };
}

/** `{ contextName: yaml }` → AnalysisInput. */
export function inputFromYaml(contexts: Record<string, string>, opts: BuildOptions = {}): AnalysisInput {
  const input: MeshInput = { contexts: Object.entries(contexts).map(([n, y]) => contextFromYaml(n, y)) };
  return buildAnalysisInput(input, opts);
}

/** A proxy of a context with its Envoy config already parsed (no dump file needed). */
export interface FixtureProxy { context: string; namespace: string; pod: string; parsed: ParsedDump }

/** `{ contextName: yaml }` plus parsed proxies → AnalysisInput with the joined mesh (drift, health, hop checks). */
export function joinedInputFromYaml(contexts: Record<string, string>, proxies: FixtureProxy[] = [], opts: BuildOptions = {}): AnalysisInput {
  const input: MeshInput = { contexts: Object.entries(contexts).map(([n, y]) => contextFromYaml(n, y)) };
  const parsed = new Map<ProxyDump, ParsedDump>();
  for (const p of proxies) {
    const snap = input.contexts.find((c) => c.name === p.context);
    if (!snap) throw new Error(`proxy ${p.namespace}/${p.pod}: no context ${p.context}`);
    const dump: ProxyDump = { context: p.context, namespace: p.namespace, pod: p.pod };
    snap.proxies.push(dump);
    parsed.set(dump, p.parsed);
  }
  return buildAnalysisInput(input, { ...opts, mesh: joinMesh(input, { parsed }) });
}

/** One weighted Envoy route of `vs.namespace` for `host:port` (outbound|port|subset|host clusters), with EDS endpoints. */
export function routeDump(o: {
  vs: string; host: string; port: number; weights: Record<string, number>;
  endpoints?: { subset: string; address: string; health: string }[];
}): ParsedDump {
  const cluster = (subset: string) => `outbound|${o.port}|${subset}|${o.host}`;
  return {
    clusters: Object.keys(o.weights).map((subset) => ({
      name: cluster(subset), direction: 'outbound', port: o.port, subset, fqdn: o.host, type: 'EDS', destinationRule: o.vs, dynamic: true, warming: false, raw: {},
    })),
    listeners: [],
    routeConfigs: [{
      name: String(o.port), dynamic: true, raw: {},
      virtualHosts: [{
        name: `${o.host}:${o.port}`, domains: [o.host],
        routes: [{
          match: { prefix: '/', headers: [] }, virtualService: o.vs, action: 'route', raw: {},
          weightedClusters: Object.entries(o.weights).map(([subset, weight]) => ({ name: cluster(subset), weight })),
        }],
      }],
    }],
    edsEndpoints: (o.endpoints ?? []).map((e) => ({ cluster: cluster(e.subset), address: e.address, port: o.port, health: e.health, from: 'eds' as const })),
    sections: [], raw: {},
  };
}
