// Runs several meshscope command lines one after the other in ONE child process (one start-up instead of one per
// command) and prints, as the last line, a JSON array of {args, code, out, err}. argv: one JSON array of arg lists.
import { main } from '../../../src/cli/main.js';

const lists = JSON.parse(process.argv[2] ?? '[]') as string[][];
const results: { args: string[]; code: number; out: string; err: string }[] = [];
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
for (const args of lists) {
  const r = { args, code: 0, out: '', err: '' };
  process.stdout.write = ((s: string | Uint8Array) => { r.out += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { r.err += String(s); return true; }) as typeof process.stderr.write;
  try {
    r.code = await main(['node', 'meshscope', ...args]);
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  results.push(r);
}
realOut(`\n${JSON.stringify(results)}\n`);
