// Trust domain migration: a principal `<td>/ns/<ns>/sa/<sa>` whose trust domain is the local one, an alias or
// `cluster.local` stands for the same identity in every trust domain of the bundle.

export interface TrustDomainBundle { trustDomains: string[] }

export function trustDomainBundle(trustDomain: string | undefined, aliases: string[] = []): TrustDomainBundle {
  return { trustDomains: trustDomain ? [trustDomain, ...aliases] : [] };
}

/** `*x` matches names ending in x, `x*` names starting with x, `*` everything. */
function wildcardMatch(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return name.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

export function replaceTrustDomainAliases(bundle: TrustDomainBundle, principals: string[]): string[] {
  const out: string[] = [];
  for (const principal of principals) {
    const parts = principal.split('/');
    if (parts.length !== 5 || parts[0] === '*') { out.push(principal); continue; }
    const td = parts[0]!;
    if (!bundle.trustDomains.some((t) => wildcardMatch(td, t)) && td !== 'cluster.local') { out.push(principal); continue; }
    const forAliases: string[] = [];
    for (const t of bundle.trustDomains) {
      const next = td.startsWith('*') && t.endsWith(td.slice(1)) ? principal : [t, ...parts.slice(1)].join('/');
      if (!forAliases.includes(next)) forAliases.push(next);
    }
    out.push(...forAliases);
  }
  return out;
}

/** A trust domain in the bundle stands for every trust domain of the bundle. */
export function expandTrustDomains(bundle: TrustDomainBundle, values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const next = bundle.trustDomains.includes(v) ? bundle.trustDomains : [v];
    for (const n of next) if (!out.includes(n)) out.push(n);
  }
  return out;
}
