/**
 * Hostile clients at the connection level, over real sockets on both backends: bodies that are huge, slow,
 * nested without end or mis-encoded, sent with and without credentials. The server must refuse an anonymous
 * body before reading it, drop a client that is too slow, stream an import instead of buffering it, answer a
 * 4xx problem to anything malformed, and write nothing on any refusal.
 */
import { connect, type Socket } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { auditHead } from "../../src/services/audit.js";
import { createToken } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, syntheticIncidents } from "../helpers/fixtures.js";

/** What came back on a raw connection: the bytes, and whether (and when) the server closed it. */
interface Exchange {
  text: string;
  closedAfterMs: number | null;
}

/**
 * Sends `head` (request line and headers), then `body` pieces `gapMs` apart, and collects the answer until
 * the server closes the connection or `waitMs` passes.
 */
function exchange(
  port: number,
  head: string,
  body: (string | Buffer)[] = [],
  opts: { gapMs?: number; waitMs?: number } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket: Socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        text: Buffer.concat(chunks).toString("utf8"),
        closedAfterMs: closed ? Date.now() - started : null,
      });
    };
    const timer = setTimeout(() => finish(false), opts.waitMs ?? 5000);
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.on("close", () => finish(true));
    socket.on("error", (e: NodeJS.ErrnoException) => {
      // A server that drops a client mid-send makes the client's next write fail: that is a close too.
      if (e.code === "EPIPE" || e.code === "ECONNRESET") finish(true);
      else reject(e);
    });
    socket.on("connect", async () => {
      socket.write(head);
      for (const piece of body) {
        if (done) return;
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
        if (done || socket.destroyed) return;
        socket.write(piece);
      }
    });
  });
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

function deep(n: number, open: string, close: string): string {
  return open.repeat(n) + close.repeat(n);
}

describe.each(BACKENDS)("hostile connections on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  let port: number;
  let reviewer: string;
  const MAX_IMPORT = 64 * 1024;

  beforeAll(async () => {
    t = await openTestLedger(backend);
    app = await buildServer({
      ledger: t.ledger,
      rateLimit: 1_000_000,
      limits: {
        headersTimeoutMs: 1000,
        requestTimeoutMs: 1500,
        idleTimeoutMs: 1000,
        maxImportBytes: MAX_IMPORT,
      },
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    port = (app.server.address() as { port: number }).port;
    reviewer = (await createToken(t.ledger, "hostile-reviewer", "reviewer")).token;
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  const state = async () => {
    const n = await t.ledger.store.db
      .selectFrom("incidents")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return { head: (await auditHead(t.ledger)).seq, incidents: Number(n.n) };
  };

  /** Every route that needs a role and may take a body, from the OpenAPI description the server generates. */
  function guardedWrites(): { method: string; url: string }[] {
    const spec = app.swagger() as {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const out: { method: string; url: string }[] = [];
    for (const [path, methods] of Object.entries(spec.paths))
      for (const [method, op] of Object.entries(methods))
        if (method !== "get" && op.security?.length)
          out.push({ method: method.toUpperCase(), url: `${path.replace(/\{[^}]+\}/g, "1")}` });
    return out;
  }

  it("refuses an anonymous body from its headers, without waiting for a byte of it", async () => {
    const reporter = (await createToken(t.ledger, "hostile-reporter", "reporter")).token;
    const before = await state();
    const writes = guardedWrites();
    expect(writes.length).toBeGreaterThan(15);
    for (const { method, url } of writes) {
      for (const type of ["application/json", "text/csv", "multipart/form-data; boundary=x"]) {
        // Says 600 MiB are coming and sends none of them: the answer must not wait for them.
        const res = await exchange(
          port,
          `${method} ${url} HTTP/1.1\r\nhost: x\r\ncontent-type: ${type}\r\ncontent-length: ${600 * 1024 * 1024}\r\n\r\n`,
          [],
          { waitMs: 800 },
        );
        expect(statusOf(res.text), `${method} ${url} ${type}`).toBe(401);
        expect(res.text).toContain("application/problem+json");
      }
    }
    // A reporter's token is not enough for a reviewer's route, and is told so before the body too.
    const res = await exchange(
      port,
      `POST /api/v1/imports?kind=incidents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${reporter}\r\ncontent-type: text/csv\r\ncontent-length: 100000000\r\n\r\n`,
      [],
      { waitMs: 800 },
    );
    expect(statusOf(res.text)).toBe(403);
    expect(await state()).toEqual(before);
  });

  it("reads a row id in a path as decimal digits only", async () => {
    for (const id of ["0x1", "1e0", "01", "+1", "1.0", " 1", "2147483648"]) {
      for (const url of [
        `/api/v1/incidents/${encodeURIComponent(id)}`,
        `/api/v1/attachments/${encodeURIComponent(id)}`,
      ]) {
        const res = await app.inject({
          method: "GET",
          url,
          headers: { authorization: `Bearer ${reviewer}` },
        });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        expect(res.json().errors[0].field).toBe("id");
      }
    }
  });

  it("drops a client whose headers or body come too slowly", async () => {
    const before = await state();
    // Headers that never end.
    const headers = await exchange(port, "POST /api/v1/incidents HTTP/1.1\r\nhost: x\r\n", ["x-a: 1\r\n"], {
      gapMs: 200,
      waitMs: 6000,
    });
    expect(headers.closedAfterMs, "slow headers were not dropped").not.toBeNull();
    // An authorised import whose body trickles in a byte at a time, and would take a minute.
    const csv = incidentsCsv(syntheticIncidents(3, 5));
    const body = await exchange(
      port,
      `POST /api/v1/imports?kind=incidents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${reviewer}\r\ncontent-type: text/csv\r\ncontent-length: ${Buffer.byteLength(csv)}\r\n\r\n`,
      [...csv.slice(0, 300)],
      { gapMs: 200, waitMs: 8000 },
    );
    expect(body.closedAfterMs, "a slow body was not dropped").not.toBeNull();
    expect(body.closedAfterMs as number).toBeLessThan(7000);
    expect(statusOf(body.text)).not.toBe(200);
    expect(await state()).toEqual(before);
  });

  it("streams an import within its byte limit, and refuses a larger one with 413, writing nothing", async () => {
    const before = await state();
    const big = incidentsCsv(syntheticIncidents(2000, 9));
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_IMPORT);
    const declared = await app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents",
      headers: { authorization: `Bearer ${reviewer}`, "content-type": "text/csv" },
      payload: big,
    });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().detail).toMatch(/at most 65536 bytes/);
    // Chunked, with no length said up front: refused once the limit is passed.
    const chunked = await exchange(
      port,
      `POST /api/v1/imports?kind=incidents HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${reviewer}\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\n\r\n`,
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
        const piece = big.slice(i * 10_000, (i + 1) * 10_000);
        return `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`;
      }),
      { waitMs: 4000 },
    );
    expect(statusOf(chunked.text)).toBe(413);
    expect(await state()).toEqual(before);
    // A JSON array import is streamed like CSV, and importing it again changes nothing.
    const rows = syntheticIncidents(5, 11);
    const json = JSON.stringify(rows);
    for (const inserted of [5, 0]) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/imports?kind=incidents",
        headers: { authorization: `Bearer ${reviewer}`, "content-type": "application/json" },
        payload: json,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().inserted).toBe(inserted);
    }
  });

  it("answers a body nested 500,000 deep with a 400 problem on every JSON route", async () => {
    const before = await state();
    for (const url of ["/api/v1/imports?kind=incidents", "/api/v1/incidents", "/api/v1/claims"]) {
      for (const payload of [deep(500_000, "[", "]"), `[${deep(499_999, '{"a":', "}")}]`]) {
        const res = await app.inject({
          method: "POST",
          url,
          headers: { authorization: `Bearer ${reviewer}`, "content-type": "application/json" },
          payload,
        });
        // The import route has a small limit here: a 413 is as good an answer as a 400.
        expect([400, 413], `${url}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        expect(res.headers["content-type"]).toContain("application/problem+json");
      }
    }
    const imported = await app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents",
      headers: { authorization: `Bearer ${reviewer}`, "content-type": "application/json" },
      payload: `[${deep(2_000, '{"a":', "}")}]`,
    });
    expect(imported.statusCode, imported.body).toBe(400);
    expect(imported.json().detail).toMatch(/deeper than/);
    expect(await state()).toEqual(before);
  });

  it("refuses import bodies that are not UTF-8, empty, or have a duplicated column, naming what is wrong", async () => {
    const before = await state();
    const good = incidentsCsv(syntheticIncidents(3, 13));
    const latin1 = Buffer.from(good.replace("synthetic", "synthétique"), "latin1");
    const utf16NoBom = Buffer.from(good, "utf16le");
    const cases: [string, Buffer | string, RegExp][] = [
      ["Latin-1", latin1, /UTF-8/],
      ["UTF-16 without a byte order mark", utf16NoBom, /UTF-16/],
      ["empty", "", /empty|no rows/],
      ["a header without rows", `${good.split("\n")[0]}\n`, /no rows/],
      [
        "a duplicated column",
        "date,place,country,type,killed,killed\n2021-01-01,Tehran,IR,protest,1,2\n",
        /killed/,
      ],
    ];
    for (const [what, payload, message] of cases) {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/imports?kind=incidents",
        headers: { authorization: `Bearer ${reviewer}`, "content-type": "text/csv" },
        payload,
      });
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(res.json().detail, what).toMatch(message);
    }
    // UTF-16 with its byte order mark is read.
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good, "utf16le")]);
    const ok = await app.inject({
      method: "POST",
      url: "/api/v1/imports?kind=incidents",
      headers: { authorization: `Bearer ${reviewer}`, "content-type": "text/csv" },
      payload: bom,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().inserted).toBe(3);
    expect((await state()).incidents).toBe(before.incidents + 3);
  });
});
