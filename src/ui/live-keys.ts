// Live actions in the TUI's reducer: which pod a proxy key (R, d, :ps, opening its views) acts on, and `:ctx +NAME/-NAME`.
// Pure: they leave an Effect in `pending` that App.tsx hands to the MeshData provider.
import type { TreeNode } from '../mesh/tree-types.js';
import { withView } from './navigation.js';
import { selectedNode, type AppState } from './state.js';
import { ancestors } from './tree-index.js';
import type { ProxyOp } from './types.js';

/** The pod (or its proxy node) at or above the selected node: the target of proxy actions (R, d, :ps). */
export function proxyNodeOf(s: AppState): TreeNode | undefined {
  const node = selectedNode(s);
  if (!node) return undefined;
  if (node.kind === 'Pod' || node.kind === 'proxy') return node;
  const up = ancestors(s.index, node.id).reverse().map((id) => s.index.byId.get(id)!);
  return up.find((n) => n.kind === 'proxy' || n.kind === 'Pod');
}

/** Leaves a quiet proxy effect (the provider loads a pod's Envoy config when its views are opened). */
export function withProxyEffect(s: AppState, op: ProxyOp): AppState {
  if (!s.data.proxy || s.pending) return s;
  const node = proxyNodeOf(s);
  return node ? { ...s, pending: { type: 'proxy', nodeId: node.id, op } } : s;
}

export function proxyKey(s: AppState, op: ProxyOp, why: string): AppState {
  const node = proxyNodeOf(s);
  if (!node) return { ...s, flash: { text: why, kind: 'info' } };
  if (!s.data.proxy) return { ...s, flash: { text: op === 'reload' ? 'proxy dumps come from the snapshot folder: r re-reads it' : 'proxy-status is not available offline', kind: 'info' } };
  return { ...s, pending: { type: 'proxy', nodeId: node.id, op } };
}

export function contextCommand(s: AppState, name: string, op: 'add' | 'remove'): AppState {
  const err = (text: string): AppState => ({ ...s, flash: { text, kind: 'error' } });
  if (!name) return err(`:ctx ${op === 'add' ? '+' : '-'}NAME needs a context name`);
  if (!s.data.setContext) return err('contexts cannot be added or removed here');
  const loaded = s.data.contexts.some((c) => c.name === name);
  if (op === 'add') {
    if (loaded) return { ...s, flash: { text: `context ${name} is already loaded`, kind: 'info' } };
    if (s.data.contextChoices && !s.data.contextChoices.includes(name)) {
      return err(`no context "${name}" to add (available: ${s.data.contextChoices.join(', ') || 'none'})`);
    }
    return { ...s, pending: { type: 'context', name, on: true } };
  }
  if (!loaded) return err(`context ${name} is not loaded (loaded: ${s.data.contexts.map((c) => c.name).join(', ') || 'none'})`);
  // Leave a scope that names the context being removed.
  const base = s.view.ctx === name ? withView(s, { ...s.view, ctx: undefined }) : s;
  return { ...base, pending: { type: 'context', name, on: false } };
}

