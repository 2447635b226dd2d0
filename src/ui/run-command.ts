// `:` commands: list views, scopes (:ctx, :ns), proxy config and proxy-status of a pod (:pc, :ps), :tree, :q.
import type { TreeNode } from '../mesh/tree-types.js';
import { parseCommand } from './commands.js';
import { detailsFor } from './details-cache.js';
import { contextCommand, proxyNodeOf, withProxyEffect } from './live-keys.js';
import { jump, pushHistory, toFirstRow, withView } from './navigation.js';
import { EMPTY_TABLE } from './table/use-table-state.js';
import { completionSource, scopeRoots, selectedNode, type AppState, type View } from './state.js';

export function runCommand(s: AppState, text: string): AppState {
  const cmd = parseCommand(text);
  const err = (message: string): AppState => ({ ...s, flash: { text: message, kind: 'error' } });
  const scope = { ctx: s.view.ctx, ns: s.view.ns };
  switch (cmd.type) {
    case 'error': return err(cmd.message);
    case 'quit': return { ...s, pending: { type: 'quit' } };
    case 'help': return { ...s, mode: 'help', helpTop: 0 };
    case 'plugin': return s.pluginKeys.includes(cmd.key) ? { ...s, pending: { type: 'plugin', key: cmd.key } } : err(`:${cmd.name} is not available yet (loading)`);
    case 'tree': return { ...withView(pushHistory(s), { type: 'tree' }), focus: 'tree' };
    case 'list': {
      const view: View = { type: 'list', name: cmd.def.name, title: cmd.def.title, kinds: cmd.def.kinds, ...scope };
      const next = withView(pushHistory(s), view);
      const where = [scope.ctx && `context ${scope.ctx}`, scope.ns && `namespace ${scope.ns}`].filter(Boolean).join(', ');
      return { ...next, focus: 'tree', flash: next.listIds.length === 0 ? { text: `no ${cmd.def.title}${where ? ' in ' + where : ''}`, kind: 'info' } : undefined };
    }
    case 'ctx': {
      const loaded = (n: string) => s.data.contexts.some((c) => c.name === n) || s.index.roots.some((r) => r.label === n || r.context === n);
      if (cmd.op || (cmd.name && !loaded(cmd.name) && s.data.setContext && s.data.contextChoices?.includes(cmd.name))) {
        return contextCommand(s, cmd.name!, cmd.op ?? 'add');
      }
      if (cmd.name && !s.index.roots.some((r) => r.label === cmd.name || r.context === cmd.name)) {
        const info = s.data.contexts.find((c) => c.name === cmd.name);
        if (info) return err(`context ${cmd.name} has nothing loaded${info.reason ? ` (${info.reason})` : ` (${info.status})`}; :ctx -${cmd.name} removes it`);
        const more = s.data.contextChoices?.length ? `; available: ${s.data.contextChoices.join(', ')}` : '';
        return err(`no context "${cmd.name}" (loaded: ${completionSource(s.index, s.data).contexts.join(', ') || 'none'}${more})`);
      }
      return scoped(s, { ctx: cmd.name, ns: cmd.name ? s.view.ns : undefined });
    }
    case 'ps': {
      const node = cmd.pod ? findPod(s, cmd.pod) : proxyNodeOf(s);
      if (!node || (node.kind !== 'Pod' && node.kind !== 'proxy')) {
        return err(cmd.pod ? `no pod "${cmd.pod}" (Tab completes pod names)` : ':ps needs a pod: select one or name it (:ps POD)');
      }
      const next = jump(s, node.id, 'details');
      if (!s.data.proxy) return { ...next, flash: { text: 'proxy-status is not available here', kind: 'info' } };
      return { ...next, dCursor: 0, dTop: 0, pending: { type: 'proxy', nodeId: node.id, op: 'show-diff' } };
    }
    case 'ns': {
      if (cmd.name && !s.index.all.some((n) => n.kind === 'namespace' && n.label === cmd.name)) return err(`no namespace "${cmd.name}"`);
      return scoped(s, { ctx: s.view.ctx, ns: cmd.name });
    }
    case 'pc': {
      const node = cmd.pod ? findPod(s, cmd.pod) : selectedNode(s);
      if (!node || (node.kind !== 'Pod' && node.kind !== 'proxy')) {
        return err(cmd.pod ? `no pod "${cmd.pod}" (Tab completes pod names)` : ':pc needs a pod: select one or name it (:pc routes POD)');
      }
      const next = jump(s, node.id, 'details');
      const tabs = detailsFor(next.data, node, cmd.tab).tabs;
      // Live: the pod's Envoy config is fetched now; the tabs appear when it arrives.
      if (tabs.length === 0 && next.data.proxy) return { ...next, tab: cmd.tab, dCursor: 0, dTop: 0, pending: { type: 'proxy', nodeId: node.id, op: 'open' } };
      if (tabs.length === 0) return { ...next, flash: { text: `${node.label} has no proxy config dump`, kind: 'error' } };
      return withProxyEffect(toFirstRow({ ...next, tab: cmd.tab, dCursor: 0, dTop: 0, dLeft: 0, table: EMPTY_TABLE }), 'auto');
    }
  }
}

function scoped(s: AppState, scope: { ctx?: string; ns?: string }): AppState {
  const base = pushHistory(s);
  const view: View = s.view.type === 'list' ? { ...s.view, ...scope } : { type: 'tree', ...scope };
  if (view.type === 'tree' && scope.ctx) {
    // Show the context's namespaces right away.
    const expanded = new Set(base.expanded);
    for (const r of scopeRoots(base.index, view)) expanded.add(r.id);
    return withView({ ...base, expanded }, view);
  }
  return withView(base, view);
}

function findPod(s: AppState, name: string): TreeNode | undefined {
  const [pod, ns] = name.includes('.') ? [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] : [name, undefined];
  const pods = s.index.all.filter((n) => n.kind === 'Pod' && !n.linkTo && (!ns || n.ref?.namespace === ns));
  const inScope = (n: TreeNode) => !s.view.ctx || n.context === s.view.ctx;
  return pods.find((n) => n.label === pod && inScope(n)) ?? pods.find((n) => n.label === pod)
    ?? pods.find((n) => n.label.startsWith(pod) && inScope(n)) ?? pods.find((n) => n.label.startsWith(pod));
}
