import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { claimRatio, corroborations, figuresAgree, ratioWords } from "../../src/core/compare.js";

describe("claim ratios", () => {
  it("word the issue's example truthfully at both ends of the documented range", () => {
    expect(claimRatio(2140, { low: 11_800, high: 12_400 }).words).toBe("less than a fifth");
    expect(claimRatio(8209, { low: 49_800, high: 49_800 }).words).toBe("less than a sixth");
    expect(claimRatio(1000, { low: 990, high: 1010 }).words).toBe("about the same");
    expect(claimRatio(5000, { low: 1000, high: 1200 }).words).toBe("more than 4 times the documented count");
    expect(claimRatio(10, { low: 0, high: 0 }).words).toBe("nothing documented to compare");
  });

  it("never claims a fraction that one end of the range contradicts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: 1, max: 1e6 }),
        fc.nat({ max: 1e5 }),
        (c, lo, extra) => {
          const r = claimRatio(c, { low: lo, high: lo + extra });
          const m = /^less than a (\w+)$/.exec(r.words);
          if (m) {
            const n =
              ["half", "third", "quarter", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"].indexOf(
                m[1] as string,
              ) + 2;
            expect(c / lo).toBeLessThan(1 / n);
          }
        },
      ),
    );
    expect(ratioWords(null, null)).toBe("nothing documented to compare");
  });
});

describe("corroboration", () => {
  it("agrees on overlapping ranges or within 5 %", () => {
    expect(figuresAgree({ low: 100, high: 120 }, { low: 115, high: null })).toBe(true);
    expect(figuresAgree({ low: 1000, high: 1000 }, { low: 1040, high: 1040 })).toBe(true);
    expect(figuresAgree({ low: 1000, high: 1000 }, { low: 1100, high: 1100 })).toBe(false);
  });

  it("is symmetric, never links a source to itself, and needs claims within the window", () => {
    const claims = [
      { id: 1, sourceId: 1, metric: "killed", scope: "IR|", asOf: "2021-01-01", low: 100, high: 100 },
      { id: 2, sourceId: 2, metric: "killed", scope: "IR|", asOf: "2021-01-05", low: 103, high: 103 },
      { id: 3, sourceId: 3, metric: "killed", scope: "IR|", asOf: "2021-03-01", low: 100, high: 100 },
      { id: 4, sourceId: 1, metric: "killed", scope: "IR|", asOf: "2021-01-02", low: 101, high: 101 },
    ];
    const c = corroborations(claims);
    expect([...(c.get(1) ?? [])]).toEqual([2]);
    expect([...(c.get(2) ?? [])]).toEqual([1]);
    expect(c.has(3)).toBe(false);
  });
});
