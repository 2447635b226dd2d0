// The `e` key: opens the weight editor on a VirtualService, a route rule or a destination of the tree.
// Wire it with: plugins={[weightsPlugin(createWeightsEditorEnv(input, globals))]} (src/app/weights-env.ts).
import React from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import type { DestinationKey, TreeNode } from '../../mesh/tree-types.js';
import type { PluginContext, UiPlugin } from '../types.js';
import type { WeightsEditorEnv } from '../../edit/prepare.js';
import type { RuleRef } from '../../edit/types.js';
import { getRule, resolveRule } from '../../edit/planner.js';
import type { EditTarget } from '../../edit/prepare.js';
import { resultLine } from '../../edit/report.js';
import { sanitizeLine } from '../../core/sanitize.js';
import { WeightEditor } from './WeightEditor.js';
import { WEIGHTS_KEY } from '../plugin-keys.js';

/**
 * The rule a tree node stands for, from the rule key the mesh put on it: a rule node by its position, a destination or
 * mirror node by its rule's name when the rule has one (as the node's id names it), else by position.
 */
export function ruleOfNode(node: TreeNode): RuleRef | string | undefined {
  const r = node.rule;
  if (!r) return undefined;
  if (node.kind === 'rule' || node.kind === 'route-rule' || node.kind === 'backendRef') return { kind: r.kind, index: r.index };
  if (node.kind === 'destination' || node.kind === 'mirror') return r.name !== undefined ? r.name : { kind: r.kind, index: r.index };
  return undefined;
}

const sameDestination = (row: { host: string; subset?: string; port?: number | string }, d: DestinationKey) =>
  row.host === d.host && (row.subset ?? undefined) === d.subset && (row.port ?? undefined) === d.port;

/**
 * Row to focus for a destination or mirror node: the destination key the mesh put on it, at its position in the
 * editor's rule when the row there is the same host/subset/port, else the row that is.
 */
export function focusOfNode(node: TreeNode, target: EditTarget, rule: RuleRef | string | undefined): number | undefined {
  const d = node.destination;
  if (d && node.kind === 'backendRef') return d.index;
  if (!d || (node.kind !== 'destination' && node.kind !== 'mirror')) return undefined;
  try {
    const r = rule === undefined ? undefined : typeof rule === 'string' ? resolveRule(target.object, rule) : getRule(target.object, rule);
    if (!r) return undefined;
    const rows: { host: string; subset?: string; port?: number | string }[] = d.mirror ? r.mirrors : r.destinations;
    const at = rows[d.index] && sameDestination(rows[d.index]!, d) ? d.index : rows.findIndex((x) => sameDestination(x, d));
    if (at < 0) return undefined;
    return d.mirror ? r.destinations.length + at : at;
  } catch {
    return undefined;
  }
}

function Problem({ message, onClose }: { message: string; onClose(): void }) {
  const { isRawModeSupported } = useStdin();
  useInput(() => onClose(), { isActive: Boolean(isRawModeSupported) });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text color="red">cannot edit weights: {sanitizeLine(message)}</Text>
      <Text dimColor>any key: close</Text>
    </Box>
  );
}

export function weightsPlugin(env: WeightsEditorEnv): UiPlugin {
  return {
    ...WEIGHTS_KEY,
    open(ctx: PluginContext) {
      const node = ctx.node as TreeNode;
      const opened = node.ref ? env.open(node.ref) : 'no VirtualService or route selected';
      if (typeof opened === 'string') return <Problem message={opened} onClose={ctx.close} />;
      const rule = ruleOfNode(node);
      return (
        <WeightEditor
          target={opened.target}
          copies={opened.copies}
          rule={rule}
          focus={focusOfNode(node, opened.target, rule)}
          readOnly={env.readOnly(opened.target.context)}
          onApply={env.apply}
          onPrepareUndo={env.prepareUndo}
          onCancel={ctx.close}
          maxDiffLines={Number.MAX_SAFE_INTEGER}
          onDone={(results) => {
            const bad = results.filter((r) => !r.ok);
            ctx.flash(results.map(resultLine).join(' | '), bad.length ? 'error' : 'info');
            ctx.close();
            ctx.data.refresh();
          }}
        />
      );
    },
  };
}
