// The key map as a registry: the help overlay and the footer hints are generated from it, and plugins
// (`e` weights, `!` problems, `t` trace) add their own entries.
import type { UiPlugin } from './types.js';

export type KeyScope = 'global' | 'tree' | 'details' | 'search' | 'command' | 'list';

export interface KeyDef {
  keys: string;
  help: string;
  scope: KeyScope;
  /** Short text for the footer; absent = help only. */
  hint?: string;
}

export const BUILTIN_KEYS: KeyDef[] = [
  { keys: '↑/↓ j/k', help: 'move', scope: 'global', hint: 'move' },
  { keys: 'PgUp/PgDn', help: 'page up / down', scope: 'global' },
  { keys: 'g/G', help: 'first / last', scope: 'global' },
  { keys: '←/→ h/l', help: 'collapse / expand, or go to parent / child', scope: 'tree', hint: 'fold' },
  { keys: 'Enter', help: 'expand, follow a link, or jump to the entry', scope: 'global', hint: 'open' },
  { keys: 'Tab', help: 'switch pane (tree ↔ details)', scope: 'global', hint: 'pane' },
  { keys: '←/→ h/l', help: 'previous / next proxy-config tab', scope: 'details', hint: 'tab' },
  { keys: 'H/L', help: 'table sideways (its first column stays)', scope: 'details' },
  { keys: 'Enter', help: 'table row: listener → routes → clusters → endpoints', scope: 'details', hint: 'drill' },
  { keys: '/ J', help: 'filter the table rows / raw JSON of the row', scope: 'details', hint: 'filter' },
  { keys: 'R', help: 'pod: refetch its Envoy config (live)', scope: 'tree' },
  { keys: 'd', help: 'pod: proxy-status diff (live; toggles)', scope: 'tree' },
  { keys: 'd R', help: 'proxy-status diff (toggle) / refetch the pod\'s Envoy config (live)', scope: 'details', hint: 'diff' },
  { keys: '1-4', help: 'tab: listeners, routes, clusters, endpoints', scope: 'details' },
  { keys: 'z < >', help: 'zoom the focused pane; tree narrower / wider', scope: 'global', hint: 'zoom' },
  { keys: 'Esc', help: 'back in history', scope: 'global', hint: 'back' },
  { keys: '-', help: 'previous view (toggle)', scope: 'global' },
  { keys: '/', help: 'fuzzy search: names, hosts, clusters, IPs', scope: 'global', hint: 'search' },
  { keys: 'n/N', help: 'next / previous search match', scope: 'global' },
  { keys: ':', help: 'command bar (Tab completes)', scope: 'global', hint: 'cmd' },
  { keys: 'r', help: 'refresh live contexts or the snapshot', scope: 'global' },
  { keys: '?', help: 'this help', scope: 'global', hint: 'help' },
  { keys: 'q Ctrl-C', help: 'quit', scope: 'global', hint: 'quit' },
  { keys: 'Enter', help: 'jump to the highlighted match', scope: 'search', hint: 'jump' },
  { keys: '↑/↓', help: 'choose a match', scope: 'search', hint: 'choose' },
  { keys: 'Esc', help: 'cancel', scope: 'search', hint: 'cancel' },
  { keys: 'Tab', help: 'complete', scope: 'command', hint: 'complete' },
  { keys: 'Enter', help: 'run', scope: 'command', hint: 'run' },
  { keys: 'Esc', help: 'cancel', scope: 'command', hint: 'cancel' },
];

/** Keys the app itself handles; a plugin cannot take them. */
export const TAKEN = new Set(['j', 'k', 'g', 'G', 'h', 'l', 'H', 'L', '<', '>', 'z', 'J', 'n', 'N', '/', ':', '?', 'q', 'r', 'R', 'd', '-', '1', '2', '3', '4']);

export function keyDefs(plugins: UiPlugin[]): KeyDef[] {
  const extra = plugins.map((p): KeyDef => ({ keys: p.key, help: p.help, scope: 'tree', hint: p.hint }));
  return [...BUILTIN_KEYS, ...extra];
}

export function validPlugins(plugins: UiPlugin[]): UiPlugin[] {
  const seen = new Set<string>();
  return plugins.filter((p) => {
    if (p.key.length !== 1 || TAKEN.has(p.key) || seen.has(p.key)) return false;
    seen.add(p.key);
    return true;
  });
}

/** Footer hints for a scope: its own keys, then the global ones. */
export function hintsFor(scope: KeyScope, plugins: UiPlugin[]): [string, string][] {
  const defs = keyDefs(plugins);
  const own = defs.filter((d) => d.scope === scope && d.hint);
  const modal = scope === 'search' || scope === 'command';
  const global = modal ? [] : defs.filter((d) => d.scope === 'global' && d.hint);
  const out = [...own, ...global];
  if (scope === 'details' || scope === 'list') out.push(...defs.filter((d) => d.scope === 'tree' && d.keys.length === 1 && d.hint));
  return out.map((d) => [d.keys.split(' ')[0]!, d.hint!]);
}
