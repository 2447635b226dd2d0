// The `e` key: opens the weight editor on a VirtualService, a route rule or a destination of the tree.
// Wire it with: plugins={[weightsPlugin(createWeightsEditorEnv(input, globals))]} (src/app/weights-env.ts).
import React from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import type { TreeNode } from '../../mesh/tree-types.js';
import { destinationLabel } from '../../mesh/tree-routes.js';
import type { PluginContext, UiPlugin } from '../types.js';
import type { WeightsEditorEnv } from '../../edit/prepare.js';
import type { RuleRef, RuleKind } from '../../edit/types.js';
import { getRule, resolveRule } from '../../edit/planner.js';
import type { EditTarget } from '../../edit/prepare.js';
import { resultLine } from '../../edit/report.js';
import { sanitizeLine } from '../../core/sanitize.js';
import { WeightEditor } from './WeightEditor.js';
import { WEIGHTS_KEY } from '../plugin-keys.js';

/** The rule a tree node stands for: from a rule node's label, or a destination node's id (…/http[1]/route:… or …/http:name/…). */
export function ruleOfNode(node: TreeNode): RuleRef | string | undefined {
  if (node.kind === 'rule') {
    const m = /^(http|tcp|tls)\[(\d+)\]/.exec(node.label);
    if (m) return { kind: m[1] as RuleKind, index: Number(m[2]) };
  }
  if (node.kind === 'destination' || node.kind === 'mirror') {
    const m = /\/(http|tcp|tls)(?:\[(\d+)\]|:([^/]+))\/(?:route|mirror):/.exec(node.id);
    if (m) return m[2] !== undefined ? { kind: m[1] as RuleKind, index: Number(m[2]) } : m[3];
  }
  return undefined;
}

/** Row to focus for a destination/mirror node: matched by the tree's label "host subset:port". */
export function focusOfNode(node: TreeNode, target: EditTarget, rule: RuleRef | string | undefined): number | undefined {
  if (node.kind !== 'destination' && node.kind !== 'mirror') return undefined;
  try {
    const r = rule === undefined ? undefined : typeof rule === 'string' ? resolveRule(target.object, rule) : getRule(target.object, rule);
    if (!r) return undefined;
    const label = destinationLabel;
    if (node.kind === 'mirror') {
      const j = r.mirrors.findIndex((m) => label(m) === node.label);
      return j >= 0 ? r.destinations.length + j : undefined;
    }
    const i = r.destinations.findIndex((d) => label(d) === node.label);
    return i >= 0 ? i : undefined;
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
      const opened = node.ref ? env.open(node.ref) : 'no VirtualService selected';
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
