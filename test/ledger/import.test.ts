import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { ImportRejected } from "../../src/services/import/run.js";
import { computeTally } from "../../src/services/tallies.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

const opts = { file: "test.csv", actor: "test" };
const tally = (t: TestLedger, q: Partial<TallyQuery> & { metric: TallyQuery["metric"] }) =>
  computeTally(t.ledger, TallyQuery.parse(q));

describe.each(BACKENDS)("incident import on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
  });
  afterAll(async () => t.cleanup());

  it("imports, resolves places, and tallies by province with ranges summed separately", async () => {
    const csv = incidentsCsv([
      {
        external_id: "a1",
        date: "2021-05-03",
        place: "Dezful",
        country: "IR",
        type: "property_attack",
        killed: "2-4",
        source: "Net (synthetic)",
      },
      {
        external_id: "a2",
        date: "2021-05-04",
        place: "Izeh (Khuzestan)",
        country: "IR",
        type: "protest",
        killed: "1",
        source: "Net (synthetic)",
      },
      {
        external_id: "a3",
        date: "2021-05",
        place: "Ghaemshahr",
        country: "IR",
        type: "protest",
        killed: "3",
        arrested: "10",
        source: "Net (synthetic)",
      },
    ]);
    const report = await importIncidents(t.ledger, records(csv), opts);
    expect(report).toMatchObject({ rows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0 });
    const result = await tally(t, { metric: "killed", by: "province" });
    const byProvince = Object.fromEntries(
      result.rows.map((r) => [r.place.name, [r.low, r.high, r.incidents]]),
    );
    expect(byProvince).toEqual({ Khuzestan: [3, 5, 2], Mazandaran: [3, 3, 1] });
    expect(result.total).toEqual({ low: 6, high: 8, incidents: 3, cities: 3, provinces: 2 });
    const monthly = await tally(t, { metric: "killed", by: "province", period: "month" });
    expect(monthly.rows.map((r) => r.period)).toEqual(["2021-05", "2021-05"]);
  });

  it("changes nothing when the same file is imported again", async () => {
    const csv = incidentsCsv(syntheticIncidents(200, 7));
    const first = await importIncidents(t.ledger, records(csv), opts);
    const before = await tally(t, { metric: "killed", by: "city", period: "day" });
    const second = await importIncidents(t.ledger, records(csv), opts);
    expect(first.inserted).toBe(200);
    expect(second).toMatchObject({ inserted: 0, updated: 0, unchanged: 200 });
    expect(await tally(t, { metric: "killed", by: "city", period: "day" })).toEqual(before);
  });

  it("updates a changed row and keeps its history", async () => {
    const row = {
      external_id: "h1",
      date: "2021-06-01",
      place: "Tabriz",
      country: "IR",
      type: "protest",
      killed: "1",
      source: "Hist (synthetic)",
    };
    await importIncidents(t.ledger, records(incidentsCsv([row])), opts);
    const again = await importIncidents(t.ledger, records(incidentsCsv([{ ...row, killed: "2" }])), opts);
    expect(again).toMatchObject({ inserted: 0, updated: 1 });
    const inc = await t.ledger.store.db
      .selectFrom("incidents")
      .selectAll()
      .where("external_id", "=", "h1")
      .executeTakeFirstOrThrow();
    expect([inc.killed_low, inc.killed_high]).toEqual([2, 2]);
    const history = await t.ledger.store.db
      .selectFrom("history")
      .selectAll()
      .where("entity_id", "=", inc.id)
      .execute();
    expect(history.map((h) => h.action)).toEqual(["import.update"]);
    expect(JSON.parse(history[0]?.before ?? "{}").killed_low).toBe(1);
  });

  it("refuses a bad file whole, listing every error by line and column, and writes nothing", async () => {
    const count = async () =>
      Number(
        (
          await t.ledger.store.db
            .selectFrom("incidents")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const csv = incidentsCsv([
      { external_id: "b1", date: "2021-07-01", place: "Shiraz", country: "IR", type: "protest", killed: "1" },
      { external_id: "b2", date: "2021-02-30", place: "Shiraz", country: "IR", type: "protest", killed: "1" },
      { external_id: "b3", date: "2021-07-02", place: "Shiraz", country: "IR", type: "picnic", killed: "x" },
      {
        external_id: "b4",
        date: "2021-07-02",
        place: "Qwxzyville",
        country: "IR",
        type: "protest",
        killed: "1",
      },
    ]);
    const err = await importIncidents(t.ledger, records(csv), { ...opts, file: "bad.csv" }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    const lines = (err as ImportRejected).lines();
    expect(lines).toContain("bad.csv:3: date: 2021-02-30 is not a calendar date");
    expect(lines.some((l) => l.startsWith("bad.csv:4: type:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("bad.csv:4: killed:"))).toBe(true);
    expect(lines.some((l) => l.startsWith("bad.csv:5: place: cannot resolve"))).toBe(true);
    expect(await count()).toBe(before);
  });

  it("imports the valid rows with skipInvalid and reports the others", async () => {
    const rejected: number[] = [];
    const csv = incidentsCsv([
      { external_id: "c1", date: "2021-08-01", place: "Rasht", country: "IR", type: "protest", injured: "4" },
      { external_id: "c2", date: "not a date", place: "Rasht", country: "IR", type: "protest", injured: "4" },
    ]);
    const report = await importIncidents(t.ledger, records(csv), {
      ...opts,
      skipInvalid: true,
      onRejected: (line) => rejected.push(line),
    });
    expect(report).toMatchObject({ inserted: 1, rejected: 1 });
    expect(rejected).toEqual([3]);
  });

  it("keeps an unresolvable place at country level with allowUnresolved", async () => {
    const csv = incidentsCsv([
      {
        external_id: "u1",
        date: "2021-09-01",
        place: "Qwxzyville",
        country: "IR",
        type: "arrests",
        arrested: "5",
      },
    ]);
    const report = await importIncidents(t.ledger, records(csv), { ...opts, allowUnresolved: true });
    expect(report).toMatchObject({ inserted: 1, unresolved: 1 });
    const result = await tally(t, {
      metric: "arrested",
      by: "province",
      from: "2021-09-01",
      to: "2021-09-30",
    });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.place).toMatchObject({ level: "country", country: "IR" });
    expect(result.total).toMatchObject({ low: 5, cities: 0, provinces: 0 });
  });

  it("reads JSON and NDJSON with the same field names as CSV", async () => {
    const rows = [
      {
        external_id: "j1",
        date: "2022-01-05",
        place: "Zahedan",
        country: "IR",
        type: "protest",
        killed: "2-3",
        source: "JSON (synthetic)",
      },
      {
        external_id: "j2",
        date: "2022-01-06",
        place: "Zahedan",
        country: "IR",
        type: "protest",
        killed: 4,
        source: "JSON (synthetic)",
      },
    ];
    const json = await importIncidents(t.ledger, records(JSON.stringify(rows), "json"), opts);
    const ndjson = await importIncidents(
      t.ledger,
      records(rows.map((r) => JSON.stringify(r)).join("\n"), "ndjson"),
      opts,
    );
    expect(json.inserted).toBe(2);
    expect(ndjson.unchanged).toBe(2);
    const r = await tally(t, { metric: "killed", by: "city", from: "2022-01-01", to: "2022-01-31" });
    expect(r.rows[0]).toMatchObject({
      low: 6,
      high: 7,
      incidents: 2,
      place: { name: "Zahedan", province: "Sistan and Baluchestan" },
    });
  });

  it("imports claims idempotently", async () => {
    const csv =
      "source,source_kind,metric,low,high,qualifier,as_of,period_from,period_to,place,context,url,quote\n" +
      "Health ministry (synthetic),official,deaths,8209,,,2021-03-01,,,Iran,COVID-19,,\n" +
      "Network (synthetic),network,deaths,49800,,over,2021-03-01,,,Iran,COVID-19,,\n";
    const first = await importClaims(t.ledger, records(csv), opts);
    const second = await importClaims(t.ledger, records(csv), opts);
    expect(first.inserted).toBe(2);
    expect(second.unchanged).toBe(2);
    const over = await t.ledger.store.db
      .selectFrom("claims")
      .selectAll()
      .where("qualifier", "=", "over")
      .executeTakeFirstOrThrow();
    expect([over.low, over.high, over.country]).toEqual([49800, null, "IR"]);
  });
});

describe.each(BACKENDS)("tally properties on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
  });
  afterAll(async () => t.cleanup());

  it("a total equals the sum of its rows, at every level and period, and re-import changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 40 }),
        async (seed, n) => {
          const csv = incidentsCsv(syntheticIncidents(n, seed));
          await importIncidents(t.ledger, records(csv), opts);
          for (const by of ["country", "province", "city"] as const) {
            for (const period of ["total", "week", "month"] as const) {
              const r = await tally(t, { metric: "killed", by, period });
              const sumLow = r.rows.reduce((a, x) => a + x.low, 0);
              const sumHigh = r.rows.reduce((a, x) => a + x.high, 0);
              const sumInc = r.rows.reduce((a, x) => a + x.incidents, 0);
              expect([sumLow, sumHigh, sumInc]).toEqual([r.total.low, r.total.high, r.total.incidents]);
              expect(r.total.low).toBeLessThanOrEqual(r.total.high);
            }
          }
          const before = await tally(t, { metric: "killed", by: "city", period: "day" });
          const again = await importIncidents(t.ledger, records(csv), opts);
          expect(again.inserted + again.updated).toBe(0);
          expect(await tally(t, { metric: "killed", by: "city", period: "day" })).toEqual(before);
        },
      ),
      { numRuns: 8 },
    );
  });

  it("cumulative tallies end at the total", async () => {
    const r = await tally(t, { metric: "killed", by: "country", period: "month", cumulative: true });
    const last = r.rows[r.rows.length - 1];
    expect(last?.low).toBe(r.total.low);
    expect(last?.high).toBe(r.total.high);
  });
});
