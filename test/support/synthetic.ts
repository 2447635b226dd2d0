// A synthetic mesh for UI tests and the TUI bench: contexts → namespaces → groups → objects → rules → destinations,
// sized by `objects` (about 5 nodes per object). No I/O.
import type { TreeNode } from '../../src/mesh/tree-types.js';
import type { MeshData, NodeDetails } from '../../src/ui/types.js';

function node(id: string, kind: TreeNode['kind'], label: string, extra: Partial<TreeNode> = {}): TreeNode {
  return { id, kind, label, badges: {}, children: [], ...extra };
}

export function syntheticRoots(contexts: number, namespaces: number, objectsPerNs: number): TreeNode[] {
  const roots: TreeNode[] = [];
  for (let c = 0; c < contexts; c++) {
    const ctx = `cluster-${String.fromCharCode(97 + (c % 26))}${c >= 26 ? c : ''}`;
    const cn = node(ctx, 'context', ctx, { context: ctx });
    for (let n = 0; n < namespaces; n++) {
      const ns = `ns-${n}`;
      const nsId = `${ctx}/${ns}`;
      const vsGroup = node(`${nsId}/VirtualServices`, 'group', 'VirtualServices', { context: ctx });
      const podGroup = node(`${nsId}/Workloads`, 'group', 'Workloads', { context: ctx });
      for (let o = 0; o < objectsPerNs; o++) {
        const name = `svc-${n}-${o}`;
        const fqdn = `${name}.${ns}.svc.cluster.local`;
        const vsId = `${nsId}/VirtualService/${name}`;
        const ref = { context: ctx, kind: 'VirtualService', namespace: ns, name };
        const dest = (subset: string, weight: number) =>
          node(`${vsId}/http[0]/${subset}`, 'destination', `${name} ${subset}`, {
            context: ctx, badges: { weight, healthy: 3, total: 3 }, searchText: `outbound|8080|${subset}|${fqdn}`,
          });
        const rule = node(`${vsId}/http[0]`, 'rule', 'http[0]', { context: ctx, detail: 'prefix /', children: [dest('v1', 90), dest('v2', 10)] });
        vsGroup.children.push(node(vsId, 'VirtualService', name, { context: ctx, ref, searchText: fqdn, children: [rule] }));
        podGroup.children.push(node(`${nsId}/Pod/${name}-0`, 'Pod', `${name}-7d9c-0`, {
          context: ctx, ref: { context: ctx, kind: 'Pod', namespace: ns, name: `${name}-7d9c-0` },
          searchText: `10.${c}.${n % 256}.${o % 256} app=${name}`, badges: { healthy: 1, total: 1 },
        }));
      }
      cn.children.push(node(nsId, 'namespace', ns, { context: ctx, children: [vsGroup, podGroup] }));
    }
    roots.push(cn);
  }
  return roots;
}

/** About `total` nodes: 5 contexts × 20 namespaces × k objects (5 nodes each). */
export function syntheticTree(total: number): TreeNode[] {
  const perNs = Math.max(1, Math.round(total / (5 * 20 * 5)));
  return syntheticRoots(5, 20, perNs);
}

export function syntheticData(roots: TreeNode[], overrides: Partial<MeshData> = {}): MeshData {
  return {
    source: 'synthetic',
    readOnly: false,
    contexts: roots.map((r) => ({ name: r.label, status: 'ok' as const, counts: { objects: r.children.length } })),
    roots,
    details: (n): NodeDetails => ({
      yaml: n.ref ? `apiVersion: networking.istio.io/v1\nkind: ${n.ref.kind}\nmetadata:\n  name: ${n.ref.name}\n  namespace: ${n.ref.namespace}\nspec:\n  hosts:\n  - ${n.label}\n` : undefined,
      related: [],
    }),
    refresh: () => {},
    ...overrides,
  };
}
