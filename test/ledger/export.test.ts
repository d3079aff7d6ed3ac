import { check } from "@placemarkio/check-geojson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TallyQuery } from "../../src/core/tally.js";
import { exportLedger } from "../../src/services/exports/ledger-export.js";
import { importClaims } from "../../src/services/import/claims.js";
import { importIncidents } from "../../src/services/import/incidents.js";
import { computeTally } from "../../src/services/tallies.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { incidentsCsv, records, syntheticIncidents } from "../helpers/fixtures.js";

async function text(gen: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const c of gen) out += c;
  return out;
}

const opts = { file: "x.csv", actor: "test" };
const claimsCsv =
  "source,source_kind,metric,low,high,qualifier,as_of,period_from,period_to,place,context,url,quote\n" +
  "Ministry (synthetic),official,killed,200,250,range,2021-05-10,2021-05-01,,Khuzestan,Protests,,\"=cmd|' /C calc'!A0\"\n" +
  "Monitor (synthetic),ngo,killed,1500,,about,2021-05-12,,,Iran,Protests,https://example.org/a,\n";

describe.each(BACKENDS)("exports on %s", (backend) => {
  let a: TestLedger;
  let b: TestLedger;
  beforeAll(async () => {
    a = await openTestLedger(backend);
    b = await openTestLedger(backend);
    const rows = syntheticIncidents(120, 3);
    rows[0] = {
      ...rows[0],
      date: "2021-02",
      description: '=HYPERLINK("x")',
      external_id: "",
    } as (typeof rows)[0];
    rows[1] = { ...rows[1], description: 'quotes " and, commas\nand a newline' } as (typeof rows)[1];
    await importIncidents(a.ledger, records(incidentsCsv(rows)), opts);
    await importClaims(a.ledger, records(claimsCsv), opts);
  });
  afterAll(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it("CSV exports of incidents and claims re-import to the same tallies, and re-import into the source changes nothing", async () => {
    const incidents = await text(exportLedger(a.ledger, "incidents", "csv"));
    const claims = await text(exportLedger(a.ledger, "claims", "csv"));
    await importIncidents(b.ledger, records(incidents), opts);
    await importClaims(b.ledger, records(claims), opts);
    for (const by of ["province", "city"] as const) {
      const q = TallyQuery.parse({ metric: "killed", by, period: "month" });
      expect(await computeTally(b.ledger, q)).toEqual(await computeTally(a.ledger, q));
    }
    expect(await text(exportLedger(b.ledger, "claims", "csv"))).toEqual(claims);
    const stripIds = (s: string) =>
      s
        .split("\n")
        .map((l) => l.replace(/^\d+,/, ""))
        .join("\n");
    expect(stripIds(await text(exportLedger(b.ledger, "incidents", "csv")))).toEqual(stripIds(incidents));
    const again = await importIncidents(a.ledger, records(incidents), opts);
    expect(again.inserted + again.updated).toBe(0);
  });

  it("neutralises spreadsheet formulas in CSV cells", async () => {
    const csv = await text(exportLedger(a.ledger, "incidents", "csv"));
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    const claims = await text(exportLedger(a.ledger, "claims", "csv"));
    expect(claims).toMatch(/,'=cmd\|/);
  });

  it("writes valid RFC 7946 GeoJSON with [lon, lat] positions", async () => {
    const geo = JSON.parse(await text(exportLedger(a.ledger, "incidents", "geojson")));
    expect(() => check(JSON.stringify(geo))).not.toThrow();
    expect(geo.features.length).toBe(120);
    const f = geo.features.find((x: { properties: { place: string } }) =>
      String(x.properties.place).startsWith("Tehran"),
    );
    const [lon, lat] = f.geometry.coordinates;
    expect(lon).toBeGreaterThan(50);
    expect(lon).toBeLessThan(53);
    expect(lat).toBeGreaterThan(35);
    expect(lat).toBeLessThan(36.5);
  });

  it("tags HXL columns and streams JSON and NDJSON with the same records", async () => {
    const hxl = (await text(exportLedger(a.ledger, "incidents", "hxl"))).split("\n");
    for (const tag of [
      "#event+id",
      "#date",
      "#country+code",
      "#adm1+name",
      "#loc+name",
      "#geo+lat",
      "#geo+lon",
      "#affected+killed",
      "#affected+arrested",
      "#meta+source",
    ]) {
      expect(hxl[1]?.split(",")).toContain(tag);
    }
    const json = JSON.parse(await text(exportLedger(a.ledger, "incidents", "json")));
    const nd = (await text(exportLedger(a.ledger, "incidents", "ndjson")))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(json).toEqual(nd);
    expect(json).toHaveLength(120);
  });
});

describe("both backends agree", () => {
  it.runIf(BACKENDS.length === 2)("gives the same tallies for the same input", async () => {
    const csv = incidentsCsv(syntheticIncidents(300, 11));
    const results = [];
    for (const backend of BACKENDS) {
      const t = await openTestLedger(backend);
      try {
        await importIncidents(t.ledger, records(csv), opts);
        const out = [];
        for (const by of ["country", "province", "city"] as const) {
          for (const period of ["total", "day", "week", "month"] as const) {
            out.push(
              await computeTally(
                t.ledger,
                TallyQuery.parse({ metric: "killed", by, period, cumulative: period !== "total" }),
              ),
            );
            out.push(await computeTally(t.ledger, TallyQuery.parse({ metric: "arrested", by, period })));
          }
        }
        results.push(out);
      } finally {
        await t.cleanup();
      }
    }
    expect(results[1]).toEqual(results[0]);
  });
});
