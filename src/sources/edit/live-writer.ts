// Live writer: a JSON patch that touches only weight fields, preceded by a `test` op on metadata.resourceVersion.
// Dry run (dryRun=All) first, then the write. Never a PUT, never a blind retry.
import type { KubeObject } from '../../model/resources.js';
import type { FieldEdit, FieldPath } from '../../edit/types.js';

export type JsonPatchOp =
  | { op: 'test'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'add'; path: string; value: unknown };

/** What the live writer needs from a cluster: read one VirtualService, JSON-patch it. */
export interface VirtualServiceApi {
  get(namespace: string, name: string): Promise<KubeObject>;
  /** application/json-patch+json; `dryRun` sends dryRun=All. */
  patch(namespace: string, name: string, ops: JsonPatchOp[], dryRun: boolean): Promise<KubeObject>;
}

/** An API error as the writer sees it: status code and the server's Status message. */
export interface ApiFailure {
  status?: number;
  message: string;
}

export type LiveFailureReason = 'conflict' | 'invalid' | 'rejected' | 'forbidden' | 'not-found' | 'unknown' | 'error';

export type LiveOutcome =
  | { ok: true; dryRun: boolean; object: KubeObject; resourceVersionAfter?: string }
  | { ok: false; stage: 'dry-run' | 'write'; reason: LiveFailureReason; message: string; current?: KubeObject };

function escapePointer(seg: string | number): string {
  return String(seg).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(path: FieldPath): string {
  return `/${path.map(escapePointer).join('/')}`;
}

/**
 * The patch for `edits` on `obj` as it was read at `resourceVersion`: a test op, then one replace per existing
 * field, or one add at the first missing level (e.g. mirrorPercentage: {value: N}).
 */
export function buildJsonPatch(obj: KubeObject, resourceVersion: string, edits: FieldEdit[]): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }];
  for (const e of edits) {
    let cur: unknown = obj;
    let i = 0;
    for (; i < e.path.length; i++) {
      if (cur === null || typeof cur !== 'object' || !(e.path[i] in (cur as object))) break;
      cur = (cur as Record<string | number, unknown>)[e.path[i]];
    }
    if (i === e.path.length) {
      ops.push({ op: 'replace', path: pointer(e.path), value: e.after });
      continue;
    }
    let value: unknown = e.after;
    for (let j = e.path.length - 1; j > i; j--) value = { [e.path[j]]: value };
    ops.push({ op: 'add', path: pointer(e.path.slice(0, i + 1)), value });
  }
  return ops;
}

/** Status code and message of a client-node ApiException (its body is raw text) or of any other error. */
export function apiFailure(err: unknown): ApiFailure {
  const e = err as { code?: unknown; body?: unknown; message?: unknown };
  const status = typeof e?.code === 'number' ? e.code : undefined;
  let message = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.body === 'string' && e.body) {
    try {
      const s = JSON.parse(e.body) as { message?: string };
      if (s.message) message = s.message;
    } catch {
      message = e.body.slice(0, 300);
    }
  } else if (e?.body && typeof e.body === 'object' && typeof (e.body as { message?: unknown }).message === 'string') {
    message = (e.body as { message: string }).message;
  }
  return { status, message: message.split('\n')[0] };
}

export async function classifyFailure(api: VirtualServiceApi, obj: KubeObject, rv: string, stage: 'dry-run' | 'write', err: unknown): Promise<LiveOutcome> {
  const f = apiFailure(err);
  const ns = obj.metadata.namespace ?? 'default';
  const name = obj.metadata.name;
  if (f.status === 422 || f.status === 409) {
    // A failed test op and a validation error are both 422: the current resourceVersion tells them apart.
    let current: KubeObject | undefined;
    try {
      current = await api.get(ns, name);
    } catch { /* reported below without the current version */ }
    if (f.status === 409 || !current || current.metadata.resourceVersion !== rv) {
      return {
        ok: false, stage, reason: 'conflict', current,
        message: `the object was changed by someone else since it was loaded (resourceVersion ${rv}${current ? ` → ${current.metadata.resourceVersion}` : ''}); nothing was written`,
      };
    }
    return { ok: false, stage, reason: 'invalid', message: `the API server refused the change: ${f.message}` };
  }
  if (f.status === 403) {
    const group = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/')[0] : 'networking.istio.io';
    return { ok: false, stage, reason: 'forbidden', message: `editing is unavailable: forbidden: cannot patch virtualservices.${group} in namespace ${ns} (the server said: ${f.message})` };
  }
  if (f.status === 404) return { ok: false, stage, reason: 'not-found', message: `not found: ${f.message}` };
  if (f.status === 400) return { ok: false, stage, reason: 'rejected', message: `rejected: ${f.message}` };
  if (stage === 'write' && (f.status === undefined || f.status >= 500)) {
    return { ok: false, stage, reason: 'unknown', message: `the write may or may not have landed (${f.status ?? 'no response'}: ${f.message}); it was not retried: reload and check (\`meshscope weights get ${name} -n ${ns}\`)` };
  }
  return { ok: false, stage, reason: 'error', message: `${f.status ?? 'request failed'}: ${f.message}` };
}

async function patchOnce(api: VirtualServiceApi, loaded: KubeObject, edits: FieldEdit[], dryRun: boolean): Promise<LiveOutcome> {
  const rv = loaded.metadata.resourceVersion;
  const stage = dryRun ? 'dry-run' : 'write';
  if (!rv) return { ok: false, stage, reason: 'error', message: 'the object has no resourceVersion: refusing to write without a precondition' };
  try {
    const res = await api.patch(loaded.metadata.namespace ?? 'default', loaded.metadata.name, buildJsonPatch(loaded, rv, edits), dryRun);
    return { ok: true, dryRun, object: res, resourceVersionAfter: dryRun ? undefined : res?.metadata?.resourceVersion };
  } catch (err) {
    return classifyFailure(api, loaded, rv, stage, err);
  }
}

/** Server-side dry run (dryRun=All) of the patch: admission and validation run, nothing is stored. */
export function dryRunLive(api: VirtualServiceApi, loaded: KubeObject, edits: FieldEdit[]): Promise<LiveOutcome> {
  return patchOnce(api, loaded, edits, true);
}

/** The write, once, with the test-op precondition on the loaded resourceVersion. Never retried. */
export function writeLive(api: VirtualServiceApi, loaded: KubeObject, edits: FieldEdit[]): Promise<LiveOutcome> {
  return patchOnce(api, loaded, edits, false);
}
