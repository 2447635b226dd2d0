// The indexes the translation looks things up in: Services, ServiceEntries, Namespaces, the service registry,
// ReferenceGrants and GatewayClasses, built once from the loaded objects.
import type { LabelSelector, ReferenceGrantSpec } from '../../model/gateway-api.js';
import { apiGroup, isGatewayApiObject } from '../../model/gateway-api.js';
import type { InputObject, RegistryService, TranslateOptions } from './model.js';

export const GW_GROUP = 'gateway.networking.k8s.io';

export interface TranslateContext {
  domainSuffix: string;
  alpha: boolean;
  services: Map<string, InputObject>;
  serviceEntries: Map<string, InputObject>;
  inferencePools: Map<string, InputObject>;
  xbackends: Map<string, InputObject>;
  /** ConfigMaps by "namespace/name" (CA bundles); Secrets are never read. */
  configMaps: Map<string, InputObject>;
  /** Namespaces whose ConfigMaps were loaded: only there is a missing ConfigMap known to be missing. */
  configMapNamespaces: Set<string>;
  configMapsComplete: boolean;
  /** ConfigMaps looked up one by one (live): only those are known missing when not loaded; namespaces say nothing. */
  configMapsChecked?: Set<string>;
  /** Namespace name → labels (kubernetes.io/metadata.name always set). */
  namespaces: Map<string, Record<string, string>>;
  registry: Map<string, RegistryService[]>;
  classes: Map<string, string>;
  grants: InputObject<ReferenceGrantSpec>[];
  byKind: Map<string, InputObject[]>;
}

const key = (o: InputObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/** Orders objects as istiod does: creationTimestamp, then namespace, then name. */
export function byCreation(a: InputObject, b: InputObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return Date.parse(ta || '1970-01-01T00:00:00Z') - Date.parse(tb || '1970-01-01T00:00:00Z');
  const na = a.metadata.namespace ?? '';
  const nb = b.metadata.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

function gatewayApiKindKey(o: InputObject): string | undefined {
  if (isGatewayApiObject(o)) return o.kind;
  const g = apiGroup(o.apiVersion);
  if (o.kind === 'InferencePool' && g.startsWith('inference.networking')) return 'InferencePool';
  return undefined;
}

export function buildContext(objects: InputObject[], opts: TranslateOptions): TranslateContext {
  const ctx: TranslateContext = {
    domainSuffix: opts.domainSuffix, alpha: opts.alphaGatewayApi ?? true,
    services: new Map(), serviceEntries: new Map(), inferencePools: new Map(), xbackends: new Map(), configMaps: new Map(), configMapNamespaces: new Set(), configMapsComplete: opts.configMapsComplete ?? false, namespaces: new Map(),
    ...(opts.configMapsChecked ? { configMapsChecked: new Set(opts.configMapsChecked) } : {}),
    registry: new Map(), classes: new Map(), grants: [], byKind: new Map(),
  };
  const addRegistry = (s: RegistryService) => {
    const l = ctx.registry.get(s.hostname);
    if (l) l.push(s); else ctx.registry.set(s.hostname, [s]);
  };
  // Entries of istiod's own registry come first: they win over those derived from Services.
  for (const s of opts.registry ?? []) addRegistry(s);
  for (const o of objects) {
    if (!o?.metadata?.name || o.kind === 'Secret') continue;
    const gk = gatewayApiKindKey(o);
    if (gk) {
      const l = ctx.byKind.get(gk);
      if (l) l.push(o); else ctx.byKind.set(gk, [o]);
      if (gk === 'GatewayClass') ctx.classes.set(o.metadata.name, String(o.spec?.controllerName ?? ''));
      if (gk === 'ReferenceGrant') ctx.grants.push(o);
      if (gk === 'InferencePool') ctx.inferencePools.set(key(o), o);
      if (gk === 'XBackend') ctx.xbackends.set(key(o), o);
      continue;
    }
    const g = apiGroup(o.apiVersion);
    if (o.kind === 'Service' && g === '') {
      ctx.services.set(key(o), o);
      const ns = o.metadata.namespace ?? 'default';
      addRegistry({
        hostname: `${o.metadata.name}.${ns}.svc.${opts.domainSuffix}`, namespace: ns, name: o.metadata.name,
        ports: (o.spec?.ports ?? []).map((p: { name?: string; port: number; protocol?: string }) => ({ name: p.name, port: p.port, protocol: p.protocol })),
        labels: o.metadata.labels, kubeService: true,
      });
    } else if (o.kind === 'ServiceEntry' && g === 'networking.istio.io') {
      ctx.serviceEntries.set(key(o), o);
      for (const h of (o.spec?.hosts ?? []) as string[]) {
        addRegistry({ hostname: h, namespace: o.metadata.namespace ?? 'default', ports: o.spec?.ports ?? [], labels: o.metadata.labels });
      }
    } else if (o.kind === 'ConfigMap' && g === '') {
      ctx.configMaps.set(key(o), o);
      ctx.configMapNamespaces.add(o.metadata.namespace ?? 'default');
    } else if (o.kind === 'Namespace' && g === '') {
      ctx.namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name });
    }
  }
  // Registry entries that are Kubernetes Services count as existing Services when none was loaded.
  for (const s of opts.registry ?? []) {
    if (!s.kubeService) continue;
    const suffix = `.${s.namespace}.svc.${opts.domainSuffix}`;
    if (!s.hostname.endsWith(suffix)) continue;
    const name = s.name ?? s.hostname.slice(0, -suffix.length);
    if (name.includes('.') || ctx.services.has(`${s.namespace}/${name}`)) continue;
    ctx.services.set(`${s.namespace}/${name}`, { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: s.namespace, labels: s.labels }, spec: { ports: s.ports ?? [] } });
  }
  for (const l of ctx.byKind.values()) l.sort(byCreation);
  return ctx;
}

export function objectsOf<Spec = any>(ctx: TranslateContext, kind: string): InputObject<Spec>[] {
  return (ctx.byKind.get(kind) ?? []) as InputObject<Spec>[];
}

/** The registry service for a host visible from a namespace, if any. */
export function lookupHostname(ctx: TranslateContext, hostname: string): RegistryService | undefined {
  return ctx.registry.get(hostname)?.[0];
}

/** Kubernetes label selector semantics (matchLabels and matchExpressions). */
export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !vals.includes(labels[e.key]!)) return false; break;
      case 'NotIn': if (has && vals.includes(labels[e.key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** ReferenceGrant check: may an object of fromKind in fromNs refer to toKind toNs/toName? */
export function referenceAllowed(ctx: TranslateContext, from: { group: string; kind: string; namespace: string }, to: { group: string; kind: string; namespace: string; name: string }): boolean {
  for (const g of ctx.grants) {
    if ((g.metadata.namespace ?? '') !== to.namespace) continue;
    const fromOk = (g.spec?.from ?? []).some((f) => (f.group ?? '') === from.group && f.kind === from.kind && f.namespace === from.namespace);
    if (!fromOk) continue;
    const toOk = (g.spec?.to ?? []).some((t) => (t.group ?? '') === to.group && t.kind === to.kind && (t.name === undefined || t.name === '' || t.name === to.name));
    if (toOk) return true;
  }
  return false;
}
