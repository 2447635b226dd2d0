// File-system helpers for tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a folder (sorted) with its content: two equal listings prove nothing was written. */
export function folderListing(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${p}\0${readFileSync(p).toString('base64')}`);
    }
  };
  walk(dir);
  return out.join('\n');
}
