// Shared by the checks that read the joined mesh: its route rules and how a finding names one.
import type { AnalysisInput } from './input.js';
import type { RuleModel } from '../mesh/objects.js';

/** `"name"` for a named rule, else `http[0]`. */
export function ruleLabel(r: RuleModel): string {
  return r.name ? JSON.stringify(r.name) : `${r.protocol}[${r.index}]`;
}

/** Every rule of the joined mesh (none when the input was not joined). */
export function meshRules(input: AnalysisInput): RuleModel[] {
  return input.mesh ? [...input.mesh.allRules()] : [];
}
