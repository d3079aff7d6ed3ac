/** Record-linkage types shared by the linkage modules and their callers. */

export interface VictimRecord {
  /** Name of the list (the organisation's list) the record comes from. */
  list: string;
  /** The record's id within its list; (list, listId) must be unique. */
  listId: string;
  name: string;
  nameFa?: string | null;
  age?: number | null;
  sex?: "m" | "f" | null;
  /** ISO date: YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known. */
  date?: string | null;
  place?: string | null;
  extra?: Record<string, string>;
}

export interface RecordRef {
  list: string;
  list_id: string;
}

export interface Entity {
  id: string;
  records: RecordRef[];
}

export interface ReviewPair {
  a: RecordRef;
  b: RecordRef;
  /** Posterior probability that the two records are the same person, under the fitted model. */
  probability: number;
  /** Match weight in bits: log2 of the likelihood ratio plus the prior odds. */
  weight: number;
  /** Whether the two records ended in the same entity. */
  linked: boolean;
  /**
   * near-threshold: the model is unsure. conflict: the pair scored above the threshold, but linking
   * it would have put records with incompatible ages or dates into one entity, so it was refused.
   */
  reason: ReviewReason;
  /** Per-field agreement level (null: missing on either side), for the review desk. */
  levels: Record<string, number | null>;
}

export type ReviewReason = "near-threshold" | "conflict";

export interface FieldParameters {
  field: string;
  /** P(level | same person), per level. */
  m: number[];
  /** P(level | different people), per level. */
  u: number[];
}

export interface LinkResult {
  entities: Entity[];
  /** Candidate pairs the model compared and scored (after blocking). */
  pairs_reviewed: number;
  /** Pairs near the threshold, most uncertain first, for human review. */
  review: ReviewPair[];
  model: {
    /** Share of the compared pairs that EM puts in the match class. */
    matchProportion: number;
    /** Where the u in `fields` come from (see LinkOptions.uSource). */
    uSource: "random" | "candidates";
    fields: FieldParameters[];
    iterations: number;
    threshold: number;
  };
  blocking: {
    candidatePairs: number;
    /** Blocks larger than the cap, left out to bound the work; their keys are listed. */
    skippedBlocks: Array<{ key: string; size: number }>;
  };
}

/** A human decision on a pair, from the review desk; it overrides the model for that pair. */
export interface PairDecision {
  a: RecordRef;
  b: RecordRef;
  same: boolean;
}
