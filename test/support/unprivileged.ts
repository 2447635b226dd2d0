// Runs the meshscope CLI (from source) in a child process that permissions apply to: as root (which reads any folder)
// the child drops to nobody, so "permission denied" paths are tested everywhere instead of skipped.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './paths.js';

const CLI = join(repoRoot, 'test/support/apiserver/cli.ts');
const NOBODY = 65534;

/** The first folder on the way to the checkout that others may not enter (nobody could not load the sources). */
function closedToOthers(dir: string): { dir: string; mode: number } | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const mode = statSync(d).mode & 0o777;
    if ((mode & 0o001) === 0) return { dir: d, mode };
    if (dirname(d) === d) return undefined;
  }
}

export function runCliUnprivileged(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const root = process.getuid?.() === 0;
  const closed = root ? closedToOthers(repoRoot) : undefined;
  if (closed) {
    // Said as the run's error output, so the test that reads it fails naming the cause (a `mktemp -d` clone is 0700).
    const err = `test setup: the permission tests run the CLI as nobody, who cannot enter ${closed.dir} (mode ${closed.mode.toString(8)}); chmod o+x it\n`;
    return Promise.resolve({ code: 1, out: '', err });
  }
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, ...(root ? { uid: NOBODY, gid: NOBODY } : {}) }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}
