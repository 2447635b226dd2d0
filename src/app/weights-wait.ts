// `weights set|undo --wait[=DURATION]`: after the write lands, follow it to the proxies (cli/wait-live.ts).
import type { GlobalOptions } from '../core/options.js';
import type { PreparedEdit } from '../edit/prepare.js';
import type { WaitIO } from '../app/wait-live.js';
import { needsLive } from '../app/wait-live.js';

/** --wait given without a value is `true`; a value is a duration. Undefined: no wait. */
export type WaitFlag = boolean | string | undefined;

const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute']);

/** The name `wait` follows for an edited object: a VirtualService's name, or `httproute/NAME` for a Gateway API route. */
export function followName(obj: { kind?: string; metadata: { name: string } }): string {
  return obj.kind && ROUTE_KINDS.has(obj.kind) ? `${obj.kind.toLowerCase()}/${obj.metadata.name}` : obj.metadata.name;
}

/** Refuses --wait on a snapshot folder before anything is written. */
export function checkWait(g: GlobalOptions, wait: WaitFlag): void {
  if (wait !== undefined && wait !== false) needsLive(g, '--wait');
}

/** Runs after the write: when it landed (code 0, not a dry run), waits for the edited rule on every proxy. */
export async function waitAfterWrite(g: GlobalOptions, preps: PreparedEdit[], code: number, wait: WaitFlag, dryRun: boolean | undefined, io: WaitIO): Promise<number> {
  if (wait === undefined || wait === false || code !== 0 || dryRun || preps.length === 0) return code;
  const { parseDuration } = await import('../sources/kube/duration.js');
  const { followConvergence, DEFAULT_WAIT_MS } = await import('../app/wait-live.js');
  const timeoutMs = typeof wait === 'string' ? parseDuration(wait, '--wait') : DEFAULT_WAIT_MS;
  const p = preps[0]!;
  const meta = p.target.object.metadata;
  io.out(`waiting up to ${(timeoutMs / 1000).toFixed(0)}s for the proxies to run the new weights…\n`);
  return followConvergence({ ...g, context: [...new Set(preps.map((x) => x.target.context))] }, {
    name: followName(p.target.object), namespace: meta.namespace ?? 'default', rule: { kind: p.rule.ref.kind, index: p.rule.ref.index }, timeoutMs,
  }, io);
}
