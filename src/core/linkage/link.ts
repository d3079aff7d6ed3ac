/**
 * Record linkage of named-victim lists, across lists and within them: prepare → block → compare →
 * fit Fellegi–Sunter by EM → score with a term-frequency adjustment → link above a threshold →
 * transitive closure → uncertain pairs for review.
 *
 * The result does not depend on the order of the input: records are put in (list, list id) order
 * first, and every later step is deterministic in that order.
 */

import { Rng } from "../estimation/rng.js";
import { candidatePairs } from "./blocking.js";
import {
  decodePattern,
  type FieldSpec,
  type FittedModel,
  fitEm,
  patternCode,
  patternWeight,
  probabilityFromWeight,
} from "./fellegiSunter.js";
import {
  AGE_LEVELS,
  compareAges,
  compareDates,
  comparePlaces,
  compareSex,
  DATE_LEVELS,
  PLACE_LEVELS,
  SEX_LEVELS,
} from "./fields.js";
import { compareNames, NAME_LEVEL, NAME_LEVELS } from "./names.js";
import { type PreparedRecord, prepareRecord } from "./prepare.js";
import type {
  Entity,
  LinkResult,
  PairDecision,
  RecordRef,
  ReviewPair,
  ReviewReason,
  VictimRecord,
} from "./types.js";
import { UnionFind } from "./unionFind.js";

export interface LinkOptions {
  /** Posterior match probability at or above which a pair is linked (default 0.5). */
  threshold?: number;
  /** Pairs with a probability in [low, high] go to review, the most uncertain first, at most `limit`. */
  review?: { low?: number; high?: number; limit?: number };
  /** Blocks with more records than this are skipped (default 400). */
  maxBlockSize?: number;
  dateToleranceDays?: number;
  ageToleranceYears?: number;
  /** Adjust the name weight by how common the name is (default true). */
  termFrequency?: boolean;
  /** Human decisions from the review desk; they override the model for their pairs. */
  decisions?: PairDecision[];
  /**
   * Refuse a link that would put two records with a hard conflict in one entity (ages more than
   * `conflictAgeYears` apart, or exact dates more than a month apart), which transitive closure
   * otherwise does through a chain of records with missing values. Default true.
   */
  conflictGuard?: boolean;
  conflictAgeYears?: number;
  /**
   * Where the non-match probabilities u used for scoring come from. "random" (default): from a
   * seeded sample of random record pairs, as the classical model defines u, with the prior rescaled
   * from candidate pairs to all pairs; EM still fits m and the match proportion. "candidates": the u
   * EM fitted on the blocked pairs, which blocking biases towards agreement.
   */
  uSource?: "random" | "candidates";
}

export const FIELDS: FieldSpec[] = [
  { name: "name", levels: NAME_LEVELS },
  { name: "date", levels: DATE_LEVELS },
  { name: "place", levels: PLACE_LEVELS },
  { name: "age", levels: AGE_LEVELS },
  { name: "sex", levels: SEX_LEVELS },
];

/** Largest shift, in bits, that name frequency may apply to the name weight. */
const TF_CLAMP = 6;

export function linkRecords(input: VictimRecord[], options: LinkOptions = {}): LinkResult {
  const threshold = options.threshold ?? 0.5;
  const reviewLow = options.review?.low ?? 0.2;
  const reviewHigh = options.review?.high ?? 0.8;
  const reviewLimit = options.review?.limit ?? 1000;
  const dateTol = options.dateToleranceDays ?? 3;
  const ageTol = options.ageToleranceYears ?? 2;
  const useTf = options.termFrequency ?? true;
  const ageConflict = options.conflictAgeYears ?? 6;
  if (!(threshold > 0 && threshold < 1))
    throw new RangeError(`threshold must be in (0, 1), got ${threshold}`);

  const sorted = validateAndSort(input);
  const records = sorted.map((r, i) => prepareRecord(r, i));
  const n = records.length;
  const { codes, skippedBlocks } = candidatePairs(records, { maxBlockSize: options.maxBlockSize ?? 400 });

  // Compare every candidate pair once; keep only its pattern code.
  const pairPattern = new Uint32Array(codes.length);
  const patterns = new Map<number, number>();
  const levels: Array<number | null> = new Array(FIELDS.length).fill(null);
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k] as number;
    const a = records[Math.floor(code / n)] as PreparedRecord;
    const b = records[code % n] as PreparedRecord;
    compareInto(a, b, dateTol, ageTol, levels);
    const pc = patternCode(FIELDS, levels);
    pairPattern[k] = pc;
    // Pairs whose names differ outright are left out of the fit and never linked: blocking brings
    // in many of them (same given name, same day), and in the fit they form a class of their own
    // that EM can mistake for the matches.
    if (levels[0] === NAME_LEVEL.DIFFERENT) continue;
    patterns.set(pc, (patterns.get(pc) ?? 0) + 1);
  }
  const model = fitEm(FIELDS, patterns, { initialPosterior: looksLikeMatch });
  const uSource = options.uSource ?? "random";
  let emPairs = 0;
  for (const c of patterns.values()) emPairs += c;
  const scoring: FittedModel = withMinimumM(
    uSource === "random" ? withRandomU(model, records, dateTol, ageTol, emPairs) : model,
  );
  const weightOf = new Map<number, number>();
  for (const pc of patterns.keys()) weightOf.set(pc, patternWeight(scoring, decodePattern(FIELDS, pc)));

  const tf = !useTf
    ? null
    : uSource === "random"
      ? absoluteNameFrequencies(records, scoring)
      : nameFrequencies(records, codes, pairPattern);
  const decided = decisionMap(options.decisions ?? [], sorted, n);
  const links: Array<{ code: number; weight: number }> = [];
  const review: Array<{
    code: number;
    weight: number;
    probability: number;
    pattern: number;
    reason: ReviewReason;
  }> = [];
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k] as number;
    const pc = pairPattern[k] as number;
    const known = weightOf.get(pc);
    if (known === undefined) continue; // a name that differs outright
    let w = known;
    if (tf) w += tf.adjustment(code, pc);
    const prob = probabilityFromWeight(w);
    if (decided.has(code)) continue;
    if (prob >= threshold) links.push({ code, weight: w });
    if (prob >= reviewLow && prob <= reviewHigh) {
      review.push({ code, weight: w, probability: prob, pattern: pc, reason: "near-threshold" });
    }
  }
  const uf = new UnionFind(n);
  const guard = options.conflictGuard ?? true;
  const members = new Map<number, number[]>();
  const membersOf = (root: number) => members.get(root) ?? [root];
  const conflicts = (x: number, y: number) => {
    for (const i of membersOf(uf.find(x))) {
      for (const j of membersOf(uf.find(y))) {
        if (hardConflict(records[i] as PreparedRecord, records[j] as PreparedRecord, ageConflict))
          return true;
      }
    }
    return false;
  };
  const join = (x: number, y: number) => {
    const rx = uf.find(x);
    const ry = uf.find(y);
    if (rx === ry) return;
    const merged = [...membersOf(rx), ...membersOf(ry)];
    uf.union(rx, ry);
    members.delete(rx);
    members.delete(ry);
    members.set(uf.find(rx), merged);
  };
  for (const [code, same] of decided) if (same) join(Math.floor(code / n), code % n);
  // Strongest links first, so that when a chain would join two incompatible records the weak link
  // in it is the one refused.
  links.sort((x, y) => y.weight - x.weight || x.code - y.code);
  for (const { code, weight } of links) {
    const x = Math.floor(code / n);
    const y = code % n;
    if (uf.find(x) === uf.find(y)) continue;
    if (guard && conflicts(x, y)) {
      const pc = pairPattern[indexOfCode(codes, code)] as number;
      review.push({
        code,
        weight,
        probability: probabilityFromWeight(weight),
        pattern: pc,
        reason: "conflict",
      });
      continue;
    }
    join(x, y);
  }

  review.sort(
    (x, y) => Math.abs(x.probability - threshold) - Math.abs(y.probability - threshold) || x.code - y.code,
  );
  return {
    entities: buildEntities(records, uf),
    pairs_reviewed: codes.length,
    review: review.slice(0, reviewLimit).map((r): ReviewPair => {
      const lv = decodePattern(FIELDS, r.pattern);
      return {
        a: (records[Math.floor(r.code / n)] as PreparedRecord).ref,
        b: (records[r.code % n] as PreparedRecord).ref,
        probability: r.probability,
        weight: r.weight,
        linked: uf.find(Math.floor(r.code / n)) === uf.find(r.code % n),
        reason: r.reason,
        levels: Object.fromEntries(FIELDS.map((f, i) => [f.name, lv[i] ?? null])),
      };
    }),
    model: {
      matchProportion: model.p,
      uSource,
      fields: FIELDS.map((f, i) => ({
        field: f.name,
        m: scoring.m[i] as number[],
        u: scoring.u[i] as number[],
      })),
      iterations: model.iterations,
      threshold,
    },
    blocking: { candidatePairs: codes.length, skippedBlocks },
  };
}

/**
 * The rule of thumb that starts EM: near-identical names with no disagreeing date, place or age.
 * Only a starting point; EM then re-weighs every field from the data.
 */
function looksLikeMatch(levels: Array<number | null>): number {
  const [name, date, place, age] = levels;
  const strongName =
    name === NAME_LEVEL.EXACT || name === NAME_LEVEL.VERY_CLOSE || name === NAME_LEVEL.CROSS_EXACT;
  const ok = (l: number | null | undefined, min: number) => l === null || l === undefined || l >= min;
  return strongName && ok(date, 2) && ok(place, 1) && ok(age, 1) ? 0.9 : 0.02;
}

/** Fills `out` with the agreement levels of a pair, in FIELDS order. Symmetric in a and b. */
export function compareInto(
  a: PreparedRecord,
  b: PreparedRecord,
  dateTol: number,
  ageTol: number,
  out: Array<number | null>,
): void {
  out[0] = compareNames(a.name, b.name).level;
  out[1] = compareDates(a.date, b.date, dateTol);
  out[2] = comparePlaces(a.place, b.place);
  out[3] = compareAges(a.age, b.age, ageTol);
  out[4] = compareSex(a.sex, b.sex);
}

function refKey(list: string, id: string): string {
  return `${list}\u0000${id}`;
}

function validateAndSort(input: VictimRecord[]): VictimRecord[] {
  const seen = new Map<string, number>();
  input.forEach((r, i) => {
    if (!r.list) throw new RangeError(`record ${i}: "list" is empty`);
    if (!r.listId) throw new RangeError(`record ${i} (list "${r.list}"): "listId" is empty`);
    const key = refKey(r.list, r.listId);
    const prev = seen.get(key);
    if (prev !== undefined) {
      throw new RangeError(`records ${prev} and ${i}: list "${r.list}" has the id "${r.listId}" twice`);
    }
    seen.set(key, i);
  });
  return [...input].sort((x, y) => compareStrings(x.list, y.list) || compareStrings(x.listId, y.listId));
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Term frequency of the name. Agreeing on a name shared by many people says less than agreeing on a
 * rare one; the model's u for exact name agreement is an average over the names that agree. The
 * adjustment log2(f̄ / f_v), where f_v is the share of records carrying the name and f̄ its mean over
 * the candidate pairs agreeing at that level, moves each pair's weight above or below that average.
 * It applies to exact agreement in one script and to exact skeleton agreement across scripts.
 */
function nameFrequencies(records: PreparedRecord[], codes: Float64Array, pairPattern: Uint32Array) {
  const n = records.length;
  const counts = new Map<string, number>();
  for (const r of records) if (r.nameValue) counts.set(r.nameValue, (counts.get(r.nameValue) ?? 0) + 1);
  const freq = (code: number): number => {
    const a = records[Math.floor(code / n)] as PreparedRecord;
    const b = records[code % n] as PreparedRecord;
    // The commoner of the two: the conservative choice.
    return Math.max(counts.get(a.nameValue) ?? 1, counts.get(b.nameValue) ?? 1) / n;
  };
  const nameLevel = (pc: number) => pc % (NAME_LEVELS + 1);
  const adjusted: number[] = [NAME_LEVEL.EXACT, NAME_LEVEL.CROSS_EXACT];
  const sum = new Map<number, { total: number; count: number }>(
    adjusted.map((l) => [l, { total: 0, count: 0 }]),
  );
  for (let k = 0; k < codes.length; k++) {
    const acc = sum.get(nameLevel(pairPattern[k] as number));
    if (!acc) continue;
    acc.total += freq(codes[k] as number);
    acc.count++;
  }
  const mean = new Map([...sum].map(([l, { total, count }]) => [l, count > 0 ? total / count : 1]));
  return {
    adjustment(code: number, pc: number): number {
      const m = mean.get(nameLevel(pc));
      if (m === undefined) return 0;
      return Math.max(-TF_CLAMP, Math.min(TF_CLAMP, Math.log2(m / freq(code))));
    },
  };
}

/**
 * Smallest m allowed for any level. Records of one person do disagree now and then (an age guessed
 * four years off, a place of residence for a place of death); EM on blocked pairs can drive such a
 * level's m to zero, which would make one disagreement veto any amount of agreement. The floor caps
 * the penalty of a single disagreement at about 7 bits.
 */
const MIN_M = 0.005;

function withMinimumM(model: FittedModel): FittedModel {
  const m = model.m.map((levels) => {
    const floored = levels.map((x) => Math.max(x, MIN_M));
    const s = floored.reduce((a, b) => a + b, 0);
    return floored.map((x) => x / s);
  });
  return { ...model, m };
}

/** Pairs drawn to estimate u: enough for levels with a probability of 1e-4 to be seen a few times. */
const U_SAMPLE = 200_000;

/**
 * Replaces u by level frequencies among random pairs (almost all non-matches), and the prior by the
 * match proportion among all pairs. The sample is drawn with a fixed seed over records in canonical
 * order, so it is reproducible and independent of input order.
 */
function withRandomU(
  model: FittedModel,
  records: PreparedRecord[],
  dateTol: number,
  ageTol: number,
  emPairs: number,
): FittedModel {
  const n = records.length;
  const allPairs = (n * (n - 1)) / 2;
  if (n < 2) return model;
  const counts = FIELDS.map((f) => new Array<number>(f.levels).fill(0.5));
  const rng = new Rng(0x7a11);
  const levels: Array<number | null> = new Array(FIELDS.length).fill(null);
  const draws = Math.min(U_SAMPLE, allPairs);
  for (let k = 0; k < draws; k++) {
    const i = rng.int(n);
    let j = rng.int(n - 1);
    if (j >= i) j++;
    compareInto(records[i] as PreparedRecord, records[j] as PreparedRecord, dateTol, ageTol, levels);
    levels.forEach((l, f) => {
      if (l !== null && l !== undefined)
        (counts[f] as number[])[l] = ((counts[f] as number[])[l] as number) + 1;
    });
  }
  const u = counts.map((c) => {
    const total = c.reduce((a, b) => a + b, 0);
    return c.map((x) => x / total);
  });
  const matches = model.p * emPairs;
  const p = Math.min(0.5, Math.max(1e-12, matches / allPairs));
  return { ...model, u, p };
}

/**
 * Term frequency against random pairs: the chance that a random other record carries the same name
 * is its share f_v among all records, so u for exact agreement on v is f_v itself, and the adjustment
 * replaces the average u of the level by it.
 */
function absoluteNameFrequencies(records: PreparedRecord[], model: FittedModel) {
  const n = records.length;
  const counts = new Map<string, number>();
  for (const r of records) if (r.nameValue) counts.set(r.nameValue, (counts.get(r.nameValue) ?? 0) + 1);
  const uName = model.u[0] as number[];
  const nameLevel = (pc: number) => pc % (NAME_LEVELS + 1);
  return {
    adjustment(code: number, pc: number): number {
      const l = nameLevel(pc);
      if (l !== NAME_LEVEL.EXACT && l !== NAME_LEVEL.CROSS_EXACT) return 0;
      const a = records[Math.floor(code / n)] as PreparedRecord;
      const b = records[code % n] as PreparedRecord;
      // Other records with the commoner of the two names (the pair itself excluded).
      const others = Math.max(counts.get(a.nameValue) ?? 1, counts.get(b.nameValue) ?? 1) - 1;
      const fv = Math.max(others, 0.5) / n;
      // The principled value, unclamped: the level weight becomes log2(m / f_v).
      return Math.log2((uName[l] as number) / fv);
    },
  };
}

/** A pair that cannot be one person whatever their names say. */
function hardConflict(a: PreparedRecord, b: PreparedRecord, ageYears: number): boolean {
  if (a.age !== null && b.age !== null && Math.abs(a.age - b.age) > ageYears) return true;
  if (
    a.date &&
    b.date &&
    a.date.span === 1 &&
    b.date.span === 1 &&
    Math.abs(a.date.start - b.date.start) > 31
  ) {
    return true;
  }
  return false;
}

/** Position of a pair code in the sorted candidate codes. */
function indexOfCode(codes: Float64Array, code: number): number {
  let lo = 0;
  let hi = codes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((codes[mid] as number) < code) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function decisionMap(decisions: PairDecision[], sorted: VictimRecord[], n: number): Map<number, boolean> {
  const index = new Map<string, number>();
  sorted.forEach((r, i) => {
    index.set(refKey(r.list, r.listId), i);
  });
  const out = new Map<number, boolean>();
  const find = (ref: RecordRef, which: string, i: number): number => {
    const x = index.get(refKey(ref.list, ref.list_id));
    if (x === undefined) {
      throw new RangeError(
        `decision ${i}: record ${which} (${ref.list}, ${ref.list_id}) is not among the records`,
      );
    }
    return x;
  };
  decisions.forEach((d, i) => {
    const a = find(d.a, "a", i);
    const b = find(d.b, "b", i);
    if (a === b) return;
    out.set(a < b ? a * n + b : b * n + a, d.same);
  });
  return out;
}

function buildEntities(records: PreparedRecord[], uf: UnionFind): Entity[] {
  const groups = new Map<number, RecordRef[]>();
  for (const r of records) {
    const root = uf.find(r.index);
    const g = groups.get(root);
    if (g) g.push(r.ref);
    else groups.set(root, [r.ref]);
  }
  // Records are already in (list, id) order, so each group's first record names the entity.
  const entities = [...groups.values()].map((refs) => ({
    id: `${(refs[0] as RecordRef).list}:${(refs[0] as RecordRef).list_id}`,
    records: refs,
  }));
  return entities.sort((x, y) => compareStrings(x.id, y.id));
}
