/** Victim lists through the ledger: import, link, estimate, on both backends. All names are invented. */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ImportRejected } from "../../src/services/import/run.js";
import { estimateFromLedger, importVictimList, LinkageNeeded, linkLists } from "../../src/services/lists.js";
import { BACKENDS } from "../helpers/backends.js";
import { serveTestLedger } from "../helpers/server.js";

const HEADER = "list_id,name,name_fa,age,sex,date,place,notes,district\n";
// Two SYNTHETIC lists: three people appear on both, spelled differently.
const LIST_A =
  HEADER +
  "a1,Mohammad Rezaei,,24,m,2019-11-16,Shiraz,,north\n" +
  "a2,Zahra Karimi,,31,f,2019-11-17,Tehran,,south\n" +
  "a3,Hossein Ahmadzadeh,,19,m,2019-11-16,Mashhad,,north\n" +
  "a4,Ali Moradi,,40,m,2019-11-18,Tabriz,,south\n" +
  "a5,Fatemeh Hosseini,,27,f,2019-11-19,Isfahan,,north\n" +
  "a6,Reza Jafari,,35,m,2019-11-16,Karaj,,south\n";
const LIST_B =
  HEADER +
  "b1,Mohammed Rezaee,,25,m,2019-11-16,Shiraz,,north\n" +
  "b2,Zahraa Karimi,,31,f,2019-11-17,Tehran,,south\n" +
  "b3,Hosein Ahmadzade,,19,m,2019-11-16,Mashhad,,north\n" +
  "b4,Maryam Sadeghi,,22,f,2019-11-20,Ahvaz,,south\n" +
  "b5,Saeed Najafi,,29,m,2019-11-21,Rasht,,north\n";

describe.each(BACKENDS)("victim lists on %s", (backend) => {
  const s = serveTestLedger(backend);

  it("reports that it needs two lists before it can estimate", async () => {
    const r = await estimateFromLedger(s.t.ledger);
    expect(r).toMatchObject({ records: 0, result: null });
    expect(r.notes[0]).toMatch(/at least two lists/);
    expect((await s.app.inject({ method: "GET", url: "/api/v1/estimates" })).statusCode).toBe(200);
  });

  it("imports lists idempotently and refuses a bad one with line numbers", async () => {
    const a = await importVictimList(s.t.ledger, Readable.from([LIST_A]), {
      list: "Monitor A",
      file: "a.csv",
    });
    expect(a).toMatchObject({ rows: 6, inserted: 6 });
    expect(
      await importVictimList(s.t.ledger, Readable.from([LIST_A]), { list: "Monitor A", file: "a.csv" }),
    ).toMatchObject({ unchanged: 6 });
    await importVictimList(s.t.ledger, Readable.from([LIST_B]), { list: "Monitor B", file: "b.csv" });
    const bad = `${HEADER}c1,Someone,,200,m,2019-02-30,X,,\n`;
    const err = await importVictimList(s.t.ledger, Readable.from([bad]), { list: "C", file: "c.csv" }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ImportRejected);
    expect((err as ImportRejected).lines()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^c\.csv:2: age:/),
        expect.stringMatching(/^c\.csv:2: date:/),
      ]),
    );
  });

  it("refuses to estimate before linking, then links the spelling variants and estimates", async () => {
    await expect(estimateFromLedger(s.t.ledger)).rejects.toBeInstanceOf(LinkageNeeded);
    const linked = await linkLists(s.t.ledger, "test");
    const multi = linked.entities
      .filter((e) => e.records.length > 1)
      .map((e) => e.records.map((r) => r.list_id).sort());
    expect(multi.sort()).toEqual([
      ["a1", "b1"],
      ["a2", "b2"],
      ["a3", "b3"],
    ]);
    const r = await estimateFromLedger(s.t.ledger, { models: "all" });
    expect(r.documented).toBe(8);
    // Two lists: Lincoln–Petersen 6 × 5 / 3 = 10.
    expect(r.result?.models.find((m) => m.name.toLowerCase().includes("lincoln"))?.estimate).toBeCloseTo(
      10,
      6,
    );
    const strata = await estimateFromLedger(s.t.ledger, { stratify: "district" });
    expect(strata.strata?.strata.map((s) => s.stratum)).toEqual(["north", "south"]);
    const api = await s.app.inject({ method: "GET", url: "/api/v1/estimates" });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({
      records: 11,
      documented: 8,
      estimate: { observed: 8, lists: ["Monitor A", "Monitor B"] },
    });
  });
});
