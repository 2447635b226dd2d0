// Runs the meshscope CLI (from source) in a child process that permissions apply to: as root (which reads any folder)
// the child drops to nobody, so "permission denied" paths are tested everywhere instead of skipped.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

const CLI = join(repoRoot, 'test/support/apiserver/cli.ts');
const NOBODY = 65534;

export function runCliUnprivileged(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const root = process.getuid?.() === 0;
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, ...(root ? { uid: NOBODY, gid: NOBODY } : {}) }, (error, out, err) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out, err });
    });
  });
}
