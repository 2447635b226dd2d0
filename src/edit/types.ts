// Shared types of the weight editor: rules, destinations, field edits and plans.

export type RuleKind = 'http' | 'tcp' | 'tls';

/** One route rule of a VirtualService: spec.<kind>[index]. */
export interface RuleRef {
  kind: RuleKind;
  index: number;
}

/** A path inside an object, e.g. ['spec', 'http', 0, 'route', 1, 'weight']. */
export type FieldPath = (string | number)[];

export interface DestinationRow {
  /** Index in the rule's `route` list. */
  index: number;
  host: string;
  subset?: string;
  port?: number | string;
  /** The weight as written (undefined when the field is absent, NaN when it is not a number). */
  raw: number | undefined;
  /** What Istio applies: the written weight, or 100 for a lone destination without one, else 0. */
  effective: number;
  path: FieldPath;
}

export interface MirrorRow {
  host: string;
  subset?: string;
  port?: number | string;
  /** mirrorPercentage.value (or legacy mirrorPercent / mirrors[i].percentage.value) as written. */
  raw: number | undefined;
  /** Absent means 100% mirrored. */
  effective: number;
  path: FieldPath;
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
