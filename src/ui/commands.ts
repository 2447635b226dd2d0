// The `:` command bar: parsing and completion (pure).
import type { NodeKind } from '../mesh/tree-types.js';
import { PROXY_TABS, type ProxyTab } from './types.js';

/** The `:proxies` view is the plugin on this key (src/ui/proxies). */
export const PROXIES_PLUGIN_KEY = 'P';

export interface ListCommandDef { name: string; aliases: string[]; kinds: NodeKind[]; title: string }

export const LIST_COMMANDS: ListCommandDef[] = [
  { name: 'vs', aliases: ['virtualservice', 'virtualservices'], kinds: ['VirtualService'], title: 'VirtualServices' },
  { name: 'dr', aliases: ['destinationrule', 'destinationrules'], kinds: ['DestinationRule'], title: 'DestinationRules' },
  { name: 'gw', aliases: ['gateway', 'gateways'], kinds: ['Gateway'], title: 'Gateways' },
  { name: 'se', aliases: ['serviceentry', 'serviceentries'], kinds: ['ServiceEntry'], title: 'ServiceEntries' },
  { name: 'svc', aliases: ['service', 'services'], kinds: ['Service'], title: 'Services' },
  { name: 'pods', aliases: ['pod', 'po', 'workloads'], kinds: ['Pod', 'Workload'], title: 'Pods' },
];

export const COMMAND_HELP: [string, string][] = [
  [':vs :dr :gw :se :svc :pods', 'list every object of that kind'],
  [':ctx NAME', 'show one context (:ctx alone = all); adds one not loaded yet'],
  [':ctx +NAME / -NAME', 'add / remove a context at run time'],
  [':ns NAME', 'show one namespace (:ns alone = all)'],
  [':pc VIEW POD', 'a pod\'s proxy config: listeners, routes, clusters, endpoints'],
  [':ps POD', 'proxy-status of a pod, with its diff (live)'],
  [':tree', 'back to the tree'],
  [':q', 'quit'],
];

export type Command =
  | { type: 'list'; def: ListCommandDef }
  | { type: 'ctx'; name?: string; op?: 'add' | 'remove' }
  | { type: 'ps'; pod?: string }
  | { type: 'ns'; name?: string }
  | { type: 'pc'; tab: ProxyTab; pod?: string }
  | { type: 'tree' }
  | { type: 'plugin'; key: string; name: string }
  | { type: 'quit' }
  | { type: 'help' }
  | { type: 'error'; message: string };

const PC_ALIASES: Record<string, ProxyTab> = {
  l: 'listeners', listener: 'listeners', listeners: 'listeners',
  r: 'routes', route: 'routes', routes: 'routes',
  c: 'clusters', cluster: 'clusters', clusters: 'clusters',
  ep: 'endpoints', endpoint: 'endpoints', endpoints: 'endpoints', eds: 'endpoints',
};

export function parseCommand(text: string): Command {
  const words = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
  const [head, ...args] = words;
  if (!head) return { type: 'error', message: 'empty command (try :vs, :pods, :ctx NAME, :pc routes POD)' };
  const h = head.toLowerCase();
  const list = LIST_COMMANDS.find((c) => c.name === h || c.aliases.includes(h));
  if (list) return { type: 'list', def: list };
  switch (h) {
    case 'ctx': case 'context': {
      const a = args[0];
      if (a && /^[+-]./.test(a)) return { type: 'ctx', name: a.slice(1), op: a[0] === '+' ? 'add' : 'remove' };
      if ((a === '+' || a === '-') && args[1]) return { type: 'ctx', name: args[1], op: a === '+' ? 'add' : 'remove' };
      return { type: 'ctx', name: a };
    }
    case 'ps': case 'proxy-status': return { type: 'ps', pod: args[0] };
    case 'ns': case 'namespace': return { type: 'ns', name: args[0] };
    case 'tree': return { type: 'tree' };
    case 'proxies': case 'sync': return { type: 'plugin', key: PROXIES_PLUGIN_KEY, name: 'proxies' };
    case 'q': case 'quit': case 'q!': return { type: 'quit' };
    case 'help': return { type: 'help' };
    case 'pc': case 'proxy-config': {
      const tab = PC_ALIASES[(args[0] ?? '').toLowerCase()];
      if (!tab) return { type: 'error', message: `:pc needs a view: ${PROXY_TABS.join(', ')} (e.g. :pc routes POD)` };
      return { type: 'pc', tab, pod: args[1] };
    }
    default: return { type: 'error', message: `unknown command :${head} (press ? for the list)` };
  }
}

export interface CompletionSource {
  contexts: string[]; namespaces: string[]; pods: string[];
  /** Contexts that `:ctx` can add (not loaded yet). */
  addable?: string[];
}

const HEADS = [...LIST_COMMANDS.map((c) => c.name), 'ctx', 'ns', 'pc', 'ps', 'tree', 'q', 'help'];

/** Whole-line completions for `text` (without the leading colon), best first. */
export function completions(text: string, src: CompletionSource): string[] {
  const endsWithSpace = /\s$/.test(text);
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return HEADS;
  if (words.length === 1 && !endsWithSpace) return HEADS.filter((h) => h.startsWith(words[0]!.toLowerCase()));
  const head = words[0]!.toLowerCase();
  const argIndex = endsWithSpace ? words.length - 1 : words.length - 2;
  const partial = endsWithSpace ? '' : words[words.length - 1]!;
  const prefix = words.slice(0, argIndex + 1).join(' ') + ' ';
  let pool: string[] = [];
  if ((head === 'ctx' || head === 'context') && argIndex === 0) {
    const addable = (src.addable ?? []).filter((c) => !src.contexts.includes(c));
    pool = partial.startsWith('-') ? src.contexts.map((c) => '-' + c)
      : partial.startsWith('+') ? addable.map((c) => '+' + c)
      : [...src.contexts, ...addable];
  }
  else if (head === 'ps' && argIndex === 0) pool = src.pods;
  else if ((head === 'ns' || head === 'namespace') && argIndex === 0) pool = src.namespaces;
  else if (head === 'pc' && argIndex === 0) pool = PROXY_TABS;
  else if (head === 'pc' && argIndex === 1) pool = src.pods;
  const p = partial.toLowerCase();
  const starts = pool.filter((x) => x.toLowerCase().startsWith(p));
  const contains = pool.filter((x) => !x.toLowerCase().startsWith(p) && x.toLowerCase().includes(p));
  return [...new Set([...starts, ...contains])].map((x) => prefix + x);
}
