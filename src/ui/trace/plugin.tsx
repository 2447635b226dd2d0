// The `t` key: opens the trace form on a pod (its sidecar, or a gateway pod), a Gateway or a gateway Service.
// Wire it with: plugins={[tracePlugin((start, input) => traceOrMessage(mesh, { ...start, ...input }))]}
// (traceOrMessage from src/trace/trace.ts; `start` carries context and from).
import React from 'react';
import type { Trace } from '../../trace/types.js';
import type { PluginContext, UiPlugin } from '../types.js';
import { TraceForm } from './TraceForm.js';
import { TRACE_KEY, traceStartOfNode, type TraceStart } from '../plugin-keys.js';
import type { TraceFormInput } from './reducer.js';

export { traceStartOfNode, type TraceStart } from '../plugin-keys.js';

export type TraceRunner = (start: TraceStart, input: TraceFormInput) => Promise<Trace | string> | Trace | string;

export function tracePlugin(run: TraceRunner, opts: { height?: number; noColor?: boolean } = {}): UiPlugin {
  return {
    ...TRACE_KEY,
    open(ctx: PluginContext) {
      const start = traceStartOfNode(ctx.node)!;
      const source = `${start.context} · ${start.from.kind === 'pod' ? 'pod' : 'gateway'} ${start.from.namespace}/${start.from.name}`;
      return <TraceForm source={source} onRun={(input) => run(start, input)} onClose={ctx.close} height={ctx.rows ? Math.max(3, ctx.rows - 4) : opts.height} width={ctx.columns} noColor={opts.noColor} />;
    },
  };
}
