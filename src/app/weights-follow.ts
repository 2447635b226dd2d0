// The TUI's follow-up after a live weight write (`a` or `u` in the editor): the convergence wait of
// `weights set --wait` (wait-live.ts), its progress shown as a status line under the flash until every proxy runs the
// new weights or the time is up; then the tree is refreshed, so a proxy that never converged is marked ≠ there.
import type { GlobalOptions } from '../core/options.js';
import type { ContextResult, PreparedEdit } from '../edit/prepare.js';
import type { FlashKind } from '../ui/types.js';

export interface StaleProxy { context: string; namespace: string; pod: string }

export interface FollowStatus { text: string; kind: FlashKind | 'progress' }

export interface FollowSink {
  status(s: FollowStatus | undefined): void;
  /** Called once at the end with the proxies that never converged (re-read the mesh; fetch those proxies). */
  done(stale: StaleProxy[]): void;
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
  const stale: string[] = [];
  const staleProxies: StaleProxy[] = [];
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
      err: (s) => {
        for (const l of s.split('\n')) {
          if (!/^ {2}\S/.test(l)) continue;
          stale.push(l.trim());
          const m = /^ {2}([^/\s]+)\/(\S+) \(([^)]+)\) still runs/.exec(l);
          if (m) staleProxies.push({ namespace: m[1]!, pod: m[2]!, context: m[3]! });
        }
      },
    });
  } catch (err) {
    sink.status({ text: `convergence ${what}: ${err instanceof Error ? err.message : String(err)}`, kind: 'error' });
    sink.done([]);
    return 1;
  }
  if (code === EXIT_STALE_PROXIES) sink.status({ text: `convergence ${what}: timed out; never converged: ${stale.join('; ')}`, kind: 'error' });
  else if (code !== 0) sink.status({ text: `convergence ${what}: ${last || 'nothing to follow'}`, kind: 'error' });
  sink.done(staleProxies);
  return code;
}
