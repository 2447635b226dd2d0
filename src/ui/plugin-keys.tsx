// The later features' keys (`e` weights, `!` problems, `t` trace) without their code: what the help, the footer and
// the key dispatch need. Each feature's module (the weight editor, the problem list, the tracer: heavy) adds `open`.
// Until it has loaded, pendingPlugin() holds the key, so the keys exist from the first frame and work once loaded.
import React from 'react';
import { Box, Text, useInput, useStdin } from 'ink';
import type { TreeNode } from '../mesh/tree-types.js';
import type { TraceSource } from '../trace/types.js';
import { sanitizeLine } from '../core/sanitize.js';
import type { UiPlugin } from './types.js';

export type PluginKey = Omit<UiPlugin, 'open'>;

const EDITABLE = new Set(['VirtualService', 'rule', 'destination', 'mirror']);
/** Gateway API: the route, a rule or a backendRef of HTTPRoute, GRPCRoute, TCPRoute or TLSRoute. */
const EDITABLE_ROUTE = new Set(['Route', 'route-rule', 'backendRef']);
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);

export const WEIGHTS_KEY: PluginKey = {
  key: 'e',
  help: 'edit the weights of the selected VirtualService, rule or destination, or of a Gateway API route, rule or backendRef (live diff, dry run, undo)',
  hint: 'edit weights',
  appliesTo: (node) => !!node && ((EDITABLE.has(node.kind) && node.ref?.kind === 'VirtualService') || (EDITABLE_ROUTE.has(node.kind) && ROUTE_KINDS.has(node.ref?.kind ?? ''))),
  notApplicable: 'e works on a VirtualService, a route rule or a destination, or a Gateway API route, rule or backendRef',
  caption: (node) => node?.ref ? `context ${node.ref.context} · namespace ${node.ref.namespace ?? 'default'} · ${node.ref.kind} ${node.ref.name}` : undefined,
};

export const PROBLEMS_KEY: PluginKey = {
  key: '!',
  help: 'problems: every analyzer finding, most severe first; Enter jumps to the object and field, t traces through it',
  hint: 'problems',
};

/** Where a trace opened on a tree node starts. */
export interface TraceStart { context: string; from: TraceSource }

const TRACE_STARTS = new Set(['Pod', 'Gateway', 'Service']);
/** Nodes `t` traces from a client pod of the mesh (src/trace/start-for-node.ts). */
const TRACE_FROM_CLIENT = new Set(['rule', 'destination', 'mirror']);

/** A pod (sidecar or gateway pod), a Gateway, or a (gateway) Service node → where the trace starts. */
export function traceStartOfNode(node: TreeNode | undefined): TraceStart | undefined {
  const ref = node?.ref;
  if (!ref || !TRACE_STARTS.has(ref.kind) || !ref.namespace) return undefined;
  return {
    context: ref.context,
    from: ref.kind === 'Pod' ? { kind: 'pod', namespace: ref.namespace, name: ref.name } : { kind: 'gateway', namespace: ref.namespace, name: ref.name },
  };
}

export const TRACE_KEY: PluginKey = {
  key: 't',
  help: 'trace a request from the selected pod or gateway, or to the selected Service, rule or destination from a client pod: intent vs Envoy, hop by hop',
  hint: 'trace',
  appliesTo: (node) => traceStartOfNode(node) !== undefined || TRACE_FROM_CLIENT.has(node?.kind ?? '') || node?.ref?.kind === 'VirtualService',
  notApplicable: 't works on a pod, a Gateway, a Service, a VirtualService, a route rule or a destination',
};

/**
 * Holds a feature's key while its module loads: the key opens an overlay that says so, and the app replaces it with
 * the feature's own overlay (same key) as soon as the module is in. With `failed`, the overlay says why it cannot load.
 */
export function pendingPlugin(desc: PluginKey, what: string, failed?: string): UiPlugin {
  return { ...desc, open: (ctx) => <Pending what={what} failed={failed} onClose={ctx.close} /> };
}

function Pending({ what, failed, onClose }: { what: string; failed?: string; onClose(): void }) {
  const { isRawModeSupported } = useStdin();
  useInput((input, key) => {
    if (failed || key.escape || input === 'q' || (key.ctrl && input === 'c')) onClose();
  }, { isActive: Boolean(isRawModeSupported) });
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      {failed
        ? <Text color="red">the {what} is unavailable: {sanitizeLine(failed)}</Text>
        : <Text color="yellow">loading the {what}… it opens here in a moment</Text>}
      <Text dimColor>{failed ? 'any key: close' : 'Esc: cancel'}</Text>
    </Box>
  );
}
