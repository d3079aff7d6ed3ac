/**
 * Public reads under a crowd, on both backends: many readers asking for the same cold (or just invalidated)
 * tally, comparison, headline or bulletin share one computation instead of each queueing its own for the same
 * few database connections; a write still invalidates; and a PostgreSQL connection lost while idle does not
 * take the server down. Queries are observed with a Kysely plugin on the real store, never mocked.
 */
import type { FastifyInstance } from "fastify";
import { type KyselyPlugin, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { buildServer } from "../../src/server/app.js";
import { cachedBulletin } from "../../src/services/bulletins.js";
import { ComparisonQuery, cachedComparison, compareClaims } from "../../src/services/comparisons.js";
import { cachedHeadline } from "../../src/services/dashboard.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import type { Ledger } from "../../src/services/ledger.js";
import { VersionedCache } from "../../src/services/read-cache.js";
import { cachedTally, computeTally } from "../../src/services/tallies.js";
import { BACKENDS, openTestLedger, PG_URL, type TestLedger } from "../helpers/backends.js";
import { CITIES, incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

const CROWD = 25;

/**
 * The same ledger seen through a new object (so with caches of its own, all cold) whose queries are recorded.
 * `reads()` counts the queries other than the data version's primary-key read.
 */
function observe(ledger: Ledger) {
  const seen: string[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(JSON.stringify(args.node));
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const observed: Ledger = { ...ledger, store: { ...ledger.store, db: ledger.store.db.withPlugin(plugin) } };
  return { ledger: observed, reads: () => seen.filter((q) => !q.includes('"meta"')).length };
}

const crowd = <T>(read: () => Promise<T>) => Promise.all(Array.from({ length: CROWD }, read));

function claimsCsv(n: number): string {
  let csv = "external_id,source,source_kind,metric,low,as_of,place,country,status\n";
  for (let i = 0; i < n; i++) {
    const day = `2021-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const place = i % 2 ? (CITIES[i % CITIES.length] as string) : "";
    csv += `c${i},Claimant ${i % 3} (synthetic),ngo,killed,${100 + i},${day},${place},IR,verified\n`;
  }
  return csv;
}

describe.each(BACKENDS)("concurrent public reads on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
    await importIncidents(t.ledger, records(incidentsCsv(syntheticIncidents(300, 11))), {
      file: "incidents.csv",
      actor: "test",
    });
    await importClaims(t.ledger, records(claimsCsv(12)), { file: "claims.csv", actor: "test" });
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it("readers of the same cold tally share one computation", async () => {
    const q = TallyQuery.parse({ metric: "killed", by: "city", period: "month" });
    const one = observe(t.ledger);
    const expected = await computeTally(one.ledger, q);
    const many = observe(t.ledger);
    const answers = await crowd(() => cachedTally(many.ledger, q));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]?.tally).toEqual(expected);
    expect(many.reads()).toBe(one.reads());
  });

  it("readers of the same cold comparison share one computation (a query per claim, once)", async () => {
    const q = ComparisonQuery.parse({ metric: "killed" });
    const one = observe(t.ledger);
    const expected = await compareClaims(one.ledger, q);
    expect(one.reads()).toBeGreaterThan(12);
    const many = observe(t.ledger);
    const answers = await crowd(() => cachedComparison(many.ledger, q));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toEqual(expected);
    expect(many.reads()).toBe(one.reads());
  });

  it("readers of the same cold headline and bulletin share one computation each", async () => {
    const many = observe(t.ledger);
    const headlines = await crowd(() => cachedHeadline(many.ledger));
    expect(new Set(headlines).size).toBe(1);
    const afterHeadline = many.reads();
    const day = headlines[0]?.lastDate as string;
    const bulletins = await crowd(() => cachedBulletin(many.ledger, day));
    expect(new Set(bulletins).size).toBe(1);
    expect(bulletins[0]?.date).toBe(day);
    const one = observe(t.ledger);
    await cachedHeadline(one.ledger);
    const headlineReads = one.reads();
    await cachedBulletin(one.ledger, day);
    expect(afterHeadline).toBe(headlineReads);
    expect(many.reads()).toBe(one.reads());
  });

  it("a write still invalidates: the next readers share one fresh computation", async () => {
    const { ledger } = observe(t.ledger);
    const q = TallyQuery.parse({ metric: "killed", by: "province" });
    const c = ComparisonQuery.parse({ metric: "killed" });
    const before = await cachedTally(ledger, q);
    const comparisonBefore = await cachedComparison(ledger, c);
    expect(await cachedTally(ledger, q)).toBe(before);
    const extra = syntheticIncidents(1, 99).map((r) => ({ ...r, external_id: "late-1", killed: "7" }));
    await importIncidents(t.ledger, records(incidentsCsv(extra)), { file: "late.csv", actor: "test" });
    const after = await crowd(() => cachedTally(ledger, q));
    expect(new Set(after).size).toBe(1);
    expect(after[0]?.version).not.toBe(before.version);
    expect(after[0]?.tally.total.incidents).toBe(before.tally.total.incidents + 1);
    expect(after[0]?.tally.total.high).toBe(before.tally.total.high + 7);
    expect(await cachedComparison(ledger, c)).not.toBe(comparisonBefore);
  });

  describe("over HTTP", () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      // A ledger object of its own: the server's caches start cold.
      app = await buildServer({ ledger: observe(t.ledger).ledger });
    });
    afterAll(async () => {
      await app?.close();
    });

    it("answers 200 concurrent readers of the public reads, every one with 200 and the same body", async () => {
      const urls = [
        "/api/v1/tallies?metric=arrested&by=city&period=month",
        "/api/v1/comparisons?metric=killed",
        "/api/v1/headline",
        "/api/v1/incidents?limit=50",
        "/api/v1/claims",
      ];
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => app.inject({ method: "GET", url: urls[i % urls.length] })),
      );
      expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
      urls.forEach((_, k) => {
        const bodies = new Set(responses.filter((_, i) => i % urls.length === k).map((r) => r.body));
        expect(bodies.size).toBe(1);
      });
    });
  });

  it.runIf(backend === "postgres")(
    "a pooled connection ended by the server while idle costs that connection, not the process",
    async () => {
      const db = t.ledger.store.db;
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      const warned = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no warning of the lost connection")), 5000);
        const listener = (w: Error) => {
          if (!w.message.includes("PostgreSQL connection lost")) return;
          clearTimeout(timer);
          process.off("warning", listener);
          resolve(w.message);
        };
        process.on("warning", listener);
      });
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
      } finally {
        await admin.end();
      }
      expect(await warned).toContain("terminating connection due to administrator command");
      const again = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(again.rows).toEqual([{ one: 1 }]);
    },
  );
});

describe("a versioned cache", () => {
  it("computes once per key and version, forgets failures, and keeps at most its limit", async () => {
    const cache = new VersionedCache<number>(2);
    let computed = 0;
    const compute = async () => ++computed;
    const first = await Promise.all([cache.get("a", "1", compute), cache.get("a", "1", compute)]);
    expect(first).toEqual([1, 1]);
    expect(await cache.get("a", "2", compute)).toBe(2);
    const failing = cache.get("b", "2", async () => {
      throw new Error("store unavailable");
    });
    await expect(failing).rejects.toThrow("store unavailable");
    expect(await cache.get("b", "2", compute)).toBe(3);
    await cache.get("c", "2", compute);
    expect(cache.size).toBe(2);
    expect(await cache.get("a", "2", compute)).toBe(5);
  });
});
