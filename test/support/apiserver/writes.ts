// Writes to the test API server (POST, PUT, PATCH, DELETE) answered as kube-apiserver v1.21 answers them
// (../shared/conformance/kube-apiserver/05-write): optimistic concurrency per method, dry run, no-op updates, the
// status subresource, CRD schema checks and pruning, and the Status bodies of every refusal.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../src/model/resources.js';
import type { RequestInfo } from './faults.js';
import { applyJsonPatch, applyMergePatch, type PatchOp } from './jsonpatch.js';
import type { ObjectStore, ResourceType } from './store.js';
import { conflict, notFound, status } from './status.js';
import { selectorFilter } from './selectors.js';
import { prune, schemaCauses, schemaOf, type Cause } from './schema.js';
import { apply, conflictMessage, parseApplied } from './apply.js';

export interface WriteRequest {
  store: ObjectStore;
  t: ResourceType;
  info: RequestInfo;
  url: URL;
  /** The media type of the body, without parameters. */
  contentType: string;
  body: string;
  /** The field manager: ?fieldManager, else the User-Agent up to its first '/'. */
  manager: string;
}
export interface Answer { code: number; body: unknown }

const qualified = (t: ResourceType, name: string) => `${name}${t.group ? `.${t.group}` : ''}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const RFC1123_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** 422 Invalid for an object, worded with its Kind (as field validation words it) or its plural (`byPlural`). */
function invalid(t: ResourceType, name: string, causes: Cause[], kind = t.kind, byPlural = false): Answer {
  const what = byPlural ? qualified(t, t.plural) : qualified(t, kind);
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${what} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return { code: 422, body: status(422, 'Invalid', message, { name, ...(t.group ? { group: t.group } : {}), kind: byPlural ? t.plural : kind, causes }) };
}

const badRequest = (message: string): Answer => ({ code: 400, body: status(400, 'BadRequest', message) });
const optionsInvalid = (kind: string, field: string, message: string, reason: string): Answer =>
  ({ code: 422, body: status(422, 'Invalid', `${kind}.meta.k8s.io "" is invalid: ${field}: ${message}`, { group: 'meta.k8s.io', kind, causes: [{ reason, message, field }] }) });

/** Parses a JSON body as kube-apiserver's decoder reports it. */
function parseObject(t: ResourceType, body: string): { obj?: KubeObject; err?: Answer } {
  try { return { obj: JSON.parse(body) as KubeObject }; } catch (e) {
    const at = /position (\d+)/.exec(String(e));
    const detail = /end of JSON/i.test(String(e)) || (at && Number(at[1]) >= body.trimEnd().length) ? 'unexpected end of JSON input' : 'invalid character';
    return { err: badRequest(`the object provided is unrecognized (must be of type ${t.kind}): couldn't get version/kind; json parse error: ${detail} (${body.slice(0, 30)} ...)`) };
  }
}

/** Everything but resourceVersion and managedFields: equal means the write is a no-op. */
const content = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined } });

const OPTIONS: Record<string, string> = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions', delete: 'DeleteOptions' };

export function handleWrite(r: WriteRequest): Answer {
  const dryRun = r.url.searchParams.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) {
    return optionsInvalid(OPTIONS[r.info.verb] ?? 'DeleteOptions', 'dryRun', `Unsupported value: []string{${dryRun.map((d) => JSON.stringify(d)).join(', ')}}: supported values: "All"`, 'FieldValueNotSupported');
  }
  const w = { ...r, dry: dryRun.length > 0, version: r.info.version ?? 'v1' };
  switch (r.info.verb) {
    case 'create': return create(w);
    case 'update': return update(w);
    case 'patch': return w.contentType === 'application/apply-patch+yaml' ? serverSideApply(w) : patch(w);
    default: return r.info.name ? remove(w) : removeCollection(w);
  }
}

type W = WriteRequest & { dry: boolean; version: string };

const expectedApiVersion = (w: W) => (w.t.group ? `${w.t.group}/${w.version}` : w.version);
const withVersion = (w: W, o: KubeObject): KubeObject => ({ ...o, apiVersion: expectedApiVersion(w) });
const entry = (w: W, operation: string, fieldsV1: Record<string, unknown> = {}) => ({ manager: w.manager, operation, apiVersion: expectedApiVersion(w), time: now(), fieldsType: 'FieldsV1', fieldsV1 });
const managed = (w: W) => [entry(w, 'Update')];

/** Schema causes and the pruned object (custom resources); the object as is for built-ins. */
function validated(w: W, obj: KubeObject): { obj: KubeObject; causes: Cause[] } {
  const s = schemaOf(w.t, w.version);
  if (!s) return { obj, causes: [] };
  const causes = schemaCauses(s, obj as unknown as Record<string, unknown>);
  const pruned = prune(s, { ...obj, metadata: {} }) as KubeObject;
  return { obj: { ...pruned, apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata }, causes };
}

const KNOWN_META = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const knownMeta = (m: KubeObject['metadata']) => Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => KNOWN_META.includes(k))) as KubeObject['metadata'];

function create(w: W): Answer {
  if (w.contentType !== 'application/json') {
    return { code: 415, body: status(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf') };
  }
  const { obj: parsed, err } = parseObject(w.t, w.body);
  if (!parsed) return err!;
  if (parsed.apiVersion !== expectedApiVersion(w)) return badRequest(`the API version in the data (${parsed.apiVersion}) does not match the expected API version (${expectedApiVersion(w)})`);
  const meta = knownMeta(parsed.metadata);
  if (w.t.namespaced && meta.namespace !== undefined && meta.namespace !== w.info.namespace) return badRequest('the namespace of the provided object does not match the namespace sent on the request');
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
  const name = meta.name ?? '';
  if (parsed.kind !== w.t.kind) {
    return invalid(w.t, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: "${parsed.kind}": must be ${w.t.kind}`, field: 'kind' }], parsed.kind);
  }
  if (!RFC1123.test(name)) return invalid(w.t, name, [{ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": ${RFC1123_MSG}`, field: 'metadata.name' }]);
  if (w.store.get(w.t, w.info.namespace, name)) {
    return { code: 409, body: status(409, 'AlreadyExists', `${qualified(w.t, w.t.plural)} "${name}" already exists`, { name, ...(w.t.group ? { group: w.t.group } : {}), kind: w.t.plural }) };
  }
  const { obj, causes } = validated(w, { ...parsed, metadata: meta });
  if (causes.length > 0) return invalid(w.t, name, causes);
  const { resourceVersion: _rv, ...rest } = meta;
  obj.metadata = { ...rest, ...(w.t.namespaced ? { namespace: w.info.namespace } : {}), uid: randomUUID(), creationTimestamp: now(), managedFields: managed(w) };
  if (!w.t.builtin) obj.metadata.generation = 1;
  if (w.t.kind === 'Namespace') {
    obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
    Object.assign(obj, { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  if (w.dry) return { code: 201, body: withVersion(w, obj) };
  return { code: 201, body: withVersion(w, w.store.write(w.t, obj)) };
}

/** Stores `next` as the new version of `cur` (or answers the would-be object in a dry run); a no-op keeps `cur`. */
function commit(w: W, cur: KubeObject, next: KubeObject): Answer {
  const { obj, causes } = validated(w, next);
  if (causes.length > 0) return invalid(w.t, cur.metadata.name, causes);
  obj.metadata = { ...knownMeta(obj.metadata), namespace: cur.metadata.namespace, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp, generation: cur.metadata.generation, resourceVersion: cur.metadata.resourceVersion, managedFields: cur.metadata.managedFields };
  if (content(obj) === content(cur)) return { code: 200, body: withVersion(w, cur) };
  if (w.dry) {
    if (obj.metadata.generation !== undefined && JSON.stringify(obj.spec) !== JSON.stringify(cur.spec)) obj.metadata.generation += 1;
    return { code: 200, body: withVersion(w, obj) };
  }
  return { code: 200, body: withVersion(w, w.store.write(w.t, obj)) };
}

/** The status subresource takes only status; the main resource keeps the stored status (when the CRD has the subresource). */
function scoped(w: W, cur: KubeObject, next: KubeObject): KubeObject {
  if (w.info.subresource === 'status') return { ...cur, status: next.status } as KubeObject;
  if (w.t.status && !w.t.builtin) {
    const { status: _s, ...rest } = next as KubeObject & { status?: unknown };
    return ((cur as { status?: unknown }).status === undefined ? rest : { ...rest, status: (cur as { status?: unknown }).status }) as KubeObject;
  }
  return next;
}

function update(w: W): Answer {
  const { obj: body, err } = parseObject(w.t, w.body);
  if (!body) return err!;
  const name = w.info.name!;
  if (body.metadata?.name !== name) return badRequest(`the name of the object (${body.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
  if (body.apiVersion !== expectedApiVersion(w)) return badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expectedApiVersion(w)})`);
  const cur = w.store.get(w.t, w.info.namespace, name);
  if (!cur) return { code: 404, body: notFound(w.t, name) };
  if (w.t.kind === 'Namespace' && w.info.subresource === 'finalize') return finalize(w, cur, body);
  const rv = body.metadata.resourceVersion;
  if (!rv && !w.t.builtin) {
    return invalid(w.t, name, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }], w.t.kind, true);
  }
  if (rv && rv !== cur.metadata.resourceVersion) return { code: 409, body: conflict(w.t, name) };
  return commit(w, cur, scoped(w, cur, body));
}

function patch(w: W): Answer {
  const name = w.info.name!;
  const cur = w.store.get(w.t, w.info.namespace, name);
  if (!cur) return { code: 404, body: notFound(w.t, name) };
  let parsed: unknown;
  try { parsed = JSON.parse(w.body); } catch { return badRequest('the request body is not JSON'); }
  let next: KubeObject;
  const merge = w.contentType === 'application/merge-patch+json' || (w.t.builtin && w.contentType === 'application/strategic-merge-patch+json');
  if (w.contentType === 'application/json-patch+json') {
    if (!Array.isArray(parsed)) return badRequest(`json: cannot unmarshal ${parsed === null ? 'null' : typeof parsed} into Go value of type jsonpatch.Patch`);
    // kube-apiserver loses the patch error's text: a failed `test` and a missing path both read like this.
    try { next = applyJsonPatch(cur, parsed as PatchOp[]); } catch { return { code: 422, body: status(422, 'Invalid', 'the server rejected our request due to an error in our request', {}) }; }
  } else if (merge) {
    next = applyMergePatch(cur, parsed) as KubeObject;
  } else {
    const types = `application/json-patch+json, application/merge-patch+json${w.t.builtin ? ', application/strategic-merge-patch+json' : ''}, application/apply-patch+yaml`;
    return { code: 415, body: status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${types}`) };
  }
  // The patched object's resourceVersion is a precondition.
  if (next.metadata?.resourceVersion !== cur.metadata.resourceVersion) return { code: 409, body: conflict(w.t, name) };
  if (next.metadata?.name !== cur.metadata.name || (w.t.namespaced && next.metadata?.namespace !== cur.metadata.namespace)) {
    return { code: 422, body: status(422, 'Invalid', `${w.t.kind} "${name}" is invalid: metadata.name: Invalid value: the name of the object does not match`) };
  }
  return commit(w, cur, scoped(w, cur, next));
}

const deleted = (t: ResourceType, o: KubeObject) =>
  ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: o.metadata.name, ...(t.group ? { group: t.group } : {}), kind: t.plural, uid: o.metadata.uid } });

function remove(w: W): Answer {
  const name = w.info.name!;
  const cur = w.store.get(w.t, w.info.namespace, name);
  if (!cur) return { code: 404, body: notFound(w.t, name) };
  let opts: { preconditions?: { resourceVersion?: string } } = {};
  try { opts = w.body ? JSON.parse(w.body) : {}; } catch { return badRequest('the request body is not JSON'); }
  const want = opts.preconditions?.resourceVersion;
  if (want !== undefined && want !== cur.metadata.resourceVersion) {
    return { code: 409, body: status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(w.t, w.t.kind)} "${name}": the ResourceVersion in the precondition (${want}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`, { name, ...(w.t.group ? { group: w.t.group } : {}), kind: w.t.kind }) };
  }
  if (w.t.kind === 'Namespace') {
    // No namespace controller: the namespace stays Terminating until its finalizers are emptied (PUT .../finalize).
    const term = { ...cur, metadata: { ...cur.metadata, deletionTimestamp: now() }, status: { phase: 'Terminating' } } as KubeObject;
    return { code: 200, body: w.dry ? term : w.store.write(w.t, term) };
  }
  if (!w.dry) w.store.delete(w.t, w.info.namespace, name);
  return { code: 200, body: deleted(w.t, cur) };
}

function finalize(w: W, cur: KubeObject, body: KubeObject): Answer {
  const finalizers = (body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
  const next = { ...cur, spec: finalizers.length > 0 ? { finalizers } : {} } as KubeObject;
  if (w.dry) return { code: 200, body: next };
  if (finalizers.length === 0 && cur.metadata.deletionTimestamp) { w.store.delete(w.t, undefined, cur.metadata.name); return { code: 200, body: next }; }
  return { code: 200, body: w.store.write(w.t, next) };
}

function removeCollection(w: W): Answer {
  const select = selectorFilter(w.url, w.t);
  if (typeof select !== 'function') return badRequest(select.badRequest);
  const gone = w.store.list(w.t, w.info.namespace).filter(select);
  if (!w.dry) for (const o of gone) w.store.delete(w.t, w.info.namespace, o.metadata.name);
  return { code: 200, body: { apiVersion: expectedApiVersion(w), items: gone.map((o) => withVersion(w, o)), kind: `${w.t.kind}List`, metadata: { continue: '', resourceVersion: w.store.resourceVersion } } };
}

/** PATCH with application/apply-patch+yaml (?fieldManager is checked before): creates or applies (apply.ts). */
function serverSideApply(w: W): Answer {
  const name = w.info.name!;
  let applied: KubeObject;
  try { applied = parseApplied(w.body); } catch { return badRequest('error decoding YAML: the apply body is not YAML'); }
  const cur = w.store.get(w.t, w.info.namespace, name);
  const force = w.url.searchParams.get('force') === 'true';
  const r = apply(cur, { ...applied, metadata: { ...applied.metadata, name, ...(w.t.namespaced ? { namespace: w.info.namespace } : {}) } }, w.manager, force, (f) => entry(w, 'Apply', f));
  if (!r.ok) {
    return { code: 409, body: status(409, 'Conflict', conflictMessage(r.conflicts), { causes: r.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"`, field: c.field })) }) };
  }
  const { obj, causes } = validated(w, r.obj);
  if (causes.length > 0) return invalid(w.t, name, causes);
  if (!cur) {
    obj.metadata = { ...obj.metadata, uid: randomUUID(), creationTimestamp: now(), managedFields: r.managedFields, ...(w.t.builtin ? {} : { generation: 1 }) };
    return { code: 201, body: withVersion(w, w.dry ? obj : w.store.write(w.t, obj)) };
  }
  obj.metadata.managedFields = r.managedFields;
  if (content(obj) === content(cur)) return { code: 200, body: withVersion(w, cur) };
  if (w.dry) return { code: 200, body: withVersion(w, obj) };
  return { code: 200, body: withVersion(w, w.store.write(w.t, obj)) };
}
