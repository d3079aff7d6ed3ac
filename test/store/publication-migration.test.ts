/**
 * Migration 0010 on a ledger written before it, on both backends: reporters' submissions (from a session or
 * an API token) that no reviewer has accepted become unpublished, everything a reviewer entered stays
 * published, the tally cells are rebuilt to count published incidents only, and the audit chain still verifies.
 * The earlier ledger is made by dropping the column from a current one, then running the migration's step again.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { verifyAudit } from "../../src/services/audit.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { computeTally } from "../../src/services/tallies.js";
import { publication } from "../../src/store/migrations/0010_publication.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { records } from "../helpers/fixtures.js";

const HEADER = "date,place,country,type,killed,status,grade,description";

function csv(lines: string[]): string {
  return `${HEADER}\n${lines.join("\n")}\n`;
}

describe.each(BACKENDS)("migration 0010 (publication) on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
  });
  afterAll(async () => t.cleanup());

  it("unpublishes unreviewed submissions, keeps reviewers' incidents, rebuilds the cells, and verifies", async () => {
    const { ledger } = t;
    const opts = { file: "t.csv", actor: "cli" };
    await importIncidents(
      ledger,
      records(
        csv([
          "2021-01-01,Tehran,IR,protest,1,verified,fair,synthetic reviewer verified",
          "2021-01-02,Tehran,IR,protest,2,submitted,confirmed,synthetic reviewer submitted",
          "2021-01-03,Tehran,IR,protest,4,rejected,fair,synthetic reviewer rejected",
        ]),
      ),
      opts,
    );
    // Reporters' submissions as services/submissions.ts makes them: one from a session, one from a token.
    await importIncidents(
      ledger,
      records(csv(["2021-01-04,Isfahan,IR,protest,8,submitted,,synthetic session report"])),
      { ...opts, status: "submitted", keyScope: "user:7", submittedBy: 7, unreviewed: true },
    );
    await importIncidents(
      ledger,
      records(csv(["2021-01-05,Shiraz,IR,protest,16,submitted,,synthetic token report"])),
      { ...opts, status: "submitted", keyScope: "token:3", unreviewed: true },
    );

    // The ledger as it was before the migration: no column; the cells counted every status but rejected.
    const db = ledger.store.db;
    await sql`alter table incidents drop column published`.execute(db);
    await publication(ledger.store.dialect).up(db as never);

    const rows = await db
      .selectFrom("incidents")
      .select(["description", "published"])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => [r.description, Number(r.published)])).toEqual([
      ["synthetic reviewer verified", 1],
      ["synthetic reviewer submitted", 1],
      ["synthetic reviewer rejected", 0],
      ["synthetic session report", 0],
      ["synthetic token report", 0],
    ]);
    const total = (await computeTally(ledger, TallyQuery.parse({ metric: "killed", by: "country" }))).total;
    expect(total).toMatchObject({ low: 3, high: 3, incidents: 2 });
    const documented = (
      await computeTally(ledger, TallyQuery.parse({ metric: "killed", by: "country", grade: "headline" }))
    ).total;
    expect(documented).toMatchObject({ low: 1, incidents: 1 });
    expect((await verifyAudit(ledger)).problems).toEqual([]);
  });
});
