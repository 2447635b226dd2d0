// Running the meshscope CLI from tests: in-process through main() (fast; output captured), or in a child process
// from source (when the CLI must own stdout, or the test API servers in this process must keep serving).
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface CliRun { code: number; stdout: string; stderr: string; threw?: unknown }

/**
 * Runs `meshscope ARGS` in-process through main(), capturing what it writes. Non-string writes (the test runner's
 * own v8-serialized reports) pass through. An exception escaping main() is returned in `threw`, never rethrown.
 */
export async function runCli(args: string[]): Promise<CliRun> {
  const { main } = await import('../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const saved = { out: process.stdout.write, err: process.stderr.write };
  const capture = (sink: string[], original: typeof process.stdout.write, stream: NodeJS.WriteStream) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string') return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
    sink.push(chunk);
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture(out, saved.out, process.stdout);
  process.stderr.write = capture(err, saved.err, process.stderr);
  let code = -1;
  let threw: unknown;
  try {
    code = await main(['node', 'meshscope', ...args]);
  } catch (e) {
    threw = e;
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
  return { code, stdout: out.join(''), stderr: err.join(''), ...(threw !== undefined ? { threw } : {}) };
}

export interface ChildRun { code: number; out: string; err: string }

export interface ChildOptions {
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs main(process.argv) from source. */
const CHILD_MAIN = join(repoRoot, 'test/support/apiserver/cli.ts');
const childArgs = (args: string[]) => ['--import', 'tsx', CHILD_MAIN, ...args];

/** `meshscope ARGS` in a child process, waiting for it without blocking this one. code -1: killed, or no exit code. */
export function runCliChild(args: string[], opts: ChildOptions = {}): Promise<ChildRun> {
  return new Promise((done) => {
    execFile(process.execPath, childArgs(args), { cwd: repoRoot, env: opts.env, timeout: opts.timeoutMs, maxBuffer: 64 << 20 }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out, err });
    });
  });
}

/** `meshscope ARGS` in a child process, blocking until it exits. code -1: killed. */
export function runCliChildSync(args: string[], opts: ChildOptions = {}): ChildRun {
  const r = spawnSync(process.execPath, childArgs(args), { cwd: repoRoot, env: opts.env, timeout: opts.timeoutMs, maxBuffer: 64 << 20, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
