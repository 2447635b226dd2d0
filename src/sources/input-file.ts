// Reads a saved dump given with -f: a file, or standard input for `-`, refused over the size cap before it is read.
import { readFile, stat } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import { overCapMessage } from './limits.js';

export async function readInput(path: string, cap: number): Promise<{ text: string; source: string }> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of process.stdin) {
      size += (c as Buffer).length;
      if (size > cap) throw new UserError(overCapMessage('stdin', undefined, cap));
      chunks.push(c as Buffer);
    }
    return { text: Buffer.concat(chunks).toString('utf8'), source: 'stdin' };
  }
  try {
    const size = (await stat(path)).size;
    if (size > cap) throw new UserError(overCapMessage(path, size, cap));
    return { text: await readFile(path, 'utf8'), source: path };
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message)}`);
  }
}
