// Seeded fast-check parameters for the hardening fuzz tests. The seed is fixed so CI is deterministic; on a failure
// fast-check prints `seed` and `path`, and MESHSCOPE_FUZZ_SEED=<seed> reruns the same cases
// (MESHSCOPE_FUZZ_PATH=<path> replays only the failing one).
import type { Parameters } from 'fast-check';

export const DEFAULT_FUZZ_SEED = 0x6d657368; // "mesh"

export const FUZZ_SEED = (() => {
  const v = process.env.MESHSCOPE_FUZZ_SEED;
  if (v === undefined || v === '') return DEFAULT_FUZZ_SEED;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`MESHSCOPE_FUZZ_SEED must be an integer, not ${v}`);
  return n;
})();

/** Counts the generated cases that actually ran, per file, so a test can prove the total. */
export const fuzzCounter = { cases: 0 };

export function fuzzParams<T>(numRuns: number, extra: Parameters<T> = {}): Parameters<T> {
  const path = process.env.MESHSCOPE_FUZZ_PATH;
  return { seed: FUZZ_SEED, numRuns, includeErrorInReport: true, ...(path ? { path } : {}), ...extra };
}
