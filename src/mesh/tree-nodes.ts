// Small node builders shared by the tree files.
import type { Badges, NodeKind, Problem, TreeNode } from './tree-types.js';
import type { EndpointModel, MeshObject, PodModel } from './objects.js';
import type { EnvoyEndpoint } from '../model/envoy/types.js';

/** Badges of a node that has none: shared and frozen (replace a node's badges, never mutate them in place). */
export const NO_BADGES: Badges = Object.freeze({}) as Badges;

/** Fills a lazy node's children from its source (a model object) in the tree build's environment (the mesh). */
export type Fill<S> = (n: TreeNode, src: S, env: object) => void;

/**
 * Fixed-shape node (one hidden class for every node keeps 100k+ trees small and fast). `children` is built on first
 * access when the node was made lazy: a big mesh's tree holds its objects, and each object's subtree (rules,
 * destinations, pods, Envoy views...) appears when something reads it. toJSON writes every field, children included.
 */
class Node implements TreeNode {
  detail: string | undefined = undefined;
  context: string | undefined = undefined;
  badges: Badges = NO_BADGES;
  ref: TreeNode['ref'] = undefined;
  linkTo: string | undefined = undefined;
  dangling: string | undefined = undefined;
  searchText: string | undefined = undefined;
  rule: TreeNode['rule'] = undefined;
  destination: TreeNode['destination'] = undefined;
  declare routeRule: TreeNode['routeRule'];
  #kids: TreeNode[] | undefined = undefined;
  #fill: Fill<unknown> | undefined = undefined;
  #src: unknown = undefined;
  #env: object | undefined = undefined;
  constructor(public id: string, public kind: NodeKind, public label: string) {}

  get children(): TreeNode[] {
    let k = this.#kids;
    if (k === undefined) {
      k = this.#kids = [];
      const fill = this.#fill;
      if (fill) {
        const src = this.#src;
        const env = this.#env!;
        this.#fill = undefined;
        this.#src = undefined;
        this.#env = undefined;
        const prev = podText;
        podText = textCacheOf(env);
        try {
          fill(this, src, env);
        } finally {
          podText = prev;
        }
      }
    }
    return k;
  }

  set children(v: TreeNode[]) {
    this.#kids = v;
    this.#fill = undefined;
    this.#src = undefined;
    this.#env = undefined;
  }

  lazy<S>(fill: Fill<S>, src: S, env: object): void {
    this.#kids = undefined;
    this.#fill = fill as Fill<unknown>;
    this.#src = src;
    this.#env = env;
  }

  /** Runs `more` on the node once its children exist: now if they do, else right after its fill. */
  thenFill(more: (n: TreeNode) => void): void {
    const fill = this.#fill;
    if (this.#kids !== undefined || !fill) { more(this); return; }
    this.#fill = (n, src, env) => { fill(n, src, env); more(n); };
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id, kind: this.kind, label: this.label, detail: this.detail, context: this.context, badges: this.badges,
      children: this.children, ref: this.ref, linkTo: this.linkTo, dangling: this.dangling, searchText: this.searchText,
    };
  }
}

/** Makes `children` of a node (built by this module) appear on first access: `fill(n, src, env)` pushes them. */
export function lazyChildren<S>(n: TreeNode, fill: Fill<S>, src: S, env: object): void {
  if (n instanceof Node) n.lazy(fill, src, env);
  else fill(n, src, env);
}

/** Appends children to a node without building its lazy ones now: `more` runs when they are built. */
export function appendChildren(n: TreeNode, more: (n: TreeNode) => void): void {
  if (n instanceof Node) n.thenFill(more);
  else more(n);
}

/** A copy of a node with other children (filters of the tree). */
export function withChildren(n: TreeNode, children: TreeNode[]): TreeNode {
  const c = new Node(n.id, n.kind, n.label);
  c.detail = n.detail;
  c.context = n.context;
  c.badges = n.badges;
  c.ref = n.ref;
  c.linkTo = n.linkTo;
  c.dangling = n.dangling;
  c.searchText = n.searchText;
  c.rule = n.rule;
  c.destination = n.destination;
  if (n.routeRule !== undefined) c.routeRule = n.routeRule;
  c.children = children;
  return c;
}

/** Flattens a concatenated (rope) string in place: ids and details are long-lived, ropes of them cost ~1.5×. */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

export function node(id: string, kind: NodeKind, label: string, extra?: Partial<TreeNode>): TreeNode {
  const n = new Node(flat(id), kind, label);
  if (extra) {
    if (extra.detail !== undefined) n.detail = flat(extra.detail);
    if (extra.context !== undefined) n.context = extra.context;
    if (extra.badges !== undefined) n.badges = extra.badges;
    if (extra.children !== undefined) n.children = extra.children;
    if (extra.ref !== undefined) n.ref = extra.ref;
    if (extra.linkTo !== undefined) n.linkTo = extra.linkTo;
    if (extra.dangling !== undefined) n.dangling = extra.dangling;
    if (extra.searchText !== undefined) n.searchText = extra.searchText;
    if (extra.label !== undefined) n.label = extra.label;
    if (extra.kind !== undefined) n.kind = extra.kind;
    if (extra.id !== undefined) n.id = flat(extra.id);
  }
  return n;
}

/** A node with only the common fields (no options object to allocate). */
export function bare(id: string, kind: NodeKind, label: string, context: string | undefined): TreeNode {
  const n = new Node(flat(id), kind, label);
  n.context = context;
  return n;
}

export function withProblems(b: Badges, problems: Problem[] | undefined): Badges {
  if (problems && problems.length > 0) {
    if (b === NO_BADGES) return { problems };
    b.problems = problems;
  }
  return b;
}

/** Sets healthy/total on a node's badges, keeping the others. */
export function setHealth(n: TreeNode, h: { healthy: number; total: number }): void {
  if (n.badges === NO_BADGES) n.badges = { healthy: h.healthy, total: h.total };
  else if (Object.isFrozen(n.badges)) n.badges = { ...n.badges, healthy: h.healthy, total: h.total };
  else { n.badges.healthy = h.healthy; n.badges.total = h.total; }
}

export function labelsText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  let s = '';
  for (const k in labels) s += (s ? ',' : '') + `${k}=${labels[k]}`;
  return s;
}

/** A reference to an object node elsewhere in the tree (Enter follows linkTo). */
const LINK_KINDS = new Set<string>(['Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Service', 'Pod']);

export function objectLink(parentId: string, o: MeshObject, extra?: Partial<TreeNode>): TreeNode {
  const n = bare(`${parentId}/->${o.id}`, (LINK_KINDS.has(o.kind) ? o.kind : 'link') as NodeKind, o.namespace ? `${o.namespace}/${o.name}` : o.name, o.context);
  n.linkTo = o.id;
  n.ref = o.ref;
  if (extra) {
    if (extra.detail !== undefined) n.detail = flat(extra.detail);
    if (extra.searchText !== undefined) n.searchText = extra.searchText;
    if (extra.context !== undefined) n.context = extra.context;
  }
  return n;
}

/**
 * Strings shared by the many nodes that show the same pod or workload (pod links under destinations, workload links
 * under Services and subsets): built once per tree build, so a 1M-node tree does not hold 1M copies.
 */
interface PodText { detail: string; search: string }
/** Pod strings per tree environment (the mesh), so lazily built subtrees share them too. */
const textCaches = new WeakMap<object, Map<PodModel, PodText>>();
let podText = new Map<PodModel, PodText>();

function textCacheOf(env: object): Map<PodModel, PodText> {
  let c = textCaches.get(env);
  if (!c) { c = new Map(); textCaches.set(env, c); }
  return c;
}

/** Runs a tree build with the shared-string cache of `env`. */
export function withTextCache<T>(env: object, build: () => T): T {
  const prev = podText;
  podText = textCacheOf(env);
  try {
    return build();
  } finally {
    podText = prev;
  }
}

export function podStrings(p: PodModel): PodText {
  let t = podText.get(p);
  if (!t) {
    t = { detail: flat(`${p.ip ?? 'no IP'}${p.ready ? '' : ' not ready'}`), search: flat(`${p.ip ?? ''} ${labelsText(p.labels)}`) };
    podText.set(p, t);
  }
  return t;
}

export function workloadId(p: PodModel): string {
  return `${p.context}/Workload/${p.namespace}/${p.workload}`;
}

const POD_COUNT = ['0 pods', '1 pod'];
function podCount(n: number): string {
  return POD_COUNT[n] ?? `${n} pods`;
}

/**
 * Pods grouped by workload under another node (a Service, a DR subset): one link per workload, to the Workload
 * node, with ready/total pods. Keeps big meshes' trees small; the pods themselves live under Workloads.
 */
export function workloadLinks(parentId: string, pods: PodModel[], out: TreeNode[] = []): TreeNode[] {
  // Pods of one workload are usually adjacent and few workloads share a parent: group with a short list, not a Map.
  const names: string[] = [];
  const lists: PodModel[][] = [];
  for (const p of pods) {
    const i = names.indexOf(p.workload);
    if (i >= 0) lists[i]!.push(p);
    else { names.push(p.workload); lists.push([p]); }
  }
  for (let i = 0; i < names.length; i++) {
    const list = lists[i]!;
    const first = list[0]!;
    let ready = 0;
    let search = '';
    for (const p of list) {
      if (p.ready) ready++;
      search += `${p.name} ${p.ip ?? ''} `;
    }
    const n = bare(`${parentId}/workload:${first.namespace}/${names[i]}`, 'Workload', names[i]!, first.context);
    n.detail = podCount(list.length);
    n.linkTo = flat(workloadId(first));
    n.badges = { healthy: ready, total: list.length };
    n.searchText = flat(search);
    out.push(n);
  }
  return out;
}

const POD_READY: Badges = Object.freeze({ healthy: 1, total: 1 });
const POD_NOT_READY: Badges = Object.freeze({ healthy: 0, total: 1 });

/** Shared, frozen badges of one pod (ready or not). */
export function podBadges(p: PodModel): Badges {
  return p.ready ? POD_READY : POD_NOT_READY;
}

/** A pod under another node (subset, Service, Gateway...): links to the pod's own node under Workloads. */
export function podLink(parentId: string, p: PodModel, endpoints?: EndpointModel[], crossContext = false): TreeNode {
  const t = podStrings(p);
  const n = bare(`${parentId}/pod:${p.namespace}/${p.name}`, 'Pod', p.name, p.context);
  n.detail = crossContext ? `${t.detail} (${p.context})` : t.detail;
  n.badges = podBadges(p);
  n.searchText = t.search;
  n.linkTo = p.id;
  n.ref = p.ref;
  if (endpoints) for (const e of endpoints) n.children.push(endpointNode(n.id, e, p.context));
  return n;
}

export function endpointNode(parentId: string, e: EndpointModel, context: string): TreeNode {
  const addr = e.port ? `${e.address}:${e.port}` : e.address;
  const labels = labelsText(e.labels);
  let detail: string = e.source;
  if (e.pod) detail += ` pod ${e.pod.name}`;
  if (labels) detail += ` ${labels}`;
  if (e.ready === false) detail += ' not ready';
  const n = bare(`${parentId}/ep:${addr}`, 'endpoint', addr, context);
  n.detail = flat(detail);
  n.searchText = labels ? flat(`${e.address} ${labels}`) : e.address;
  if (e.ready !== undefined) n.badges = e.ready ? POD_READY : POD_NOT_READY;
  return n;
}

export function envoyEndpointNode(parentId: string, e: EnvoyEndpoint, context: string): TreeNode {
  const addr = e.addressKind === 'internal' ? e.address : `${e.address}:${e.port}`;
  const healthy = e.health === 'HEALTHY';
  return node(`${parentId}/ep:${addr}`, 'envoy-endpoint', addr, {
    detail: `${e.health}${e.outlierFailed ? ' (outlier)' : ''}`, context, searchText: `${e.address} ${e.cluster}`,
    badges: withProblems({ healthy: healthy ? 1 : 0, total: 1 }, healthy ? undefined : [{ severity: 'warning', message: `endpoint ${addr} is ${e.health} in ${e.cluster}` }]),
  });
}

export function sumHealth(children: TreeNode[]): { healthy: number; total: number } {
  let healthy = 0;
  let total = 0;
  for (const c of children) {
    healthy += c.badges.healthy ?? 0;
    total += c.badges.total ?? 0;
  }
  return { healthy, total };
}

export function danglingNode(parentId: string, reason: string, context?: string, severity: Problem['severity'] = 'error'): TreeNode {
  return node(`${parentId}/dangling:${reason}`, 'dangling', reason, {
    dangling: reason, context, badges: { problems: [{ severity, message: reason }] },
  });
}
