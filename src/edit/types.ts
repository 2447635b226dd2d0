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
