/**
 * Reads the built gazetteer (scripts/build-gazetteer.mjs): a text file with a JSON header line and then one
 * string per line, and a binary file of Float64 coordinates, Int32 columns, hash tables over the key
 * sections and the offset of every line. Loading reads both files and views the numbers in place: no
 * parsing, no splitting and no hash maps to fill, so it takes well under a second.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NORMALISER_VERSION } from "../core/placeName.js";
import type { PlaceLevel } from "../core/vocabulary.js";
import { findKey } from "./hash.js";
import { StringTable } from "./strings.js";

export const KEY_TIERS = ["phonetic", "skeleton", "stripped"] as const;
export type KeyTier = (typeof KEY_TIERS)[number];

interface Header {
  format: number;
  normaliserVersion: number;
  builtAt: string;
  sources: Record<string, string>;
  levels: PlaceLevel[];
  namesPerPlace: number;
  counts: { places: number; countries: number } & Record<KeyTier, number>;
  /** Slots of each tier's hash table, a power of two. */
  tableSizes: Record<KeyTier, number>;
}

export interface KeySection {
  /** Sorted keys. */
  keys: StringTable;
  /** The name reference of each key: place index × namesPerPlace + name index (0 is the main name). */
  refs: Int32Array;
  /** Hash table over the keys (see hash.ts). */
  table: Int32Array;
}

export interface GazetteerData {
  readonly file: string;
  readonly header: Header;
  readonly size: number;
  readonly ids: StringTable;
  readonly names: StringTable;
  /** Alternate names of each place joined by "|". */
  readonly alternates: StringTable;
  readonly countryCodes: readonly string[];
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly level: Int32Array;
  readonly country: Int32Array;
  /** Index of the province place, the place itself for provinces, -1 for none. */
  readonly province: Int32Array;
  /** 0 where unknown. */
  readonly population: Int32Array;
  /** Seat rank from the GeoNames feature code: 4 capital, 3 province seat, 2 county seat, 1 district seat. */
  readonly seat: Int32Array;
  readonly keys: Record<KeyTier, KeySection>;
}

const FORMAT = 6;

/** Finds data/gazetteer.txt above this module, whether it runs from src/ (tsx) or dist/ (tsc). */
export function defaultDataFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "data", "gazetteer.txt");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error("gazetteer data not found (data/gazetteer.txt): run `npm run build:gazetteer`");
}

function binaryFileOf(textFile: string): string {
  return textFile.replace(/\.txt$/, ".bin");
}

export function readGazetteerData(file: string): GazetteerData {
  if (!existsSync(file))
    throw new Error(`gazetteer data not found at ${file}: run \`npm run build:gazetteer\``);
  const text = readFileSync(file, "utf8");
  let header: Header;
  try {
    header = JSON.parse(text.slice(0, text.indexOf("\n"))) as Header;
  } catch {
    throw new Error(`${file}: line 1 is not the gazetteer header; rebuild with \`npm run build:gazetteer\``);
  }
  if (header.format !== FORMAT) {
    throw new Error(`${file}: format ${header.format}, expected ${FORMAT}; run \`npm run build:gazetteer\``);
  }
  if (header.normaliserVersion !== NORMALISER_VERSION) {
    throw new Error(
      `${file}: built with place-name normaliser v${header.normaliserVersion}, this code uses v${NORMALISER_VERSION}; run \`npm run build:gazetteer\``,
    );
  }
  const c = header.counts;
  const n = c.places;
  const lineCount = 1 + 3 * n + c.countries + c.phonetic + c.skeleton + c.stripped;
  const tableSizes = KEY_TIERS.map((t) => header.tableSizes[t]);
  for (const size of tableSizes) {
    if (!Number.isInteger(size) || size <= 0 || (size & (size - 1)) !== 0) {
      throw new Error(`${file}: header has a bad key table size; rebuild the gazetteer`);
    }
  }
  const binFile = binaryFileOf(file);
  const bin = readFileSync(binFile);
  const tableBytes = 4 * tableSizes.reduce((a, b) => a + b, 0);
  const expectedBytes =
    16 * n + 20 * n + 4 * (c.phonetic + c.skeleton + c.stripped) + tableBytes + 4 * (lineCount + 1);
  if (bin.byteLength !== expectedBytes) {
    throw new Error(`${binFile}: ${bin.byteLength} bytes, expected ${expectedBytes}; rebuild the gazetteer`);
  }
  // Typed arrays need aligned offsets: copy only if Node handed back a misaligned slice of its pool.
  let buffer = bin.buffer;
  let offset = bin.byteOffset;
  if (offset % 8 !== 0) {
    buffer = new ArrayBuffer(bin.byteLength);
    new Uint8Array(buffer).set(bin);
    offset = 0;
  }
  const f64 = (count: number): Float64Array => {
    const a = new Float64Array(buffer, offset, count);
    offset += 8 * count;
    return a;
  };
  const i32 = (count: number): Int32Array => {
    const a = new Int32Array(buffer, offset, count);
    offset += 4 * count;
    return a;
  };
  const lat = f64(n);
  const lon = f64(n);
  const level = i32(n);
  const country = i32(n);
  const province = i32(n);
  const population = i32(n);
  const seat = i32(n);
  const refs = KEY_TIERS.map((t) => i32(c[t]));
  const tables = tableSizes.map((size) => i32(size));
  const lineOffsets = i32(lineCount + 1);
  if (lineOffsets[lineCount] !== text.length + 1) {
    throw new Error(`${file}: its text does not match ${binFile}; rebuild the gazetteer`);
  }

  let line = 1;
  const table = (count: number): StringTable => {
    const t = new StringTable(text, lineOffsets, line, count);
    line += count;
    return t;
  };
  const ids = table(n);
  const names = table(n);
  const alternates = table(n);
  const countryTable = table(c.countries);
  const countryCodes = Array.from({ length: c.countries }, (_, i) => countryTable.get(i));
  const keys = {} as GazetteerData["keys"];
  KEY_TIERS.forEach((t, i) => {
    keys[t] = { keys: table(c[t]), refs: refs[i] as Int32Array, table: tables[i] as Int32Array };
  });
  return {
    file,
    header,
    size: n,
    ids,
    names,
    alternates,
    countryCodes,
    lat,
    lon,
    level,
    country,
    province,
    population,
    seat,
    keys,
  };
}

/** First index whose key is >= key (JavaScript string order, as the build sorted them). */
export function lowerBound(keys: StringTable, key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys.compare(mid, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The name references stored under exactly this key. */
export function lookup(data: GazetteerData, tier: KeyTier, key: string, limit = 500): number[] {
  const section = data.keys[tier];
  const out: number[] = [];
  const first = findKey(section.table, section.keys, key);
  if (first < 0) return out;
  for (let i = first; i < section.keys.length && section.keys.equals(i, key); i++) {
    if (out.length >= limit) break;
    out.push(section.refs[i] as number);
  }
  return out;
}
