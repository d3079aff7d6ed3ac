import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { importArticleFile } from "../../src/services/articles.js";
import { createToken } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";

const ARTICLE = "test/fixtures/articles/dev/004-police-posts-and-pensioners.txt";

describe.each(BACKENDS)("articles and the review queue on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  let reviewer: string;
  let reporter: string;
  beforeAll(async () => {
    t = await openTestLedger(backend);
    app = await buildServer({ ledger: t.ledger });
    reviewer = (await createToken(t.ledger, "rev", "reviewer")).token;
    reporter = (await createToken(t.ledger, "rep", "reporter")).token;
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it("stores an article once, by content hash, and queues its candidates with spans into the stored text", async () => {
    const first = await importArticleFile(t.ledger, ARTICLE, {
      actor: "test",
      country: "IR",
      source: "Test site (synthetic)",
    });
    const again = await importArticleFile(t.ledger, ARTICLE, { actor: "test", country: "IR" });
    expect(first.skipped).toBe(false);
    expect(first.claims).toBeGreaterThan(0);
    expect(again).toMatchObject({ skipped: true, documentId: first.documentId });
    const queue = (
      await app.inject({ method: "GET", url: "/api/v1/review?kind=claim&limit=500", headers: auth(reviewer) })
    ).json();
    expect(queue.items.length).toBe(first.claims);
    const doc = (
      await app.inject({
        method: "GET",
        url: `/api/v1/documents/${first.documentId}`,
        headers: auth(reviewer),
      })
    ).json();
    expect(doc.content).toBe(readFileSync(ARTICLE, "utf8"));
    for (const item of queue.items) {
      const [s, e] = item.span;
      expect(doc.content.slice(s, e)).toBe(item.text);
    }
  });

  it("counts a candidate only once accepted, keeps a rejected one on record, and applies edits", async () => {
    const tally = async () =>
      (await app.inject({ method: "GET", url: "/api/v1/tallies?metric=killed&by=country" })).json().total
        .incidents;
    const queue = (
      await app.inject({
        method: "GET",
        url: "/api/v1/review?kind=incident&limit=500",
        headers: auth(reviewer),
      })
    ).json();
    expect(queue.items.length).toBeGreaterThan(0);
    const [first, second] = queue.items as { ref: string }[];
    expect(await tally()).toBe(0);
    const edited = await app.inject({
      method: "POST",
      url: `/api/v1/review/${first?.ref}/edit`,
      headers: auth(reviewer),
      payload: { counts: { killed: "2-3" }, note: "from paragraph 2" },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().fields.counts.killed).toEqual({ low: 2, high: 3 });
    expect(await tally()).toBe(0);
    const accepted = await app.inject({
      method: "POST",
      url: `/api/v1/review/${first?.ref}/accept`,
      headers: auth(reviewer),
      payload: {},
    });
    expect(accepted.json()).toMatchObject({ status: "verified" });
    expect(await tally()).toBe(1);
    const again = await app.inject({
      method: "POST",
      url: `/api/v1/review/${first?.ref}/accept`,
      headers: auth(reviewer),
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    if (second) {
      await app.inject({
        method: "POST",
        url: `/api/v1/review/${second.ref}/reject`,
        headers: auth(reviewer),
        payload: { note: "duplicate" },
      });
      const id = Number(second.ref.split("-")[1]);
      const row = await t.ledger.store.db
        .selectFrom("incidents")
        .select("status")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe("rejected");
    }
  });

  it("refuses bad edits and reporters, naming the field", async () => {
    const queue = (
      await app.inject({ method: "GET", url: "/api/v1/review?kind=claim&limit=1", headers: auth(reviewer) })
    ).json();
    const ref = queue.items[0].ref;
    const bad = await app.inject({
      method: "POST",
      url: `/api/v1/review/${ref}/edit`,
      headers: auth(reviewer),
      payload: { low: -5 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe("low");
    const unknownField = await app.inject({
      method: "POST",
      url: `/api/v1/review/${ref}/edit`,
      headers: auth(reviewer),
      payload: { colour: "red" },
    });
    expect(unknownField.statusCode).toBe(400);
    const badRef = await app.inject({
      method: "POST",
      url: "/api/v1/review/other-1/accept",
      headers: auth(reviewer),
      payload: {},
    });
    expect(badRef.statusCode).toBe(400);
    const denied = await app.inject({ method: "GET", url: "/api/v1/review", headers: auth(reporter) });
    expect(denied.statusCode).toBe(403);
  });
});
