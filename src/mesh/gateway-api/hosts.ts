// Host name matching as istiod does it (pkg/config/host): a leading `*` is a wildcard for any suffix.

export function isWildcard(h: string): boolean {
  return h.startsWith('*');
}

/** Bidirectional match: true when some host could match both patterns. */
export function hostsMatch(a: string, b: string): boolean {
  const aw = isWildcard(a);
  const bw = isWildcard(b);
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** True when every host matched by `a` is matched by `b`. */
export function hostSubsetOf(a: string, b: string): boolean {
  if (isWildcard(b)) {
    if (isWildcard(a)) return b.length <= a.length && a.slice(1).endsWith(b.slice(1));
    return a.endsWith(b.slice(1));
  }
  if (isWildcard(a)) return false;
  return a === b;
}
