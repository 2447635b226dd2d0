// virtualservice.DestinationHostAnalyzer: every route and mirror destination host must be a Service or
// ServiceEntry visible where the VirtualService is exported (IST0101), with a port that exists (IST0101
// host:port), and a port must be given when the service has several (IST0112).
import type { VirtualServiceSpec } from '../model/resources.js';
import { isExportedTo, isWildcard, toFqdn, type HostEntry } from '../mesh/hosts.js';
import type { Check, Finding } from './types.js';
import type { ContextIndex, HostInfo, AnalyzedObject } from './input.js';
import { mirrorDestinations, routeDestinations, type AnnotatedDestination } from './destinations.js';
import { report } from './report.js';

const NAME = 'virtualservice.DestinationHostAnalyzer';

export const vsDestinationHostCheck: Check = {
  name: NAME,
  description: 'a VirtualService routes or mirrors to a host or port that does not exist (or is not exported to it)',
  codes: [
    { code: 'IST0101', level: 'Error', summary: 'destination host, mirror host or host:port not found' },
    { code: 'IST0112', level: 'Error', summary: 'destination needs a port: the service exposes several' },
  ],
  run(input) {
    const out: Finding[] = [];
    for (const ctx of input.contexts) {
      const memo: Lookups = new Map();
      for (const vs of ctx.kind<VirtualServiceSpec>('VirtualService')) {
        for (const d of routeDestinations(vs.spec)) checkOne(ctx, memo, vs, d, 'host', out);
        for (const d of mirrorDestinations(vs.spec)) checkOne(ctx, memo, vs, d, 'mirror host', out);
      }
    }
    return out;
  },
};

/** lookupDestinationHost results of one context, by namespace + exportTo + host. */
type Lookups = Map<string, HostEntry<HostInfo> | undefined>;

function checkOne(ctx: ContextIndex, memo: Lookups, vs: AnalyzedObject<VirtualServiceSpec>, d: AnnotatedDestination, what: string, out: Finding[]): void {
  const host = d.destination.host ?? '';
  const exportTo = vs.spec.exportTo;
  const key = `${vs.namespace}\u0000${Array.isArray(exportTo) ? exportTo.join('\u0001') : ''}\u0000${host}`;
  let entry: HostEntry<HostInfo> | undefined;
  if (exportTo !== undefined && !Array.isArray(exportTo)) entry = lookupDestinationHost(ctx, vs.namespace, exportTo, host);
  else if (memo.has(key)) entry = memo.get(key);
  else { entry = lookupDestinationHost(ctx, vs.namespace, exportTo, host); memo.set(key, entry); }
  if (!entry) {
    out.push(report(NAME, vs, 'ReferencedResourceNotFound', [what, host], `${d.path}.host`));
    return;
  }
  const ports = entry.value.ports;
  const wanted = d.destination.port?.number;
  if (wanted === undefined || wanted === 0) {
    if (ports.length > 1) {
      out.push(report(NAME, vs, 'VirtualServiceDestinationPortSelectorRequired', [host, ports.map((p) => p.number)], d.path));
    }
    return;
  }
  if (!ports.some((p) => p.number === wanted)) {
    out.push(report(NAME, vs, 'ReferencedResourceNotFound', ['host:port', `${host}:${wanted}`], `${d.path}.port.number`));
  }
}

/**
 * The Service or ServiceEntry a destination host names, as seen from the namespaces the VirtualService is
 * exported to (its own namespace when it has no exportTo). Istio does not expand `name.namespace`.
 */
export function lookupDestinationHost(ctx: ContextIndex, vsNs: string, exportTo: readonly string[] | undefined, host: string): HostEntry<HostInfo> | undefined {
  if (!host) return undefined;
  const fqdn = toFqdn(host, vsNs);
  const viewers = !exportTo || exportTo.length === 0 ? [vsNs] : exportTo.map((e) => (e === '.' || e === '*' ? vsNs : e));
  for (const ns of new Set(viewers)) {
    if (isWildcard(fqdn)) {
      // A wildcard destination is served by a ServiceEntry wildcard that covers it.
      const w = ctx.wildcardHosts.find((e) => fqdn.slice(1).endsWith(e.host.slice(1)) && isExportedTo(e.exportTo, e.namespace, ns));
      if (w) return w;
      continue;
    }
    const r = ctx.hosts.resolve(fqdn, ns);
    if (r.entries.length > 0 && r.via !== 'kube-dns') return r.entries[0];
  }
  return undefined;
}
