// The trace result as the TUI shows it: the verdict first, then the steps; a candidate that simply did not match
// (an earlier rule, route, virtual host or filter chain) is marked `·` and dimmed instead of a red ✗.
import type { Trace } from '../../trace/types.js';
import { traceLines } from '../../trace/format.js';
import { traceVerdict } from '../../trace/verdict.js';

const CANDIDATE = /^(\s*)✗ (rule|route|virtual-host|filter-chain|gateway-server|virtual-service)(\s)/;

export function traceResultLines(t: Trace): string[] {
  return [traceVerdict(t), ...traceLines(t).map((l) => l.replace(CANDIDATE, '$1· $2$3'))];
}

/** A candidate line that did not match (shown dimmed). */
export function isNonMatch(line: string): boolean {
  return /^\s*· (rule|route|virtual-host|filter-chain|gateway-server|virtual-service)\s/.test(line);
}
