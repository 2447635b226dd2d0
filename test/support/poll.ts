// The one polling helper of the tests: probes until a value is ready, within a bound that is generous on purpose
// (the tests share a loaded machine; the bound only stops a test that would otherwise hang).

export interface PollOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** Pause between probes (ms). */
  intervalMs?: number;
  /** What is awaited, for the failure message. */
  what?: string;
  /** Extra text for the failure message (e.g. the last frame), computed when it fails. */
  detail?: () => string;
}

/**
 * Resolves with the first truthy value `probe` returns (probe errors count as "not yet"); rejects with
 * "timed out after N ms waiting for WHAT" when none comes in time.
 */
export async function until<T>(probe: () => T | Promise<T>, opts: PollOptions = {}): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const { timeoutMs = 5000, intervalMs = 20, what = 'the condition' } = opts;
  const end = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try { value = await probe(); } catch { value = undefined; }
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${opts.detail ? `:\n${opts.detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Polls a text source (a frame, a screen) until it matches; resolves with the matching text. */
export function untilText(read: () => string, want: RegExp | ((text: string) => boolean), opts: PollOptions = {}): Promise<string> {
  const ok = typeof want === 'function' ? want : (t: string) => want.test(t);
  return until(() => { const t = read(); return ok(t) ? t : undefined; }, { what: String(want), detail: read, ...opts });
}
