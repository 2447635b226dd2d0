// Shared by the checks that read the joined mesh: its route rules and how a finding names one.
import type { AnalysisInput } from './input.js';
import type { LoadedObject } from '../model/resources.js';
import type { RuleModel } from '../mesh/objects.js';

/** `"name"` for a named rule, else `http[0]`; a rule generated from a Gateway API route is its route rule, `rules[0]`. */
export function ruleLabel(r: RuleModel): string {
  if (r.source) return `rules[${r.source.rule}]`;
  return r.name ? JSON.stringify(r.name) : `${r.protocol}[${r.index}]`;
}

/** The object a finding on the rule names: its VirtualService, or the Gateway API route it was generated from. */
export function ruleObject(r: RuleModel): LoadedObject {
  return r.source?.loaded ?? r.vs.loaded;
}

/** Every rule of the joined mesh (none when the input was not joined). */
export function meshRules(input: AnalysisInput): RuleModel[] {
  return input.mesh ? [...input.mesh.allRules()] : [];
}
