// kubectl's --request-timeout format: "10s", "1m", "500ms", "1h2m3s"; a bare integer is seconds; "0" means no timeout.
import { UsageError } from '../../core/errors.js';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds (0 = no timeout). Throws UsageError naming the flag on bad input. */
export function parseDuration(text: string, flag = '--request-timeout'): number {
  const s = text.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (s === '' || matched !== s.length) throw new UsageError(`${flag}: invalid duration "${text}" (use e.g. 10s, 1m, 500ms)`);
  return Math.round(total);
}

/** 10000 → "10s", 1500 → "1.5s", 500 → "500ms", 60000 → "1m" */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${+(ms / 1000).toFixed(3)}s`;
}
