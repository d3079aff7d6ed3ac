/**
 * Field comparators other than names. Each returns an agreement level, higher meaning closer, or null
 * when either side is missing: a missing value is neither agreement nor disagreement, and the
 * Fellegi–Sunter weight simply leaves the field out.
 */
import { latinSkeleton, romanKey } from "./names.js";
import { hasPersianScript, normalizePersian, persianSkeleton } from "./persian.js";
import { foldLatin, jaroWinkler } from "./strings.js";

export interface PreparedDate {
  /** Days since 1970-01-01 of the first day of the period. */
  start: number;
  /** Days in the period: 1 for a day, 28–31 for a month, 365/366 for a year. */
  span: number;
}

/** Parses YYYY-MM-DD, YYYY-MM or YYYY (as the CSV import keeps them). Anything else is missing. */
export function prepareDate(s: string | null | undefined): PreparedDate | null {
  if (!s) return null;
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]);
  if (m[3] !== undefined) {
    const t = Date.UTC(y, Number(m[2]) - 1, Number(m[3]));
    return Number.isNaN(t) ? null : { start: t / 86_400_000, span: 1 };
  }
  if (m[2] !== undefined) {
    const mo = Number(m[2]) - 1;
    const start = Date.UTC(y, mo, 1) / 86_400_000;
    return { start, span: Date.UTC(y, mo + 1, 1) / 86_400_000 - start };
  }
  const start = Date.UTC(y, 0, 1) / 86_400_000;
  return { start, span: Date.UTC(y + 1, 0, 1) / 86_400_000 - start };
}

export const DATE_LEVELS = 4;

/**
 * 3 same day; 2 within `toleranceDays` (or overlapping periods when one is only a month or year);
 * 1 within `looseDays`; 0 further apart.
 */
export function compareDates(
  a: PreparedDate | null,
  b: PreparedDate | null,
  toleranceDays = 3,
  looseDays = 31,
): number | null {
  if (!a || !b) return null;
  if (a.span === 1 && b.span === 1) {
    const d = Math.abs(a.start - b.start);
    return d === 0 ? 3 : d <= toleranceDays ? 2 : d <= looseDays ? 1 : 0;
  }
  // Distance between the periods (0 when they overlap).
  const gap = Math.max(0, Math.max(a.start, b.start) - Math.min(a.start + a.span, b.start + b.span) + 1);
  return gap === 0 ? 2 : gap <= looseDays ? 1 : 0;
}

export const AGE_LEVELS = 3;

/** 2 same age; 1 within `toleranceYears` (ages are often guessed or reported a year apart); 0 otherwise. */
export function compareAges(
  a: number | null | undefined,
  b: number | null | undefined,
  toleranceYears = 2,
): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  const d = Math.abs(a - b);
  return d === 0 ? 2 : d <= toleranceYears ? 1 : 0;
}

export const SEX_LEVELS = 2;

export function compareSex(a: "m" | "f" | null | undefined, b: "m" | "f" | null | undefined): number | null {
  if (!a || !b) return null;
  return a === b ? 1 : 0;
}

/** A place reduced to its first part ("Karaj, Alborz" → Karaj). */
export interface PreparedPlace {
  /** Romanised key of the words (Latin input only), else null. */
  key: string | null;
  words: string[];
  /** Consonant skeleton, comparable across scripts. */
  skeleton: string;
}

// Generic words that one list writes and another drops: "Bandar-e Mahshahr" = "Mahshahr".
const PLACE_NOISE = new Set(
  ["bandar", "shahr", "city", "province", "ostan", "shahrestan", "e", "ye", "-e"].map(romanKey),
);
const PLACE_NOISE_FA = new Set(["بندر", "شهر", "استان", "شهرستان"]);

/** "بندرعباس" is often written as one word: drop the generic first part there too. */
function stripPersianPrefix(word: string): string {
  for (const p of PLACE_NOISE_FA)
    if (word.length > p.length + 1 && word.startsWith(p)) return word.slice(p.length);
  return word;
}

export function preparePlace(s: string | null | undefined): PreparedPlace | null {
  if (!s) return null;
  const first = (s.split(/[,،(]/)[0] ?? "").trim();
  if (!first) return null;
  if (hasPersianScript(first)) {
    const words = normalizePersian(first)
      .split(" ")
      .map(stripPersianPrefix)
      .filter((w) => w.length > 0 && !PLACE_NOISE_FA.has(w));
    const skeleton = words.map(persianSkeleton).join("");
    return skeleton ? { key: null, words: [], skeleton } : null;
  }
  const words = foldLatin(first)
    .split(/[\s\-_.'/]+/)
    .map(romanKey)
    .filter((w) => w.length > 0 && !PLACE_NOISE.has(w));
  if (words.length === 0) return null;
  return { key: words.join(""), words, skeleton: words.map(latinSkeleton).join("") };
}

export const PLACE_LEVELS = 3;

/**
 * 2 same key; 1 close spelling (Jaro–Winkler ≥ 0.9) or one name containing the other
 * ("Bandar-e Mahshahr, Khuzestan" and "Mahshahr"); 0 different. Across scripts the consonant
 * skeletons are compared instead.
 */
export function comparePlaces(a: PreparedPlace | null, b: PreparedPlace | null): number | null {
  if (!a || !b) return null;
  if (a.key !== null && b.key !== null) {
    if (a.key === b.key) return 2;
    if (a.words.some((w) => b.words.includes(w)) || jaroWinkler(a.key, b.key) >= 0.9) return 1;
    return 0;
  }
  if (a.skeleton === b.skeleton) return 2;
  return jaroWinkler(a.skeleton, b.skeleton) >= 0.9 ? 1 : 0;
}
