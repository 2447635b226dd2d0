// The `t` key: opens the trace form on a pod (its sidecar, or a gateway pod), a Gateway or a gateway Service.
// Wire it with: plugins={[tracePlugin((start, input) => traceOrMessage(mesh, { ...start, ...input }))]}
// (traceOrMessage from src/trace/trace.ts; `start` carries context and from).
import React from 'react';
import type { TreeNode } from '../../mesh/tree-types.js';
import type { Trace, TraceSource } from '../../trace/types.js';
import type { PluginContext, UiPlugin } from '../types.js';
import { TraceForm } from './TraceForm.js';
import type { TraceFormInput } from './reducer.js';

/** Where a trace opened on a tree node starts. */
export interface TraceStart { context: string; from: TraceSource }

export type TraceRunner = (start: TraceStart, input: TraceFormInput) => Promise<Trace | string> | Trace | string;

const STARTS = new Set(['Pod', 'Gateway', 'Service']);

/** A pod (sidecar or gateway pod), a Gateway, or a (gateway) Service node → where the trace starts. */
export function traceStartOfNode(node: TreeNode | undefined): TraceStart | undefined {
  const ref = node?.ref;
  if (!ref || !STARTS.has(ref.kind) || !ref.namespace) return undefined;
  return {
    context: ref.context,
    from: ref.kind === 'Pod' ? { kind: 'pod', namespace: ref.namespace, name: ref.name } : { kind: 'gateway', namespace: ref.namespace, name: ref.name },
  };
}

export function tracePlugin(run: TraceRunner, opts: { height?: number; noColor?: boolean } = {}): UiPlugin {
  return {
    key: 't',
    help: 'trace a request from the selected pod or gateway: intent vs Envoy, hop by hop across contexts',
    hint: 'trace',
    appliesTo: (node) => traceStartOfNode(node) !== undefined,
    notApplicable: 't works on a pod, a Gateway or a gateway Service',
    open(ctx: PluginContext) {
      const start = traceStartOfNode(ctx.node)!;
      const source = `${start.context} · ${start.from.kind === 'pod' ? 'pod' : 'gateway'} ${start.from.namespace}/${start.from.name}`;
      return <TraceForm source={source} onRun={(input) => run(start, input)} onClose={ctx.close} height={opts.height} noColor={opts.noColor} />;
    },
  };
}
