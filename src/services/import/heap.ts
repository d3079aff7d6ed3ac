/**
 * Bounded memory for long imports. An import allocates a lot of short-lived garbage (parsed rows, hashes,
 * statements), much of which lives just long enough to be promoted, and V8 lets the old generation grow to
 * several times the live data before it collects: a million-row import would hold hundreds of megabytes of
 * garbage at its peak. The import checks the heap every few thousand rows and asks for a full collection
 * when it has grown past a budget over what it was at the start, so its peak stays near its live data.
 * A full collection of ~100 MB of live data takes 10–30 ms; at most a few dozen happen per million rows.
 */
import v8 from "node:v8";
import vm from "node:vm";

/** Garbage allowed to accumulate before a collection is asked for. */
const BUDGET_BYTES = 96 * 1024 * 1024;

let collect: (() => void) | null | undefined;

/** A full collection of the heap, or null where the runtime offers none. */
export function fullCollection(): (() => void) | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) {
    collect = exposed;
    return collect;
  }
  try {
    // The flag makes `gc` available to contexts created from now on; the main context is left as it was.
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

const heapInUse = () => v8.getHeapStatistics().used_heap_size;

export class HeapGuard {
  private readonly budget: number;
  private readonly measure: () => number;
  private readonly collect: (() => void) | null;
  /** The heap in use after the last collection (or at the start): the live data, near enough. */
  private base: number;

  constructor(options: { budget?: number; measure?: () => number; collect?: (() => void) | null } = {}) {
    this.budget = options.budget ?? BUDGET_BYTES;
    this.measure = options.measure ?? heapInUse;
    this.collect = options.collect === undefined ? fullCollection() : options.collect;
    this.base = this.measure();
  }

  /** Collects if the heap has grown past the budget since the last collection. */
  check(): void {
    if (!this.collect || this.measure() - this.base < this.budget) return;
    this.collect();
    // Measured after the collection, so that data the import keeps (the tally deltas) does not use up the
    // budget and make every later check collect again.
    this.base = this.measure();
  }
}
