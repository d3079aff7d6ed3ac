/**
 * Streams records out of an import file, one at a time, with the line each starts on, so that a file of any
 * size passes through bounded memory. CSV needs a header row; NDJSON is one object per line; JSON is an array
 * of objects, read item by item (core/json-array.ts). Under all three, one decoding layer turns the bytes into
 * text: UTF-8 with or without a byte-order mark, or UTF-16 with one; anything else is refused with the line
 * where it shows, instead of being read as replacement characters or misnamed as a missing column.
 */

import type { Readable } from "node:stream";
import { CsvError, CsvReader, type CsvRecord, unguardCell } from "../../core/csv.js";
import {
  JsonArrayError,
  type JsonArrayItem,
  JsonArrayReader,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
} from "../../core/json-array.js";

export type ImportFormat = "csv" | "json" | "ndjson";

export interface SourceRecord {
  line: number;
  record: Record<string, unknown>;
}

/** Thrown for a file that cannot be read as records at all (as opposed to a bad row). */
export class FileFormatError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

export function formatFromName(name: string, fallback: ImportFormat = "csv"): ImportFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".csv")) return "csv";
  return fallback;
}

export async function* readRecords(
  input: Readable | AsyncIterable<unknown>,
  format: ImportFormat,
): AsyncGenerator<SourceRecord> {
  const text = new InputText();
  if (format === "csv") yield* readCsv(text, input);
  else if (format === "ndjson") yield* readNdjson(text, input);
  else yield* readJsonArray(text, input);
}

/** An empty file imports nothing; saying so beats a report of 0 rows that looks like success. */
function noRows(text: InputText, what: string): FileFormatError {
  return new FileFormatError(text.blank ? "the file is empty" : `the file has no rows (${what})`, 1);
}

async function* readCsv(text: InputText, input: AsyncIterable<unknown>): AsyncGenerator<SourceRecord> {
  const reader = new CsvReader();
  const out: CsvRecord[] = [];
  let rows = 0;
  try {
    for await (const chunk of text.read(input)) {
      reader.push(chunk, out);
      rows += out.length;
      yield* unguarded(out);
    }
    reader.end(out);
    rows += out.length;
    yield* unguarded(out);
  } catch (e) {
    if (e instanceof CsvError) throw new FileFormatError(e.message, e.line);
    throw e;
  }
  if (rows === 0) throw noRows(text, "only a header");
}

/** The records read so far, with the formula guard of exported cells undone; empties `records`. */
function* unguarded(records: CsvRecord[]): Generator<SourceRecord> {
  for (const item of records) {
    const record = item.record;
    for (const k in record) {
      const v = record[k] as string;
      if (v.charCodeAt(0) === 39) record[k] = unguardCell(v);
    }
    yield item;
  }
  records.length = 0;
}

async function* readNdjson(text: InputText, input: AsyncIterable<unknown>): AsyncGenerator<SourceRecord> {
  // A line is split on LF, CRLF or CR (as readline did). Its pieces are kept apart until it ends, so a line
  // cut into many chunks is joined once, not copied again with every chunk.
  const pieces: string[] = [];
  let line = 0;
  let rows = 0;
  let afterCR = false;
  const take = (last: string): SourceRecord | null => {
    line++;
    pieces.push(last);
    const raw = pieces.length === 1 ? last : pieces.join("");
    pieces.length = 0;
    if (raw.trim() === "") return null;
    rows++;
    if (jsonDepthExceeds(raw, MAX_JSON_DEPTH))
      throw new FileFormatError(
        `the object on this line is nested deeper than ${MAX_JSON_DEPTH} levels`,
        line,
      );
    return { line, record: parseObject(raw, line) };
  };
  for await (const chunk of text.read(input)) {
    let p = 0;
    const n = chunk.length;
    if (afterCR && chunk.charCodeAt(0) === 10) p = 1; // the LF of a CRLF split between chunks
    afterCR = false;
    // The next LF and CR, each searched for again only once passed (a file without CRs is not searched for
    // one on every line).
    let lf = -1;
    let cr = -1;
    while (p < n) {
      if (lf < p) {
        lf = chunk.indexOf("\n", p);
        if (lf === -1) lf = n;
      }
      if (cr < p) {
        cr = chunk.indexOf("\r", p);
        if (cr === -1) cr = n;
      }
      const end = Math.min(lf, cr);
      if (end === n) {
        pieces.push(chunk.slice(p));
        break;
      }
      const record = take(chunk.slice(p, end));
      if (record) yield record;
      p = end + 1;
      if (end === cr) {
        if (p < n && chunk.charCodeAt(p) === 10) p++;
        else if (p === n) afterCR = true;
      }
    }
  }
  if (pieces.length) {
    const record = take("");
    if (record) yield record;
  }
  if (rows === 0) throw noRows(text, "no objects");
}

async function* readJsonArray(text: InputText, input: AsyncIterable<unknown>): AsyncGenerator<SourceRecord> {
  const reader = new JsonArrayReader();
  const out: JsonArrayItem[] = [];
  // JSON has no row lines: a row's "line" stays its position in the array (from 1), as the docs say; a fault
  // in the file itself names the line it is on, and the item.
  let rows = 0;
  const items = function* () {
    rows += out.length;
    for (const i of out) yield { line: i.item, record: i.value };
    out.length = 0;
  };
  try {
    for await (const chunk of text.read(input)) {
      reader.push(chunk, out);
      yield* items();
    }
    if (!text.blank) reader.end(out);
    yield* items();
  } catch (e) {
    if (e instanceof JsonArrayError) throw new FileFormatError(e.message, e.line);
    throw e;
  }
  if (rows === 0) throw noRows(text, "an empty array");
}

function parseObject(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(`not valid JSON: ${(e as Error).message}`, line);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FileFormatError("each line must be a JSON object", line);
  }
  return value as Record<string, unknown>;
}

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

const LF = 10;
const CR = 13;
const EMPTY = new Uint8Array(0);
/**
 * Bytes held before choosing the encoding: enough for any byte-order mark, and for two of UTF-16's telltale
 * NULs. Up to SNIFF bytes of the first chunk are looked at for those.
 */
const HOLD = 4;
const SNIFF = 64;
const SAVE = "save it as UTF-8";

/**
 * The text of an import, decoded as its first bytes say. Validation is TextDecoder's (fatal, streaming, so a
 * character cut between chunks is still whole); the lines of the decoded text are counted only so that a bad
 * byte can be named with its line. Chunks that are strings are text already and pass through.
 */
class InputText {
  /** Nothing but white space (or nothing at all) so far. */
  blank = true;
  private encoding: Encoding | null = null;
  private decoder: TextDecoder | null = null;
  /** The first bytes, held until the encoding can be told from them. */
  private head: Uint8Array = EMPTY;
  /** The last (up to 3) bytes given to the decoder, and how many bytes it has had in all. */
  private tail: Uint8Array = EMPTY;
  private total = 0;
  private started = false;
  private line = 1;
  private endedWithCR = false;

  async *read(input: AsyncIterable<unknown>): AsyncGenerator<string> {
    for await (const chunk of input) {
      const text =
        typeof chunk === "string" ? this.passThrough(chunk) : this.bytes(chunk as Uint8Array, false);
      if (text.length) yield text;
    }
    const last = this.bytes(EMPTY, true);
    if (last.length) yield last;
  }

  private passThrough(chunk: string): string {
    let text = chunk;
    if (!this.started && text.length) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.note(text);
  }

  private bytes(chunk: Uint8Array, final: boolean): string {
    let bytes = chunk;
    if (!this.decoder) {
      if (!final && this.head.length + bytes.length < HOLD) {
        this.head = concat(this.head, bytes);
        return "";
      }
      bytes = concat(this.head, bytes);
      this.head = EMPTY;
      if (bytes.length === 0 && this.started) return "";
      this.choose(bytes);
    }
    const decoder = this.decoder as TextDecoder;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: !final });
    } catch (e) {
      if ((e as { code?: string }).code !== "ERR_ENCODING_INVALID_ENCODED_DATA") throw e;
      throw this.undecodable(bytes, final);
    }
    this.total += bytes.length;
    this.tail = lastBytes(this.tail, bytes);
    if (text.length) this.started = true;
    return this.note(text);
  }

  /** Tells the encoding from the first bytes: a byte-order mark, or else UTF-8 (refusing UTF-16 without one). */
  private choose(b: Uint8Array): void {
    const [b0, b1, b2, b3] = b;
    if (
      (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) ||
      (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)
    )
      throw new FileFormatError(`the file looks like UTF-32 (its byte order mark says so); ${SAVE}`, 1);
    if (b0 === 0xff && b1 === 0xfe) this.encoding = "utf-16le";
    else if (b0 === 0xfe && b1 === 0xff) this.encoding = "utf-16be";
    else {
      if (looksLikeUtf16(b))
        throw new FileFormatError(
          `the file looks like UTF-16 without a byte order mark (NUL bytes between characters); ${SAVE}`,
          1,
        );
      this.encoding = "utf-8";
    }
    // The decoder drops the byte-order mark of its own encoding.
    this.decoder = new TextDecoder(this.encoding, { fatal: true });
  }

  /** Counts the lines of decoded text, and whether any of it is more than white space. */
  private note(text: string): string {
    if (text.length === 0) return text;
    this.line += countBreaks(text, this.endedWithCR);
    this.endedWithCR = text.charCodeAt(text.length - 1) === CR;
    if (this.blank && /\S/.test(text)) this.blank = false;
    return text;
  }

  /** The error for bytes the decoder refused: what is wrong, on which line. */
  private undecodable(bytes: Uint8Array, final: boolean): FileFormatError {
    // The decoder still holds the start of a character cut at the end of the previous chunk: look from there.
    const buf = concat(pending(this.tail, this.total, this.encoding as Encoding), bytes);
    if (this.encoding === "utf-8") {
      const bad = firstInvalidUtf8(buf);
      if (!bad) return new FileFormatError(`the file is not UTF-8; ${SAVE}`, this.line);
      const line = this.line + countByteBreaks(buf, 0, bad.offset, 1, this.endedWithCR);
      const byte = `0x${(buf[bad.offset] as number).toString(16).toUpperCase().padStart(2, "0")}`;
      const cut = bad.truncated && final ? " (or the file is cut short inside a character)" : "";
      return new FileFormatError(
        `the file is not UTF-8: byte ${byte} looks like Latin-1/Windows-1252${cut}; ${SAVE}`,
        line,
      );
    }
    const le = this.encoding === "utf-16le";
    const bad = firstUnpairedSurrogate(buf, le);
    if (!bad) return new FileFormatError(`the file is not valid UTF-16; ${SAVE}`, this.line);
    const line = this.line + countByteBreaks(buf, le ? 0 : 1, bad.offset, 2, this.endedWithCR);
    return new FileFormatError(
      bad.truncated
        ? `the file is not valid UTF-16: it ends inside a character; ${SAVE}`
        : `the file is not valid UTF-16: an unpaired surrogate (0x${bad.unit.toString(16).toUpperCase()}); ${SAVE}`,
      line,
    );
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The last (up to) 3 bytes of `tail` followed by `bytes`, copied so no large chunk is kept alive. */
function lastBytes(tail: Uint8Array, bytes: Uint8Array): Uint8Array {
  const all = bytes.length >= 3 ? bytes : concat(tail, bytes);
  return all.slice(Math.max(0, all.length - 3));
}

/** The bytes a decoder still holds after valid input ending in `tail`: a character not yet complete. */
function pending(tail: Uint8Array, total: number, encoding: Encoding): Uint8Array {
  if (encoding === "utf-8") {
    // The last byte that starts a character, if its character is longer than what follows it.
    for (let i = tail.length - 1; i >= 0; i--) {
      const b = tail[i] as number;
      if ((b & 0xc0) === 0x80) continue;
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      return tail.length - i < size ? tail.slice(i) : EMPTY;
    }
    return EMPTY;
  }
  // UTF-16: an odd byte, after a high surrogate still waiting for its pair.
  const odd = total % 2;
  const units = tail.length - odd;
  if (units >= 2) {
    const hi = tail[units - 2] as number;
    const lo = tail[units - 1] as number;
    const unit = encoding === "utf-16le" ? (lo << 8) | hi : (hi << 8) | lo;
    if (unit >= 0xd800 && unit <= 0xdbff) return tail.slice(units - 2);
  }
  return odd ? tail.slice(tail.length - 1) : EMPTY;
}

/**
 * Where the first byte that is not UTF-8 is (the WHATWG decoder's rules). Used only to name the byte once
 * TextDecoder has refused the text; `truncated` means a character that the end of `buf` cuts short.
 */
function firstInvalidUtf8(buf: Uint8Array): { offset: number; truncated: boolean } | null {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return { offset: i, truncated: false };
    for (let j = 1; j <= need; j++) {
      if (i + j >= n) return { offset: i, truncated: true };
      const c = buf[i + j] as number;
      if (c < lo || c > hi) return { offset: i, truncated: false };
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return null;
}

/** Where the first UTF-16 code unit that is half a surrogate pair, or half a unit, is. */
function firstUnpairedSurrogate(
  buf: Uint8Array,
  le: boolean,
): { offset: number; unit: number; truncated: boolean } | null {
  const unitAt = (i: number) =>
    le
      ? ((buf[i + 1] as number) << 8) | (buf[i] as number)
      : ((buf[i] as number) << 8) | (buf[i + 1] as number);
  const n = buf.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const u = unitAt(i);
    if (u >= 0xdc00 && u <= 0xdfff) return { offset: i, unit: u, truncated: false };
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= n) return { offset: i, unit: u, truncated: true };
      const v = unitAt(i + 2);
      if (v < 0xdc00 || v > 0xdfff) return { offset: i, unit: u, truncated: false };
      i += 2;
    }
  }
  return i < n ? { offset: i, unit: buf[i] as number, truncated: true } : null;
}

/** UTF-16 text of mostly ASCII, as its first bytes show it: a NUL in every other byte, all on one side. */
function looksLikeUtf16(b: Uint8Array): boolean {
  const n = Math.min(b.length, SNIFF) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) if (b[i] === 0) i % 2 ? odd++ : even++;
  return n >= 2 && (even === 0) !== (odd === 0) && (even + odd) * 4 >= n;
}

/** The line breaks in text (LF, CRLF or CR), a CRLF split between chunks counted once. */
function countBreaks(text: string, afterCR: boolean): number {
  let count = afterCR && text.charCodeAt(0) === LF ? -1 : 0;
  if (text.indexOf("\r") === -1) {
    // The common case, LF only: counted by native search.
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
    return count;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || (c === LF && text.charCodeAt(i - 1) !== CR)) count++;
  }
  return count;
}

/** The line breaks among the code units in buf[from, to), each `size` bytes wide with its low byte at `low`. */
function countByteBreaks(buf: Uint8Array, low: number, to: number, size: number, afterCR: boolean): number {
  let count = 0;
  let prevCR = afterCR;
  for (let i = 0; i + size <= to; i += size) {
    const c = buf[i + low] as number;
    const ascii = size === 1 || buf[i + 1 - low] === 0;
    const isCR = ascii && c === CR;
    if (isCR || (ascii && c === LF && !prevCR)) count++;
    prevCR = isCR;
  }
  return count;
}
