/**
 * The import's CSV reader (core/csv.ts) against csv-parse, a general-purpose parser, on any table: any cells
 * (commas, quotes, line breaks, non-ASCII), any line endings, empty lines, a byte-order mark, and the text cut
 * into chunks anywhere (inside a quoted field, between CR and LF, inside a UTF-8 character). Each record must
 * also carry the line it starts on. Bad files fail on the line of the fault.
 */
import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, CsvReader, type CsvRecord } from "../../src/core/csv.js";
import { FileFormatError, readRecords } from "../../src/services/import/read-records.js";

function readAll(chunks: readonly string[]): CsvRecord[] {
  const reader = new CsvReader();
  const out: CsvRecord[] = [];
  for (const c of chunks) reader.push(c, out);
  reader.end(out);
  return out;
}

/** The text cut at the given offsets. */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((a) => a % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

const cell = fc.oneof(
  fc.constantFrom(
    "",
    "a",
    "Izeh (Khuzestan)",
    "2021-03-01",
    "12-15",
    "ایذه",
    "x,y",
    'say "no"',
    "two\nlines",
  ),
  fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "é", "😀", "'"), maxLength: 12 }),
);

const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    header: fc.uniqueArray(fc.constantFrom("place", "date", "Killed", " source ", "type", "url", "x"), {
      minLength: width,
      maxLength: width,
    }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
    eol: fc.constantFrom("\n", "\r\n", "\r"),
    quoteAll: fc.boolean(),
    bom: fc.boolean(),
    blankAfter: fc.array(fc.boolean(), { maxLength: 10 }),
    finalEol: fc.boolean(),
  }),
);

describe("CSV reader", () => {
  it("reads any table as csv-parse does, wherever the text is cut, with each record's first line", () => {
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 6 }), (t, cuts) => {
        const quote = (v: string) =>
          t.quoteAll || /[",\r\n]/.test(v) || v === "" ? `"${v.replaceAll('"', '""')}"` : v;
        // A record of one empty field would be an empty line, which is skipped: such a row is quoted.
        const lines = [t.header, ...t.rows].map((r) =>
          r.length === 1 && r[0] === "" ? '""' : r.map(quote).join(","),
        );
        let text = t.bom ? "\uFEFF" : "";
        let line = 1;
        const starts: number[] = [];
        lines.forEach((l, i) => {
          if (i > 0) starts.push(line);
          text += l;
          line += (l.match(/\r\n|\r|\n/g) ?? []).length;
          if (i < lines.length - 1 || t.finalEol) {
            text += t.eol;
            line++;
          }
          if (t.blankAfter[i] && i < lines.length - 1) {
            text += t.eol;
            line++;
          }
        });
        const expected = parse(text, {
          bom: true,
          columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
          skip_empty_lines: true,
          relax_column_count: false,
        }) as Record<string, string>[];
        const got = readAll(cut(text, cuts));
        expect(got.map((r) => r.record)).toEqual(expected);
        expect(got.map((r) => r.line)).toEqual(starts);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads a file cut inside a UTF-8 character, through the import's stream reader", async () => {
    const text = 'place,killed\nایذه,3\n"Dezful, north",4\n';
    const bytes = Buffer.from(text);
    for (let at = 1; at < bytes.length; at++) {
      const records = [];
      for await (const r of readRecords(Readable.from([bytes.subarray(0, at), bytes.subarray(at)]), "csv"))
        records.push(r);
      expect(records).toEqual([
        { line: 2, record: { place: "ایذه", killed: "3" } },
        { line: 3, record: { place: "Dezful, north", killed: "4" } },
      ]);
    }
  });

  it("hands out each record as soon as it is complete, whatever ends its lines", () => {
    for (const eol of ["\n", "\r\n", "\r"]) {
      const reader = new CsvReader();
      const out: CsvRecord[] = [];
      reader.push(`a,b${eol}1,2${eol}"3`, out);
      // A CR-only file must not wait for an LF that never comes: the first record is out already.
      expect(out.map((r) => r.record)).toEqual([{ a: "1", b: "2" }]);
      reader.push(`,x${eol}`, out);
      reader.push('","y', out);
      expect(out).toHaveLength(1);
      reader.push(`"${eol}`, out);
      reader.end(out);
      expect(out.map((r) => r.record)).toEqual([
        { a: "1", b: "2" },
        { a: `3,x${eol}`, b: "y" },
      ]);
      expect(out.map((r) => r.line)).toEqual([2, 3]);
    }
  });

  it("carries a long quoted field over many chunks", () => {
    const cellText = `${"ab\n".repeat(2000)}"q"`;
    const text = `id,note,n\n1,"${cellText.replaceAll('"', '""')}",7\n2,x,8\n`;
    const chunks = cut(
      text,
      Array.from({ length: 1500 }, (_, i) => i * 7),
    );
    const got = readAll(chunks);
    expect(got.map((r) => r.record)).toEqual([
      { id: "1", note: cellText, n: "7" },
      { id: "2", note: "x", n: "8" },
    ]);
    expect(got.map((r) => r.line)).toEqual([2, 2003]);
  });

  it("keeps a column named __proto__ as a cell, not the record's prototype", () => {
    const [r] = readAll(["__proto__,a\nx,y\n"]);
    expect(Object.getPrototypeOf(r?.record)).toBe(Object.prototype);
    expect(r?.record).toEqual(
      Object.fromEntries([
        ["__proto__", "x"],
        ["a", "y"],
      ]),
    );
  });

  const bad: [string, string, number, RegExp][] = [
    ["a record with a field too few", "a,b\n1,2\n3\n", 3, /has 1 field where the header has 2/],
    [
      "a record with a field too many",
      "a,b\r\n1,2\r\n\r\n3,4,5\r\n",
      4,
      /has 3 fields where the header has 2/,
    ],
    ["a quote inside an unquoted field", 'a,b\n1,2\n3,x"y\n', 3, /quote inside unquoted field 2/],
    ["text after a closing quote", 'a,b\n"1"x,2\n', 2, /unexpected "x" after the closing quote of field 1/],
    ["a quoted field never closed", 'a,b\n1,2\n"3\n4,5\n', 3, /not closed before the end of the file/],
  ];
  for (const [what, text, line, message] of bad) {
    it(`fails on ${what}, naming its line`, async () => {
      for (const chunks of [[text], text.split("")]) {
        let error: unknown;
        try {
          readAll(chunks);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(CsvError);
        expect((error as CsvError).line).toBe(line);
        expect((error as CsvError).message).toMatch(message);
      }
      // The import's reader reports it as a file format error on the same line.
      const read = async () => {
        for await (const _ of readRecords(Readable.from([text]), "csv"));
      };
      await expect(read()).rejects.toBeInstanceOf(FileFormatError);
      await expect(read()).rejects.toMatchObject({ line });
    });
  }
});
