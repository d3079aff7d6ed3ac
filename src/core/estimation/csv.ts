/**
 * Parser for capture-history CSV: one 0/1 column per list and a `count` column, e.g.
 *
 *   A,B,C,count
 *   1,1,1,72
 *   1,1,0,155
 *
 * Optionally a stratum column (named by `stratify`) splits the rows into strata. Every error names
 * the line (1-based, as an editor shows it) and the column.
 */
import type { CaptureHistories } from "./histories.js";
import { MAX_LISTS, MIN_LISTS } from "./histories.js";
import type { StratumInput } from "./strata.js";

export class HistoriesCsvError extends Error {
  constructor(
    readonly line: number,
    readonly column: string | null,
    detail: string,
  ) {
    super(`line ${line}${column === null ? "" : `, column "${column}"`}: ${detail}`);
    this.name = "HistoriesCsvError";
  }
}

interface Row {
  line: number;
  fields: string[];
}

/** RFC 4180 fields: quotes, doubled quotes, CRLF; a quoted field may span lines. */
function splitRows(text: string): Row[] {
  const rows: Row[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // tolerate a byte-order mark
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]?.trim() === "")) rows.push({ line: rowLine, fields });
    fields = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (quoted) throw new HistoriesCsvError(rowLine, null, "a quoted field is not closed");
  if (field !== "" || fields.length > 0) endRow();
  return rows;
}

export interface ParseOptions {
  /** Name of a column holding the stratum of each row. */
  stratify?: string;
}

export function parseHistoriesCsv(text: string): CaptureHistories;
export function parseHistoriesCsv(text: string, options: { stratify: string }): StratumInput[];
export function parseHistoriesCsv(
  text: string,
  options: ParseOptions = {},
): CaptureHistories | StratumInput[] {
  const rows = splitRows(text);
  const header = rows[0];
  if (!header)
    throw new HistoriesCsvError(
      1,
      null,
      "the file is empty; expected a header with the list names and count",
    );
  const names = header.fields.map((f) => f.trim());
  names.forEach((n, i) => {
    if (n === "") throw new HistoriesCsvError(header.line, `#${i + 1}`, "empty column name");
    if (names.indexOf(n) !== i) throw new HistoriesCsvError(header.line, n, "column name repeated");
  });
  const countCol = names.findIndex((n) => n.toLowerCase() === "count");
  if (countCol < 0) throw new HistoriesCsvError(header.line, null, 'no "count" column');
  const stratumCol = options.stratify === undefined ? -1 : names.indexOf(options.stratify);
  if (options.stratify !== undefined && stratumCol < 0) {
    throw new HistoriesCsvError(header.line, options.stratify, "stratum column not found in the header");
  }
  const listCols = names.map((_, i) => i).filter((i) => i !== countCol && i !== stratumCol);
  const lists = listCols.map((i) => names[i] as string);
  if (lists.length < MIN_LISTS || lists.length > MAX_LISTS) {
    throw new HistoriesCsvError(
      header.line,
      null,
      `expected ${MIN_LISTS} to ${MAX_LISTS} list columns besides "count", found ${lists.length}`,
    );
  }
  const byStratum = new Map<string, { cells: Map<string, { count: number; line: number }> }>();
  for (const row of rows.slice(1)) {
    if (row.fields.length !== names.length) {
      throw new HistoriesCsvError(
        row.line,
        null,
        `expected ${names.length} fields, found ${row.fields.length}`,
      );
    }
    let history = "";
    for (const c of listCols) {
      const v = (row.fields[c] as string).trim();
      if (v !== "0" && v !== "1")
        throw new HistoriesCsvError(row.line, names[c] as string, `expected 0 or 1, got "${v}"`);
      history += v;
    }
    const raw = (row.fields[countCol] as string).trim();
    if (!/^\d+$/.test(raw)) {
      throw new HistoriesCsvError(
        row.line,
        names[countCol] as string,
        `expected a whole number ≥ 0, got "${raw}"`,
      );
    }
    const count = Number(raw);
    if (!/1/.test(history) && count > 0) {
      throw new HistoriesCsvError(
        row.line,
        null,
        "a history with no list cannot be observed; its count must be 0",
      );
    }
    const stratum = stratumCol < 0 ? "" : (row.fields[stratumCol] as string).trim();
    let s = byStratum.get(stratum);
    if (!s) {
      s = { cells: new Map() };
      byStratum.set(stratum, s);
    }
    const prev = s.cells.get(history);
    if (prev) {
      const where = stratumCol < 0 ? "" : ` in stratum "${stratum}"`;
      throw new HistoriesCsvError(
        row.line,
        null,
        `history ${history}${where} already given on line ${prev.line}`,
      );
    }
    s.cells.set(history, { count, line: row.line });
  }
  const toHistories = (cells: Map<string, { count: number }>): CaptureHistories => ({
    lists: [...lists],
    cells: [...cells].filter(([h]) => /1/.test(h)).map(([history, { count }]) => ({ history, count })),
  });
  if (stratumCol < 0) return toHistories(byStratum.get("")?.cells ?? new Map());
  return [...byStratum].map(([stratum, { cells }]) => ({ stratum, histories: toHistories(cells) }));
}
