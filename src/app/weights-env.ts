// The I/O side of the TUI weight editor: opens targets from the loaded mesh, applies, prepares undo.
// src/ui/weights only receives this object (callbacks, typed in edit/prepare.ts), so the UI itself does no I/O.
import { resolve, sep } from 'node:path';
import type { MeshInput } from '../model/context.js';
import type { GlobalOptions } from '../core/options.js';
import { applyEdits, snapshotTarget, type WriteEnv } from '../sources/edit/apply.js';
import { liveTarget, type ContextResult, type EditTarget, type PreparedEdit, type WeightsEditorEnv } from '../edit/prepare.js';
import { copiesOf, targetOf } from '../sources/edit/targets.js';
import { loadWritePolicy, writeRefusal } from '../sources/edit/policy.js';
import { auditLogPath, lastUndoable, readAudit } from '../sources/edit/audit.js';
import { prepareUndo } from '../edit/undo.js';
import type { VirtualServiceApi } from '../sources/edit/live-writer.js';
import { isRouteKind } from '../edit/gateway-api-weights.js';

export interface EditorEnvOptions {
  auditLog?: string;
  env?: NodeJS.ProcessEnv;
  /** Live access per context (defaults to client-node with the global kubeconfig). */
  live?: (context: string, apiVersion: string, kind?: string) => Promise<{ api: VirtualServiceApi; user: string }>;
  /** Runs after every apply (and undo) with its results, e.g. to follow the write to the proxies. */
  afterWrite?(preps: PreparedEdit[], results: ContextResult[]): void;
}

/** Builds the editor's callbacks for a loaded mesh and the global flags. */
export function createWeightsEditorEnv(input: MeshInput, globals: GlobalOptions, opts: EditorEnvOptions = {}): WeightsEditorEnv {
  const env = opts.env ?? process.env;
  const policy = loadWritePolicy(globals.readOnly, env);
  const auditLog = auditLogPath(opts.auditLog, env);
  const cache = new Map<string, Promise<{ api: VirtualServiceApi; user: string }>>();
  const live = opts.live ?? ((context: string, apiVersion: string, kind = 'VirtualService') => {
    const key = `${context}\0${apiVersion}\0${kind}`;
    if (!cache.has(key)) {
      cache.set(key, import('../sources/edit/kube-client.js').then((m) => m.liveAccess(context, apiVersion, { kubeconfig: globals.kubeconfig, requestTimeout: globals.requestTimeout }, kind)));
    }
    return cache.get(key) as Promise<{ api: VirtualServiceApi; user: string }>;
  });
  const writeEnv: WriteEnv = { policy, auditLog, live };
  const snapshotRoots = input.contexts.filter((c) => c.source.kind === 'snapshot').map((c) => (c.source as { path: string }).path);

  return {
    open(ref) {
      const ctx = input.contexts.find((c) => c.name === ref.context);
      // A VirtualService, or a Gateway API route (its backendRef weights); copies are the same object in the other contexts.
      const route = isRouteKind(ref.kind);
      const kind = route ? ref.kind : 'VirtualService';
      const lo = ctx?.objects.find((o) => o.obj.kind === kind && (!route || o.obj.apiVersion.startsWith('gateway.networking.k8s.io/'))
        && o.obj.metadata.name === ref.name && (o.obj.metadata.namespace ?? 'default') === (ref.namespace ?? 'default'));
      if (!lo) return `${kind} ${ref.namespace ?? 'default'}/${ref.name} is not loaded in ${ref.context}`;
      let target: EditTarget;
      try {
        target = targetOf(input, lo);
      } catch (err) {
        return (err as Error).message;
      }
      const copies: EditTarget[] = [];
      const copyProblems: string[] = [];
      for (const c of copiesOf(input, lo)) {
        try {
          copies.push(targetOf(input, c));
        } catch (err) {
          copyProblems.push(`${c.origin.context}: ${(err as Error).message}`);
        }
      }
      return { target, copies, copyProblems };
    },
    readOnly: (context) => writeRefusal(policy, context),
    async apply(preps, progress) {
      const results = await applyEdits(preps, writeEnv, { dryRun: false, progress });
      opts.afterWrite?.(preps, results);
      return results;
    },
    async prepareUndo() {
      let entries;
      try {
        entries = readAudit(auditLog);
      } catch (err) {
        return (err as Error).message;
      }
      const names = new Set(input.contexts.map((c) => c.name));
      const inSource = (file?: string) => !!file && snapshotRoots.some((r) => file === r || file.startsWith(r + sep) || resolve(file).startsWith(resolve(r) + sep));
      const batch = lastUndoable(entries, (e) => names.has(e.context) && (e.source === 'snapshot' ? inSource(e.file) : snapshotRoots.length === 0));
      if (batch.length === 0) return `nothing to undo in ${auditLog}`;
      const out: PreparedEdit[] = [];
      for (const e of batch) {
        try {
          let target: EditTarget;
          if (e.source === 'snapshot') target = snapshotTarget(e.context, e.file as string, { docIndex: e.docIndex ?? 0, itemIndex: e.itemIndex });
          else target = liveTarget(e.context, (await (await live(e.context, e.apiVersion, e.kind)).api.get(e.namespace, e.name)) as EditTarget['object']);
          out.push(prepareUndo(e, target));
        } catch (err) {
          return `${e.context} ${e.namespace}/${e.name}: ${(err as Error).message}`;
        }
      }
      return out;
    },
  };
}
