// Fuzzy search over every node: a cheap subsequence pre-filter (incremental while the query grows), then Fuse.js
// ranks what is left. Extended search stays off: `|` means OR there, and Envoy cluster names contain `|`.
import Fuse from 'fuse.js';
import type { NodeKind, TreeNode } from '../mesh/tree-types.js';
import { sanitizeLine } from '../util/sanitize.js';

interface Item {
  node: TreeNode;
  label: string;
  /** Lower-cased label + detail + searchText + context: what the pre-filter scans. */
  hay: string;
}

export interface SearchResult {
  query: string;
  /** Matching node ids, best first. */
  ids: string[];
  /** Item positions that passed the pre-filter (reused when the query grows). */
  candidates: number[];
}

/** Most useful first when Fuse scores tie (e.g. "rev": the reviews VirtualService before its pods). */
const KIND_RANK: Partial<Record<NodeKind, number>> = {
  VirtualService: 0, Gateway: 1, ServiceEntry: 2, DestinationRule: 3, Service: 4, context: 5, namespace: 6,
  rule: 7, destination: 8, subset: 9, Workload: 10, Pod: 11, 'envoy-cluster': 12, 'envoy-route': 13,
  'envoy-listener': 14, endpoint: 15, 'envoy-endpoint': 16,
};
const RANK_LIMIT = 500;

export function isSubsequence(q: string, hay: string): boolean {
  let pos = 0;
  for (let i = 0; i < q.length; i++) {
    const c = q[i]!;
    if (c === ' ') continue;
    const at = hay.indexOf(c, pos);
    if (at < 0) return false;
    pos = at + 1;
  }
  return true;
}

export class SearchIndex {
  private readonly items: Item[];

  constructor(nodes: TreeNode[]) {
    this.items = nodes
      // References to an object shown elsewhere (linkTo on a non-link node) would only repeat their target.
      .filter((n) => n.kind !== 'group' && n.kind !== 'proxy-view' && !(n.linkTo && n.kind !== 'link'))
      .map((n) => {
        // What the user sees (control sequences stripped) is what they type.
        const label = sanitizeLine(n.label).toLowerCase();
        const hay = [label, sanitizeLine(n.detail ?? ''), sanitizeLine(n.searchText ?? ''), sanitizeLine(n.context ?? '')].join(' ').toLowerCase();
        return { node: n, label, hay };
      });
  }

  get size(): number {
    return this.items.length;
  }

  /** Pass the previous result to narrow incrementally when the new query extends it. */
  search(rawQuery: string, previous?: SearchResult): SearchResult {
    const query = rawQuery.trim().toLowerCase();
    if (query === '') return { query, ids: [], candidates: [] };
    const pool = previous && previous.query !== '' && query.startsWith(previous.query) ? previous.candidates : undefined;
    const candidates: number[] = [];
    if (pool) {
      for (const i of pool) if (isSubsequence(query, this.items[i]!.hay)) candidates.push(i);
    } else {
      for (let i = 0; i < this.items.length; i++) if (isSubsequence(query, this.items[i]!.hay)) candidates.push(i);
    }
    return { query, ids: this.rank(query, candidates), candidates };
  }

  private rank(query: string, candidates: number[]): string[] {
    if (query.length === 1) return this.cheapRank(query, candidates);
    let chosen = candidates;
    if (candidates.length > RANK_LIMIT) {
      // Too many for Fuse within a keystroke: keep label substrings, then any substring, then subsequences.
      const buckets: number[][] = [[], [], []];
      for (const i of candidates) {
        const it = this.items[i]!;
        const b = it.label.includes(query) ? 0 : it.hay.includes(query) ? 1 : 2;
        if (buckets[b]!.length < RANK_LIMIT) buckets[b]!.push(i);
      }
      chosen = buckets.flat().slice(0, RANK_LIMIT);
    }
    const list = chosen.map((i) => this.items[i]!);
    const fuse = new Fuse(list, {
      keys: [{ name: 'label', weight: 3 }, { name: 'hay', weight: 1 }],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.6,
      useExtendedSearch: false,
    });
    const found = fuse.search(query);
    const seen = new Set<TreeNode>();
    const scored = found.map((r) => {
      seen.add(r.item.node);
      const exact = r.item.label.includes(query) ? 0 : 1;
      return { item: r.item, key: [exact, Math.round((r.score ?? 1) * 20), rankOf(r.item.node), r.item.label.length] };
    });
    scored.sort((a, b) => cmp(a.key, b.key));
    const ids = scored.map((s) => s.item.node.id);
    // Subsequence matches Fuse judged too weak still count, after the ranked ones.
    for (const it of list) if (!seen.has(it.node)) ids.push(it.node.id);
    return ids;
  }

  /** One character says little: label prefix first, then label, then anywhere; kind order within each. */
  private cheapRank(query: string, candidates: number[]): string[] {
    const buckets: Item[][] = [[], [], []];
    for (const i of candidates) {
      const it = this.items[i]!;
      buckets[it.label.startsWith(query) ? 0 : it.label.includes(query) ? 1 : 2]!.push(it);
    }
    const out: string[] = [];
    for (const b of buckets) {
      if (b.length <= RANK_LIMIT) b.sort((x, y) => rankOf(x.node) - rankOf(y.node) || x.label.length - y.label.length);
      for (const it of b) out.push(it.node.id);
    }
    return out;
  }
}

function rankOf(n: TreeNode): number {
  return KIND_RANK[n.kind] ?? 20;
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
