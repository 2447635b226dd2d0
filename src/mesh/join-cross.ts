// Links across contexts: a ServiceEntry endpoint address (or the host of a `.global` ServiceEntry) that is another
// loaded context's gateway Service address hops to that gateway, then to the Gateway + VirtualService serving the
// host there (or, for `.global`, to the local service and subset it stands for), and on to the pods.
import { globalToLocal, hostsIntersect, isGlobalHost, selectorMatches } from './hosts.js';
import { gatewaysAt, type ContextIndex } from './indexes.js';
import { danglingEdge, findSubset } from './join-intent.js';
import type { MeshGraph } from './graph.js';
import type { CrossHop, DestinationModel, EndpointModel, ServiceEntryModel, ServiceModel } from './objects.js';

export function joinAcrossContexts(contexts: ContextIndex[], g: MeshGraph): void {
  if (contexts.length === 0) return;
  for (const ctx of contexts) {
    for (const vs of ctx.virtualServices) {
      for (const rule of vs.rules) {
        for (const d of rule.destinations) linkDestinationAcross(ctx, contexts, d, g);
      }
    }
  }
}

/** An address a destination's traffic goes to; `viaGateway` when the endpoint is written as a hop into another
 * cluster's gateway (a `network` on the endpoint, or the cross-network gateway port 15443). */
interface Candidate { address: string; port?: number; viaGateway?: boolean }

const CROSS_NETWORK_PORT = 15443;

const NO_CANDIDATES: Candidate[] = [];

function candidates(d: DestinationModel): Candidate[] {
  if (!d.targets.some((t) => t.kind === 'ServiceEntry')) return NO_CANDIDATES;
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const ses = d.targets.filter((t) => t.kind === 'ServiceEntry') as ServiceEntryModel[];
  const sePorts = (ses[0]!.loaded.obj.spec?.ports ?? []) as { number: number; name?: string }[];
  const sePort = sePorts.find((p) => d.port === undefined || p.number === d.port) ?? sePorts[0];
  const add = (e: EndpointModel | undefined, address: string): void => {
    if (!address || seen.has(address)) return;
    seen.add(address);
    const port = (e?.ports && sePort?.name ? e.ports[sePort.name] : undefined) ?? sePort?.number;
    out.push({ address, port, viaGateway: Boolean(e?.network) || port === CROSS_NETWORK_PORT });
  };
  for (const e of d.endpoints) if (e.source !== 'Pod') add(e, e.address);
  // DNS resolution with no endpoints: the host itself is the address.
  if (d.endpoints.length === 0) {
    for (const se of ses) {
      const spec = se.loaded.obj.spec ?? {};
      if ((spec.endpoints ?? []).length === 0 && !spec.workloadSelector) for (const h of se.hosts) add(undefined, h);
    }
  }
  return out;
}

function linkDestinationAcross(ctx: ContextIndex, contexts: ContextIndex[], d: DestinationModel, g: MeshGraph): void {
  const global = isGlobalHost(d.fqdn);
  const cands = candidates(d);
  let hops = 0;
  for (const c of cands) {
    for (const { context: other, service: gwSvc } of gatewaysAt(contexts, ctx.name, c.address)) {
      const hop = global ? globalHop(other, d, gwSvc, c) : hostHop(other, d, gwSvc, c);
      d.hops.push(hop);
      hops++;
      g.add({ kind: 'cross-context', from: d.id, to: gwSvc.id, note: `${c.address}${c.port ? `:${c.port}` : ''}`, dangling: hop.dangling });
      if (hop.dangling) {
        d.problems.push({ severity: 'error', code: 'MS0301', message: hop.dangling, path: `${d.path}.host` });
      }
    }
  }
  if (hops === 0 && global && d.targets.length > 0) {
    const why = cands.length === 0
      ? `.global host ${d.fqdn} has no endpoint address${d.subset ? ` for subset ${d.subset}` : ''}`
      : `.global host ${d.fqdn}: endpoint ${cands.map((c) => c.address).join(', ')} is no loaded context's gateway address`;
    danglingEdge(g, d, 'cross-context', why);
    d.problems.push({ severity: 'warning', code: 'MS0301', message: why, path: `${d.path}.host` });
  } else if (hops === 0 && !global) {
    const lost = cands.filter((c) => c.viaGateway);
    if (lost.length > 0) {
      const why = `ServiceEntry endpoint ${lost.map((c) => `${c.address}${c.port ? `:${c.port}` : ''}`).join(', ')} for ${d.fqdn} is no loaded context's gateway address`;
      danglingEdge(g, d, 'cross-context', why);
      d.problems.push({ severity: 'warning', code: 'MS0301', message: why, path: `${d.path}.host` });
    }
  }
}

function baseHop(other: ContextIndex, d: DestinationModel, gwSvc: ServiceModel, c: Candidate): CrossHop {
  return {
    id: `${d.id}/hop:${other.name}/${c.address}`, address: c.address, port: c.port, context: other.name,
    gatewayService: gwSvc, gatewayPods: gwSvc.pods, gateways: [], virtualServices: [], destinations: [], pods: [],
  };
}

/** `name.ns.global`: cluster-b's gateway forwards (AUTO_PASSTHROUGH) to name.ns.svc.cluster.local, same subset name. */
function globalHop(other: ContextIndex, d: DestinationModel, gwSvc: ServiceModel, c: Candidate): CrossHop {
  const hop = baseHop(other, d, gwSvc, c);
  const local = globalToLocal(d.fqdn);
  hop.targetHost = local;
  hop.targetSubset = d.subset;
  if (!local) {
    hop.dangling = `${d.fqdn} is not of the form name.namespace.global`;
    return hop;
  }
  const podSet = new Set(gwSvc.pods);
  hop.gateways = other.gateways.filter((gw) => gw.pods.some((p) => podSet.has(p)) && gw.servers.some((s) => s.hosts.some((h) => hostsIntersect(h.host, d.fqdn))));
  const ns = local.split('.')[1]!;
  const res = other.hosts.resolve(local, ns);
  const svc = res.entries.find((e) => e.kind === 'Service')?.value as ServiceModel | undefined;
  if (!svc) {
    hop.dangling = `${d.fqdn} → ${local}: no such Service in ${other.name}`;
    return hop;
  }
  hop.targetService = svc;
  let labels: Record<string, string> | undefined;
  if (d.subset) {
    const dr = other.drs.lookup(local, ns, svc.namespace);
    const sub = findSubset(dr?.rules, d.subset);
    if (!sub) {
      hop.dangling = dr
        ? `subset ${d.subset} not found in ${other.name}'s DestinationRule ${dr.rules.map((r) => `${r.value.namespace}/${r.value.name}`).join(', ')} for ${local}`
        : `no DestinationRule for ${local} in ${other.name}, so subset ${d.subset} does not exist there`;
      return hop;
    }
    hop.targetSubsetDef = sub;
    labels = sub.labels;
  }
  hop.pods = svc.pods.filter((p) => selectorMatches(labels, p.labels));
  if (hop.pods.length === 0) hop.dangling = `${local}${d.subset ? ` subset ${d.subset}` : ''} selects no pods in ${other.name}`;
  return hop;
}

/** A host served by the remote ingress gateway: Gateway → VirtualService → destinations → pods. */
function hostHop(other: ContextIndex, d: DestinationModel, gwSvc: ServiceModel, c: Candidate): CrossHop {
  const hop = baseHop(other, d, gwSvc, c);
  const podSet = new Set(gwSvc.pods);
  hop.gateways = other.gateways.filter((gw) => gw.pods.some((p) => podSet.has(p))
    && gw.servers.some((s) => s.hosts.some((h) => hostsIntersect(h.host, d.fqdn))));
  if (hop.gateways.length === 0) {
    hop.dangling = `gateway ${gwSvc.namespace}/${gwSvc.name} in ${other.name} (${c.address}) has no Gateway for host ${d.fqdn}`;
    return hop;
  }
  const seen = new Set<string>();
  for (const gw of hop.gateways) {
    for (const vs of gw.virtualServices) {
      if (seen.has(vs.id) || !vs.hosts.some((h) => hostsIntersect(h, d.fqdn))) continue;
      seen.add(vs.id);
      hop.virtualServices.push(vs);
      for (const r of vs.rules) for (const rd of r.destinations) if (!rd.mirror) hop.destinations.push(rd);
    }
  }
  if (hop.virtualServices.length === 0) {
    hop.dangling = `no VirtualService in ${other.name} serves ${d.fqdn} on Gateway ${hop.gateways.map((x) => `${x.namespace}/${x.name}`).join(', ')}`;
    return hop;
  }
  const pods = new Set(hop.destinations.flatMap((x) => x.pods));
  hop.pods = [...pods];
  return hop;
}
