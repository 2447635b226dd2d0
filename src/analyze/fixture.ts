// Builds analysis input from inline YAML: for the checks' unit tests and for embedding callers.
import type { ContextSnapshot, MeshInput } from '../model/context.js';
import { objectsOfFile } from '../sources/snapshot.js';
import { buildAnalysisInput, type AnalysisInput, type BuildOptions } from './model.js';

export function contextFromYaml(name: string, yaml: string): ContextSnapshot {
  const issues: ContextSnapshot['issues'] = [];
  const objects = objectsOfFile(yaml, false, name, `${name}.yaml`, issues);
  if (issues.some((i) => i.severity === 'error')) throw new Error(issues.map((i) => i.message).join('; '));
  return { name, source: { kind: 'snapshot', path: name }, objects, proxies: [], issues, status: 'ok' };
}

/** `{ contextName: yaml }` → AnalysisInput. */
export function inputFromYaml(contexts: Record<string, string>, opts: BuildOptions = {}): AnalysisInput {
  const input: MeshInput = { contexts: Object.entries(contexts).map(([n, y]) => contextFromYaml(n, y)) };
  return buildAnalysisInput(input, opts);
}
