/**
 * Blocking: only records that share at least one key are compared. Several passes with different
 * keys are united, so a record with a typo in one name, a date a few days off, or a name only in
 * Persian script still meets its other records through another pass:
 * - N: the whole name (romanised keys, sorted: swapped given/family names meet; also with each
 *   adjacent pair of words written together, so split compounds meet);
 * - F: the whole name in Persian script;
 * - K: the consonant skeleton of the whole name, in order and sorted (meets across scripts);
 *   K and S blocks only pair a name written solely in Persian script with another record;
 * - T: the consonant skeleton of one word of the name (either script) + a 4-day window of the
 *   date + the initial of another word (two grids offset by 2 days, so dates up to 2 days apart
 *   always share a window). Skeletons, not keys, so that vowel variants (Negar/Nigar) and Persian
 *   script meet, and a typo in one word is caught through the other;
 * - P: the same word skeleton + the place + the initial of another word.
 * Blocks larger than `maxBlockSize` are skipped and reported: they come from very common keys and
 * would dominate the work while adding little.
 */
import { latinSkeleton, mergeVariants } from "./names.js";
import type { PreparedRecord } from "./prepare.js";

export interface BlockingOptions {
  maxBlockSize: number;
}

export function blockingKeys(r: PreparedRecord): string[] {
  const keys = new Set<string>();
  const n = r.name;
  for (const f of n.forms) if (f) keys.add(`N${f}`);
  if (n.persianSorted) keys.add(`F${n.persianSorted}`);
  const skeletonIn = n.persianSkeleton || n.skeleton;
  if (skeletonIn.length >= 3) keys.add(`K${skeletonIn}`);
  for (const f of n.skeletonForms) if (f.length >= 3) keys.add(`K${f}`);
  const windows: string[] = [];
  if (r.date && r.date.span === 1) {
    windows.push(`a${Math.floor(r.date.start / 4)}`, `b${Math.floor((r.date.start + 2) / 4)}`);
  }
  const place = r.place?.skeleton ?? "";
  // Word skeletons from each script the record has: romanised and Persian words meet here.
  // With each adjacent pair written together too, so that a split compound and a typo elsewhere in
  // the name still leave one whole word in common.
  const wordLists = [...mergeVariants(n.tokens.map(latinSkeleton)), ...mergeVariants(n.skeletonWords)];
  for (const words of wordLists) {
    words.forEach((w, i) => {
      if (w.length === 0) return;
      for (const other of otherWordsInitials(words, i)) {
        for (const win of windows) keys.add(`T${w}|${win}|${other}`);
        if (place) keys.add(`P${w}|${place}|${other}`);
      }
    });
  }
  return [...keys];
}

/**
 * Initials of "the rest of the name", two ways: the first letter of the alphabetically first other
 * word (the same whichever order given and family names come in) and the first letter of the next
 * word in written order (the same whether a compound is split, "Reza Jahannejad", or not,
 * "Rezajahan Nejad").
 */
/** Letters of the other word's skeleton that go into the key. */
const PREFIX = 2;

function otherWordsInitials(words: string[], skip: number): string[] {
  let first: string | null = null;
  words.forEach((w, j) => {
    if (j !== skip && w.length > 0 && (first === null || w < first)) first = w;
  });
  const next =
    words.find((w, j) => j > skip && w.length > 0) ?? words.find((w, j) => j < skip && w.length > 0);
  const out = new Set<string>();
  if (first !== null) out.add((first as string).slice(0, PREFIX));
  if (next !== undefined) out.add(next.slice(0, PREFIX));
  if (out.size === 0) out.add("");
  return [...out];
}

export interface CandidatePairs {
  /** Pair codes a·n + b with a < b, sorted ascending, unique. */
  codes: Float64Array;
  skippedBlocks: Array<{ key: string; size: number }>;
}

/** Unique candidate pairs from the union of all passes. */
export function candidatePairs(records: PreparedRecord[], options: BlockingOptions): CandidatePairs {
  const n = records.length;
  const blocks = new Map<string, number[]>();
  for (const r of records) {
    for (const k of blockingKeys(r)) {
      const b = blocks.get(k);
      if (b) b.push(r.index);
      else blocks.set(k, [r.index]);
    }
  }
  let codes = new Float64Array(1 << 16);
  let size = 0;
  const skippedBlocks: Array<{ key: string; size: number }> = [];
  for (const [key, all] of blocks) {
    if (all.length < 2) continue;
    // The whole-skeleton pass exists for names written only in Persian script; between two
    // romanised names it would only repeat, more coarsely, what the N, T and P passes do.
    const crossOnly = key[0] === "K";
    const members = crossOnly ? crossScriptOnly(all, records) : all;
    if (members.length < 2) continue;
    if (members.length > options.maxBlockSize) {
      skippedBlocks.push({ key, size: members.length });
      continue;
    }
    const extra = (members.length * (members.length - 1)) / 2;
    if (size + extra > codes.length) {
      // Compact before growing: most passes repeat pairs that other passes found.
      size = sortUnique(codes, size);
      if (size + extra > codes.length / 2) {
        const grown = new Float64Array(Math.max(codes.length * 2, (size + extra) * 2));
        grown.set(codes.subarray(0, size));
        codes = grown;
      }
    }
    const latinFrom = crossOnly ? firstLatin(members, records) : members.length;
    for (let i = 0; i < members.length; i++) {
      const a = members[i] as number;
      // In K blocks (Persian-only records first), skip pairs of two romanised names.
      for (let j = Math.max(i + 1, i >= latinFrom ? members.length : 0); j < members.length; j++) {
        const b = members[j] as number;
        codes[size++] = a < b ? a * n + b : b * n + a;
      }
    }
  }
  size = sortUnique(codes, size);
  skippedBlocks.sort((x, y) => y.size - x.size || (x.key < y.key ? -1 : 1));
  return { codes: codes.slice(0, size), skippedBlocks };
}

const persianOnly = (r: PreparedRecord) => r.name.joined === "";

/** Members of an S block, Persian-only records first; empty when there are none. */
function crossScriptOnly(members: number[], records: PreparedRecord[]): number[] {
  const fa = members.filter((i) => persianOnly(records[i] as PreparedRecord));
  if (fa.length === 0) return [];
  return [...fa, ...members.filter((i) => !persianOnly(records[i] as PreparedRecord))];
}

function firstLatin(members: number[], records: PreparedRecord[]): number {
  const i = members.findIndex((m) => !persianOnly(records[m] as PreparedRecord));
  return i < 0 ? members.length : i;
}

function sortUnique(a: Float64Array, size: number): number {
  const view = a.subarray(0, size);
  view.sort();
  let out = 0;
  for (let i = 0; i < size; i++) {
    if (i === 0 || view[i] !== view[out - 1]) view[out++] = view[i] as number;
  }
  return out;
}
