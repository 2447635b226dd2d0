// Gateway API in the join: istiod's translation of the context's Gateway API objects, its VirtualServices as
// generated rules (the names Envoy's route metadata carries), each rule linked back to the route rule and each
// destination to the backendRef it came from. joinEnvoy then links Envoy routes and clusters to them as to any rule.
import { isGatewayApiObject } from '../model/gateway-api.js';
import type { KubeObject, LoadedObject, VirtualServiceSpec } from '../model/resources.js';
import { translateGatewayApi } from './gateway-api/translate.js';
import type { GeneratedConfig, SourceLink } from './gateway-api/model.js';
import { buildRule } from './join-intent.js';
import type { ContextIndex, GeneratedVirtualServiceSet } from './indexes.js';
import type { MeshGraph } from './graph.js';
import type { GatewayBinding, RuleProtocol, VirtualServiceModel } from './objects.js';
import { objectId } from './objects.js';
import { flat } from './tree-nodes.js';

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);

/** The tree node id of a route rule: `${context}/${kind}/${namespace}/${name}/rules[i]`. */
export function routeRuleId(context: string, kind: string, namespace: string, name: string, rule: number): string {
  return `${context}/${kind}/${namespace}/${name}/rules[${rule}]`;
}

export function joinGatewayApi(ctx: ContextIndex, g: MeshGraph): void {
  const objects = ctx.snapshot.objects;
  let any = false;
  for (const lo of objects) if (lo?.obj?.kind && isGatewayApiObject(lo.obj)) { any = true; break; }
  if (!any) return;
  const t = translateGatewayApi(objects.map((o) => o.obj), { domainSuffix: 'cluster.local' });
  ctx.gatewayApi = t;
  const routes = new Map<string, LoadedObject>();
  for (const lo of objects) {
    const o = lo?.obj;
    if (o?.kind && ROUTE_KINDS.has(o.kind) && isGatewayApiObject(o)) routes.set(`${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, lo);
  }
  ctx.generated = new GeneratedSet(t.configs.filter((c) => c.kind === 'VirtualService'), (cfg) => generatedVirtualService(ctx, cfg, routes, g));
}

class GeneratedSet implements GeneratedVirtualServiceSet {
  private readonly slots: (VirtualServiceModel | undefined)[];
  private readonly index = new Map<string, number>();
  private complete = false;

  constructor(private readonly configs: GeneratedConfig[], private readonly build: (cfg: GeneratedConfig) => VirtualServiceModel) {
    this.slots = new Array(configs.length);
    configs.forEach((c, i) => this.index.set(`${c.name}.${c.namespace}`, i));
  }

  private at(i: number): VirtualServiceModel {
    return this.slots[i] ??= this.build(this.configs[i]!);
  }

  get(key: string): VirtualServiceModel | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.at(i);
  }

  all(): VirtualServiceModel[] {
    if (!this.complete) {
      for (let i = 0; i < this.configs.length; i++) this.at(i);
      this.complete = true;
    }
    return this.slots as VirtualServiceModel[];
  }

  built(): VirtualServiceModel[] {
    return this.slots.filter((v): v is VirtualServiceModel => v !== undefined);
  }

  l4(): VirtualServiceModel[] {
    const out: VirtualServiceModel[] = [];
    this.configs.forEach((c, i) => { if (c.spec.tcp || c.spec.tls) out.push(this.at(i)); });
    return out;
  }
}

function generatedVirtualService(ctx: ContextIndex, cfg: GeneratedConfig, routes: Map<string, LoadedObject>, g: MeshGraph): VirtualServiceModel {
  const spec = cfg.spec as VirtualServiceSpec;
  const first = cfg.sources[0];
  const firstLoaded = first ? routes.get(`${first.kind}/${first.namespace}/${first.name}`) : undefined;
  const obj: KubeObject<VirtualServiceSpec> = {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
    metadata: { name: cfg.name, namespace: cfg.namespace, annotations: cfg.annotations }, spec,
  };
  const gateways: GatewayBinding[] = (spec.gateways ?? []).map((written) => written === 'mesh'
    ? { written, mesh: true, hosts: spec.hosts ?? [] }
    : { written, mesh: false, namespace: written.split('/')[0], name: written.split('/')[1], hosts: spec.hosts ?? [] });
  const vs: VirtualServiceModel = {
    id: flat(objectId(ctx.name, 'VirtualService', cfg.namespace, cfg.name)),
    ref: { context: ctx.name, kind: 'VirtualService', namespace: cfg.namespace, name: cfg.name },
    context: ctx.name, kind: 'VirtualService', namespace: cfg.namespace, name: cfg.name, labels: {},
    loaded: { obj, origin: firstLoaded?.origin ?? { context: ctx.name } },
    hosts: spec.hosts ?? [], gateways, mesh: gateways.some((b) => b.mesh), rules: [],
    generatedFrom: cfg.sources.map((s) => ({ kind: s.kind, namespace: s.namespace, name: s.name })),
  };
  const links = cfg.routeLinks ?? [];
  for (const protocol of ['http', 'tcp', 'tls'] as RuleProtocol[]) {
    const list = spec[protocol] ?? [];
    const names = new Map<string, number>();
    for (const r of list) if (r.name) names.set(r.name, (names.get(r.name) ?? 0) + 1);
    list.forEach((r, i) => {
      const rule = buildRule(ctx, vs, protocol, r, i, names.get(r.name ?? '') === 1, g);
      const link = links[i];
      if (link) linkToRoute(ctx, rule, link, routes);
      vs.rules.push(rule);
    });
  }
  return vs;
}

function linkToRoute(ctx: ContextIndex, rule: VirtualServiceModel['rules'][number], link: SourceLink, routes: Map<string, LoadedObject>): void {
  const loaded = routes.get(`${link.kind}/${link.namespace}/${link.name}`);
  if (!loaded || link.rule === undefined) return;
  rule.source = {
    loaded, kind: link.kind, namespace: link.namespace, name: link.name, rule: link.rule, match: link.match,
    id: routeRuleId(ctx.name, link.kind, link.namespace, link.name, link.rule),
  };
  rule.path = `spec.rules[${link.rule}]`;
  for (const d of rule.destinations) {
    if (d.mirror) continue;
    const j = link.backendRefs?.[d.index];
    if (j === undefined) continue;
    d.backendRef = j;
    d.path = `spec.rules[${link.rule}].backendRefs[${j}]`;
    // A backend istiod cannot find is the route status' to report (BackendNotFound), not a VirtualService host.
    d.problems = d.problems.filter((p) => p.code !== 'IST0101');
  }
}
