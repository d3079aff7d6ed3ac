import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addRanges,
  formatRange,
  parseCount,
  quantityOf,
  sumRanges,
  VAGUE_MAGNITUDES,
  vagueQuantity,
} from "../../src/core/quantity.js";

const range = fc
  .tuple(fc.nat({ max: 1_000_000 }), fc.option(fc.nat({ max: 1_000_000 }), { nil: null }))
  .map(([low, extra]) => ({ low, high: extra === null ? null : low + extra }));

describe("quantities", () => {
  it("follow PRODUCT.md's table", () => {
    expect(quantityOf("exact", 8209)).toEqual({ qualifier: "exact", low: 8209, high: 8209 });
    expect(quantityOf("about", 1500)).toEqual({ qualifier: "about", low: 1500, high: 1500 });
    expect(quantityOf("over", 49_800)).toEqual({ qualifier: "over", low: 49_800, high: null });
    expect(quantityOf("at_least", 304)).toEqual({ qualifier: "at_least", low: 304, high: null });
    expect(quantityOf("range", 250, 200)).toEqual({ qualifier: "range", low: 200, high: 250 });
    expect(vagueQuantity("tens of thousands")).toEqual({ qualifier: "vague", low: 10_000, high: 99_999 });
    expect(VAGUE_MAGNITUDES.dozens.low).toBe(12);
  });

  it("sum lows and highs separately, and an open part opens the sum", () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 30 }), (parts) => {
        const s = sumRanges(parts);
        expect(s.low).toBe(parts.reduce((a, p) => a + p.low, 0));
        if (parts.some((p) => p.high === null)) expect(s.high).toBeNull();
        else expect(s.high).toBe(parts.reduce((a, p) => a + (p.high as number), 0));
      }),
    );
  });

  it("add commutatively and associatively", () => {
    fc.assert(
      fc.property(range, range, range, (a, b, c) => {
        expect(addRanges(a, b)).toEqual(addRanges(b, a));
        expect(addRanges(addRanges(a, b), c)).toEqual(addRanges(a, addRanges(b, c)));
      }),
    );
  });

  it("parse import counts and round-trip through their written form", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.nat({ max: 1000 }), (low, extra) => {
        const r = { low, high: low + extra };
        expect(parseCount(formatRange(r))).toEqual(r);
      }),
    );
    expect(parseCount("1,500-1,800")).toEqual({ low: 1500, high: 1800 });
    expect(parseCount("")).toBeNull();
    expect(() => parseCount("9-3")).toThrow(/below its low end/);
    expect(() => parseCount("-4")).toThrow(/expected a count/);
    expect(() => parseCount("99999999999999999999")).toThrow(/too large/);
  });
});
