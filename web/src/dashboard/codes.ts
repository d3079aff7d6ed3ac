/**
 * The vocabulary's codes for the dashboard, read off the word tables in src/core/locale.ts so the public
 * pages do not load the schema library with src/core/vocabulary.ts. A test keeps them equal to the vocabulary.
 */
import { GRADE_WORDS, METRIC_WORDS, STATUS_WORDS, TYPE_WORDS } from "../../../src/core/locale.js";

export const METRIC_CODES: readonly string[] = Object.keys(METRIC_WORDS);
export const TYPE_CODES: readonly string[] = Object.keys(TYPE_WORDS);
export const STATUS_CODES: readonly string[] = Object.keys(STATUS_WORDS);
export const GRADE_CODES: readonly string[] = Object.keys(GRADE_WORDS).filter((g) => g !== "headline");
