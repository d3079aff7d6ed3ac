/**
 * CSV cells, written so that a spreadsheet never runs them as formulas: a cell that starts with = + - @ (or a
 * tab or carriage return) is prefixed with an apostrophe, which spreadsheets hide and read as "this is text".
 * The import strips that apostrophe again, so an export re-imports unchanged.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "string" ? value : String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\n`;
}

/** Undoes the formula guard of `csvCell` on an imported text cell. */
export function unguardCell(value: string): string {
  return value.length > 1 && value[0] === "'" && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/** A CSV file that cannot be read as records; `line` is where the problem is (from 1). */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  /** The line the record starts on (from 1), counting every line of the file. */
  line: number;
  /** The record's cells by column name: the header's names, trimmed and in lower case. */
  record: Record<string, string>;
}

/**
 * The column names of a header row, as records are keyed by them (trimmed, in lower case). A name given twice
 * would let the last column silently overwrite the other, and a column without a name cannot be addressed:
 * both refuse the file.
 */
function header(fields: readonly string[], line: number): string[] {
  const columns = fields.map((h) => h.trim().toLowerCase());
  const seen = new Map<string, number>();
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i] as string;
    if (name === "")
      throw new CsvError(
        `column ${i + 1} of the header has no name${columns.length > 1 && i === columns.length - 1 ? " (a comma at the end of the header?)" : ""}`,
        line,
      );
    const first = seen.get(name);
    if (first !== undefined)
      throw new CsvError(`the header names column "${name}" twice (columns ${first + 1} and ${i + 1})`, line);
    seen.set(name, i);
  }
  return columns;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** A record read up to the end of the text so far: where the reader stands in it. */
interface OpenRecord {
  fields: string[];
  /** The current field's text so far. */
  value: string;
  /** Inside a quoted field. */
  inQuotes: boolean;
  /** Just after a quote inside a quoted field: the end of the field, or the first of a doubled quote. */
  afterQuote: boolean;
  /** Whether the current field has begun (a field that has not may still open with a quote). */
  begun: boolean;
  /** The line the record starts on, and the line its open quote is on. */
  start: number;
  opened: number;
}

/**
 * Reads CSV text into records keyed by the header row, as RFC 4180 writes them: fields separated by commas,
 * records by LF, CRLF or CR; a field in double quotes may hold commas, quotes (doubled) and line breaks.
 * Empty lines are skipped, every record must have as many fields as the header, and a leading byte-order
 * mark is dropped. Text arrives in chunks (`push`) and every character is looked at a bounded number of
 * times, so a file of any size and shape streams through in linear time: a record cut between chunks is
 * carried over as it stands, never read again from its start.
 *
 * It replaces a general-purpose parser on the import's hot path: most lines hold no quote at all and are
 * split in one native call; the others go through a small state machine.
 */
export class CsvReader {
  /** The line the reader is on. */
  private line = 1;
  /** The last character taken was a CR: an LF right after it ends the same line. */
  private afterCR = false;
  private started = false;
  private columns: string[] | null = null;
  /** Whether a column is named `__proto__`, which must be defined as a property, not assigned. */
  private protoColumn = false;
  private open: OpenRecord | null = null;

  /** Adds a chunk of text and appends the records it completes to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    if (!this.started) {
      if (chunk.length === 0) return;
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.parse(chunk, false, out);
  }

  /** The end of the text: appends the last record to `out`, or fails on a field left open. */
  end(out: CsvRecord[]): void {
    this.parse("", true, out);
  }

  private parse(text: string, final: boolean, out: CsvRecord[]): void {
    const n = text.length;
    let p = 0;
    // The next LF, quote and CR at or after p (n when there is none), found again only once passed: each is
    // searched for once per occurrence, not once per line.
    let lf = -1;
    let quote = -1;
    let cr = -1;
    while (p < n || (final && this.open)) {
      if (this.open) {
        p = this.continue(text, p, final, out);
        if (this.open) break; // the record goes on in the next chunk
        continue;
      }
      const c = text.charCodeAt(p);
      if (c === LF || c === CR) {
        // An empty line, or the LF of a CRLF that ended the record before.
        if (!(c === LF && this.afterCR)) this.line++;
        this.afterCR = c === CR;
        p++;
        continue;
      }
      this.afterCR = false;
      if (lf < p) {
        lf = text.indexOf("\n", p);
        if (lf === -1) lf = n;
      }
      if (quote < p) {
        quote = text.indexOf('"', p);
        if (quote === -1) quote = n;
      }
      if (cr < p) {
        cr = text.indexOf("\r", p);
        if (cr === -1) cr = n;
      }
      if (lf < n && quote > lf && cr >= lf - 1) {
        // The common case: a whole line without quotes, split in one call.
        this.record(text.slice(p, cr === lf - 1 ? cr : lf).split(","), this.line, out);
        p = lf + 1;
        this.line++;
        continue;
      }
      this.open = {
        fields: [],
        value: "",
        inQuotes: false,
        afterQuote: false,
        begun: false,
        start: this.line,
        opened: this.line,
      };
    }
  }

  /** Reads on in the open record from `p`: returns where it stopped (the end of the record, or of the text). */
  private continue(text: string, p: number, final: boolean, out: CsvRecord[]): number {
    const r = this.open as OpenRecord;
    const n = text.length;
    while (p < n) {
      if (r.inQuotes) {
        let q = text.indexOf('"', p);
        if (q === -1) q = n;
        this.countBreaks(text, p, q);
        r.value += text.slice(p, q);
        if (q === n) return n;
        this.afterCR = false;
        r.inQuotes = false;
        r.afterQuote = true;
        p = q + 1;
        continue;
      }
      const c = text.charCodeAt(p);
      if (r.afterQuote) {
        r.afterQuote = false;
        if (c === QUOTE) {
          r.value += '"';
          r.inQuotes = true;
          p++;
          continue;
        }
        if (c !== COMMA && c !== LF && c !== CR)
          throw new CsvError(
            `unexpected ${JSON.stringify(text[p])} after the closing quote of field ${r.fields.length + 1}`,
            this.line,
          );
      }
      if (c === COMMA) {
        r.fields.push(r.value);
        r.value = "";
        r.begun = false;
        p++;
        continue;
      }
      if (c === LF || c === CR) {
        this.closeRecord(out);
        this.line++;
        this.afterCR = c === CR;
        return p + 1;
      }
      if (c === QUOTE) {
        if (r.begun)
          throw new CsvError(
            `a quote inside unquoted field ${r.fields.length + 1}: quote the whole field and double the quote`,
            this.line,
          );
        r.begun = true;
        r.inQuotes = true;
        r.opened = this.line;
        this.afterCR = false;
        p++;
        continue;
      }
      // Unquoted text, up to the next comma, quote or line break.
      let i = p + 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === COMMA || d === QUOTE || d === LF || d === CR) break;
        i++;
      }
      r.value += text.slice(p, i);
      r.begun = true;
      this.afterCR = false;
      p = i;
    }
    if (final) {
      if (r.inQuotes) throw new CsvError("a quoted field is not closed before the end of the file", r.opened);
      this.closeRecord(out);
    }
    return p;
  }

  private closeRecord(out: CsvRecord[]): void {
    const r = this.open as OpenRecord;
    r.fields.push(r.value);
    this.open = null;
    this.record(r.fields, r.start, out);
  }

  /** Counts the line breaks in text[from, to) (a CRLF once, even split between chunks). */
  private countBreaks(text: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) {
        if (!this.afterCR) this.line++;
        this.afterCR = false;
      } else if (c === CR) {
        this.line++;
        this.afterCR = true;
      } else this.afterCR = false;
    }
  }

  private record(fields: string[], line: number, out: CsvRecord[]): void {
    const columns = this.columns;
    if (!columns) {
      this.columns = header(fields, line);
      this.protoColumn = this.columns.includes("__proto__");
      return;
    }
    if (fields.length !== columns.length)
      throw new CsvError(
        `the record has ${fields.length} field${fields.length === 1 ? "" : "s"} where the header has ${columns.length}`,
        line,
      );
    const record: Record<string, string> = {};
    if (this.protoColumn) {
      for (let i = 0; i < columns.length; i++)
        Object.defineProperty(record, columns[i] as string, {
          value: fields[i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
    } else for (let i = 0; i < columns.length; i++) record[columns[i] as string] = fields[i] as string;
    out.push({ line, record });
  }
}
