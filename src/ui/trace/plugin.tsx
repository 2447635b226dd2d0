// The `t` key: opens the trace form on a pod (its sidecar, or a gateway pod), a Gateway or a gateway Service.
// Wire it with: plugins={[tracePlugin((start, input) => traceOrMessage(mesh, { ...start, ...input }))]}
// (traceOrMessage from src/trace/trace.ts; `start` carries context and from).
import React from 'react';
import type { Trace } from '../../trace/types.js';
import type { PluginContext, UiPlugin } from '../types.js';
import { TraceForm } from './TraceForm.js';
import { TRACE_KEY, traceStartOfNode, type TraceStart } from '../plugin-keys.js';
import type { TraceFormInput, TraceFormValues } from './reducer.js';
import type { TreeNode } from '../../mesh/tree-types.js';
import { TraceUnavailable } from './TraceUnavailable.js';

export { traceStartOfNode, type TraceStart } from '../plugin-keys.js';

export type TraceRunner = (start: TraceStart, input: TraceFormInput) => Promise<Trace | string> | Trace | string;

/** Where `t` on a node starts (a client pod for a Service, a rule, a destination) and what it pre-fills, or why not. */
export type TraceStartResolver = (node: TreeNode | undefined) => (TraceStart & { initial?: Partial<TraceFormValues>; why?: string }) | string | undefined;

export function tracePlugin(run: TraceRunner, opts: { height?: number; noColor?: boolean; resolve?: TraceStartResolver } = {}): UiPlugin {
  return {
    ...TRACE_KEY,
    open(ctx: PluginContext) {
      const resolved = opts.resolve?.(ctx.node) ?? traceStartOfNode(ctx.node);
      if (typeof resolved === 'string' || !resolved) return <TraceUnavailable message={resolved ?? TRACE_KEY.notApplicable!} onClose={ctx.close} />;
      const start: TraceStart = { context: resolved.context, from: resolved.from };
      const chosen = resolved as TraceStart & { initial?: Partial<TraceFormValues>; why?: string };
      const initial = Object.fromEntries(Object.entries(chosen.initial ?? {}).filter(([, v]) => v !== undefined)) as Partial<TraceFormValues>;
      const why = chosen.why ? ` · ${chosen.why}` : '';
      const source = `${start.context} · ${start.from.kind === 'pod' ? 'pod' : 'gateway'} ${start.from.namespace}/${start.from.name}${why}`;
      return <TraceForm source={source} initial={initial} onRun={(input) => run(start, input)} onClose={ctx.close} height={ctx.rows ? Math.max(3, ctx.rows - 4) : opts.height} width={ctx.columns} noColor={opts.noColor} />;
    },
  };
}
