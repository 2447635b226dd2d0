// Reads a service registry file for `meshscope translate --registry FILE`: the JSON form of cases.json →
// harness.service_registry ({ items: [...] }), or a plain array of entries.
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { RegistryService } from '../model/gateway-api.js';

function problem(e: unknown, i: number): string | undefined {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return `entry ${i + 1} is not an object`;
  const r = e as Record<string, unknown>;
  if (typeof r.hostname !== 'string' || !r.hostname) return `entry ${i + 1} has no hostname`;
  if (typeof r.namespace !== 'string') return `entry ${i + 1} (${r.hostname}) has no namespace`;
  if (r.ports !== undefined && !Array.isArray(r.ports)) return `entry ${i + 1} (${r.hostname}): ports must be a list`;
  return undefined;
}

export function readRegistryFile(file: string): RegistryService[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`--registry ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`--registry ${file}: not JSON (${(err as Error).message})`);
  }
  const items = Array.isArray(value) ? value : (value as { items?: unknown })?.items;
  if (!Array.isArray(items)) throw new UserError(`--registry ${file}: expected a list of services, or an object with "items"`);
  items.forEach((e, i) => {
    const p = problem(e, i);
    if (p) throw new UserError(`--registry ${file}: ${p}`);
  });
  return items as RegistryService[];
}
