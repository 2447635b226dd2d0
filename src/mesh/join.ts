// joinMesh: intent, workloads and Envoy reality of every loaded context, joined into one model with lookups.
import type { MeshInput } from '../model/context.js';
import { hostsIntersect } from './hosts.js';
import type { DestinationRuleMatch, HostResolution } from './hosts.js';
import { ContextIndex } from './indexes.js';
import { MeshGraph } from './graph.js';
import { joinIntent } from './join-intent.js';
import { joinGatewayApi } from './join-gateway-api.js';
import { buildProxies, joinEnvoy } from './join-envoy.js';
import type { EnvoyParser, ParsedDumps } from './join-envoy.js';
import { joinAcrossContexts } from './join-cross.js';
import { deriveEdges } from './edges.js';
import type {
  DestinationModel, DestinationRuleModel, EdgeKind, EnvoyClusterLink, EnvoyRouteModel, GatewayModel, MeshEdge, MeshObject,
  MeshService, PodModel, ProxyModel, RuleModel, ServiceEntryModel, ServiceModel, VirtualServiceModel,
} from './objects.js';
import { objectId } from './objects.js';
import type { ObjectRefKey, Problem } from './tree-types.js';

export interface JoinOptions {
  /** Envoy config_dump / clusters parser (src/model/envoy/parse.ts); dumps are parsed once and cached. */
  parser?: EnvoyParser;
  /** Dumps parsed already, keyed by the ProxyDump object. */
  parsed?: ParsedDumps;
}

export class Mesh {
  readonly contexts: ContextIndex[];
  readonly graph = new MeshGraph();
  /** FQDN → the service with its members in every context (Services and ServiceEntries). */
  readonly services = new Map<string, MeshService>();
  private ruleMap?: Map<string, RuleModel>;
  private destMap?: Map<string, DestinationModel>;

  constructor(readonly input: MeshInput, opts: JoinOptions = {}) {
    this.contexts = input.contexts.map((c) => new ContextIndex(c));
    for (const ctx of this.contexts) ctx.peers = this.contexts;
    for (const ctx of this.contexts) {
      joinIntent(ctx, this.graph);
      joinGatewayApi(ctx, this.graph);
      buildProxies(ctx, this.graph, opts.parser, opts.parsed);
      joinEnvoy(ctx, this.graph);
    }
    joinAcrossContexts(this.contexts, this.graph);
    for (const ctx of this.contexts) {
      for (const t of ctx.services) this.addMember(t.host, t);
      for (const t of ctx.serviceEntries) for (const h of t.hosts) this.addMember(h, t);
    }
    this.graph.deriveWith((add) => deriveEdges(this.contexts, this.services, add));
  }

  private addMember(host: string, t: ServiceModel | ServiceEntryModel): void {
    const s = this.services.get(host);
    if (s) s.members.push(t);
    else this.services.set(host, { host, members: [t] });
  }

  /** Rules and destinations by id, built on first lookup. */
  private get rules(): Map<string, RuleModel> {
    if (!this.ruleMap) this.indexRules();
    return this.ruleMap!;
  }

  private get dests(): Map<string, DestinationModel> {
    if (!this.destMap) this.indexRules();
    return this.destMap!;
  }

  private indexRules(): void {
    this.ruleMap = new Map();
    this.destMap = new Map();
    for (const ctx of this.contexts) {
      for (const vs of [...ctx.virtualServices, ...ctx.generatedVirtualServices]) {
        for (const r of vs.rules) {
          this.ruleMap.set(r.id, r);
          for (const d of r.destinations) this.destMap.set(d.id, d);
        }
      }
    }
  }

  context(name: string): ContextIndex | undefined {
    return this.contexts.find((c) => c.name === name);
  }

  /** Any loaded object (Pod, Service, VirtualService...) by id or ref. */
  object(idOrRef: string | ObjectRefKey): MeshObject | undefined {
    const id = typeof idOrRef === 'string' ? idOrRef : objectId(idOrRef.context, idOrRef.kind, idOrRef.namespace, idOrRef.name);
    const ctx = this.context(id.slice(0, id.indexOf('/')));
    return ctx?.objects.get(id);
  }

  virtualService(context: string, namespace: string, name: string): VirtualServiceModel | undefined {
    return this.object(objectId(context, 'VirtualService', namespace, name)) as VirtualServiceModel | undefined;
  }

  rule(id: string): RuleModel | undefined { return this.rules.get(id); }
  /** The generated rules that came from one Gateway API route (every parent, match and context), in order. */
  routeRules(kind: string, namespace: string, name: string, context?: string): RuleModel[] {
    return (context ? this.contexts.filter((c) => c.name === context) : this.contexts).flatMap((c) => c.generatedVirtualServices
      .flatMap((vs) => vs.rules.filter((r) => r.source && r.source.kind === kind && r.source.namespace === namespace && r.source.name === name)));
  }
  destination(id: string): DestinationModel | undefined { return this.dests.get(id); }
  allRules(): IterableIterator<RuleModel> { return this.rules.values(); }
  allDestinations(): IterableIterator<DestinationModel> { return this.dests.values(); }

  /** Destinations (route and mirror) of a rule. */
  destinationsOf(rule: RuleModel | string): DestinationModel[] {
    const r = typeof rule === 'string' ? this.rules.get(rule) : rule;
    return r?.destinations ?? [];
  }

  /** Envoy clusters implementing a destination, on every proxy or one. */
  clustersFor(dest: DestinationModel | string, proxy?: ProxyModel | string): EnvoyClusterLink[] {
    const d = typeof dest === 'string' ? this.dests.get(dest) : dest;
    if (!d) return [];
    if (!proxy) return d.envoy;
    const pid = typeof proxy === 'string' ? proxy : proxy.id;
    return d.envoy.filter((e) => e.proxy.id === pid);
  }

  /** Envoy routes generated from a rule, per proxy. */
  envoyRoutesOf(rule: RuleModel | string): EnvoyRouteModel[] {
    const r = typeof rule === 'string' ? this.rules.get(rule) : rule;
    return r?.envoyRoutes ?? [];
  }

  proxies(context?: string): ProxyModel[] {
    return (context ? this.contexts.filter((c) => c.name === context) : this.contexts).flatMap((c) => c.proxies);
  }

  proxyOf(context: string, namespace: string, pod: string): ProxyModel | undefined {
    return this.context(context)?.proxies.find((p) => p.namespace === namespace && p.podName === pod);
  }

  /** Gateways in a context with a server host intersecting `host`. */
  gatewaysForHost(context: string, host: string): GatewayModel[] {
    return (this.context(context)?.gateways ?? []).filter((g) => g.servers.some((s) => s.hosts.some((h) => hostsIntersect(h.host, host))));
  }

  /** VirtualServices in a context whose hosts intersect `host`; `gateway` narrows to those bound to it ('mesh' for sidecars). */
  virtualServicesForHost(context: string, host: string, gateway?: GatewayModel | 'mesh'): VirtualServiceModel[] {
    return (this.context(context)?.virtualServices ?? []).filter((vs) => vs.hosts.some((h) => hostsIntersect(h, host))
      && (gateway === undefined || (gateway === 'mesh' ? vs.mesh : vs.gateways.some((b) => b.gateway === gateway && !b.dangling))));
  }

  /** Istio host resolution in one context, for a reference written in `fromNamespace`. */
  resolveHost(context: string, host: string, fromNamespace: string): HostResolution<ServiceModel | ServiceEntryModel> | undefined {
    return this.context(context)?.hosts.resolve(host, fromNamespace);
  }

  /** The DestinationRule(s) a client in `clientNamespace` gets for an FQDN host. */
  destinationRuleFor(context: string, fqdn: string, clientNamespace: string, serviceNamespace?: string): DestinationRuleMatch<DestinationRuleModel> | undefined {
    return this.context(context)?.drs.lookup(fqdn, clientNamespace, serviceNamespace);
  }

  pod(context: string, namespace: string, name: string): PodModel | undefined {
    return this.context(context)?.podByName.get(`${namespace}/${name}`);
  }

  edgesFrom(id: string, kind?: EdgeKind): MeshEdge[] { return this.graph.from(id, kind); }
  edgesTo(id: string, kind?: EdgeKind): MeshEdge[] { return this.graph.to(id, kind); }
  /** Problems the join found on an entity (destinations keep theirs on the model). */
  problems(id: string): Problem[] {
    const d = this.dests.get(id);
    return d ? d.problems : this.graph.problemsOf(id);
  }
  dangling(): MeshEdge[] { return this.graph.dangling(); }
}

/** Joins every context of the input. Pure: no I/O. */
export function joinMesh(input: MeshInput, opts: JoinOptions = {}): Mesh {
  return new Mesh(input, opts);
}
