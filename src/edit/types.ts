// Shared types of the weight editor: rules, destinations, field edits and plans.

export type RuleKind = 'http' | 'tcp' | 'tls';

/** One route rule of a VirtualService: spec.<kind>[index]. */
export interface RuleRef {
  kind: RuleKind;
  index: number;
}

/** A path inside an object, e.g. ['spec', 'http', 0, 'route', 1, 'weight']. */
export type FieldPath = (string | number)[];

/** A destination a rule sends traffic (or a mirrored copy) to, and the share written at `path`. */
export interface WeightedDestination {
  host: string;
  subset?: string;
  port?: number | string;
  /** The share as written (undefined when the field is absent, NaN when it is not a number). */
  raw: number | undefined;
  /** The share Istio applies. */
  effective: number;
  path: FieldPath;
}

/** A `route` entry: `raw` is its weight; `effective` is that weight, or 100 for a lone destination without one, else 0. */
export interface DestinationRow extends WeightedDestination {
  /** Index in the rule's `route` list. */
  index: number;
}

/**
 * A mirror: `raw` is mirrorPercentage.value (or legacy mirrorPercent / mirrors[i].percentage.value) as written;
 * `effective` is 100 (all mirrored) when it is absent.
 */
export interface MirrorRow extends WeightedDestination {
  /** Index in `mirrors` when the rule uses the list form. */
  mirrorsIndex?: number;
}

export interface RuleView {
  ref: RuleRef;
  name?: string;
  /** "http[0]" or "http[0] reviews-v2" */
  label: string;
  /** Short summary of the match conditions. */
  match: string;
  destinations: DestinationRow[];
  mirrors: MirrorRow[];
  /** Sum of effective weights. */
  total: number;
}

/** One number to change. `before` undefined: the field is added. */
export interface FieldEdit {
  path: FieldPath;
  before: number | undefined;
  after: number;
}

/** New values for one rule: weights in route order, and optional mirror percentages in mirror-row order. */
export interface RuleValues {
  weights: number[];
  mirrors: number[];
}

/** A file's content as read for an edit, with its hash: the precondition of the write. */
export interface FileRead {
  path: string;
  text: string;
  sha256: string;
}

/** One line of the audit log: an applied edit (sources/edit/audit.ts reads and appends them). */
export interface AuditEntry {
  /** ISO time of the write. */
  time: string;
  /** Unique id of this entry. */
  id: string;
  /** Entries written by one command (several contexts) share a batch id. */
  batch: string;
  action: 'set' | 'undo';
  /** For an undo: the id of the entry it reverted. */
  undoOf?: string;
  /** kubeconfig user of the context (live), or the local OS user (snapshot). */
  user: string;
  source: 'live' | 'snapshot';
  context: string;
  namespace: string;
  name: string;
  kind: string;
  apiVersion: string;
  uid?: string;
  resourceVersionBefore?: string;
  resourceVersionAfter?: string;
  /** Snapshot file (absolute) and its hashes before and after. */
  file?: string;
  fileSha256Before?: string;
  fileSha256After?: string;
  docIndex?: number;
  itemIndex?: number;
  rule: RuleRef & { name?: string; label: string };
  /** Weight by destination selector ("host:subset", planner.destinationSelector). */
  weightsBefore: Record<string, number | null>;
  weightsAfter: Record<string, number | null>;
  /** Mirror percentages by mirror host, when they changed. */
  mirrorBefore?: Record<string, number | null>;
  mirrorAfter?: Record<string, number | null>;
  /** The exact fields written: path, before (null = absent) and after. */
  fields: { path: (string | number)[]; before: number | null; after: number }[];
}
