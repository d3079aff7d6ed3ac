/**
 * The string hash of the gazetteer's key tables, shared by the build script (through tsx) and the loader,
 * so that lookups are one or two probes into a typed array instead of a binary search over strings.
 */

/** FNV-1a over UTF-16 code units, 32 bits. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Slots for `distinct` keys: a power of two at least twice as many, so probes stay short. */
export function tableSize(distinct: number): number {
  let size = 16;
  while (size < distinct * 2) size *= 2;
  return size;
}

/**
 * Builds an open-addressing table over a sorted key list: each slot holds 1 + the index of the first entry
 * of a distinct key, or 0 when empty.
 */
export function buildKeyTable(sortedKeys: readonly string[]): Int32Array {
  let distinct = 0;
  for (let i = 0; i < sortedKeys.length; i++) if (i === 0 || sortedKeys[i] !== sortedKeys[i - 1]) distinct++;
  const table = new Int32Array(tableSize(distinct));
  const mask = table.length - 1;
  for (let i = 0; i < sortedKeys.length; i++) {
    const key = sortedKeys[i] as string;
    if (i > 0 && key === sortedKeys[i - 1]) continue;
    let slot = keyHash(key) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  return table;
}

/** Index of the first entry with this key, or -1. */
export function findKey(
  table: Int32Array,
  keys: { equals(i: number, key: string): boolean },
  key: string,
): number {
  const mask = table.length - 1;
  let slot = keyHash(key) & mask;
  for (;;) {
    const v = table[slot] as number;
    if (v === 0) return -1;
    if (keys.equals(v - 1, key)) return v - 1;
    slot = (slot + 1) & mask;
  }
}
