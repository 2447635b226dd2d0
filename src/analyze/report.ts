// Builds a Finding for an object from a message name and its arguments.
import type { Finding } from './types.js';
import type { AnalyzedObject } from './input.js';
import { render, type MessageName } from './messages.js';

export function report(check: string, o: AnalyzedObject, name: MessageName, args: readonly unknown[], path?: string, extra: Partial<Finding> = {}): Finding {
  const r = render(name, args);
  return {
    code: r.code, level: r.level, context: o.context, origin: o.origin, check, path, message: r.message,
    ref: { context: o.context, kind: o.kind, namespace: o.namespace || undefined, name: o.name },
    file: o.loaded.origin.file, line: o.loaded.origin.line,
    ...extra,
  };
}
