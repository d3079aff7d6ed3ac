/**
 * Streams records out of an import file, one at a time, with the line each starts on, so that a file of any
 * size passes through bounded memory. CSV needs a header row; NDJSON is one object per line; JSON is an array
 * of objects (read whole, so large files should be CSV or NDJSON).
 */

import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { CsvError, CsvReader, type CsvRecord, unguardCell } from "../../core/csv.js";

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

export async function* readRecords(input: Readable, format: ImportFormat): AsyncGenerator<SourceRecord> {
  if (format === "csv") yield* readCsv(input);
  else if (format === "ndjson") yield* readNdjson(input);
  else yield* readJsonArray(input);
}

async function* readCsv(input: Readable): AsyncGenerator<SourceRecord> {
  const reader = new CsvReader();
  const decoder = new StringDecoder("utf8");
  const out: CsvRecord[] = [];
  try {
    for await (const chunk of input) {
      reader.push(typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer), out);
      yield* unguarded(out);
    }
    reader.push(decoder.end(), out);
    reader.end(out);
    yield* unguarded(out);
  } catch (e) {
    if (e instanceof CsvError) throw new FileFormatError(e.message, e.line);
    throw e;
  }
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

async function* readNdjson(input: Readable): AsyncGenerator<SourceRecord> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const text = n === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (text.trim() === "") continue;
    yield { line: n, record: parseObject(text, n) };
  }
}

async function* readJsonArray(input: Readable): AsyncGenerator<SourceRecord> {
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  const text = Buffer.concat(chunks)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FileFormatError(`not valid JSON: ${(e as Error).message}`, null);
  }
  if (!Array.isArray(data)) throw new FileFormatError("a JSON import must be an array of objects", 1);
  // JSON has no row lines; the position in the array (from 1) stands in for the line number.
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw new FileFormatError(`item ${i + 1} is not an object`, i + 1);
    }
    yield { line: i + 1, record: item as Record<string, unknown> };
  }
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
