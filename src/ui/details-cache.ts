// Memoized details content per (mesh data, node, tab): the provider's details() and the line building run once.
import type { TreeNode } from '../mesh/tree-types.js';
import { buildDetails, type DetailsContent } from './details.js';
import type { MeshData, NodeDetails, ProxyTab } from './types.js';

const cache = new WeakMap<MeshData, WeakMap<TreeNode, { raw: NodeDetails; byTab: Map<string, DetailsContent> }>>();

/** `highlightPath`: a YAML path to highlight (a jump from the problem list). */
export function detailsFor(data: MeshData, node: TreeNode, tab: ProxyTab, highlightPath?: string): DetailsContent {
  let perData = cache.get(data);
  if (!perData) cache.set(data, (perData = new WeakMap()));
  let entry = perData.get(node);
  if (!entry) {
    let raw: NodeDetails;
    try {
      raw = data.details(node);
    } catch (err) {
      raw = { related: [], notes: [`details unavailable: ${err instanceof Error ? err.message : String(err)}`] };
    }
    entry = { raw, byTab: new Map() };
    perData.set(node, entry);
  }
  const key = highlightPath ? `${tab}\n${highlightPath}` : tab;
  let content = entry.byTab.get(key);
  if (!content) {
    content = buildDetails(node, highlightPath ? { ...entry.raw, highlightPath } : entry.raw, tab);
    entry.byTab.set(key, content);
  }
  return content;
}
