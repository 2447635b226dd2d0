// `:proxies` (or P): proxy sync without istiod. Every loaded proxy's xDS versions from its config_dump against the
// other proxies of its context (src/mesh/proxy-sync.ts); STALE outliers first. ↑/↓ choose, Enter goes to the pod.
import React, { useState } from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import type { ProxySyncRow } from '../../mesh/proxy-sync.js';
import { XDS_TYPES } from '../../mesh/proxy-sync.js';
import { sanitizeLine } from '../../core/sanitize.js';
import type { PluginContext, UiPlugin } from '../types.js';
import { PROXIES_PLUGIN_KEY } from '../commands.js';

export interface ProxySyncEntry { row: ProxySyncRow; nodeId?: string }

function ProxySyncView({ entries, ctx }: { entries: ProxySyncEntry[]; ctx: PluginContext }) {
  const { isRawModeSupported } = useStdin();
  const [sel, setSel] = useState(0);
  useInput((input, key) => {
    if (key.escape || input === 'q' || input === PROXIES_PLUGIN_KEY) ctx.close();
    else if (key.downArrow || input === 'j') setSel((n) => Math.min(entries.length - 1, n + 1));
    else if (key.upArrow || input === 'k') setSel((n) => Math.max(0, n - 1));
    else if (key.return) {
      const e = entries[sel];
      if (e?.nodeId) ctx.jump(e.nodeId);
      else ctx.flash(`${e?.row.proxy ?? 'this proxy'} has no pod in the tree`, 'error');
    }
  }, { isActive: Boolean(isRawModeSupported) });
  const w = Math.max(8, ...entries.map((e) => e.row.proxy.length));
  const contexts = [...new Set(entries.map((e) => e.row.context))];
  const state = (s: string) => (s === 'NONE' ? '-' : s).padEnd(8);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Proxy sync from the config dumps (offline): xDS versions against the newest in each context</Text>
      {entries.length === 0 ? <Text dimColor>no proxy dumps loaded</Text> : null}
      {contexts.map((c) => {
        const mine = entries.map((e, i) => ({ e, i })).filter((x) => x.e.row.context === c);
        const stale = mine.filter((x) => x.e.row.stale).length;
        return (
          <Box key={c} flexDirection="column">
            <Text bold>{sanitizeLine(c)}: {mine.length} proxies, {stale} stale</Text>
            <Text dimColor wrap="truncate">{'  '}{'NAME'.padEnd(w)}  {XDS_TYPES.map((t) => t.padEnd(8)).join(' ')}</Text>
            {mine.map(({ e, i }) => (
              <Box key={e.row.proxy} flexDirection="column">
                <Text wrap="truncate" inverse={i === sel} bold={e.row.stale}>
                  {i === sel ? '›' : ' '}{e.row.stale ? '≠' : ' '}{sanitizeLine(e.row.proxy).padEnd(w)}  {XDS_TYPES.map((t) => state(e.row.states[t])).join(' ')}
                </Text>
                {e.row.stale ? (
                  <Text wrap="truncate" dimColor>
                    {'    '}behind: {XDS_TYPES.filter((t) => e.row.states[t] === 'STALE').map((t) => `${t} ${sanitizeLine(e.row.versions[t] ?? '')}`).join(', ')}
                    {e.row.staleRoutes.length ? `; route configs ${sanitizeLine(e.row.staleRoutes.join(', '))}` : ''}
                  </Text>
                ) : null}
              </Box>
            ))}
          </Box>
        );
      })}
      <Text dimColor>↑↓ choose · Enter: go to the pod · Esc: close</Text>
    </Box>
  );
}

export function proxiesPlugin(entries: () => ProxySyncEntry[]): UiPlugin {
  return {
    key: PROXIES_PLUGIN_KEY,
    help: ':proxies, proxy sync from the dumps: xDS versions per proxy vs its context, STALE outliers',
    open: (ctx) => <ProxySyncView entries={entries()} ctx={ctx} />,
  };
}
