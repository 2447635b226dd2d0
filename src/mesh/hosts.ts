// Istio host resolution: short names, FQDNs, wildcards, exportTo visibility, `.global` hosts, and
// DestinationRule lookup. Pure; the join, the analyzers and the trace all call it.

export const DEFAULT_DOMAIN = 'cluster.local';
export const ROOT_NAMESPACE = 'istio-system';
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isWildcard(host: string): boolean {
  return host.startsWith('*');
}

export function isIpAddress(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

/**
 * Istio's ResolveShortnameToFQDN: a name without a dot gets `.<namespace>.svc.<domain>`; anything with a dot,
 * `*`, and IP addresses stay as written. (`reviews` in namespace default → reviews.default.svc.cluster.local.)
 */
export function toFqdn(host: string, namespace: string, domain = DEFAULT_DOMAIN): string {
  if (!host || host === '*' || isIpAddress(host) || host.includes('.')) return host;
  return `${host}.${namespace}.svc.${domain}`;
}

/** The Kubernetes Service host: name.ns.svc.cluster.local */
export function serviceHost(name: string, namespace: string, domain = DEFAULT_DOMAIN): string {
  return `${name}.${namespace}.svc.${domain}`;
}

/**
 * The FQDN a partial Kubernetes name would mean to kube-dns (`name.ns`, `name.ns.svc`), if it has that shape.
 * Istio itself does not expand these; the join uses it only as a fallback and says so.
 */
export function kubeDnsExpansion(host: string, domain = DEFAULT_DOMAIN): string | undefined {
  const parts = host.split('.');
  if (parts.some((p) => p === '' || p.includes('*'))) return undefined;
  if (parts.length === 2) return `${parts[0]}.${parts[1]}.svc.${domain}`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.${domain}`;
  return undefined;
}

/** Istio host.Name.Matches: true when the two hosts (either may be a wildcard) have a non-empty intersection. */
export function hostsIntersect(a: string, b: string): boolean {
  const aw = isWildcard(a);
  const bw = isWildcard(b);
  if (aw && bw) {
    const as = a.slice(1);
    const bs = b.slice(1);
    return as.length < bs.length ? bs.endsWith(as) : as.endsWith(bs);
  }
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** Istio host.Name.SubsetOf: every name `a` matches is also matched by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (isWildcard(b)) {
    if (isWildcard(a)) return a.slice(1).endsWith(b.slice(1));
    return a.endsWith(b.slice(1));
  }
  return !isWildcard(a) && a === b;
}

/** The narrower of two intersecting hosts (the intersection itself), or undefined when they do not intersect. */
export function hostIntersection(a: string, b: string): string | undefined {
  if (!hostsIntersect(a, b)) return undefined;
  if (hostSubsetOf(a, b)) return a;
  return b;
}

/**
 * Most specific match of `host` among `candidates` (Istio's MostSpecificHostMatch): an exact match wins,
 * else the longest wildcard that matches.
 */
export function mostSpecificMatch(host: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const c of candidates) {
    if (c === host) return c;
    if (isWildcard(c) && hostsIntersect(host, c) && (isWildcard(host) ? hostSubsetOf(host, c) : true)) {
      if (best === undefined || c.length > best.length) best = c;
    }
  }
  return best;
}

export function isGlobalHost(host: string): boolean {
  return host.endsWith('.global');
}

/** `name.ns.global` → `name.ns.svc.cluster.local` (the service a `.global` host stands for in the remote cluster). */
export function globalToLocal(host: string, domain = DEFAULT_DOMAIN): string | undefined {
  if (!isGlobalHost(host) || isWildcard(host)) return undefined;
  const parts = host.slice(0, -'.global'.length).split('.');
  if (parts.length !== 2 || parts.some((p) => !p)) return undefined;
  return serviceHost(parts[0]!, parts[1]!, domain);
}

/**
 * exportTo visibility of an object in `ownerNs` to a client in `clientNs`.
 * Absent/empty = public ('*'); '.' = own namespace; '~' = nobody; else namespace names.
 */
export function isExportedTo(exportTo: readonly string[] | undefined, ownerNs: string, clientNs: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  for (const e of exportTo) {
    if (e === '*') return true;
    if (e === '.' && ownerNs === clientNs) return true;
    if (e === clientNs) return true;
  }
  return false;
}

/** Service exportTo lives in the `networking.istio.io/exportTo` annotation (comma separated). */
export function serviceExportTo(annotations: Record<string, string> | undefined): string[] | undefined {
  const v = annotations?.['networking.istio.io/exportTo'];
  if (!v) return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A Gateway server host `ns/host`: the namespace part restricts which VirtualService namespaces may bind. */
export interface GatewayHost { namespace: string; host: string }

export function parseGatewayHost(h: string, gatewayNs: string): GatewayHost {
  const i = h.indexOf('/');
  if (i < 0) return { namespace: '*', host: h };
  const ns = h.slice(0, i);
  return { namespace: ns === '.' ? gatewayNs : ns, host: h.slice(i + 1) };
}

/**
 * A VirtualService `spec.gateways` entry → `ns/name` (or 'mesh'). Short names resolve against the VirtualService's
 * namespace; `ns/name` and the legacy `name.ns` FQDN form keep their namespace.
 */
export function resolveGatewayRef(ref: string, vsNamespace: string): { mesh: true } | { mesh: false; namespace: string; name: string } {
  if (ref === 'mesh') return { mesh: true };
  const slash = ref.indexOf('/');
  if (slash >= 0) return { mesh: false, namespace: ref.slice(0, slash), name: ref.slice(slash + 1) };
  const dot = ref.indexOf('.');
  if (dot >= 0) return { mesh: false, namespace: ref.split('.')[1]!, name: ref.slice(0, dot) };
  return { mesh: false, namespace: vsNamespace, name: ref };
}

/** Label selector match: every selector label present with the same value. An empty selector matches everything. */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const k in selector) {
    if (labels?.[k] !== selector[k]) return false;
  }
  return true;
}

// ---- registries ----

export type HostKind = 'Service' | 'ServiceEntry';

export interface HostEntry<T = unknown> {
  /** The FQDN (or wildcard) the entry declares. */
  host: string;
  kind: HostKind;
  namespace: string;
  name: string;
  exportTo?: readonly string[];
  /** Whatever the caller wants back (the object, a model entity...). */
  value: T;
}

export interface HostResolution<T = unknown> {
  /** The host as written. */
  written: string;
  /** The FQDN it completes to in the referring namespace. */
  fqdn: string;
  /** Visible entries serving it: Services first, then ServiceEntries. Empty when unresolved. */
  entries: HostEntry<T>[];
  /** How it matched: exact, a wildcard ServiceEntry host, or the kube-DNS `name.ns` expansion. */
  via?: 'exact' | 'wildcard' | 'kube-dns';
  /** Entries that exist but are not exported to the referring namespace. */
  hidden: HostEntry<T>[];
  /** Why nothing (or something surprising) matched. */
  note?: string;
}

/** Services and ServiceEntries of one context, looked up by host with Istio's rules. */
export class HostRegistry<T = unknown> {
  private readonly exact = new Map<string, HostEntry<T>[]>();
  private readonly wildcards: HostEntry<T>[] = [];

  add(entry: HostEntry<T>): void {
    if (isWildcard(entry.host)) {
      this.wildcards.push(entry);
      return;
    }
    const list = this.exact.get(entry.host);
    if (list) list.push(entry);
    else this.exact.set(entry.host, [entry]);
  }

  /** Every entry declaring exactly this host (visibility ignored). */
  declared(host: string): HostEntry<T>[] {
    return isWildcard(host) ? this.wildcards.filter((e) => e.host === host) : (this.exact.get(host) ?? []);
  }

  hosts(): IterableIterator<string> {
    return this.exact.keys();
  }

  /** Resolve a host written in an object of `fromNamespace`. */
  resolve(written: string, fromNamespace: string, domain = DEFAULT_DOMAIN): HostResolution<T> {
    const fqdn = toFqdn(written, fromNamespace, domain);
    const res: HostResolution<T> = { written, fqdn, entries: [], hidden: [] };
    const exact = this.exact.get(fqdn);
    if (exact && take(res, exact, fromNamespace)) { res.via = 'exact'; return res; }
    if (!isWildcard(fqdn)) {
      let best: HostEntry<T>[] = [];
      let bestLen = -1;
      for (const w of this.wildcards) {
        if (!hostsIntersect(fqdn, w.host) || !isExportedTo(w.exportTo, w.namespace, fromNamespace)) continue;
        if (w.host.length > bestLen) { best = [w]; bestLen = w.host.length; }
        else if (w.host.length === bestLen) best.push(w);
      }
      if (best.length > 0) { res.entries = best; res.via = 'wildcard'; return res; }
      const expanded = kubeDnsExpansion(fqdn, domain);
      const viaDns = expanded ? this.exact.get(expanded) : undefined;
      if (viaDns && take(res, viaDns, fromNamespace)) {
        res.via = 'kube-dns';
        res.note = `"${written}" is not a registry host; Istio does not expand name.namespace (kube DNS would mean ${expanded})`;
        return res;
      }
    }
    if (res.hidden.length > 0) {
      const h = res.hidden[0]!;
      res.note = `host ${fqdn} exists (${h.kind} ${h.namespace}/${h.name}) but is not exported to namespace ${fromNamespace}`;
    } else {
      res.note = `no Service or ServiceEntry for host ${fqdn}`;
    }
    return res;
  }
}

/** Adds the visible entries of `list` to res.entries (Services first), the others to res.hidden. */
function take<T>(res: HostResolution<T>, list: HostEntry<T>[], fromNamespace: string): boolean {
  let mixed = false;
  for (const e of list) {
    if (isExportedTo(e.exportTo, e.namespace, fromNamespace)) {
      if (res.entries.length > 0 && res.entries[0]!.kind !== e.kind) mixed = true;
      res.entries.push(e);
    } else res.hidden.push(e);
  }
  if (mixed) res.entries.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'Service' ? -1 : 1));
  return res.entries.length > 0;
}

export interface DestinationRuleEntry<T = unknown> {
  /** The DR's host, completed to an FQDN against the DR's namespace. */
  host: string;
  namespace: string;
  name: string;
  exportTo?: readonly string[];
  value: T;
}

export type DestinationRuleScope = 'client-namespace' | 'service-namespace' | 'root-namespace';

export interface DestinationRuleMatch<T = unknown> {
  /** All rules of the winning namespace for the most specific host (Istio merges them, first wins on conflicts). */
  rules: DestinationRuleEntry<T>[];
  scope: DestinationRuleScope;
  /** The DR host that matched (may be a wildcard). */
  host: string;
}

/**
 * DestinationRules of one context, looked up per host as Istio's PushContext.destinationRule does:
 * the client's namespace first (private and public rules), then rules exported from the service's namespace,
 * then rules exported from the root namespace (istio-system), which apply mesh-wide.
 */
export class DestinationRuleIndex<T = unknown> {
  private readonly byNs = new Map<string, Map<string, DestinationRuleEntry<T>[]>>();
  private readonly wildcardByNs = new Map<string, string[]>();

  constructor(readonly rootNamespace = ROOT_NAMESPACE) {}

  add(e: DestinationRuleEntry<T>): void {
    let m = this.byNs.get(e.namespace);
    if (!m) { m = new Map(); this.byNs.set(e.namespace, m); }
    const list = m.get(e.host);
    if (list) list.push(e);
    else {
      m.set(e.host, [e]);
      if (isWildcard(e.host)) {
        const w = this.wildcardByNs.get(e.namespace);
        if (w) w.push(e.host);
        else this.wildcardByNs.set(e.namespace, [e.host]);
      }
    }
  }

  private inNamespace(ns: string, host: string, clientNs: string): DestinationRuleMatch<T>['rules'] | undefined {
    const m = this.byNs.get(ns);
    if (!m) return undefined;
    let key: string | undefined = m.has(host) ? host : undefined;
    if (!key) {
      const w = this.wildcardByNs.get(ns);
      if (w) key = mostSpecificMatch(host, w);
    }
    if (!key) return undefined;
    const all = m.get(key)!;
    let visible = true;
    for (const r of all) if (!isExportedTo(r.exportTo, r.namespace, clientNs)) visible = false;
    if (visible) return all;
    const rules = all.filter((r) => isExportedTo(r.exportTo, r.namespace, clientNs));
    return rules.length > 0 ? rules : undefined;
  }

  /** The rule(s) a client in `clientNs` gets for `host`, whose Service/ServiceEntry lives in `serviceNs`. */
  lookup(host: string, clientNs: string, serviceNs?: string): DestinationRuleMatch<T> | undefined {
    // Order: client namespace (unless root), service namespace, client namespace when it is the root, root namespace.
    const root = this.rootNamespace;
    if (clientNs !== root) {
      const hit = this.match(clientNs, 'client-namespace', host, clientNs);
      if (hit) return hit;
    }
    if (serviceNs && serviceNs !== clientNs && serviceNs !== root) {
      const hit = this.match(serviceNs, 'service-namespace', host, clientNs);
      if (hit) return hit;
    }
    return this.match(root, 'root-namespace', host, clientNs);
  }

  private match(ns: string, scope: DestinationRuleScope, host: string, clientNs: string): DestinationRuleMatch<T> | undefined {
    const rules = this.inNamespace(ns, host, clientNs);
    return rules ? { rules, scope, host: rules[0]!.host } : undefined;
  }

  /** Every rule declared for exactly this host in any namespace (for duplicate checks). */
  declared(host: string): DestinationRuleEntry<T>[] {
    const out: DestinationRuleEntry<T>[] = [];
    for (const m of this.byNs.values()) out.push(...(m.get(host) ?? []));
    return out;
  }
}
