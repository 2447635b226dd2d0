// Shared by the ambient checks: the enrollment of a context (built once per snapshot) and findings with
// meshscope's MS06xx codes.
import { ambientOfSnapshot, type AmbientContext } from '../mesh/ambient.js';
import { toFqdn } from '../mesh/hosts.js';
import type { ContextIndex, AnalyzedObject } from './input.js';
import type { Finding, Level } from './types.js';

export function ambientOf(ctx: ContextIndex): AmbientContext {
  return ambientOfSnapshot(ctx.snapshot);
}

export function ambientFinding(check: string, o: AnalyzedObject, code: string, level: Level, message: string, path?: string, extra: Partial<Finding> = {}): Finding {
  return {
    code, level, context: o.context, origin: o.origin, check, path, message,
    ref: { context: o.context, kind: o.kind, namespace: o.namespace || undefined, name: o.name },
    file: o.loaded.origin.file, line: o.loaded.origin.line,
    ...extra,
  };
}

/** The in-cluster Service ("ns/name") a host names, seen from `namespace`. */
export function serviceOfHost(host: string, namespace: string): string | undefined {
  const m = /^([^.*]+)\.([^.]+)\.svc\.cluster\.local$/.exec(toFqdn(host, namespace));
  return m ? `${m[2]}/${m[1]}` : undefined;
}

export const isAmbient = (mode: string | undefined) => mode === 'ambient' || mode === 'ambient-waypoint';
