// Analyzer framework types: a check is a pure function over the loaded model that returns findings.
import type { AnalysisInput } from './input.js';

export type Level = 'Error' | 'Warning' | 'Info';

export const LEVEL_RANK: Record<Level, number> = { Info: 0, Warning: 1, Error: 2 };

export interface Finding {
  code: string;
  level: Level;
  /** Kube context the offending object lives in. */
  context: string;
  /** "Kind ns/name" (or "Kind name" when the object has no namespace), as istioctl prints it. */
  origin: string;
  /** Name of the check that produced it. */
  check: string;
  /** YAML path of the offending field, e.g. spec.http[0].route[1].destination.subset */
  path?: string;
  message: string;
  /** The object, to locate the tree node: objectId(context, kind, namespace, name) in src/mesh/objects.ts. */
  ref: { context: string; kind: string; namespace?: string; name: string };
  /** Source file and 1-based line, when the object came from a file. */
  file?: string;
  line?: number;
  /** Proxy pod ("ns/pod") for per-proxy findings (drift, endpoint health). */
  proxy?: string;
  /** Other contexts involved (cross-context findings). */
  related?: string[];
}

export interface CheckCode { code: string; level: Level; summary: string }

export interface Check {
  /** istioctl's analyzer name where meshscope does that analyzer's job, else a descriptive name. */
  name: string;
  codes: CheckCode[];
  /** One line: what the check looks for. */
  description: string;
  /** Needs proxies (Envoy config) or several contexts to say anything. */
  needs?: 'envoy' | 'mesh';
  run(input: AnalysisInput): Finding[];
}
