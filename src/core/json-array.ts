/**
 * Reads a top-level JSON array of objects one item at a time, from text pushed in chunks, so that an import of
 * any size never becomes one string: only the item being read is held, and each is parsed on its own. The
 * scanner tracks strings, escapes and nesting to find where each item ends; JSON.parse still judges the item.
 * No I/O here, like CsvReader: the caller decodes the bytes and pushes text.
 */

/** How deeply an item may nest objects and arrays (an object of scalars is 1 level). */
export const MAX_JSON_DEPTH = 64;

/** Text that is not an array of objects; `line` is where the problem is (from 1). */
export class JsonArrayError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export interface JsonArrayItem {
  /** The item's position in the array, from 1. */
  item: number;
  /** The line the item starts on, from 1. */
  line: number;
  value: Record<string, unknown>;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

// Runs of characters the scanner has nothing to do with, skipped in one native call each.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters end a run inside a string.
const STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const STRUCTURE_RUN = /[^"{}[\]\n\r]*/y;

/** Where the reader stands: before the array, between items, inside an item, or after the array. */
const BEFORE = 0;
/** Just after the opening bracket: an item or the closing bracket. */
const FIRST = 1;
/** Just after a comma: an item must follow. */
const NEXT = 2;
const ITEM = 3;
/** Just after an item: a comma or the closing bracket. */
const AFTER_ITEM = 4;
const DONE = 5;

/** What a JSON value starting with this character is, for "item 3 is not an object (it is …)". */
function kindOf(c: string): string {
  if (c === "[") return "an array";
  if (c === '"') return "a string";
  if (c === "t" || c === "f") return "a boolean";
  if (c === "n") return "null";
  if (c === "-" || (c >= "0" && c <= "9")) return "a number";
  return `${JSON.stringify(c)}, which starts no JSON value`;
}

export class JsonArrayReader {
  private state = BEFORE;
  private started = false;
  private line = 1;
  /** The last character of the previous chunk was a CR: an LF starting this one ends the same line. */
  private endedWithCR = false;
  private items = 0;
  // The item being read: its pieces so far (a chunk may end inside it), where it starts, and the scanner's
  // position in it. `open` holds the brackets still open, at most maxDepth of them.
  private parts: string[] = [];
  private itemLine = 1;
  private open: number[] = [];
  private inString = false;
  private escaped = false;

  constructor(private readonly maxDepth = MAX_JSON_DEPTH) {}

  /** Adds a chunk of text and appends the items it completes to `out`. */
  push(chunk: string, out: JsonArrayItem[]): void {
    const n = chunk.length;
    let p = 0;
    if (!this.started) {
      if (n === 0) return;
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) p = 1;
    }
    while (p < n) {
      if (this.state === ITEM) {
        p = this.scanItem(chunk, p, out);
        continue;
      }
      const c = chunk.charCodeAt(p);
      if (c === SPACE || c === TAB || c === LF || c === CR) {
        this.lineBreak(chunk, p, c);
        p++;
        continue;
      }
      switch (this.state) {
        case BEFORE:
          if (c !== OPEN_BRACKET)
            throw new JsonArrayError(
              `a JSON import must be an array of objects, and this starts with ${JSON.stringify(chunk[p])}`,
              this.line,
            );
          this.state = FIRST;
          p++;
          break;
        case FIRST:
        case NEXT:
          if (c === CLOSE_BRACKET) {
            if (this.state === NEXT)
              throw new JsonArrayError(`a comma after item ${this.items} with no item after it`, this.line);
            this.state = DONE;
            p++;
          } else this.beginItem(chunk, p);
          break;
        case AFTER_ITEM:
          if (c === COMMA) this.state = NEXT;
          else if (c === CLOSE_BRACKET) this.state = DONE;
          else
            throw new JsonArrayError(
              `expected "," or "]" after item ${this.items}, found ${JSON.stringify(chunk[p])}`,
              this.line,
            );
          p++;
          break;
        default:
          throw new JsonArrayError(
            `text after the closing bracket of the array: ${JSON.stringify(chunk.slice(p, p + 20))}`,
            this.line,
          );
      }
    }
    if (n > 0) this.endedWithCR = chunk.charCodeAt(n - 1) === CR;
  }

  /** The end of the text: fails unless the array was closed. */
  end(_out: JsonArrayItem[]): void {
    if (this.state === DONE) return;
    if (this.state === BEFORE)
      throw new JsonArrayError("a JSON import must be an array of objects, and the text is empty", this.line);
    if (this.state === ITEM)
      throw new JsonArrayError(
        `item ${this.items} is not closed: the file ends ${this.inString ? "inside a string" : "before its closing brace"}`,
        this.itemLine,
      );
    throw new JsonArrayError('the array is not closed: the file ends before its closing "]"', this.line);
  }

  /** Counts a line break at chunk[p] (a CRLF once, even when split between chunks). */
  private lineBreak(chunk: string, p: number, c: number): void {
    if (c === CR) this.line++;
    else if (c === LF) {
      const afterCR = p > 0 ? chunk.charCodeAt(p - 1) === CR : this.endedWithCR;
      if (!afterCR) this.line++;
    }
  }

  private beginItem(chunk: string, p: number): void {
    this.items++;
    this.itemLine = this.line;
    const c = chunk[p] as string;
    if (c !== "{")
      throw new JsonArrayError(`item ${this.items} is not an object (it is ${kindOf(c)})`, this.line);
    this.state = ITEM;
    this.parts = [];
    this.open = [];
    this.inString = false;
    this.escaped = false;
  }

  /** Reads on in the current item from `p`: returns where it stopped (after the item, or the chunk's end). */
  private scanItem(chunk: string, p: number, out: JsonArrayItem[]): number {
    const n = chunk.length;
    const from = p;
    while (p < n) {
      if (this.inString) {
        if (this.escaped) {
          // The character after a backslash is taken as it is; JSON.parse judges the escape.
          this.escaped = false;
          p++;
          continue;
        }
        STRING_RUN.lastIndex = p;
        STRING_RUN.test(chunk);
        p = STRING_RUN.lastIndex;
        if (p >= n) break;
        const c = chunk.charCodeAt(p);
        if (c === QUOTE) this.inString = false;
        else if (c === BACKSLASH) this.escaped = true;
        // A raw line break or control character cannot be in a JSON string: failing here keeps a string
        // left open from swallowing the rest of the file.
        else
          throw new JsonArrayError(
            `item ${this.items} is not valid JSON: a ${c === LF || c === CR ? "line break" : "control character"} inside a string`,
            this.itemLine,
          );
        p++;
        continue;
      }
      STRUCTURE_RUN.lastIndex = p;
      STRUCTURE_RUN.test(chunk);
      p = STRUCTURE_RUN.lastIndex;
      if (p >= n) break;
      const c = chunk.charCodeAt(p);
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        // Refused before JSON.parse ever sees it, and before more of it is held.
        if (this.open.length >= this.maxDepth)
          throw new JsonArrayError(
            `item ${this.items} is nested deeper than ${this.maxDepth} levels`,
            this.itemLine,
          );
        this.open.push(c);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        const opener = this.open.pop();
        if (opener !== (c === CLOSE_BRACE ? OPEN_BRACE : OPEN_BRACKET))
          throw new JsonArrayError(
            `item ${this.items} is not valid JSON: a "${chunk[p]}" on line ${this.line} closes ${opener === undefined ? "nothing" : `a "${String.fromCharCode(opener)}"`}`,
            this.itemLine,
          );
        if (this.open.length === 0) {
          this.parts.push(chunk.slice(from, p + 1));
          this.complete(out);
          return p + 1;
        }
      } else this.lineBreak(chunk, p, c);
      p++;
    }
    this.parts.push(chunk.slice(from, n));
    return n;
  }

  private complete(out: JsonArrayItem[]): void {
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join("");
    this.parts = [];
    this.state = AFTER_ITEM;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new JsonArrayError(
        `item ${this.items} is not valid JSON: ${(e as Error).message}`,
        this.itemLine,
      );
    }
    out.push({ item: this.items, line: this.itemLine, value: value as Record<string, unknown> });
  }
}

/**
 * Whether JSON text nests objects and arrays deeper than `limit` (brackets inside strings do not count). One
 * pass without recursion, so it can be asked before JSON.parse about text nested a million levels deep. It does
 * not check that the text is valid JSON.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Skip the string: up to the next quote not escaped by a backslash.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth--;
  }
  return false;
}
