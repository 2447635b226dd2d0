// What a command says about contexts that did not load: none loaded → a UserError (exit 1) naming each context and
// why; some loaded → one warning line per failed or partial context, and the command goes on with the rest.
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import { sanitizeLine } from '../core/sanitize.js';
import { UserError } from '../core/errors.js';

function why(c: ContextSnapshot): string {
  return sanitizeLine(c.reason ?? c.issues.find((i) => i.severity === 'error')?.message ?? 'nothing could be loaded');
}

/** Throws when no context loaded (every one failed, or none was selected). */
export function requireLoaded(input: MeshInput, what = 'nothing loaded'): void {
  if (input.contexts.length > 0 && input.contexts.some((c) => c.status !== 'error')) return;
  const reasons = input.contexts.map((c) => `context ${sanitizeLine(c.name)}: ${why(c)}`).join('; ');
  throw new UserError(`${what}${reasons ? `: ${reasons}` : ': no context selected'}`);
}

/** One stderr line per context that failed or loaded only in part (when at least one other loaded). */
export function loadWarnings(input: MeshInput): string[] {
  const out: string[] = [];
  for (const c of input.contexts) {
    if (c.status === 'error') out.push(`meshscope: warning: context ${sanitizeLine(c.name)} not loaded: ${why(c)}; showing the other contexts`);
    else if (c.status === 'partial') out.push(`meshscope: warning: context ${sanitizeLine(c.name)} partially loaded: ${why(c)}; showing what loaded`);
  }
  return out;
}
