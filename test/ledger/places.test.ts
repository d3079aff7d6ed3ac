import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { closeLedger, openLedger } from "../../src/services/ledger.js";
import { addAlias, addLocalPlace, PlaceNotFound } from "../../src/services/places.js";
import { computeTally } from "../../src/services/tallies.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records } from "../helpers/fixtures.js";

describe.each(BACKENDS)("the ledger's own places on %s", (backend) => {
  let t: TestLedger;
  beforeAll(async () => {
    t = await openTestLedger(backend);
  });
  afterAll(async () => t.cleanup());

  it("adds a village GeoNames lacks and a spelling, kept in the ledger and checked before GeoNames", async () => {
    const village = await addLocalPlace(t.ledger, { name: "Qwxzabad", in: "Dezful", country: "IR" });
    expect(village).toMatchObject({ level: "locality", province: "Khuzestan", country: "IR" });
    await addAlias(t.ledger, "Dezfulabad-e Test", "Dezful", "IR");
    const csv = incidentsCsv([
      {
        external_id: "v1",
        date: "2021-03-01",
        place: "Qwxzabad",
        country: "IR",
        type: "protest",
        killed: "1",
      },
      {
        external_id: "v2",
        date: "2021-03-01",
        place: "Dezfulabad-e Test",
        country: "IR",
        type: "protest",
        killed: "2",
      },
    ]);
    await importIncidents(t.ledger, records(csv), { file: "v.csv", actor: "test" });
    const r = await computeTally(t.ledger, TallyQuery.parse({ metric: "killed", by: "city" }));
    expect(Object.fromEntries(r.rows.map((x) => [x.place.name, x.low]))).toEqual({ Qwxzabad: 1, Dezful: 2 });

    // Another process opening the same ledger sees them too.
    const again = await openLedger(t.config);
    try {
      expect(again.gazetteer.resolve("Qwxzabad", { country: "IR" }).match?.id).toBe(village.id);
    } finally {
      await closeLedger(again);
    }
  });

  it("refuses a qualifier it cannot resolve, naming it", async () => {
    await expect(addLocalPlace(t.ledger, { name: "X", in: "Nowhere-at-all-qq" })).rejects.toBeInstanceOf(
      PlaceNotFound,
    );
    await expect(addAlias(t.ledger, "Y", "Nowhere-at-all-qq")).rejects.toThrow(/cannot resolve/);
  });
});
