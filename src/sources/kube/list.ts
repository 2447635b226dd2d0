// Paginated lists (limit/continue), as kubectl does for large clusters.
import type { KubeObject } from '../../model/resources.js';
import type { KubeClient } from './client.js';
import { KubeRequestError } from './errors.js';
import { listPath, normalizeItem, type LiveKind } from './kinds.js';
import { DEFAULT_MAX_OBJECTS } from '../limits.js';

export interface ListResult { items: KubeObject[]; resourceVersion?: string; pages: number }

/** Refuses lists beyond this many objects instead of exhausting memory (default; see sources/limits.ts). */
export const MAX_LIST_OBJECTS = DEFAULT_MAX_OBJECTS;

interface ListBody { apiVersion?: string; metadata?: { continue?: string; resourceVersion?: string }; items?: Record<string, unknown>[] }

export async function listAll(client: KubeClient, k: LiveKind, namespace: string | undefined, pageSize = 500, maxObjects = MAX_LIST_OBJECTS): Promise<ListResult> {
  const items: KubeObject[] = [];
  const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  let pages = 0;
  let paginate = true;
  for (;;) {
    const res = await client.request<ListBody>('GET', listPath(k, namespace), {
      query: paginate ? { limit: pageSize, continue: cont } : {},
      what: { verb: 'list', resource: k.plural, group: k.group, namespace: k.namespaced ? namespace : undefined },
    }).catch((err: unknown) => {
      // The continue token expired between pages (410 Expired): as client-go's pager, list again in one piece.
      if (cont && paginate && err instanceof KubeRequestError && err.status === 410) return undefined;
      throw err;
    });
    pages++;
    if (!res) {
      paginate = false;
      cont = undefined;
      items.length = 0;
      continue;
    }
    const body = res.body;
    if (!body || typeof body !== 'object' || !Array.isArray(body.items)) {
      throw new KubeRequestError(`list ${k.plural}: the server's answer is not a list`, 'protocol');
    }
    if (items.length + body.items.length > maxObjects) {
      const where = k.namespaced && namespace ? ` in namespace ${namespace}` : '';
      throw new KubeRequestError(`list ${k.plural}${where}: more than ${maxObjects} objects, refused (raise it with --max-objects)`, 'protocol');
    }
    for (const it of body.items) items.push(normalizeItem(k, apiVersion, it));
    cont = paginate ? body.metadata?.continue || undefined : undefined;
    resourceVersion = body.metadata?.resourceVersion ?? resourceVersion;
    if (!cont) break;
  }
  return { items, resourceVersion, pages };
}
