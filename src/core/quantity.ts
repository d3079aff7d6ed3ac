/**
 * Quantities: every figure is a range `low..high`, where `high === null` means open above.
 * The rules follow PRODUCT.md: a qualifier fixes how low and high follow from the text, and sums add
 * lows and highs separately, so that a sum is never more precise than its parts.
 */
import type { Qualifier } from "./vocabulary.js";

export interface Range {
  low: number;
  /** null: open above ("over 49,800", "at least 304"). */
  high: number | null;
}

export interface Quantity extends Range {
  qualifier: Qualifier;
}

export const ZERO: Range = Object.freeze({ low: 0, high: 0 });

/** Adds ranges: lows with lows, highs with highs; one open part opens the sum. */
export function addRanges(a: Range, b: Range): Range {
  return { low: a.low + b.low, high: a.high === null || b.high === null ? null : a.high + b.high };
}

export function sumRanges(parts: Iterable<Range>): Range {
  let acc: Range = ZERO;
  for (const p of parts) acc = addRanges(acc, p);
  return acc;
}

/** Vague magnitudes, counted conservatively as ACLED does; the high end is the top of the order. */
export const VAGUE_MAGNITUDES = {
  tens: { low: 10, high: 99 },
  dozens: { low: 12, high: 99 },
  scores: { low: 20, high: 99 },
  hundreds: { low: 100, high: 999 },
  thousands: { low: 1000, high: 9999 },
  "tens of thousands": { low: 10_000, high: 99_999 },
  "hundreds of thousands": { low: 100_000, high: 999_999 },
  millions: { low: 1_000_000, high: 9_999_999 },
} as const satisfies Record<string, Range>;
export type VagueMagnitude = keyof typeof VAGUE_MAGNITUDES;

/**
 * The range a qualified figure stands for. `value` is the number written; `upper` the second number of a range.
 * `less_than n` covers 0..n-1 and `up_to n` covers 0..n: neither says anything happened at all.
 */
export function quantityOf(qualifier: Qualifier, value: number, upper?: number): Quantity {
  switch (qualifier) {
    case "exact":
    case "about":
      return { qualifier, low: value, high: value };
    case "over":
    case "at_least":
      return { qualifier, low: value, high: null };
    case "less_than":
      return { qualifier, low: 0, high: Math.max(0, value - 1) };
    case "up_to":
      return { qualifier, low: 0, high: value };
    case "range": {
      const hi = upper ?? value;
      return { qualifier, low: Math.min(value, hi), high: Math.max(value, hi) };
    }
    case "vague":
      return { qualifier, low: value, high: upper ?? null };
  }
}

export function vagueQuantity(magnitude: VagueMagnitude): Quantity {
  const r = VAGUE_MAGNITUDES[magnitude];
  return { qualifier: "vague", low: r.low, high: r.high };
}

const COUNT = /^\s*(\d[\d,]*)\s*(?:[-–]\s*(\d[\d,]*)\s*)?$/;

/**
 * Parses a count cell of an import file: `N` or `N-M` (separators allowed). Returns null for an empty cell,
 * and throws a message fit for a `file:line: column: message` report otherwise.
 */
export function parseCount(text: string): Range | null {
  if (text.trim() === "") return null;
  const m = COUNT.exec(text);
  if (!m) throw new Error(`expected a count N or a range N-M, got ${JSON.stringify(text.slice(0, 40))}`);
  const low = Number((m[1] ?? "").replaceAll(",", ""));
  const high = m[2] === undefined ? low : Number(m[2].replaceAll(",", ""));
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) throw new Error("count is too large");
  if (high < low) throw new Error(`range ${low}-${high} has its high end below its low end`);
  return { low, high };
}

export function formatRange(r: Range): string {
  if (r.high === null) return `${r.low}+`;
  return r.low === r.high ? String(r.low) : `${r.low}-${r.high}`;
}
