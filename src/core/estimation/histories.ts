/**
 * Capture histories: how many people were seen by exactly each combination of lists.
 * A history is a string of 0/1, one character per list in `lists` order ("101": on lists 1 and 3).
 */

export interface HistoryCell {
  history: string;
  count: number;
}

export interface CaptureHistories {
  lists: string[];
  cells: HistoryCell[];
}

export const MIN_LISTS = 2;
export const MAX_LISTS = 6;

/**
 * Counts by bitmask (bit i set ⇔ seen on list i), index 0 being the unobserved history.
 * Repeated histories add up; validation errors name the offending history.
 */
export function countsByMask(h: CaptureHistories): Float64Array {
  const k = h.lists.length;
  if (k < MIN_LISTS || k > MAX_LISTS) {
    throw new RangeError(`capture histories need ${MIN_LISTS} to ${MAX_LISTS} lists, got ${k}`);
  }
  if (new Set(h.lists).size !== k) throw new RangeError(`list names must be distinct: ${h.lists.join(", ")}`);
  const counts = new Float64Array(1 << k);
  for (const cell of h.cells) {
    if (cell.history.length !== k || !/^[01]+$/.test(cell.history)) {
      throw new RangeError(`history "${cell.history}" must be ${k} characters of 0/1`);
    }
    if (!Number.isFinite(cell.count) || cell.count < 0) {
      throw new RangeError(`history ${cell.history}: count must be a non-negative number, got ${cell.count}`);
    }
    const mask = historyToMask(cell.history);
    if (mask === 0) {
      if (cell.count !== 0)
        throw new RangeError("history of all zeros is unobservable: its count must be absent");
      continue;
    }
    counts[mask] = (counts[mask] as number) + cell.count;
  }
  return counts;
}

export function historyToMask(history: string): number {
  let mask = 0;
  for (let i = 0; i < history.length; i++) if (history[i] === "1") mask |= 1 << i;
  return mask;
}

export function maskToHistory(mask: number, k: number): string {
  let s = "";
  for (let i = 0; i < k; i++) s += mask & (1 << i) ? "1" : "0";
  return s;
}

export function observedTotal(h: CaptureHistories): number {
  const c = countsByMask(h);
  let n = 0;
  for (let m = 1; m < c.length; m++) n += c[m] as number;
  return n;
}

/** Builds histories from counts by mask, listing every observable history (zeros included). */
export function fromCounts(lists: string[], counts: ArrayLike<number>): CaptureHistories {
  const k = lists.length;
  const cells: HistoryCell[] = [];
  for (let m = 1; m < 1 << k; m++) cells.push({ history: maskToHistory(m, k), count: counts[m] ?? 0 });
  return { lists: [...lists], cells };
}
