/** Record linkage of named-victim lists: the functions the CLI, API and review desk call. */
export { blockingKeys, candidatePairs } from "./blocking.js";
export { compareAges, compareDates, comparePlaces, compareSex, prepareDate, preparePlace } from "./fields.js";
export { captureHistories, type Stratifier, type StratifyOptions, UNKNOWN_STRATUM } from "./histories.js";
export { compareInto, FIELDS, type LinkOptions, linkRecords } from "./link.js";
export {
  compareNames,
  latinSkeleton,
  NAME_LEVEL,
  NAME_LEVELS,
  type PreparedName,
  prepareName,
  romanKey,
  wordSimilarity,
} from "./names.js";
export { hasPersianScript, normalizePersian, persianSkeleton } from "./persian.js";
export { prepareRecord } from "./prepare.js";
export type {
  Entity,
  FieldParameters,
  LinkResult,
  PairDecision,
  RecordRef,
  ReviewPair,
  VictimRecord,
} from "./types.js";
