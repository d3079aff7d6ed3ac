/**
 * What the public reads derive from the ledger (tallies, the headline, comparisons, bulletins), kept in memory
 * per data version (see storeDataVersion): a write through any process bumps the version, so every process's
 * cache follows it with one primary-key read per request.
 *
 * A value is computed once per key and version in a process. Readers who ask while it is being computed wait
 * for that computation instead of starting their own: a crowd arriving at a cold or just-invalidated cache
 * costs one computation, not one per reader. (Two hundred readers each computing the same tally queue for
 * the same few database connections, and the last of them waits two hundred computations long.)
 */
import type { Ledger } from "./ledger.js";

interface Entry<T> {
  version: string;
  value: Promise<T>;
}

export class VersionedCache<T> {
  readonly #entries = new Map<string, Entry<T>>();

  /** At most `limit` keys are kept; the one stored longest ago goes first. */
  constructor(readonly limit: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The value for `key` at `version`: the stored one, the one being computed, or a new computation. A failed
   * computation is forgotten, so the next reader tries again (those already waiting on it get its error).
   */
  get(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) return hit.value;
    if (hit) this.#entries.delete(key);
    else if (this.#entries.size >= this.limit) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const entry: Entry<T> = { version, value: compute() };
    this.#entries.set(key, entry);
    entry.value.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return entry.value;
  }
}

/** A cache per ledger (tests and tools open several in one process), dropped with the ledger. */
export function cachePerLedger<T>(limit: number): (ledger: Ledger) => VersionedCache<T> {
  const caches = new WeakMap<Ledger, VersionedCache<T>>();
  return (ledger) => {
    let cache = caches.get(ledger);
    if (!cache) {
      cache = new VersionedCache<T>(limit);
      caches.set(ledger, cache);
    }
    return cache;
  };
}
