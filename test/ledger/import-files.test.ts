/**
 * Import files that must be refused, or read, as a whole: a header naming a column twice or not at all, bytes
 * that are not UTF-8 (UTF-16 with a byte-order mark is decoded), a file with no rows, JSON nested too deep, and
 * JSON arrays read item by item as they stream in. The readers refuse with a FileFormatError naming the line;
 * the CLI exits non-zero naming file and line, the API answers 400, and nothing is written.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/core/json-array.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import {
  FileFormatError,
  type ImportFormat,
  readRecords,
  type SourceRecord,
} from "../../src/services/import/read-records.js";
import { createToken } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv } from "../helpers/fixtures.js";
import { serveTestLedger } from "../helpers/server.js";

async function readAll(chunks: readonly (Buffer | string)[], format: ImportFormat): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of readRecords(Readable.from(chunks), format)) out.push(r);
  return out;
}

/** The error reading fails with (or null when it does not fail). */
async function failure(
  chunks: readonly (Buffer | string)[],
  format: ImportFormat,
): Promise<FileFormatError | null> {
  try {
    await readAll(chunks, format);
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(FileFormatError);
    return e as FileFormatError;
  }
}

/** The bytes cut in two at every offset. */
function everyCut(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  for (let at = 0; at <= bytes.length; at++) out.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return out;
}

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
const utf16be = (text: string) => {
  const b = Buffer.from(text, "utf16le");
  b.swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), b]);
};

const rows = [
  { date: "2021-01-01", place: "ایذه", killed: "3" },
  { date: "2021-01-02", place: "Dezful, north", killed: "4" },
];
const SAMPLES: Record<ImportFormat, string> = {
  csv: 'date,place,killed\r\n2021-01-01,ایذه,3\r\n2021-01-02,"Dezful, north",4\r\n',
  ndjson: `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`,
  json: JSON.stringify(rows, null, 2),
};
const LINES: Record<ImportFormat, number[]> = { csv: [2, 3], ndjson: [1, 2], json: [1, 2] };

describe("import file readers", () => {
  describe("the CSV header", () => {
    it("refuses a column named twice, on line 1, naming it as the reader keys it", async () => {
      const e = await failure(["date,place,killed,killed\n2021-01-01,Tehran,1,2\n"], "csv");
      expect(e?.line).toBe(1);
      expect(e?.message).toBe('the header names column "killed" twice (columns 3 and 4)');
      // Trimmed and in lower case, " Killed" is "killed" too.
      const e2 = await failure(["killed,date, Killed \n1,2021-01-01,2\n"], "csv");
      expect(e2?.message).toBe('the header names column "killed" twice (columns 1 and 3)');
    });

    it("refuses a column without a name", async () => {
      const e = await failure(["date,,place\n2021-01-01,x,Tehran\n"], "csv");
      expect(e).toMatchObject({ line: 1, message: "column 2 of the header has no name" });
      const trailing = await failure(["\ndate,place, \n2021-01-01,Tehran,\n"], "csv");
      expect(trailing).toMatchObject({
        line: 2,
        message: "column 3 of the header has no name (a comma at the end of the header?)",
      });
    });
  });

  describe("encodings", () => {
    for (const format of ["csv", "ndjson", "json"] as const) {
      it(`reads ${format} as UTF-8 with or without a byte-order mark, and as UTF-16 LE or BE with one, cut anywhere`, async () => {
        const text = SAMPLES[format];
        const expected = rows.map((record, i) => ({ line: (LINES[format] as number[])[i], record }));
        const encodings = [
          Buffer.from(text),
          Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
          utf16le(text),
          utf16be(text),
        ];
        for (const bytes of encodings)
          for (const chunks of everyCut(bytes)) expect(await readAll(chunks, format)).toEqual(expected);
        // Strings are text already: they pass through, a leading byte-order mark dropped.
        expect(await readAll([`\uFEFF${text}`], format)).toEqual(expected);
      });

      it(`refuses Latin-1 bytes in ${format}, naming the byte and its line, wherever the bytes are cut`, async () => {
        const text = { ...SAMPLES, json: `[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]` }[format]
          .replace("Dezful", "Dézful")
          .replace("ایذه", "Izeh");
        const bytes = Buffer.from(text, "latin1");
        const line = format === "ndjson" ? 2 : 3;
        for (const chunks of everyCut(bytes)) {
          const e = await failure(chunks, format);
          expect(e?.message).toBe(
            "the file is not UTF-8: byte 0xE9 looks like Latin-1/Windows-1252; save it as UTF-8",
          );
          expect(e?.line).toBe(line);
        }
      });

      it(`refuses ${format} in UTF-16 without a byte-order mark`, async () => {
        for (const bytes of [Buffer.from(SAMPLES[format], "utf16le"), utf16be(SAMPLES[format]).subarray(2)])
          for (const chunks of everyCut(bytes)) {
            const e = await failure(chunks, format);
            expect(e).toMatchObject({
              line: 1,
              message:
                "the file looks like UTF-16 without a byte order mark (NUL bytes between characters); save it as UTF-8",
            });
          }
      });
    }

    it("names the line of a bad byte after multi-byte characters cut between chunks", async () => {
      const bytes = Buffer.concat([
        Buffer.from("date,place\r\n2021-01-01,ایذه 😀\r\n2021-01-02,"),
        Buffer.from([0xff]),
        Buffer.from("x\r\n"),
      ]);
      for (const chunks of everyCut(bytes))
        expect(await failure(chunks, "csv")).toMatchObject({
          line: 3,
          message: expect.stringContaining("byte 0xFF"),
        });
    });

    it("refuses a file cut short inside a UTF-8 character", async () => {
      const bytes = Buffer.from("date,place\n2021-01-01,ایذه").subarray(0, -1);
      expect(await failure([bytes], "csv")).toMatchObject({
        line: 2,
        message:
          "the file is not UTF-8: byte 0xD9 looks like Latin-1/Windows-1252 (or the file is cut short inside a character); save it as UTF-8",
      });
    });

    it("refuses UTF-16 with an unpaired surrogate, naming its line", async () => {
      const bytes = utf16le("date,place\n2021-01-01,x\n2021-01-02,\ud83dx\n");
      for (const chunks of everyCut(bytes))
        expect(await failure(chunks, "csv")).toMatchObject({
          line: 3,
          message: "the file is not valid UTF-16: an unpaired surrogate (0xD83D); save it as UTF-8",
        });
    });
  });

  describe("files without rows", () => {
    const cases: [string, ImportFormat, string, string][] = [
      ["an empty CSV file", "csv", "", "the file is empty"],
      ["a CSV file of empty lines", "csv", "\r\n\n", "the file is empty"],
      ["a CSV header without rows", "csv", "date,place,killed\n\n", "the file has no rows (only a header)"],
      ["an empty JSON file", "json", "", "the file is empty"],
      ["an empty JSON array", "json", " [\n ]\n", "the file has no rows (an empty array)"],
      ["an empty NDJSON file", "ndjson", "", "the file is empty"],
      ["an NDJSON file of blank lines", "ndjson", "\n  \n\n", "the file is empty"],
    ];
    for (const [what, format, text, message] of cases) {
      it(`refuses ${what}`, async () => {
        for (const chunks of text ? [[Buffer.from(text)], [text]] : [[Buffer.from(text)], [text], []])
          expect(await failure(chunks, format)).toMatchObject({ line: 1, message });
      });
    }
  });

  describe("JSON arrays", () => {
    it("hands out each item before the rest of the array has arrived", async () => {
      let firstSeen = false;
      async function* body() {
        yield Buffer.from('[{"date":"2021-01-01"},');
        // Reading the whole array before the first item would get here without having handed it out.
        if (!firstSeen) throw new Error("the reader asked for more before handing out the first item");
        yield Buffer.from('{"date":"2021-01-02"}]');
      }
      const got: SourceRecord[] = [];
      // The generator itself, not a Readable over it, which would read ahead to fill its buffer.
      for await (const r of readRecords(body(), "json")) {
        firstSeen = true;
        got.push(r);
      }
      expect(got).toEqual([
        { line: 1, record: { date: "2021-01-01" } },
        { line: 2, record: { date: "2021-01-02" } },
      ]);
    });

    it("names the item and the line it starts on when an item is not an object or not JSON", async () => {
      expect(await failure(['[\n  {"a": 1},\n  2\n]'], "json")).toMatchObject({
        line: 3,
        message: "item 2 is not an object (it is a number)",
      });
      const e = await failure(['[{"a": 1},\n\n{"a": tru}]'], "json");
      expect(e?.line).toBe(3);
      expect(e?.message).toMatch(/^item 2 is not valid JSON: /);
      expect(await failure(['[{"a": 1}]\n{"b": 2}'], "json")).toMatchObject({
        line: 2,
        message: expect.stringContaining("text after the closing bracket"),
      });
      expect(await failure(['[{"a": 1},\n'], "json")).toMatchObject({
        line: 2,
        message: expect.stringContaining("the array is not closed"),
      });
    });

    it("reads a single line of megabytes, cut into small chunks, in linear time", async () => {
      const note = "x".repeat(8_000_000);
      for (const format of ["json", "ndjson", "csv"] as const) {
        const text =
          format === "csv"
            ? `note,n\n${note},1`
            : format === "json"
              ? `[{"note":"${note}","n":1}]`
              : `{"note":"${note}","n":1}`;
        const chunks: Buffer[] = [];
        const bytes = Buffer.from(text);
        for (let i = 0; i < bytes.length; i += 4096) chunks.push(bytes.subarray(i, i + 4096));
        const [r] = await readAll(chunks, format);
        expect(String(r?.record.note).length).toBe(note.length);
      }
    }, 20_000);
  });

  describe("nesting", () => {
    const deep = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"a":1}${"}".repeat(depth - 1)}`;

    it(`refuses an NDJSON line nested deeper than ${MAX_JSON_DEPTH} levels, naming the line`, async () => {
      expect(await readAll([`{"a":1}\n${deep(MAX_JSON_DEPTH)}\n`], "ndjson")).toHaveLength(2);
      for (const depth of [MAX_JSON_DEPTH + 1, 500_000])
        expect(await failure([`{"a":1}\n\n${deep(depth)}\n`], "ndjson")).toMatchObject({
          line: 3,
          message: `the object on this line is nested deeper than ${MAX_JSON_DEPTH} levels`,
        });
    });

    it(`refuses a JSON item nested deeper than ${MAX_JSON_DEPTH} levels, naming the item and its line`, async () => {
      expect(await readAll([`[${deep(MAX_JSON_DEPTH)}]`], "json")).toHaveLength(1);
      for (const depth of [MAX_JSON_DEPTH + 1, 500_000])
        expect(await failure([`[{"a":1},\n${deep(depth)}]`], "json")).toMatchObject({
          line: 2,
          message: `item 2 is nested deeper than ${MAX_JSON_DEPTH} levels`,
        });
    });
  });
});

const INCIDENTS = incidentsCsv([
  {
    external_id: "e1",
    date: "2021-03-01",
    place: "Tehran",
    country: "IR",
    type: "protest",
    killed: "2",
    source: "Net (synthetic)",
  },
  {
    external_id: "e2",
    date: "2021-03-02",
    place: "Dezful",
    country: "IR",
    type: "protest",
    killed: "1",
    source: "Net (synthetic)",
  },
]);

describe.each(BACKENDS)("importing whole files on %s", (backend) => {
  const s = serveTestLedger(backend);
  let reviewer = "";
  beforeAll(async () => {
    reviewer = (await createToken(s.t.ledger, "reviewer-bot", "reviewer")).token;
  });
  const count = async () =>
    Number(
      (
        await s.t.ledger.store.db
          .selectFrom("incidents")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const opts = { file: "f.csv", actor: "test" };

  it("refuses an empty file and a header without rows instead of importing 0 rows", async () => {
    for (const [text, message] of [
      ["", "the file is empty"],
      [`${INCIDENTS.split("\n")[0]}\n`, "the file has no rows (only a header)"],
    ] as const) {
      const error = await importIncidents(
        s.t.ledger,
        readRecords(Readable.from([Buffer.from(text)]), "csv"),
        opts,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FileFormatError);
      expect((error as FileFormatError).message).toBe(message);
    }
    expect(await count()).toBe(0);
  });

  it("imports a UTF-16 file with a byte-order mark as its UTF-8 twin", async () => {
    const report = await importIncidents(
      s.t.ledger,
      readRecords(Readable.from([utf16le(INCIDENTS)]), "csv"),
      opts,
    );
    expect(report).toMatchObject({ rows: 2, inserted: 2 });
    const again = await importIncidents(
      s.t.ledger,
      readRecords(Readable.from([Buffer.from(INCIDENTS)]), "csv"),
      opts,
    );
    expect(again).toMatchObject({ rows: 2, inserted: 0, unchanged: 2 });
    const places = await s.t.ledger.store.db
      .selectFrom("incidents")
      .select("external_id")
      .orderBy("external_id")
      .execute();
    expect(places.map((p) => p.external_id)).toEqual(["e1", "e2"]);
  });

  it("answers 400 naming the line for a file that cannot be read, and writes nothing", async () => {
    const before = await count();
    const post = (payload: Buffer | string, type: string) =>
      s.app.inject({
        method: "POST",
        url: "/api/v1/imports?kind=incidents",
        headers: { authorization: `Bearer ${reviewer}`, "content-type": type },
        payload,
      });
    const cases: [Buffer | string, string, number, string][] = [
      [
        Buffer.from(INCIDENTS.replace("Dezful", "Dézful"), "latin1"),
        "text/csv",
        3,
        "byte 0xE9 looks like Latin-1",
      ],
      [INCIDENTS.replace("killed", "source"), "text/csv", 1, 'the header names column "source" twice'],
      [`${INCIDENTS.split("\n")[0]}\n`, "text/csv", 1, "the file has no rows"],
      ["[]", "application/json", 1, "the file has no rows (an empty array)"],
      [
        `[\n${'{"a":'.repeat(500_000)}1${"}".repeat(500_000)}]`,
        "application/json",
        2,
        "item 1 is nested deeper than 64 levels",
      ],
    ];
    for (const [payload, type, line, message] of cases) {
      const res = await post(payload, type);
      expect(res.statusCode, message).toBe(400);
      expect(res.json().detail).toContain(message);
      expect(res.json().errors).toEqual([{ field: "body", line, message: expect.stringContaining(message) }]);
    }
    expect(await count()).toBe(before);
  });
});

// The CLI's side of it is the same on either backend (the file is refused before anything is written), and a
// process start costs seconds, so it runs once, on SQLite. The API's side is checked on both, above.
describe("tally import", () => {
  let t: TestLedger;
  const dir = mkdtempSync(join(tmpdir(), "tally-import-files-"));
  beforeAll(async () => {
    t = await openTestLedger("sqlite");
    await t.ledger.store.close(); // the CLI opens its own connection
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const tally = async (...args: string[]) => {
    try {
      const r = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
        env: { ...process.env, DATABASE_URL: "", ...t.env },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it("exits non-zero naming the file and its line for an empty file, instead of importing 0 rows", async () => {
    const file = join(dir, "empty.csv");
    writeFileSync(file, "");
    const r = await tally("import", "incidents", file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tally: empty.csv:1: the file is empty; nothing was imported\n");
    expect(r.stdout).toBe("");
  }, 30_000);
});
