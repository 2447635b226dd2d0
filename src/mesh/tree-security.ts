// Security in the tree: AuthorizationPolicy, PeerAuthentication and RequestAuthentication nodes listing the
// workloads they select, and on each workload its mTLS mode and the policies that select it (in evaluation order).
import type { Mesh } from './join.js';
import type { ContextIndex } from './indexes.js';
import type { MeshObject, PodModel } from './objects.js';
import type { NodeKind, TreeNode } from './tree-types.js';
import { danglingNode, labelsText, node, objectLink, workloadLinks } from './tree-nodes.js';
import { appliesToWorkload } from './authz/select.js';
import { serverMtls } from './security/mtls.js';
import { policyAction } from '../model/security.js';

export const SECURITY_GROUPS = [
  { kind: 'AuthorizationPolicy', label: 'AuthorizationPolicies' },
  { kind: 'PeerAuthentication', label: 'PeerAuthentications' },
  { kind: 'RequestAuthentication', label: 'RequestAuthentications' },
];

const ROOT = 'istio-system';
const ORDER = ['CUSTOM', 'DENY', 'ALLOW', 'AUDIT'];

function selects(o: MeshObject, p: PodModel): boolean {
  if (o.kind === 'PeerAuthentication') {
    const sel = o.loaded.obj.spec?.selector?.matchLabels as Record<string, string> | undefined;
    if (o.namespace !== p.namespace && o.namespace !== ROOT) return false;
    return Object.entries(sel ?? {}).every(([k, v]) => p.labels[k] === v);
  }
  return appliesToWorkload(o.loaded.obj, { namespace: p.namespace, labels: p.labels, rootNamespace: ROOT });
}

function detailOf(o: MeshObject): string {
  const spec = o.loaded.obj.spec ?? {};
  const sel = spec.selector?.matchLabels ? labelsText(spec.selector.matchLabels) : o.namespace === ROOT ? 'mesh-wide' : 'namespace-wide';
  if (o.kind === 'AuthorizationPolicy') {
    const n = Array.isArray(spec.rules) ? spec.rules.length : 0;
    return `${policyAction(spec)}  ${n === 1 ? '1 rule' : `${n} rules`}  ${sel}`;
  }
  if (o.kind === 'PeerAuthentication') return `mTLS ${spec.mtls?.mode ?? 'UNSET'}${spec.portLevelMtls ? ` (ports ${Object.keys(spec.portLevelMtls).join(',')})` : ''}  ${sel}`;
  return `${(spec.jwtRules ?? []).length} JWT rules  ${sel}`;
}

/**
 * The policy nodes of a context, per namespace, each listing the workloads it selects in every loaded context. A
 * workload of another context says whether that context has the same policy (its own control plane enforces its own).
 */
export function securityNodes(mesh: Mesh, ctx: ContextIndex): { namespace: string; kind: string; node: TreeNode }[] {
  const out: { namespace: string; kind: string; node: TreeNode }[] = [];
  const others = mesh.contexts.filter((c) => c !== ctx);
  for (const g of SECURITY_GROUPS) {
    for (const o of [...ctx.kind(g.kind)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const n = node(o.id, g.kind as NodeKind, o.name, { context: ctx.name, ref: o.ref, detail: detailOf(o), searchText: labelsText(o.labels) });
      const pods = ctx.pods.filter((p) => p.hasSidecar && selects(o, p));
      if (pods.length > 0) workloadLinks(o.id, pods, n.children);
      let elsewhere = 0;
      for (const other of others) {
        const remote = other.pods.filter((p) => p.hasSidecar && selects(o, p));
        if (remote.length === 0) continue;
        elsewhere += remote.length;
        const copy = other.kind(g.kind).some((x) => x.namespace === o.namespace && x.name === o.name);
        for (const w of workloadLinks(`${o.id}/ctx:${other.name}`, remote)) {
          w.detail = `${w.detail} in ${other.name}${copy ? ' (has this policy too)' : ` (no ${g.kind} ${o.namespace}/${o.name} there: not enforced)`}`;
          n.children.push(w);
        }
      }
      if (pods.length === 0 && elsewhere === 0) n.children.push(danglingNode(o.id, 'selects no workload with a sidecar', ctx.name, 'warning'));
      out.push({ namespace: o.namespace, kind: g.kind, node: n });
    }
  }
  return out;
}

/** ` mTLS STRICT` for a workload of a context with PeerAuthentications (empty otherwise, to keep plain trees plain). */
export function workloadMtlsText(ctx: ContextIndex, pod: PodModel): string {
  const pas = ctx.kind('PeerAuthentication');
  if (pas.length === 0 || !pod.hasSidecar) return '';
  const m = serverMtls(pas.map((o) => o.loaded.obj) as never, { namespace: pod.namespace, labels: pod.labels }, undefined, ROOT);
  return `  mTLS ${m.mode}${m.policy ? ` (${m.policy.namespace}/${m.policy.name})` : ''}`;
}

/** Links from a workload to the policies that select it: CUSTOM, DENY, ALLOW (then AUDIT), then PeerAuthentications. */
export function workloadPolicyLinks(mesh: Mesh, parentId: string, pod: PodModel): TreeNode[] {
  const ctx = mesh.contexts.find((c) => c.name === pod.context);
  if (!ctx || !pod.hasSidecar) return [];
  const aps = ctx.kind('AuthorizationPolicy').filter((o) => selects(o, pod));
  const rank = (o: MeshObject) => ORDER.indexOf(policyAction(o.loaded.obj.spec));
  const out = aps.sort((a, b) => rank(a) - rank(b)).map((o) => objectLink(parentId, o, { detail: detailOf(o) }));
  if (aps.some((o) => policyAction(o.loaded.obj.spec) === 'ALLOW')) out.push(node(`${parentId}/default-deny`, 'link', 'default deny', { context: ctx.name, detail: 'an ALLOW policy applies: requests it does not match are denied' }));
  for (const o of [...ctx.kind('PeerAuthentication'), ...ctx.kind('RequestAuthentication')].filter((x) => selects(x, pod))) out.push(objectLink(parentId, o, { detail: detailOf(o) }));
  return out;
}
