// What a manifest parser hands the snapshot loader: candidate objects with their positions, and parse problems.

/** One value that should be a Kubernetes object, with where it starts. */
export interface RawEntry {
  value: unknown;
  /** 0-based document index (YAML); 0 for JSON. */
  docIndex: number;
  /** Index inside a List document's items. */
  itemIndex?: number;
  /** 1-based line where the value starts. */
  line: number;
  /** The enclosing List's kind and apiVersion (e.g. VirtualServiceList), for items that omit their own. */
  list?: { kind: string; apiVersion?: string };
}

export interface ParseProblem {
  message: string;
  docIndex?: number;
  line?: number;
}

export interface ParsedFile {
  entries: RawEntry[];
  problems: ParseProblem[];
}

/** `kind: List`, or a typed list such as `VirtualServiceList`, with an items array. */
export function isListObject(v: unknown): v is { kind: string; apiVersion?: string; items: unknown[] } {
  if (!isRecord(v)) return false;
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
