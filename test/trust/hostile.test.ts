/**
 * Hostile input, on both backends: fast-check over every route the OpenAPI description lists (path, query and
 * body), over CSV imports and over article imports. Whatever arrives, the answer is a success or a 4xx problem,
 * never a 500; a refused request writes nothing (the audit head and the row counts stay put); exports neutralise
 * formulas; HTML in text comes back escaped where it is rendered as HTML.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvLine } from "../../src/core/csv.js";
import { buildServer } from "../../src/server/app.js";
import { importArticle } from "../../src/services/articles.js";
import { auditHead, verifyAudit } from "../../src/services/audit.js";
import { createToken } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { INCIDENT_HEADER, incidentsCsv, syntheticIncidents } from "../helpers/fixtures.js";

const SPECIAL = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\u202eevil\u202c",
  "\u200f\u200e",
  "\u200d\u200d\u200d",
  "👨‍👩‍👧",
  '=HYPERLINK("http://x")',
  "+1+1",
  "-2+3",
  "@SUM(A1)",
  "\t=1",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%2e%2e%2f",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "9".repeat(400),
  "-99999999999999999999999",
  "1e309",
  "NaN",
  "Infinity",
  "-1",
  "2021-02-30",
  "2021-13-01",
  "0000-00-00",
  "99999-01-01",
  "1900-01-01",
  "2021-W60",
  "x".repeat(20_000),
  "null",
  "true",
  "[]",
  "{}",
  "__proto__",
  "constructor",
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }).map((s) => `\u202e${s}\u200d`) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER * 1000, -1, -2147483649, 2 ** 31, 0.5),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(hostileString, tie("v"), { maxKeys: 3 }),
  ),
})).v;

/** Percent-encodes a path segment; an unpaired surrogate goes out as the invalid UTF-8 bytes a client could send. */
function encodeSegment(s: string): string {
  let out = "";
  for (const ch of s) out += /^[\ud800-\udfff]$/.test(ch) ? "%ED%A0%80" : encodeURIComponent(ch);
  return out;
}

const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

function deep(n: number, open: string, close: string, leaf = "1") {
  return open.repeat(n) + leaf + close.repeat(n);
}

interface Operation {
  method: string;
  path: string;
  query: string[];
  bodyKeys: string[];
}

function operations(app: FastifyInstance): Operation[] {
  const spec = app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { in: string; name: string }[];
          requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
        }
      >
    >;
  };
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        bodyKeys: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return out;
}

describe.each(BACKENDS)("hostile input on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  let admin: string;
  beforeAll(async () => {
    // Uploads go to a temporary media directory, never into the working tree.
    process.env.TALLY_MEDIA_DIR = mkdtempSync(join(tmpdir(), "tally-media-"));
    t = await openTestLedger(backend);
    app = await buildServer({ ledger: t.ledger, rateLimit: 1_000_000 });
    admin = (await createToken(t.ledger, "fuzz-admin", "admin")).token;
    await app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      payload: incidentsCsv(syntheticIncidents(20, 77)),
    });
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  const counts = async () => {
    const db = t.ledger.store.db;
    const n = async (table: "incidents" | "claims" | "sources" | "history") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      head: (await auditHead(t.ledger)).seq,
      incidents: await n("incidents"),
      claims: await n("claims"),
    };
  };

  /** A 4xx must be a problem document and leave the ledger as it was. */
  async function expectSafe(
    res: LightMyRequestResponse,
    before: Awaited<ReturnType<typeof counts>>,
    what: string,
  ) {
    if (res.statusCode >= 500) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) {
      expect(res.headers["content-type"], what).toContain("application/problem+json");
      const after = await counts();
      expect(after, `${what} wrote despite ${res.statusCode}`).toEqual(before);
    }
  }

  it("answers every route with a success or a 4xx problem, whatever the path, query and body", async () => {
    const ops = operations(app);
    expect(ops.length).toBeGreaterThan(25);
    for (const op of ops) {
      const request = fc.record({
        params: fc.array(hostileString, { minLength: 3, maxLength: 3 }),
        query: fc.dictionary(
          op.query.length ? fc.oneof(fc.constantFrom(...op.query), hostileString) : hostileString,
          fc.oneof(hostileString, fc.array(hostileString, { maxLength: 2 })),
          { maxKeys: 4 },
        ),
        body: op.bodyKeys.length
          ? fc.oneof(
              hostileValue,
              fc.dictionary(fc.constantFrom(...op.bodyKeys), hostileValue, { maxKeys: 6 }),
            )
          : hostileValue,
        auth: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let i = 0;
          const url = op.path.replace(/\{[^}]+\}/g, () => encodeSegment(r.params[i++] as string));
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(r.query))
            for (const x of [v].flat()) qs.append(wellFormed(k), wellFormed(x as string));
          // Unpaired surrogates in the query string go out as raw invalid UTF-8 bytes instead.
          const bad = Object.entries(r.query)
            .flat(2)
            .some((x) => wellFormed(x as string) !== x);
          const before = await counts();
          const res = await app.inject({
            method: op.method as "GET",
            url: `${url}${qs.size ? `?${qs}` : ""}${bad ? `${qs.size ? "&" : "?"}q=%ED%A0%80%00` : ""}`,
            headers: r.auth ? { authorization: `Bearer ${admin}` } : {},
            ...(op.method === "GET" ? {} : { payload: r.body as object }),
          });
          await expectSafe(res, before, `${op.method} ${op.path}`);
        }),
        { numRuns: 25, seed: 7 },
      );
    }
  }, 240_000);

  it("refuses deeply nested, oversized and malformed JSON with 4xx", async () => {
    const posts = operations(app).filter((o) => o.method !== "GET" && !o.path.includes("{"));
    const bodies = [
      // 500,000 deep: 1,000,000 bytes, inside the 1 MiB body limit, so the depth itself must be refused.
      deep(500_000, "[", "]"),
      deep(20_000, '{"a":', "}"),
      `{"description":"${"x".repeat(2_000_000)}"}`,
      '{"a":1,}',
      "\u0000",
      '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}',
    ];
    for (const op of posts) {
      for (const payload of bodies) {
        const before = await counts();
        const res = await app.inject({
          method: op.method as "POST",
          url: op.path,
          headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
          payload,
        });
        await expectSafe(res, before, `${op.method} ${op.path} ${payload.slice(0, 20)}`);
        if (op.bodyKeys.length) expect(res.statusCode, `${op.method} ${op.path}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  }, 120_000);

  it("imports hostile CSV rows all or nothing, names lines, and neutralises formulas in exports", async () => {
    const cell = fc.oneof(
      hostileString,
      fc.constantFrom("2021-03-04", "Tehran", "IR", "protest", "3", "2-4"),
    );
    const row = fc.record({
      external_id: fc.oneof(hostileString, fc.uuid()),
      date: fc.oneof(cell, fc.constantFrom("2021-01-05", "2021-02", "2021")),
      place: fc.oneof(cell, fc.constantFrom("Tehran", "Isfahan", "Karaj")),
      country: fc.constantFrom("IR", "ir", "XX", "", "\u0000"),
      type: fc.oneof(cell, fc.constantFrom("protest", "arrests")),
      killed: fc.oneof(cell, fc.integer({ min: -5, max: 10 }).map(String)),
      arrested: cell,
      source: cell,
      description: cell,
    });
    const file = fc.record({
      rows: fc.array(row, { minLength: 1, maxLength: 6 }),
      skip: fc.boolean(),
      raw: fc.option(fc.string({ unit: "binary", maxLength: 200 }), { freq: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(file, async ({ rows, skip, raw }) => {
        const header = INCIDENT_HEADER;
        const text =
          raw ??
          csvLine(header) +
            rows.map((r) => csvLine(header.map((h) => (r as Record<string, string>)[h] ?? ""))).join("");
        const before = await counts();
        const res = await app.inject({
          method: "POST",
          url: `/api/v1/imports?kind=incidents&allow_unresolved=true${skip ? "&skip_invalid=true" : ""}`,
          headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
          payload: text,
        });
        await expectSafe(res, before, "POST /imports");
        if (res.statusCode === 422) {
          const errors = (res.json() as { errors: { line: number; field: string }[] }).errors;
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) {
            expect(e.line).toBeGreaterThanOrEqual(2);
            expect(typeof e.field).toBe("string");
          }
        }
      }),
      { numRuns: 60, seed: 11 },
    );
    // Whatever got in comes out with formulas neutralised.
    for (const format of ["csv", "hxl"]) {
      const res = await app.inject({ method: "GET", url: `/api/v1/export/incidents?format=${format}` });
      expect(res.statusCode).toBe(200);
      const cells = (parse(res.body, { relax_column_count: true }) as string[][]).flat();
      for (const c of cells) {
        expect(c, "formula cell in export").not.toMatch(/^[=+@\t\r]/);
        if (c.startsWith("-")) expect(Number.isFinite(Number(c)), `cell ${c}`).toBe(true);
      }
    }
    expect((await verifyAudit(t.ledger)).problems).toEqual([]);
  }, 240_000);

  it("stores formula-like text, and neutralises it in the export", async () => {
    const csv = incidentsCsv([
      {
        external_id: "f1",
        date: "2021-04-01",
        place: "Tehran",
        country: "IR",
        type: "protest",
        killed: "1",
        source: "=cmd|' /C calc'!A0",
        description: "@SUM(1+1)",
      },
    ]);
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      payload: csv,
    });
    expect(res.statusCode).toBe(200);
    const out = await app.inject({ method: "GET", url: "/api/v1/export/incidents?format=csv" });
    expect(out.body).toContain("'@SUM(1+1)");
    expect(out.body).toContain("'=cmd|' /C calc'!A0");
  });

  it("imports hostile articles whole or not at all", async () => {
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc
        .array(
          fc.oneof(
            hostileString,
            fc.constantFrom("On 3 March 2021, ", "12 people were killed in Tehran. ", "<p>", "</p>"),
          ),
          {
            maxLength: 12,
          },
        )
        .map((a) => a.join(" ")),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const before = await counts();
        const origin = `hostile-${n++}.html`;
        try {
          await importArticle(t.ledger, body, {
            actor: "fuzz",
            origin,
            contentType: "text/html",
            country: "IR",
            published: "2021-03-05",
          });
        } catch (e) {
          expect((e as Error).message).toContain(origin);
          expect(await counts()).toEqual(before);
        }
      }),
      { numRuns: 60, seed: 5 },
    );
    expect((await verifyAudit(t.ledger)).problems).toEqual([]);
  }, 240_000);

  it("escapes HTML from the ledger wherever it is served as HTML", async () => {
    const csv = incidentsCsv([
      {
        external_id: "x1",
        date: "2021-05-01",
        place: "Tehran",
        country: "IR",
        type: "protest",
        killed: "2",
        source: "<script>alert('src')</script>",
        description: "<img src=x onerror=alert(1)>",
      },
    ]);
    await app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents&status=verified",
      headers: { authorization: `Bearer ${admin}`, "content-type": "text/csv" },
      payload: csv,
    });
    for (const url of ["/bulletins/2021-05-01?format=html", "/embed/headline?metric=killed", "/feed.atom"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toContain("<script>alert");
      expect(res.body, url).not.toContain("<img src=x");
    }
  });
});

describe.each(BACKENDS)("hostile files on the command line (%s)", (backend) => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), "tally-hostile-"));
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
  });
  afterAll(async () => t.cleanup());
  const cli = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, ["--import", "tsx", "test/trust/cli-harness.ts", ...args], {
        env: { ...process.env, DATABASE_URL: "", ...t.env },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };

  it("refuses a hostile CSV naming each bad line, and writes nothing", async () => {
    const file = join(dir, "bad.csv");
    const good = syntheticIncidents(2, 3);
    writeFileSync(
      file,
      incidentsCsv([
        good[0] as never,
        { ...(good[1] as object), date: "2021-02-30" } as never,
        { ...(good[0] as object), external_id: "z", killed: "-5" } as never,
        { ...(good[0] as object), external_id: "n", description: "a\u0000b" } as never,
      ]),
    );
    const r = await cli("import", "incidents", file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.csv:3: date: /);
    expect(r.stderr).toMatch(/bad\.csv:4: killed: /);
    expect(r.stderr).toMatch(/bad\.csv:5: description: must not contain NUL/);
    const count = await t.ledger.store.db
      .selectFrom("incidents")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
    const article = join(dir, "nul.txt");
    writeFileSync(article, "On 3 March 2021, 12 people were killed in Tehran.\u0000");
    const a = await cli("import", "articles", article, "--country", "IR");
    expect(a.code).not.toBe(0);
    expect(a.stderr).toContain("nul.txt");
    expect(a.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });
});
