// The TUI's follow-up after a live weight write (`a` or `u` in the editor): the convergence wait of
// `weights set --wait` (wait-live.ts), its progress shown as a status line under the flash until every proxy runs the
// new weights or the time is up; then the tree is refreshed, so a proxy that never converged is marked ≠ there.
import type { GlobalOptions } from '../core/options.js';
import type { ContextResult, PreparedEdit } from '../edit/prepare.js';
import type { FlashKind } from '../ui/types.js';
import type { StaleProxy } from './wait-live.js';

export interface FollowStatus { text: string; kind: FlashKind | 'progress' }

export interface FollowSink {
  status(s: FollowStatus | undefined): void;
  /** Called once at the end with the proxies that never converged (re-read the mesh; fetch those proxies). */
  done(stale: Omit<StaleProxy, 'runs'>[]): void;
}

/** Starts following the written edits, unless nothing was written live. Returns the wait's promise (its exit code). */
export async function followAfterWrite(g: GlobalOptions, preps: PreparedEdit[], results: ContextResult[], sink: FollowSink, timeoutMs?: number): Promise<number | undefined> {
  const written = preps.filter((p) => p.target.source === 'live' && results.some((r) => r.context === p.target.context && r.ok && !r.dryRun && !r.noop));
  if (g.fixtures || written.length === 0) return undefined;
  const { followConvergence, DEFAULT_WAIT_MS, EXIT_STALE_PROXIES } = await import('./wait-live.js');
  const { followName } = await import('./weights-wait.js');
  const p = written[0]!;
  const meta = p.target.object.metadata;
  const what = `${meta.namespace ?? 'default'}/${meta.name}`;
  let last = '';
  let stale: StaleProxy[] = [];
  sink.status({ text: `convergence ${what}: reading the proxies…`, kind: 'progress' });
  let code: number;
  try {
    code = await followConvergence({ ...g, context: [...new Set(written.map((x) => x.target.context))] }, {
      name: followName(p.target.object), namespace: meta.namespace ?? 'default', rule: { kind: p.rule.ref.kind, index: p.rule.ref.index }, timeoutMs: timeoutMs ?? DEFAULT_WAIT_MS,
    }, {
      out: (s) => {
        const line = s.trim();
        if (!line) return;
        last = line;
        sink.status({ text: `convergence ${what}: ${line}`, kind: /^converged:/.test(line) ? 'info' : 'progress' });
      },
      err: () => {},
      stale: (proxies) => { stale = proxies; },
    });
  } catch (err) {
    sink.status({ text: `convergence ${what}: ${err instanceof Error ? err.message : String(err)}`, kind: 'error' });
    sink.done([]);
    return 1;
  }
  if (code === EXIT_STALE_PROXIES) {
    const names = stale.map((s) => `${s.namespace}/${s.pod} (${s.context}) still runs ${s.runs}`);
    sink.status({ text: `convergence ${what}: timed out; never converged: ${names.join('; ')}`, kind: 'error' });
  }
  else if (code !== 0) sink.status({ text: `convergence ${what}: ${last || 'nothing to follow'}`, kind: 'error' });
  sink.done(stale.map(({ context, namespace, pod }) => ({ context, namespace, pod })));
  return code;
}
