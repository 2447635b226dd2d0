// RFC 6902 JSON patch and RFC 7386 merge patch, as the API server applies them.

export type PatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

export class PatchError extends Error {
  constructor(message: string, readonly testFailed = false) { super(message); }
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], path: string): { parent: any; key: string } {
  let cur: any = doc;
  for (const p of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') throw new PatchError(`path "${path}" does not exist`);
    cur = Array.isArray(cur) ? cur[Number(p)] : cur[p];
    if (cur === undefined) throw new PatchError(`path "${path}" does not exist`);
  }
  if (cur === null || typeof cur !== 'object') throw new PatchError(`path "${path}" does not exist`);
  return { parent: cur, key: parts[parts.length - 1] };
}

function get(doc: unknown, path: string): unknown {
  let cur: any = doc;
  for (const p of pointer(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(p)] : cur[p];
  }
  return cur;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as any)[k])]));
  return v;
}

/** Applies ops to a deep copy of doc. Throws PatchError (testFailed for a failed `test`). */
export function applyJsonPatch<T>(doc: T, ops: PatchOp[]): T {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let out: any = structuredClone(doc);
  const put = (path: string, value: unknown, insert: boolean) => {
    const parts = pointer(path);
    if (parts.length === 0) { out = structuredClone(value); return; }
    const { parent, key } = parentOf(out, parts, path);
    if (Array.isArray(parent)) {
      const i = key === '-' ? parent.length : Number(key);
      if (!Number.isInteger(i) || i < 0 || i > parent.length || (!insert && i >= parent.length)) throw new PatchError(`index out of range in "${path}"`);
      if (insert) parent.splice(i, 0, structuredClone(value));
      else parent[i] = structuredClone(value);
    } else {
      if (!insert && !(key in parent)) throw new PatchError(`path "${path}" does not exist`);
      parent[key] = structuredClone(value);
    }
  };
  const remove = (path: string) => {
    const parts = pointer(path);
    const { parent, key } = parentOf(out, parts, path);
    if (Array.isArray(parent)) {
      const i = Number(key);
      if (!(i >= 0 && i < parent.length)) throw new PatchError(`index out of range in "${path}"`);
      parent.splice(i, 1);
    } else {
      if (!(key in parent)) throw new PatchError(`path "${path}" does not exist`);
      delete parent[key];
    }
  };
  for (const op of ops) {
    switch (op?.op) {
      case 'add': put(op.path, op.value, true); break;
      case 'replace': put(op.path, op.value, false); break;
      case 'remove': remove(op.path); break;
      case 'test':
        if (!deepEqual(get(out, op.path), op.value)) {
          throw new PatchError(`testing value ${op.path} failed: expected ${JSON.stringify(op.value)}, found ${JSON.stringify(get(out, op.path))}`, true);
        }
        break;
      case 'move': { const v = get(out, op.from); if (v === undefined) throw new PatchError(`path "${op.from}" does not exist`); remove(op.from); put(op.path, v, true); break; }
      case 'copy': { const v = get(out, op.from); if (v === undefined) throw new PatchError(`path "${op.from}" does not exist`); put(op.path, v, true); break; }
      default: throw new PatchError(`unknown patch operation ${JSON.stringify((op as { op?: unknown })?.op)}`);
    }
  }
  return out as T;
}

/** RFC 7386: null deletes, objects merge, everything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
