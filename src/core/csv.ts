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

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Reads CSV text into records keyed by the header row, as RFC 4180 writes them: fields separated by commas,
 * records by LF, CRLF or CR; a field in double quotes may hold commas, quotes (doubled) and line breaks.
 * Empty lines are skipped, every record must have as many fields as the header, and a leading byte-order
 * mark is dropped. Text arrives in chunks (`push`), so a file of any size passes through; a record split
 * between chunks waits for the rest.
 *
 * It replaces a general-purpose parser on the import's hot path: most lines hold no quote at all and are
 * split in one native call, and quoted lines go through a small state machine.
 */
export class CsvReader {
  private text = "";
  /** The line `text` starts on. */
  private line = 1;
  private started = false;
  private columns: string[] | null = null;
  /** Whether a column is named `__proto__`, which must be defined as a property, not assigned. */
  private protoColumn = false;

  /** Adds a chunk of text and appends the records it completes to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    if (!this.started) {
      if (chunk.length === 0) return;
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.text = this.text.length ? this.text + chunk : chunk;
    this.parse(false, out);
  }

  /** The end of the text: appends the last record to `out`, or fails on a field left open. */
  end(out: CsvRecord[]): void {
    this.parse(true, out);
  }

  private parse(final: boolean, out: CsvRecord[]): void {
    const text = this.text;
    const n = text.length;
    let p = 0;
    let line = this.line;
    // The next quote and carriage return at or after p (n when there is none), found again only once passed:
    // a file without quotes is then scanned for them once, not once per line.
    let quote = -1;
    let cr = -1;
    while (p < n) {
      const c = text.charCodeAt(p);
      // An empty line.
      if (c === LF) {
        p++;
        line++;
        continue;
      }
      if (c === CR) {
        if (p + 1 >= n && !final) break; // a CRLF may be split between chunks
        p += text.charCodeAt(p + 1) === LF ? 2 : 1;
        line++;
        continue;
      }
      const lf = text.indexOf("\n", p);
      if (lf === -1 && !final) break;
      const stop = lf === -1 ? n : lf;
      if (quote < p) {
        quote = text.indexOf('"', p);
        if (quote === -1) quote = n;
      }
      if (cr < p) {
        cr = text.indexOf("\r", p);
        if (cr === -1) cr = n;
      }
      if (quote >= stop && cr >= stop - 1) {
        // The common case: one line without quotes, split in one call.
        this.record(text.slice(p, cr === stop - 1 ? cr : stop).split(","), line, out);
        p = lf === -1 ? n : lf + 1;
        line++;
        continue;
      }
      const parsed = this.quoted(text, p, line, final);
      if (!parsed) break; // the record goes on in the next chunk
      this.record(parsed.fields, line, out);
      p = parsed.next;
      line = parsed.line;
    }
    this.text = p < n ? text.slice(p) : "";
    this.line = line;
    if (final && this.text.length) throw new CsvError("the file ends inside a record", line);
  }

  /**
   * One record read character by character, from `p`: its fields, where the next record starts and the line
   * it starts on; or null if the text ends before the record does (and more may come).
   */
  private quoted(
    text: string,
    p: number,
    start: number,
    final: boolean,
  ): { fields: string[]; next: number; line: number } | null {
    const n = text.length;
    const fields: string[] = [];
    let line = start;
    for (;;) {
      // At the start of a field.
      if (p < n && text.charCodeAt(p) === QUOTE) {
        const opened = line;
        let value = "";
        let from = p + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            if (!final) return null;
            throw new CsvError("a quoted field is not closed before the end of the file", opened);
          }
          for (let i = text.indexOf("\n", from); i !== -1 && i < q; i = text.indexOf("\n", i + 1)) line++;
          for (let i = text.indexOf("\r", from); i !== -1 && i < q; i = text.indexOf("\r", i + 1))
            if (text.charCodeAt(i + 1) !== LF) line++;
          value += text.slice(from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          p = q + 1;
          break;
        }
        fields.push(value);
        if (p >= n) {
          if (!final) return null;
          return { fields, next: p, line: line + 1 };
        }
        const c = text.charCodeAt(p);
        if (c === COMMA) {
          p++;
          continue;
        }
        const end = this.lineEnd(text, p, final);
        if (end === null) return null;
        if (end === -1)
          throw new CsvError(
            `unexpected ${JSON.stringify(text[p])} after the closing quote of field ${fields.length}`,
            line,
          );
        return { fields, next: end, line: line + 1 };
      }
      // An unquoted field: up to the next comma or line end.
      let i = p;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE)
          throw new CsvError(
            `a quote inside unquoted field ${fields.length + 1}: quote the whole field and double the quote`,
            line,
          );
        i++;
      }
      if (i >= n && !final) return null;
      fields.push(text.slice(p, i));
      if (i >= n) return { fields, next: n, line: line + 1 };
      if (text.charCodeAt(i) === COMMA) {
        p = i + 1;
        continue;
      }
      const end = this.lineEnd(text, i, final);
      if (end === null) return null;
      return { fields, next: end, line: line + 1 };
    }
  }

  /** Where the text after the line break at `p` starts; -1 if `p` is no line break; null if undecided yet. */
  private lineEnd(text: string, p: number, final: boolean): number | null {
    const c = text.charCodeAt(p);
    if (c === LF) return p + 1;
    if (c !== CR) return -1;
    if (p + 1 >= text.length && !final) return null;
    return text.charCodeAt(p + 1) === LF ? p + 2 : p + 1;
  }

  private record(fields: string[], line: number, out: CsvRecord[]): void {
    const columns = this.columns;
    if (!columns) {
      this.columns = fields.map((h) => h.trim().toLowerCase());
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
