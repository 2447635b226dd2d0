// Fuzzy search over every node. One pass sorts the candidates into buckets (exact name, IP or Envoy cluster name;
// label prefix; label substring; substring elsewhere; subsequence only), incrementally while the query grows; Fuse.js
// ranks only the best few, never across the exact and prefix buckets. Identical rows (the same endpoint seen by
// several proxies) collapse into one with a count. Extended search stays off: `|` means OR there, and Envoy cluster
// names contain `|`.
import Fuse from 'fuse.js';
import type { NodeKind, TreeNode } from '../mesh/tree-types.js';
import { sanitizeLine } from '../core/sanitize.js';

interface Item {
  node: TreeNode;
  label: string;
  /** Lower-cased label + detail + searchText + context: what the pre-filter scans. */
  hay: string;
  /** What its result row shows, for collapsing identical rows (built when first needed). */
  row?: string;
}

/** Most useful first when Fuse scores tie (e.g. "rev": the reviews VirtualService before its pods). */
const KIND_RANK: Partial<Record<NodeKind, number>> = {
  VirtualService: 0, Gateway: 1, ServiceEntry: 2, DestinationRule: 3, Service: 4, context: 5, namespace: 6,
  rule: 7, destination: 8, subset: 9, Workload: 10, Pod: 11, 'envoy-cluster': 12, 'envoy-route': 13,
  'envoy-listener': 14, endpoint: 15, 'envoy-endpoint': 16,
};
/** How many of the best candidates Fuse ranks per keystroke (its cost grows with items × query length). */
const FUSE_LIMIT = 150;
/** A bucket of at most this many one-character matches is sorted by kind. */
const SORT_LIMIT = 500;
/**
 * Buckets of a match, best first: the label or a whole word of the item (an IP, a host, an Envoy cluster name) is the
 * query; label prefix; label substring; substring elsewhere; subsequence only.
 */
const EXACT = 0, PREFIX = 1, IN_LABEL = 2, IN_HAY = 3, SUBSEQUENCE = 4;
/** Identical rows are looked for among this many of the best matches. */
const COLLAPSE_LIMIT = 500;
/** Characters that end a word of the haystack: an IP in `10.0.0.1:80` or `a,b` is a whole word. */
const BOUNDARY = new Set([' ', ',', ':', '/', '(', ')', '[', ']', '@']);

/** The label is the query, or the query is a whole word of the haystack. */
function isExact(it: Item, q: string): boolean {
  if (it.label === q) return true;
  // Whole words of one or two characters say little and are everywhere: only the label counts for them.
  if (q.length < 3) return false;
  for (let at = it.hay.indexOf(q); at >= 0; at = it.hay.indexOf(q, at + 1)) {
    const before = at === 0 || BOUNDARY.has(it.hay[at - 1]!);
    const end = at + q.length;
    if (before && (end === it.hay.length || BOUNDARY.has(it.hay[end]!))) return true;
  }
  return false;
}

function rowKey(it: Item): string {
  const n = it.node;
  return (it.row ??= `${n.kind}\0${n.ref?.namespace ?? ''}\0${n.label}\0${n.context ?? ''}\0${n.detail ?? ''}`);
}

/**
 * The matches of one query, best first. Held as item positions (no per-keystroke array of 100k ids): the pane reads
 * its visible window with nodeAt(), Enter materializes allIds() for n/N.
 */
export class SearchResult {
  /** Result rows: the item shown, how many identical rows it stands for, where its members start in `flat`. */
  private readonly reps: Int32Array;
  private readonly sizes?: Int32Array;
  private readonly starts?: Int32Array;
  /** Every matching item, members of a row together, in row order. */
  private readonly flat: Int32Array;

  constructor(
    readonly query: string,
    private readonly items: readonly Item[],
    /** Item positions in rank order. */
    order: Int32Array,
    /** Item positions that matched, in index order (reused when the query grows), with their buckets. */
    readonly candidates: Int32Array,
    readonly buckets: Uint8Array,
    /** For subsequence-only matches: where the greedy match ended in the item's text (resumed when the query grows). */
    readonly ends: Int32Array,
  ) {
    const head = Math.min(order.length, COLLAPSE_LIMIT);
    const groups = new Map<string, number[]>();
    for (let k = 0; k < head; k++) {
      const key = rowKey(items[order[k]!]!);
      const g = groups.get(key);
      if (g) g.push(order[k]!);
      else groups.set(key, [order[k]!]);
    }
    if (groups.size === head) {
      this.reps = order;
      this.flat = order;
      return;
    }
    const n = groups.size + order.length - head;
    this.reps = new Int32Array(n);
    this.sizes = new Int32Array(n);
    this.starts = new Int32Array(n);
    this.flat = new Int32Array(order.length);
    let e = 0;
    let f = 0;
    for (const g of groups.values()) {
      this.reps[e] = g[0]!;
      this.sizes[e] = g.length;
      this.starts[e++] = f;
      for (const at of g) this.flat[f++] = at;
    }
    for (let k = head; k < order.length; k++) {
      this.reps[e] = order[k]!;
      this.sizes[e] = 1;
      this.starts[e++] = f;
      this.flat[f++] = order[k]!;
    }
  }

  /** Result rows (identical rows counted once). */
  get count(): number {
    return this.reps.length;
  }

  nodeAt(k: number): TreeNode | undefined {
    return k >= 0 && k < this.reps.length ? this.items[this.reps[k]!]!.node : undefined;
  }

  /** How many identical rows row k stands for. */
  sizeAt(k: number): number {
    return this.sizes?.[k] ?? 1;
  }

  idAt(k: number): string | undefined {
    return this.nodeAt(k)?.id;
  }

  /** Every match (the members of a collapsed row one after another), for n/N. */
  allIds(): string[] {
    const out = new Array<string>(this.flat.length);
    for (let k = 0; k < this.flat.length; k++) out[k] = this.items[this.flat[k]!]!.node.id;
    return out;
  }

  /** Where row k's first member is in allIds(). */
  startOf(k: number): number {
    return this.starts?.[k] ?? k;
  }
}

/** Greedy leftmost match of q[from..] in hay from `pos` (spaces in q are ignored): the position after it, or -1. */
function subsequenceEnd(q: string, hay: string, from: number, pos: number): number {
  for (let i = from; i < q.length; i++) {
    const c = q[i]!;
    if (c === ' ') continue;
    const at = hay.indexOf(c, pos);
    if (at < 0) return -1;
    pos = at + 1;
  }
  return pos;
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
    if (query === '') return new SearchResult(query, this.items, new Int32Array(0), new Int32Array(0), new Uint8Array(0), new Int32Array(0));
    const prev = previous && previous.query !== '' && query.startsWith(previous.query) ? previous : undefined;
    const n = prev ? prev.candidates.length : this.items.length;
    const candidates = new Int32Array(n);
    const buckets = new Uint8Array(n);
    const ends = new Int32Array(n);
    const sizes = [0, 0, 0, 0, 0];
    const grown = prev ? prev.query.length : 0;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = prev ? prev.candidates[k]! : k;
      const it = this.items[i]!;
      // A longer query never moves an item to a better bucket: skip the checks it already failed.
      const was = prev ? prev.buckets[k]! : EXACT;
      let b: number;
      let end = 0;
      if (was <= IN_HAY && isExact(it, query)) b = EXACT;
      else if (was <= PREFIX && it.label.startsWith(query)) b = PREFIX;
      else if (was <= IN_LABEL && it.label.includes(query)) b = IN_LABEL;
      else if (was <= IN_HAY && it.hay.includes(query)) b = IN_HAY;
      else {
        // Subsequence only: resume the previous greedy match when there was one.
        end = was === SUBSEQUENCE ? subsequenceEnd(query, it.hay, grown, prev!.ends[k]!) : subsequenceEnd(query, it.hay, 0, 0);
        if (end < 0) continue;
        b = SUBSEQUENCE;
      }
      candidates[m] = i;
      buckets[m] = b;
      ends[m++] = end;
      sizes[b]!++;
    }
    const cands = candidates.slice(0, m);
    const bks = buckets.slice(0, m);
    return new SearchResult(query, this.items, this.rank(query, cands, bks, sizes), cands, bks, ends.slice(0, m));
  }

  /** Item positions in rank order. */
  private rank(query: string, candidates: Int32Array, buckets: Uint8Array, sizes: number[]): Int32Array {
    // Bucket order (a counting sort), tree order within a bucket.
    const start = [0];
    for (let b = 1; b < sizes.length; b++) start.push(start[b - 1]! + sizes[b - 1]!);
    const order = new Int32Array(candidates.length);
    for (let k = 0; k < candidates.length; k++) order[start[buckets[k]!]!++] = candidates[k]!;
    if (query.length === 1) {
      // One character says little: kind order within each (small enough) bucket.
      let from = 0;
      for (const size of sizes) {
        if (size > 1 && size <= SORT_LIMIT) this.sortSlice(order, from, from + size);
        from += size;
      }
      return order;
    }
    // Fuse ranks the best FUSE_LIMIT within their tiers (exact, prefix, in the label, the rest); the others keep
    // bucket order.
    const tierOf = new Map<number, number>();
    for (let b = 0, k = 0; b < sizes.length; k += sizes[b]!, b++) {
      for (let j = k; j < Math.min(k + sizes[b]!, FUSE_LIMIT); j++) tierOf.set(order[j]!, Math.min(b, IN_HAY));
    }
    const list = Array.from(order.subarray(0, Math.min(FUSE_LIMIT, order.length)), (at) => ({ at, label: this.items[at]!.label, hay: this.items[at]!.hay }));
    const fuse = new Fuse(list, {
      keys: [{ name: 'label', weight: 3 }, { name: 'hay', weight: 1 }],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.6,
      useExtendedSearch: false,
    });
    const seen = new Set<number>();
    const scored = fuse.search(query).map((r) => {
      seen.add(r.item.at);
      const tier = tierOf.get(r.item.at)!;
      const score = Math.round((r.score ?? 1) * 20);
      const kind = rankOf(this.items[r.item.at]!.node);
      // Exact matches: the object that owns the IP or name (a Service, a Pod) before its endpoints.
      return { at: r.item.at, key: tier === EXACT ? [tier, kind, score, r.item.label.length] : [tier, score, kind, r.item.label.length] };
    });
    // Matches Fuse judged too weak still count, after the ranked ones of their tier.
    list.forEach((x, i) => { if (!seen.has(x.at)) scored.push({ at: x.at, key: [tierOf.get(x.at)!, 1000, 0, i] }); });
    scored.sort((a, b) => cmp(a.key, b.key));
    order.set(scored.map((x) => x.at), 0);
    return order;
  }

  private sortSlice(order: Int32Array, from: number, to: number): void {
    const part = Array.from(order.subarray(from, to));
    part.sort((a, b) => {
      const x = this.items[a]!;
      const y = this.items[b]!;
      return rankOf(x.node) - rankOf(y.node) || x.label.length - y.label.length;
    });
    order.set(part, from);
  }
}

function rankOf(n: TreeNode): number {
  return KIND_RANK[n.kind] ?? 20;
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
