// One analyze run, shared by the CLI and tests: read FILE|DIR manifests (or take loaded input), build the checks' input, run them.
import type { MeshInput } from '../model/context.js';
import type { Mesh } from '../mesh/join.js';
import type { Finding } from '../analyze/types.js';
import { buildAnalysisInput } from '../analyze/input.js';
import { type MeshConfigLite } from '../model/mesh-config.js';
import { runChecks, type RunOptions } from '../analyze/registry.js';
import { loadManifests } from '../sources/analyze-inputs.js';

export interface AnalyzeRequest extends RunOptions {
  /** FILE|DIR manifests (istioctl analyze -f). */
  files?: string[];
  /** Already loaded input (snapshot folder or live). Used when no files are given. */
  input?: MeshInput;
  /** Namespace given to manifests without one (default 'default', like istioctl's CLI). */
  defaultNamespace?: string;
  meshConfig?: Partial<MeshConfigLite>;
  /** Joins the mesh (proxies, cross-context hops) for meshscope's own checks; injected to keep this file light. */
  join?: (input: MeshInput) => Mesh;
}

export interface AnalyzeResult { input: MeshInput; findings: Finding[] }

export function analyze(req: AnalyzeRequest): AnalyzeResult {
  const input: MeshInput = req.files && req.files.length > 0
    ? { contexts: [loadManifests(req.files)] }
    : (req.input ?? { contexts: [] });
  const mesh = req.join && input.contexts.some((c) => c.proxies.length > 0 || input.contexts.length > 1) ? req.join(input) : undefined;
  const model = buildAnalysisInput(input, { defaultNamespace: req.defaultNamespace, meshConfig: req.meshConfig, mesh });
  return { input, findings: runChecks(model, req) };
}
