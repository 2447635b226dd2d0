// The `!` key: the problem list of the loaded mesh. Enter jumps to the offending object's node and highlights the
// field in its YAML. Wire it with: plugins={[problemsPlugin(items)]} (items from src/app/problems.ts).
import React from 'react';
import type { PluginContext, UiPlugin } from '../types.js';
import { ProblemList } from './ProblemList.js';
import type { ProblemItem } from './reducer.js';
import { setYamlPathLocator } from '../details.js';
import { PROBLEMS_KEY, TRACE_KEY } from '../plugin-keys.js';
import { yamlPathLine } from './yaml-path.js';

// A jump from this list highlights the finding's field in the details YAML.
setYamlPathLocator(yamlPathLine);

export function problemsPlugin(items: readonly ProblemItem[], opts: { height?: number; noColor?: boolean } = {}): UiPlugin {
  return {
    ...PROBLEMS_KEY,
    open(ctx: PluginContext) {
      return (
        <ProblemList
          items={items}
          height={ctx.rows ? Math.max(3, ctx.rows - 9) : opts.height}
          width={ctx.columns}
          noColor={opts.noColor}
          onClose={ctx.close}
          onJump={(item) => {
            if (item.proxyNodeId) return ctx.jump(item.proxyNodeId);
            if (!item.nodeId) {
              ctx.flash(`${item.origin} has no node in the tree`, 'error');
              return;
            }
            ctx.jump(item.nodeId, { highlightPath: item.path });
          }}
          onTrace={(item) => {
            // The object's node (a VirtualService traces from a client pod), else the stale proxy's pod.
            const id = item.nodeId ?? item.proxyNodeId;
            if (!id) {
              ctx.flash(`${item.origin} has no node in the tree to trace from`, 'error');
              return;
            }
            ctx.jump(id, { highlightPath: item.path, open: TRACE_KEY.key });
          }}
        />
      );
    },
  };
}
