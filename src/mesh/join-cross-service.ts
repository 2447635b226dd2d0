// Gateway API backends across contexts: a backendRef's Service that also exists (same namespace and name) in another
// loaded context is one service to a multi-cluster mesh, its endpoints in every cluster serving the host. The
// destination hops into each such context, to that Service and its pods there. Which address Envoy uses to reach
// them (a remote pod's IP on one network, the remote context's gateway on another) is in its endpoints.
import type { ContextIndex } from './indexes.js';
import type { MeshGraph } from './graph.js';
import type { CrossHop, DestinationModel, EnvoyClusterLink, PodModel, ServiceModel } from './objects.js';
import type { EnvoyEndpoint } from '../model/envoy/types.js';

export function linkServiceAcross(ctx: ContextIndex, d: DestinationModel, g: MeshGraph): void {
  if (d.mirror || d.backendRef === undefined) return;
  const local = d.targets.find((t) => t.kind === 'Service') as ServiceModel | undefined;
  if (!local) return;
  for (const other of ctx.peers) {
    if (other === ctx) continue;
    const remote = other.serviceNamed(local.namespace, local.name);
    if (!remote) continue;
    const hop: CrossHop = {
      id: `${d.id}/hop:${other.name}/${remote.namespace}/${remote.name}`, via: 'service', address: remote.host,
      ...(d.port !== undefined ? { port: d.port } : {}), context: other.name, gatewayPods: [], gateways: [], virtualServices: [],
      destinations: [], targetHost: remote.host, targetService: remote, pods: remote.pods,
    };
    d.hops.push(hop);
    g.add({ kind: 'cross-context', from: d.id, to: remote.id, note: `${remote.host} in ${other.name}` });
  }
}

/** Where an Envoy endpoint leads in another loaded context: one of its pods, or its gateway (another network). */
export interface RemoteEndpoint {
  context: string;
  pod?: PodModel;
  gateway?: ServiceModel;
}

/** The other context an endpoint address belongs to, if any (a local pod's address is not remote). */
export function remoteEndpoint(ctx: ContextIndex, e: Pick<EnvoyEndpoint, 'address'>): RemoteEndpoint | undefined {
  if (ctx.podByIp.has(e.address)) return undefined;
  for (const other of ctx.peers) {
    if (other === ctx) continue;
    const pod = other.podByIp.get(e.address);
    if (pod) return { context: other.name, pod };
    const gateway = other.gatewayAddresses.get(e.address);
    if (gateway) return { context: other.name, gateway };
  }
  return undefined;
}

/** The Envoy endpoints of a destination's clusters that lead into a hop's context. */
export function hopEndpoints(ctx: ContextIndex, links: EnvoyClusterLink[], h: CrossHop): { link: EnvoyClusterLink; endpoint: EnvoyEndpoint; to: RemoteEndpoint }[] {
  const out: { link: EnvoyClusterLink; endpoint: EnvoyEndpoint; to: RemoteEndpoint }[] = [];
  for (const link of links) {
    for (const endpoint of link.endpoints) {
      const to = remoteEndpoint(ctx, endpoint);
      if (to?.context === h.context) out.push({ link, endpoint, to });
    }
  }
  return out;
}
