// Fuzzy search over every node. One pass sorts the candidates into buckets (label prefix, label substring,
// substring elsewhere, subsequence only), incrementally while the query grows; Fuse.js ranks only the best few.
// Extended search stays off: `|` means OR there, and Envoy cluster names contain `|`.
import Fuse from 'fuse.js';
import type { NodeKind, TreeNode } from '../mesh/tree-types.js';
import { sanitizeLine } from '../core/sanitize.js';

interface Item {
  node: TreeNode;
  label: string;
  /** Lower-cased label + detail + searchText + context: what the pre-filter scans. */
  hay: string;
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
/** Buckets of a match, best first: label prefix, label substring, substring elsewhere, subsequence only. */
const PREFIX = 0, IN_LABEL = 1, IN_HAY = 2, SUBSEQUENCE = 3;

/**
 * The matches of one query, best first. Held as item positions (no per-keystroke array of 100k ids): the pane reads
 * its visible window with nodeAt(), Enter materializes allIds() for n/N.
 */
export class SearchResult {
  constructor(
    readonly query: string,
    private readonly items: readonly Item[],
    /** Item positions in rank order. */
    private readonly order: Int32Array,
    /** Item positions that matched, in index order (reused when the query grows), with their buckets. */
    readonly candidates: Int32Array,
    readonly buckets: Uint8Array,
    /** For subsequence-only matches: where the greedy match ended in the item's text (resumed when the query grows). */
    readonly ends: Int32Array,
  ) {}

  get count(): number {
    return this.order.length;
  }

  nodeAt(k: number): TreeNode | undefined {
    return k >= 0 && k < this.order.length ? this.items[this.order[k]!]!.node : undefined;
  }

  idAt(k: number): string | undefined {
    return this.nodeAt(k)?.id;
  }

  allIds(): string[] {
    const out = new Array<string>(this.order.length);
    for (let k = 0; k < this.order.length; k++) out[k] = this.items[this.order[k]!]!.node.id;
    return out;
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
    const sizes = [0, 0, 0, 0];
    const grown = prev ? prev.query.length : 0;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = prev ? prev.candidates[k]! : k;
      const it = this.items[i]!;
      // A longer query never moves an item to a better bucket: skip the checks it already failed.
      const was = prev ? prev.buckets[k]! : PREFIX;
      let b: number;
      let end = 0;
      if (was === PREFIX && it.label.startsWith(query)) b = PREFIX;
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
    const start = [0, sizes[0]!, sizes[0]! + sizes[1]!, sizes[0]! + sizes[1]! + sizes[2]!];
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
    // Fuse ranks the best FUSE_LIMIT (label matches first); the rest keep bucket order.
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
      const exact = r.item.label.includes(query) ? 0 : 1;
      return { at: r.item.at, key: [exact, Math.round((r.score ?? 1) * 20), rankOf(this.items[r.item.at]!.node), r.item.label.length] };
    });
    scored.sort((a, b) => cmp(a.key, b.key));
    // Matches Fuse judged too weak still count, after the ranked ones.
    const head = scored.map((x) => x.at);
    for (const x of list) if (!seen.has(x.at)) head.push(x.at);
    order.set(head, 0);
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
