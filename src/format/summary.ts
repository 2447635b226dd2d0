// The loaded mesh as a summary: contexts, namespaces, each resource with its key facts, proxy dumps and load issues.
// Text for people (`meshscope summary`) and a document for scripts (`summary -o json|yaml`).
import { formatLoadIssue, type ContextSnapshot, type LoadIssue, type MeshInput, type ProxyDump } from '../model/context.js';
import type {
  DestinationRuleSpec, GatewaySpec, KubeObject, LoadedObject, PodSpec, RouteDestination, ServiceEntrySpec, ServiceSpec,
  SidecarSpec, VirtualServiceSpec, WorkloadEntrySpec,
} from '../model/resources.js';
import { sanitizeLine } from '../core/sanitize.js';

/** Display order of kinds inside a namespace: traffic intent first, then workloads, then everything else by name. */
const KIND_ORDER = [
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'WorkloadEntry', 'WorkloadGroup', 'EnvoyFilter',
  'Service', 'Pod', 'EndpointSlice',
];
const CLUSTER_SCOPED = '(cluster-scoped)';

export function formatSummary(mesh: MeshInput, opts: { limit?: number } = {}): string[] {
  const limit = opts.limit ?? 50;
  const out: string[] = [];
  if (mesh.contexts.length === 0) out.push('no contexts loaded');
  for (const ctx of mesh.contexts) {
    if (out.length > 0) out.push('');
    formatContext(ctx, limit, out);
  }
  return out;
}

function formatContext(ctx: ContextSnapshot, limit: number, out: string[]): void {
  const byNs = new Map<string, LoadedObject[]>();
  const nsObjects = new Map<string, KubeObject>();
  for (const o of ctx.objects) {
    if (o.obj.kind === 'Namespace') {
      nsObjects.set(o.obj.metadata.name, o.obj);
      if (!byNs.has(o.obj.metadata.name)) byNs.set(o.obj.metadata.name, []);
      continue;
    }
    const ns = o.obj.metadata.namespace || CLUSTER_SCOPED;
    const list = byNs.get(ns) ?? [];
    list.push(o);
    byNs.set(ns, list);
  }
  const namespaces = [...byNs.keys()].sort((a, b) => (a === CLUSTER_SCOPED ? 1 : b === CLUSTER_SCOPED ? -1 : a.localeCompare(b)));
  const source = sourceText(ctx);
  const head = [`context ${s(ctx.name)}`, ctx.status + (ctx.reason ? ` (${s(ctx.reason)})` : ''),
    `${count(ctx.objects.length, 'object')} in ${count(namespaces.filter((n) => n !== CLUSTER_SCOPED).length, 'namespace')}`,
    count(ctx.proxies.length, 'proxy dump'), s(source)];
  out.push(head.join('  ·  '));
  if (ctx.absent?.length) out.push(`  absent: ${ctx.absent.map(s).join('; ')}`);

  for (const ns of namespaces) {
    const objs = byNs.get(ns) ?? [];
    const nsObj = nsObjects.get(ns);
    const labels = nsObj ? meshLabels(nsObj.metadata.labels) : '';
    out.push(`  namespace ${s(ns)}${labels ? `  ${labels}` : ''}  (${kindCounts(objs)})`);
    const kinds = groupByKind(objs);
    for (const [kind, list] of kinds) {
      const shown = limit > 0 ? list.slice(0, limit) : list;
      const nameWidth = Math.min(40, Math.max(...shown.map((o) => s(o.obj.metadata.name).length)));
      for (const o of shown) {
        const f = keyFacts(o.obj);
        out.push(`    ${s(kind).padEnd(16)} ${s(o.obj.metadata.name).padEnd(nameWidth)}${f ? `  ${f}` : ''}`);
      }
      if (shown.length < list.length) out.push(`    ${''.padEnd(16)} and ${list.length - shown.length} more ${s(kind)} objects (--limit 0 shows all)`);
    }
  }

  if (ctx.proxies.length > 0) {
    out.push('  proxy dumps');
    for (const p of sortedProxies(ctx)) {
      const parts = dumpsOf(p).join(', ');
      out.push(`    ${s(`${p.namespace}/${p.pod}`)}  ${p.error ? `unreadable: ${s(p.error)}` : parts}`);
    }
  }
  if (ctx.issues.length > 0) {
    out.push(`  load issues (${ctx.issues.length})`);
    for (const i of ctx.issues) out.push(`    ${s(formatLoadIssue(i))}`);
  }
}

function groupByKind(objs: LoadedObject[]): [string, LoadedObject[]][] {
  const m = new Map<string, LoadedObject[]>();
  for (const o of objs) {
    const list = m.get(o.obj.kind) ?? [];
    list.push(o);
    m.set(o.obj.kind, list);
  }
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  for (const list of m.values()) list.sort((a, b) => a.obj.metadata.name.localeCompare(b.obj.metadata.name));
  return [...m.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function kindCounts(objs: LoadedObject[]): string {
  if (objs.length === 0) return 'no objects';
  return groupByKind(objs).map(([k, l]) => `${l.length} ${l.length === 1 ? s(k) : plural(s(k))}`).join(', ');
}

/** One line of the facts an operator looks for first, per kind. */
export function keyFacts(obj: KubeObject): string {
  const spec: unknown = obj.spec ?? {};
  const parts: string[] = [];
  switch (obj.kind) {
    case 'VirtualService': {
      const vs = spec as VirtualServiceSpec;
      parts.push(`hosts ${list(vs.hosts)}`);
      if (vs.gateways?.length) parts.push(`gateways ${list(vs.gateways)}`);
      for (const [proto, rules] of [['http', vs.http], ['tcp', vs.tcp], ['tls', vs.tls]] as const) {
        (rules ?? []).forEach((r, i) => {
          let rule = `${proto}[${i}]${r.name ? ` ${s(r.name)}` : ''} → ${destinations(r)}`;
          if (proto === 'http' && 'mirror' in r && r.mirror) {
            const pct = r.mirrorPercentage?.value ?? r.mirrorPercent;
            rule += ` (mirror ${s(r.mirror.host)}${r.mirror.subset ? ` ${s(r.mirror.subset)}` : ''}${pct !== undefined ? ` ${pct}%` : ''})`;
          }
          parts.push(rule);
        });
      }
      break;
    }
    case 'DestinationRule': {
      const dr = spec as DestinationRuleSpec;
      parts.push(`host ${s(dr.host ?? '')}`);
      if (dr.subsets?.length) parts.push(`subsets ${dr.subsets.map((x) => `${s(x.name)}${x.labels ? ` (${labels(x.labels)})` : ''}`).join(', ')}`);
      const tls = dr.trafficPolicy?.tls?.mode;
      if (typeof tls === 'string') parts.push(`tls ${s(tls)}`);
      break;
    }
    case 'Gateway': {
      const gw = spec as GatewaySpec;
      if (gw.selector) parts.push(`selector ${labels(gw.selector)}`);
      for (const srv of gw.servers ?? []) {
        parts.push(`${s(String(srv.port?.number ?? '?'))}/${s(srv.port?.protocol ?? '?')} ${list(srv.hosts)}${srv.tls?.mode ? ` tls ${s(srv.tls.mode)}` : ''}`);
      }
      break;
    }
    case 'ServiceEntry': {
      const se = spec as ServiceEntrySpec;
      parts.push(`hosts ${list(se.hosts)}`);
      if (se.addresses?.length) parts.push(`addresses ${list(se.addresses)}`);
      parts.push([se.location, se.resolution].filter(Boolean).map((x) => s(String(x))).join(' '));
      if (se.ports?.length) parts.push(`ports ${se.ports.map((p) => `${p.number}/${s(p.protocol ?? '?')}`).join(', ')}`);
      if (se.endpoints?.length) parts.push(`endpoints ${se.endpoints.map(endpoint).join(', ')}`);
      break;
    }
    case 'Sidecar': {
      const sc = spec as SidecarSpec;
      if (sc.workloadSelector?.labels) parts.push(`selector ${labels(sc.workloadSelector.labels)}`);
      for (const e of sc.egress ?? []) parts.push(`egress ${list(e.hosts)}`);
      if (sc.outboundTrafficPolicy?.mode) parts.push(`outbound ${s(sc.outboundTrafficPolicy.mode)}`);
      break;
    }
    case 'WorkloadEntry':
      parts.push(endpoint(spec as WorkloadEntrySpec));
      break;
    case 'Service': {
      const svc = spec as ServiceSpec;
      parts.push(`${s(svc.type ?? 'ClusterIP')} ${s(svc.clusterIP ?? '')}`.trim());
      const lb = (obj.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress;
      if (lb?.length) parts.push(`external ${lb.map((x) => s(x.ip ?? x.hostname ?? '')).join(', ')}`);
      if (svc.ports?.length) parts.push(`ports ${svc.ports.map((p) => `${p.name ? `${s(p.name)} ` : ''}${p.port}/${s(p.protocol ?? 'TCP')}`).join(', ')}`);
      if (svc.selector) parts.push(`selector ${labels(svc.selector)}`);
      break;
    }
    case 'Pod': {
      const st = (obj.status ?? {}) as { phase?: string; podIP?: string };
      parts.push([st.phase, st.podIP].filter(Boolean).map((x) => s(String(x))).join(' '));
      const l = obj.metadata.labels ?? {};
      const keyLabels = Object.fromEntries(['app', 'version'].filter((k) => l[k] !== undefined).map((k) => [k, l[k]]));
      if (Object.keys(keyLabels).length) parts.push(labels(keyLabels));
      const containers = (spec as PodSpec).containers ?? [];
      if (containers.some((c) => c.name === 'istio-proxy')) parts.push('istio-proxy');
      break;
    }
    case 'EndpointSlice': {
      const svc = obj.metadata.labels?.['kubernetes.io/service-name'];
      if (svc) parts.push(`service ${s(svc)}`);
      const eps = (obj.endpoints ?? []) as { addresses?: string[]; conditions?: { ready?: boolean } }[];
      if (eps.length) parts.push(eps.map((e) => `${list(e.addresses)}${e.conditions?.ready === false ? ' (not ready)' : ''}`).join(', '));
      break;
    }
  }
  return parts.filter(Boolean).join('  ·  ');
}

function destinations(rule: { route?: RouteDestination[]; redirect?: unknown; directResponse?: unknown; delegate?: { name?: string } }): string {
  const route = rule.route;
  if (!route?.length) {
    if (rule.redirect) return 'redirect';
    if (rule.directResponse) return 'direct response';
    if (rule.delegate) return `delegate ${s(rule.delegate.name ?? '?')}`;
    return 'no destination';
  }
  return route
    .map((r) => `${s(r.destination?.host ?? '?')}${r.destination?.subset ? ` ${s(r.destination.subset)}` : ''}${r.destination?.port?.number ? `:${r.destination.port.number}` : ''}${r.weight !== undefined ? ` ${r.weight}%` : ''}`)
    .join(', ');
}

function endpoint(e: WorkloadEntrySpec): string {
  const ports = e.ports ? ` ports ${Object.entries(e.ports).map(([k, v]) => `${s(k)}=${v}`).join(',')}` : '';
  const l = e.labels ? ` ${labels(e.labels)}` : '';
  return `${s(e.address ?? '?')}${ports}${l}`;
}

function meshLabels(l: Record<string, string> | undefined): string {
  if (!l) return '';
  const keep = Object.entries(l).filter(([k]) => k === 'istio-injection' || k === 'istio.io/rev' || k === 'istio.io/dataplane-mode');
  return keep.map(([k, v]) => `${s(k)}=${s(String(v))}`).join(' ');
}

function labels(l: Record<string, string>): string {
  return Object.entries(l).map(([k, v]) => `${s(k)}=${s(String(v))}`).join(',');
}

function list(xs: string[] | undefined): string {
  return xs?.length ? xs.map((x) => s(String(x))).join(', ') : '(none)';
}

function plural(kind: string): string {
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(?:s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  return `${kind}s`;
}

function count(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

const s = (x: string | undefined) => sanitizeLine(x ?? '');

export interface SummaryObject { kind: string; apiVersion?: string; name: string; facts: string }
export interface SummaryNamespace { name: string; labels: Record<string, string>; objects: SummaryObject[] }
export interface SummaryContext {
  name: string;
  status: string;
  reason?: string;
  source: string;
  istioVersion?: string;
  absent: string[];
  stale?: string;
  objects: number;
  namespaces: SummaryNamespace[];
  clusterScoped: SummaryObject[];
  proxies: { namespace: string; pod: string; dumps: string[]; error?: string }[];
  ztunnels: number;
  loadIssues: LoadIssue[];
}

/** The summary as data (every object, no limit): for `summary -o json|yaml`. Strings are left as loaded; JSON escapes them. */
export function summaryDocument(mesh: MeshInput): { contexts: SummaryContext[] } {
  return { contexts: mesh.contexts.map(contextDocument) };
}

function contextDocument(ctx: ContextSnapshot): SummaryContext {
  const namespaces = new Map<string, SummaryNamespace>();
  const clusterScoped: SummaryObject[] = [];
  const nsOf = (name: string) => {
    let ns = namespaces.get(name);
    if (!ns) namespaces.set(name, (ns = { name, labels: {}, objects: [] }));
    return ns;
  };
  for (const [, list] of groupByKind(ctx.objects)) {
    for (const o of list) {
      const m = o.obj.metadata;
      if (o.obj.kind === 'Namespace') {
        nsOf(m.name).labels = { ...(m.labels ?? {}) };
        continue;
      }
      const row: SummaryObject = { kind: o.obj.kind, apiVersion: o.obj.apiVersion, name: m.name, facts: keyFacts(o.obj) };
      if (m.namespace) nsOf(m.namespace).objects.push(row);
      else clusterScoped.push(row);
    }
  }
  return {
    name: ctx.name,
    status: ctx.status,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
    source: sourceText(ctx),
    ...(ctx.istioVersion ? { istioVersion: ctx.istioVersion } : {}),
    absent: ctx.absent ?? [],
    ...(ctx.stale ? { stale: ctx.stale.reason } : {}),
    objects: ctx.objects.length,
    namespaces: [...namespaces.values()].sort((a, b) => a.name.localeCompare(b.name)),
    clusterScoped,
    proxies: sortedProxies(ctx).map((p) => ({ namespace: p.namespace, pod: p.pod, dumps: dumpsOf(p), ...(p.error ? { error: p.error } : {}) })),
    ztunnels: ctx.ztunnels?.length ?? 0,
    loadIssues: ctx.issues,
  };
}

function sourceText(ctx: ContextSnapshot): string {
  return ctx.source.kind === 'snapshot' ? `snapshot ${ctx.source.path}` : `live ${ctx.source.server ?? ''}`.trim();
}

function sortedProxies(ctx: ContextSnapshot): ProxyDump[] {
  return [...ctx.proxies].sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`));
}

/** Which Envoy admin answers a proxy's dump holds. */
function dumpsOf(p: ProxyDump): string[] {
  return [p.configDump ? 'config_dump' : '', p.clusters ? 'clusters' : ''].filter(Boolean);
}
