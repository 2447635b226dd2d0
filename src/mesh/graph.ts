// Edge store: every typed edge indexed by its source and its target, plus problems per entity id.
import type { Problem } from './tree-types.js';
import type { EdgeKind, MeshEdge } from './model.js';

export class MeshGraph {
  readonly edges: MeshEdge[] = [];
  private readonly out = new Map<string, MeshEdge[]>();
  private readonly inc = new Map<string, MeshEdge[]>();
  readonly problems = new Map<string, Problem[]>();

  add(e: MeshEdge): MeshEdge {
    this.edges.push(e);
    push(this.out, e.from, e);
    if (e.to) push(this.inc, e.to, e);
    return e;
  }

  /** Edges leaving `id`, optionally of one kind. */
  from(id: string, kind?: EdgeKind): MeshEdge[] {
    const l = this.out.get(id) ?? [];
    return kind ? l.filter((e) => e.kind === kind) : l;
  }

  /** Edges arriving at `id`, optionally of one kind. */
  to(id: string, kind?: EdgeKind): MeshEdge[] {
    const l = this.inc.get(id) ?? [];
    return kind ? l.filter((e) => e.kind === kind) : l;
  }

  dangling(): MeshEdge[] {
    return this.edges.filter((e) => e.dangling !== undefined);
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
