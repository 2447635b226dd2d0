// Bounds that keep meshscope from exhausting memory on hostile or runaway input: the largest Envoy dump (or manifest
// file) it parses and the most objects it accepts from one list (live) or one context (snapshot).
// Defaults, overridable by the global flags --max-dump-size / --max-objects or by MESHSCOPE_MAX_DUMP_SIZE /
// MESHSCOPE_MAX_OBJECTS.
import { UsageError } from '../core/errors.js';

export const DEFAULT_MAX_DUMP_BYTES = 512 * 1024 * 1024;
export const DEFAULT_MAX_OBJECTS = 1_000_000;

export interface Limits {
  /** Largest config_dump / clusters output / manifest file parsed, in bytes. */
  maxDumpBytes: number;
  /** Most objects accepted from one list (live) or one context (snapshot). */
  maxObjects: number;
}

const UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1e3, kb: 1e3, ki: 1024, kib: 1024, m: 1e6, mb: 1e6, mi: 1024 ** 2, mib: 1024 ** 2, g: 1e9, gb: 1e9, gi: 1024 ** 3, gib: 1024 ** 3,
};

/** "512Mi", "1G", "100k", "4096" → bytes. */
export function parseSize(text: string, what = '--max-dump-size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`${what} "${text}" is not a size (e.g. 512Mi, 1G, 100k or bytes)`);
  const n = Math.floor(Number(m[1]) * unit);
  if (!(n > 0)) throw new UsageError(`${what} must be above 0`);
  return n;
}

export function parseCount(text: string, what = '--max-objects'): number {
  if (!/^\s*\d+\s*$/.test(text) || Number(text) < 1) throw new UsageError(`${what} "${text}" is not a positive whole number`);
  return Number(text);
}

/** The limits in force: explicit values (flags), then the environment, then the defaults. */
export function resolveLimits(given: { maxDumpSize?: string; maxObjects?: string } = {}, env: NodeJS.ProcessEnv = process.env): Limits {
  const size = given.maxDumpSize ?? env.MESHSCOPE_MAX_DUMP_SIZE;
  const count = given.maxObjects ?? env.MESHSCOPE_MAX_OBJECTS;
  return {
    maxDumpBytes: size ? parseSize(size, given.maxDumpSize ? '--max-dump-size' : 'MESHSCOPE_MAX_DUMP_SIZE') : DEFAULT_MAX_DUMP_BYTES,
    maxObjects: count ? parseCount(count, given.maxObjects ? '--max-objects' : 'MESHSCOPE_MAX_OBJECTS') : DEFAULT_MAX_OBJECTS,
  };
}

/** 536870912 → "512 MiB", 1500 → "1500 bytes". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/** The refusal message for a file or response over the cap. */
export function overCapMessage(what: string, size: number | undefined, cap: number): string {
  const got = size === undefined ? 'larger than' : `${formatSize(size)}, over`;
  return `${what} is ${got} the ${formatSize(cap)} size cap, refused (not parsed; raise it with --max-dump-size)`;
}
