// Edge store: every typed edge indexed by its source and its target, plus problems per entity id.
import type { Problem } from './tree-types.js';
import type { EdgeKind, MeshEdge } from './objects.js';

export class MeshGraph {
  private readonly list: MeshEdge[] = [];
  private derive?: (add: (e: MeshEdge) => void) => void;

  /** Registers the producer of the model-derived edges; they are added on first use of edges/from/to. */
  deriveWith(fn: (add: (e: MeshEdge) => void) => void): void {
    this.derive = fn;
  }

  /** Every edge: dangling and drift edges recorded during the join, then the ones derived from the model. */
  get edges(): MeshEdge[] {
    if (this.derive) {
      const fn = this.derive;
      this.derive = undefined;
      fn((e) => this.add(e));
    }
    return this.list;
  }

  private readonly out = new Map<string, MeshEdge[]>();
  private readonly inc = new Map<string, MeshEdge[]>();
  readonly problems = new Map<string, Problem[]>();

  private indexed = false;

  add(e: MeshEdge): MeshEdge {
    this.list.push(e);
    if (this.indexed) this.index(e);
    return e;
  }

  private index(e: MeshEdge): void {
    push(this.out, e.from, e);
    if (e.to) push(this.inc, e.to, e);
  }

  /** The by-source / by-target maps are built on first use (the join itself never needs them). */
  private ensureIndex(): void {
    if (this.indexed) return;
    const all = this.edges;
    this.indexed = true;
    for (const e of all) this.index(e);
  }

  /** Edges leaving `id`, optionally of one kind. */
  from(id: string, kind?: EdgeKind): MeshEdge[] {
    this.ensureIndex();
    const l = this.out.get(id) ?? [];
    return kind ? l.filter((e) => e.kind === kind) : l;
  }

  /** Edges arriving at `id`, optionally of one kind. */
  to(id: string, kind?: EdgeKind): MeshEdge[] {
    this.ensureIndex();
    const l = this.inc.get(id) ?? [];
    return kind ? l.filter((e) => e.kind === kind) : l;
  }

  dangling(): MeshEdge[] {
    return this.list.filter((e) => e.dangling !== undefined);
  }

  problem(id: string, p: Problem): void {
    const l = this.problems.get(id);
    if (!l) { this.problems.set(id, [p]); return; }
    if (!l.some((x) => x.message === p.message)) l.push(p);
  }

  problemsOf(id: string): Problem[] {
    return this.problems.get(id) ?? [];
  }
}

function push(m: Map<string, MeshEdge[]>, k: string, e: MeshEdge): void {
  const l = m.get(k);
  if (l) l.push(e); else m.set(k, [e]);
}
