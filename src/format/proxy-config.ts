// Text, JSON and YAML output of the proxy-config views, byte for byte as istioctl prints them.
import { sanitizeLine } from '../core/sanitize.js';
import { firstDefined } from '../model/envoy/describe.js';
import type { EnvoyEndpoint, ParsedDump } from '../model/envoy/types.js';
import {
  clusterRows, edsRows, filteredAssignments, listenerRows, routeRows, sortedClusters, sortedListeners, sortedRouteConfigs,
  matchesClusterFilter,
  type ClusterFilter, type ClusterRow, type EdsRow, type EndpointFilter, type EndpointRow, type ListenerFilter, type ListenerRow,
  type RouteFilter, type RouteRow,
} from '../model/envoy/views.js';
import { bootstrapSummary, secretRows, type BootstrapSummary, type EcdsRow, type SecretRow } from '../model/envoy/views-bootstrap-secrets.js';
import { TabWriter } from './tabwriter.js';
import { indentJson, stripAnyType, toJsonpb } from './jsonpb.js';
import { toGoYaml } from './goyaml.js';

export type OutputFormat = 'short' | 'json' | 'yaml';

/** A view's section is missing from the dump (istioctl's wording). */
export class MissingSectionError extends Error {}

const TYPE_PREFIX = 'type.googleapis.com/envoy.admin.v3.';

export function requireSection(parsed: ParsedDump, section: string): void {
  if (!parsed.sections.includes(section)) throw new MissingSectionError(`config dump has no configuration type ${TYPE_PREFIX}${section}`);
}

const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const s = (v: string | number | boolean): string => (typeof v !== 'string' ? String(v) : CONTROL.test(v) ? sanitizeLine(v) : v);

// ---------- text ----------
export function renderClusterTable(rows: ClusterRow[], all = false): string {
  const w = new TabWriter({ padding: 5 });
  if (all) w.row('NAME', 'SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE');
  else w.row('SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE');
  for (const r of rows) {
    const fqdn = all && !r.parsed ? `cluster/${r.name}` : r.fqdn;
    const cells = [s(fqdn), r.port, s(r.subset), s(r.direction), s(r.type), s(r.destinationRule)];
    if (all) w.row(s(`cluster/${r.name}`), ...cells);
    else w.row(...cells);
  }
  return w.flush();
}

export function renderListenerTable(rows: ListenerRow[], verbose = true, all = false): string {
  const w = new TabWriter({ padding: 1 });
  const head = verbose ? ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'] : ['ADDRESSES', 'PORT', 'TYPE'];
  w.row(...(all ? ['NAME', ...head] : head));
  for (const r of rows) {
    const cells = verbose ? [s(r.addresses), r.port, s(r.match), s(r.destination)] : [s(r.addresses), r.port, s(r.type)];
    if (all) w.row(s(`listener/${r.name}`), ...cells);
    else w.row(...cells);
  }
  return w.flush();
}

export function renderRouteTable(rows: RouteRow[], verbose = true, all = false): string {
  const w = new TabWriter({ padding: 5 });
  if (verbose) w.row('NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE');
  else w.row('NAME', 'VIRTUAL HOSTS');
  let last: unknown;
  for (const r of rows) {
    const name = s(all ? `route/${r.name}` : r.name);
    if (verbose) w.row(name, s(r.vhost), s(r.domains), s(r.match), s(r.virtualService));
    else if (r.routeConfig !== last) w.row(name, r.virtualHosts);
    last = r.routeConfig;
  }
  return w.flush();
}

export function renderEdsTable(rows: EdsRow[], all = false): string {
  const w = new TabWriter({ padding: 5 });
  w.row('NAME', 'STATUS', 'LOCALITY', 'CLUSTER');
  for (const r of rows) w.row(s(all ? `endpoint/${r.name}` : r.name), s(r.status), s(r.locality), s(r.cluster));
  return w.flush();
}

export function renderEndpointTable(rows: EndpointRow[]): string {
  const w = new TabWriter({ padding: 5 });
  w.row('ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER');
  for (const r of rows) w.row(s(r.endpoint), s(r.status), r.outlierCheck, s(r.cluster));
  return w.flush();
}

export function renderSecretTable(rows: SecretRow[], all = false): string {
  const w = new TabWriter({ padding: 5, tabwidth: 5 });
  if (rows.length === 0) return w.write('No active or warming secrets found.\n').flush();
  const withDomain = rows.every((r) => r.trustDomain);
  const head = ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'];
  w.row(...(withDomain ? [...head, 'TRUST DOMAIN'] : head));
  for (const r of rows) {
    const cells = [s(all ? `secret/${r.name}` : r.name), r.type, r.state, r.valid, r.serialNumber, r.notAfter, r.notBefore];
    w.row(...(withDomain ? [...cells, s(r.trustDomain ?? '')] : cells));
  }
  return w.flush();
}

export function renderBootstrapSummary(b: BootstrapSummary): string {
  const w = new TabWriter({ padding: 1 });
  w.row('Istio Version:', s(b.istioVersion));
  w.row('Istio Proxy Version:', s(b.istioProxyVersion));
  w.row('Envoy Version:', s(b.envoyVersion));
  return w.flush();
}

export function renderEcdsTable(rows: EcdsRow[]): string {
  const w = new TabWriter({ padding: 5 });
  w.row('ECDS NAME', 'TYPE');
  for (const r of rows) w.row(s(r.name), s(r.type));
  return w.flush();
}

export interface AllOptions { withHeaders?: boolean; now?: Date }

/** `pc all -o short`: bootstrap summary, clusters, listeners, routes, secrets and endpoints; missing sections are skipped. */
export function renderAll(parsed: ParsedDump, opts: AllOptions = {}): string {
  const parts: string[] = [];
  const add = (title: string, section: string, body: () => string): void => {
    if (!parsed.sections.includes(section)) return;
    parts.push((opts.withHeaders ? `------ ${title} INFO ------\n\n` : '') + body());
  };
  add('BOOTSTRAP', 'BootstrapConfigDump', () => renderBootstrapSummary(bootstrapSummary(parsed)));
  add('CLUSTER', 'ClustersConfigDump', () => renderClusterTable(clusterRows(parsed), true));
  add('LISTENER', 'ListenersConfigDump', () => renderListenerTable(listenerRows(parsed), true, true));
  add('ROUTE', 'RoutesConfigDump', () => renderRouteTable(routeRows(parsed), true, true));
  add('SECRET', 'SecretsConfigDump', () => renderSecretTable(secretRows(parsed, opts.now ?? new Date()), true));
  add('ENDPOINTS', 'EndpointsConfigDump', () => renderEdsTable(edsRows(parsed), true));
  return parts.join('\n');
}

// ---------- json / yaml ----------
/** istioctl prints YAML with Println, so it ends with a blank line. */
export function formatData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? indentJson(data) : toGoYaml(data) + '\n';
}

/** `pc endpoint -o json|yaml`: the whole ClusterStatus objects. */
export function formatEndpointData(statuses: unknown[], format: 'json' | 'yaml'): string {
  return formatData(statuses.map((x) => toJsonpb(x)), format);
}

const asJsonpb = (raw: unknown): unknown => toJsonpb(stripAnyType(raw));

export function clusterData(parsed: ParsedDump, filter: ClusterFilter = {}): unknown[] {
  return sortedClusters(parsed).filter((c) => matchesClusterFilter(c.name, filter)).map((c) => asJsonpb(c.raw));
}

export function listenerData(parsed: ParsedDump, filter: ListenerFilter = {}): unknown[] {
  return sortedListeners(parsed, filter).map((l) => asJsonpb(l.raw));
}

export function routeData(parsed: ParsedDump, filter: RouteFilter = {}): unknown[] {
  return sortedRouteConfigs(parsed).filter((rc) => !filter.name || rc.name === filter.name).map((rc) => asJsonpb(rc.raw));
}

/** Filtered ClusterLoadAssignments: only matching lb endpoints, locality groups left empty are dropped. */
export function edsData(parsed: ParsedDump, filter: EndpointFilter = {}): unknown[] {
  return filteredAssignments(parsed, filter).map(({ assignment, endpoints }) => {
    const raw = assignment.raw as Record<string, any>;
    if (endpoints.length === assignment.endpoints.length) return asJsonpb(raw);
    const keep = new Set<EnvoyEndpoint>(endpoints);
    let k = 0;
    const groups: unknown[] = [];
    for (const g of raw.endpoints ?? []) {
      const lbKey = g.lb_endpoints !== undefined ? 'lb_endpoints' : 'lbEndpoints';
      const lbs = (firstDefined(g, 'lb_endpoints', 'lbEndpoints') ?? []).filter(() => keep.has(assignment.endpoints[k++]));
      if (lbs.length > 0) groups.push({ ...g, [lbKey]: lbs });
    }
    return asJsonpb({ ...raw, endpoints: groups });
  });
}

export function ecdsData(parsed: ParsedDump): unknown {
  return { ecdsFilters: (parsed.ecdsFilters ?? []).map((f) => toJsonpb(f.raw)) };
}

export function secretData(parsed: ParsedDump): unknown {
  const sections = (parsed.raw?.configs ?? []).filter((c: Record<string, unknown>) => String(c['@type'] ?? '').endsWith('.SecretsConfigDump'));
  return sections.length === 1 ? asJsonpb(sections[0]) : sections.map(asJsonpb);
}

export function bootstrapData(parsed: ParsedDump): unknown {
  return asJsonpb(parsed.bootstrapSection ?? {});
}
