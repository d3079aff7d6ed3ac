/**
 * The materialised cells must always equal a tally computed from the incidents themselves, whatever sequence
 * of imports, re-imports with changes, reviews, merges and unmerges the ledger goes through; and a rebuild
 * repairs them after edits made outside Tally.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importIncidents } from "../../src/services/import/incidents.js";
import { mergeIncidents, reviewIncident, unmergeIncident } from "../../src/services/review.js";
import { rebuildCells } from "../../src/store/repositories/cells.js";
import { groupedTally } from "../../src/store/repositories/tallies.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

const sortCells = <T extends object>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe.each(BACKENDS)("tally cells on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
  });
  afterAll(async () => t.cleanup());

  it("equal the incidents after any sequence of writes", async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("import" as const),
        seed: fc.integer({ min: 1, max: 50 }),
        n: fc.integer({ min: 1, max: 25 }),
      }),
      fc.record({
        kind: fc.constant("review" as const),
        pick: fc.nat(),
        status: fc.constantFrom("verified", "rejected", "disputed" as const),
        grade: fc.constantFrom("fair", "weak", null),
      }),
      fc.record({ kind: fc.constant("merge" as const), a: fc.nat(), b: fc.nat() }),
      fc.record({ kind: fc.constant("unmerge" as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const db = t.ledger.store.db;
        for (const o of ops) {
          const ids = await db.selectFrom("incidents").select(["id", "merged_into"]).orderBy("id").execute();
          const live = ids.filter((r) => r.merged_into === null).map((r) => r.id);
          const merged = ids.filter((r) => r.merged_into !== null).map((r) => r.id);
          if (o.kind === "import") {
            // Same external ids with another seed: some rows change, which exercises the update triggers.
            const rows = syntheticIncidents(o.n, o.seed).map((r, i) => ({ ...r, external_id: `k${i}` }));
            await importIncidents(t.ledger, records(incidentsCsv(rows)), { file: "p.csv", actor: "test" });
          } else if (o.kind === "review" && live.length) {
            await reviewIncident(
              t.ledger,
              live[o.pick % live.length] as number,
              { status: o.status, grade: o.grade },
              "test",
            );
          } else if (o.kind === "merge" && live.length > 1) {
            const a = live[o.a % live.length] as number;
            const b = live[o.b % live.length] as number;
            if (a !== b) await mergeIncidents(t.ledger, { into: a, ids: [b] }, "test");
          } else if (o.kind === "unmerge" && merged.length) {
            await unmergeIncident(t.ledger, merged[o.pick % merged.length] as number, "test");
          }
        }
        for (const metric of ["killed", "arrested"] as const) {
          for (const status of ["all", "verified"] as const) {
            const f = { metric, status };
            expect(sortCells(await groupedTally(db, f, "province", "day", "province_cells"))).toEqual(
              sortCells(await groupedTally(db, f, "province", "day", "incidents")),
            );
            expect(sortCells(await groupedTally(db, f, "city", "month", "city_cells"))).toEqual(
              sortCells(await groupedTally(db, f, "city", "month", "incidents")),
            );
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it("are repaired by a rebuild after rows are changed outside Tally", async () => {
    const db = t.ledger.store.db;
    const f = { metric: "killed" as const, status: "all" as const };
    await db.updateTable("incidents").set({ killed_low: 100, killed_high: 100 }).execute();
    expect(sortCells(await groupedTally(db, f, "province", "day", "province_cells"))).not.toEqual(
      sortCells(await groupedTally(db, f, "province", "day", "incidents")),
    );
    await rebuildCells(db);
    expect(sortCells(await groupedTally(db, f, "province", "day", "province_cells"))).toEqual(
      sortCells(await groupedTally(db, f, "province", "day", "incidents")),
    );
  });
});
