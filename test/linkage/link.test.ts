import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultLists, generateVictimLists, pairwiseScores } from "../../bench/lib/victim-lists.js";
import { estimate } from "../../src/core/estimation/index.js";
import {
  captureHistories,
  compareInto,
  linkRecords,
  prepareRecord,
  type VictimRecord,
} from "../../src/core/linkage/index.js";

// SYNTHETIC data throughout: generated people, not real victims.
const small = generateVictimLists({ seed: 11, population: 400, visibleShare: 0.4, lists: defaultLists(3) });

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("linkRecords", () => {
  it("links a hand-made set: variants, swapped names, Persian script; keeps different people apart", () => {
    const records: VictimRecord[] = [
      {
        list: "A",
        listId: "1",
        name: "Mohammad Hosseini",
        age: 24,
        sex: "m",
        date: "2019-11-16",
        place: "Tehran",
      },
      {
        list: "B",
        listId: "x",
        name: "Hosseini Muhammad",
        age: 25,
        sex: "m",
        date: "2019-11-17",
        place: "Teheran",
      },
      {
        list: "C",
        listId: "p",
        name: "",
        nameFa: "محمد حسینی",
        age: null,
        date: "2019-11-16",
        place: "تهران",
      },
      { list: "A", listId: "2", name: "Zahra Rezaei", age: 31, sex: "f", date: "2019-11-18", place: "Karaj" },
      {
        list: "C",
        listId: "q",
        name: "Zahraa Rezaee",
        age: 31,
        sex: "f",
        date: "2019-11-18",
        place: "Karaj",
      },
      { list: "B", listId: "y", name: "Reza Karimi", age: 40, sex: "m", date: "2019-12-02", place: "Shiraz" },
    ];
    // Six records give EM nothing to learn from: fit it together with a synthetic set.
    const r = linkRecords([...records, ...small.records]);
    const entityOf = (list: string, id: string) =>
      r.entities.find((e) => e.records.some((x) => x.list === list && x.list_id === id))?.id;
    expect(entityOf("A", "1")).toBe(entityOf("B", "x"));
    expect(entityOf("A", "1")).toBe(entityOf("C", "p"));
    expect(entityOf("A", "2")).toBe(entityOf("C", "q"));
    expect(entityOf("A", "1")).not.toBe(entityOf("A", "2"));
    expect(entityOf("B", "y")).not.toBe(entityOf("A", "1"));
    expect(r.pairs_reviewed).toBeGreaterThan(0);
  });

  it("recovers the synthetic identities with high pairwise F1", () => {
    const r = linkRecords(small.records);
    const s = pairwiseScores(r.entities, small.truth);
    expect(s.f1).toBeGreaterThan(0.9);
    // Every record is in exactly one entity.
    const refs = r.entities.flatMap((e) => e.records.map((x) => `${x.list}/${x.list_id}`));
    expect(new Set(refs).size).toBe(small.records.length);
    expect(refs.length).toBe(small.records.length);
  });

  it("does not depend on the order of the records (property)", () => {
    const base = JSON.stringify(linkRecords(small.records).entities);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (seed) => {
        expect(JSON.stringify(linkRecords(shuffle(small.records, seed)).entities)).toBe(base);
      }),
      { numRuns: 3 },
    );
  });

  it("compares pairs symmetrically (property)", () => {
    const recs = small.records.slice(0, 200).map((r, i) => prepareRecord(r, i));
    fc.assert(
      fc.property(fc.nat(199), fc.nat(199), (i, j) => {
        const ab: Array<number | null> = [];
        const ba: Array<number | null> = [];
        compareInto(recs[i] as never, recs[j] as never, 3, 2, ab);
        compareInto(recs[j] as never, recs[i] as never, 3, 2, ba);
        expect(ab).toEqual(ba);
      }),
      { numRuns: 300 },
    );
  });

  it("handles no records and a single record", () => {
    expect(linkRecords([]).entities).toEqual([]);
    const one = linkRecords([{ list: "A", listId: "1", name: "Ali Karimi" }]);
    expect(one.entities).toEqual([{ id: "A:1", records: [{ list: "A", list_id: "1" }] }]);
    expect(one.pairs_reviewed).toBe(0);
  });

  it("rejects a list id given twice and names it", () => {
    const r = { list: "A", listId: "7", name: "Ali Karimi" };
    expect(() => linkRecords([r, { ...r }])).toThrow(/list "A" has the id "7" twice/);
  });

  it("applies reviewers' decisions", () => {
    const records: VictimRecord[] = [
      { list: "A", listId: "1", name: "Ali Karimi", age: 30, date: "2019-11-16", place: "Tehran" },
      { list: "B", listId: "1", name: "Ali Karimi", age: 30, date: "2019-11-16", place: "Tehran" },
      { list: "B", listId: "2", name: "Maryam Jafari", age: 22, date: "2019-11-20", place: "Shiraz" },
      ...small.records.slice(0, 200),
    ];
    const split = linkRecords(records, {
      decisions: [{ a: { list: "A", list_id: "1" }, b: { list: "B", list_id: "1" }, same: false }],
    });
    const joined = linkRecords(records, {
      decisions: [{ a: { list: "A", list_id: "1" }, b: { list: "B", list_id: "2" }, same: true }],
    });
    const together = (res: ReturnType<typeof linkRecords>, x: string, y: string) =>
      res.entities.some(
        (e) =>
          e.records.some((r) => `${r.list}/${r.list_id}` === x) &&
          e.records.some((r) => `${r.list}/${r.list_id}` === y),
      );
    expect(together(split, "A/1", "B/1")).toBe(false);
    expect(together(joined, "A/1", "B/2")).toBe(true);
    expect(() =>
      linkRecords(records, {
        decisions: [{ a: { list: "Z", list_id: "1" }, b: { list: "B", list_id: "2" }, same: true }],
      }),
    ).toThrow(/\(Z, 1\)/);
  });

  it("lists uncertain pairs for review, most uncertain first", () => {
    const r = linkRecords(small.records, { review: { low: 0.05, high: 0.95 } });
    for (const p of r.review) {
      if (p.reason === "near-threshold") {
        expect(p.probability).toBeGreaterThanOrEqual(0.05);
        expect(p.probability).toBeLessThanOrEqual(0.95);
      }
    }
    const near = r.review
      .filter((p) => p.reason === "near-threshold")
      .map((p) => Math.abs(p.probability - 0.5));
    expect(near).toEqual([...near].sort((a, b) => a - b));
  });
});

describe("captureHistories", () => {
  it("counts each entity once, on every list it appears on, and feeds the estimator", () => {
    const r = linkRecords(small.records);
    const h = captureHistories(r.entities, ["network", "ngo", "persian"]);
    const total = h.cells.reduce((a, c) => a + c.count, 0);
    expect(total).toBe(r.entities.length);
    const est = estimate(h);
    expect(est.observed).toBe(r.entities.length);
    expect(est.selected?.estimate as number).toBeGreaterThanOrEqual(r.entities.length);
  });

  it("stratifies by a column, and the strata add up to the whole", () => {
    const r = linkRecords(small.records);
    const whole = captureHistories(r.entities, ["network", "ngo", "persian"]);
    const strata = captureHistories(r.entities, ["network", "ngo", "persian"], {
      records: small.records,
      by: "sex",
    });
    for (const cell of whole.cells) {
      const sum = strata.reduce(
        (a, s) => a + (s.histories.cells.find((c) => c.history === cell.history)?.count ?? 0),
        0,
      );
      expect(sum).toBe(cell.count);
    }
    expect(strata.map((s) => s.stratum)).toContain("m");
  });
});
