import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findNumbers, numberToWords, parseNumberWords } from "../../src/extraction/numbers.js";

function quantities(text: string) {
  return findNumbers(text).map((m) => ({
    written: text.slice(m.start, m.end),
    qualifier: m.quantity.qualifier,
    low: m.quantity.low,
    high: m.quantity.high,
  }));
}

describe("findNumbers", () => {
  it.each([
    ["8,209 people", "8,209", "exact", 8209, 8209],
    ["about 1,500 people", "about 1,500", "about", 1500, 1500],
    ["over 49,800 people", "over 49,800", "over", 49800, null],
    ["more than 1,500 people", "more than 1,500", "over", 1500, null],
    ["at least 304 people", "at least 304", "at_least", 304, null],
    ["200-250 people", "200-250", "range", 200, 250],
    ["200–250 people", "200–250", "range", 200, 250],
    ["between 150 and 180 people", "between 150 and 180", "range", 150, 180],
    ["tens of thousands of people", "tens of thousands", "vague", 10000, 99999],
    ["hundreds of people", "hundreds", "vague", 100, 999],
    ["dozens of people", "dozens", "vague", 12, 99],
    ["nearly 500 people", "nearly 500", "about", 500, 500],
    ["less than 60,100 deaths", "less than 60,100", "less_than", 0, 60099],
    ["up to 25 bodies", "up to 25", "up_to", 0, 25],
    ["a dozen students", "a dozen", "exact", 12, 12],
    ["two hundred and fifty people", "two hundred and fifty", "exact", 250, 250],
    ["1.5 million people", "1.5 million", "exact", 1_500_000, 1_500_000],
    ["1.5 to 2 million people", "1.5 to 2 million", "range", 1_500_000, 2_000_000],
    ["304 or more people", "304 or more", "at_least", 304, null],
    ["four or five prisoners", "four or five", "range", 4, 5],
    ["pass 229,700", "pass 229,700", "over", 229700, null],
  ] as const)("reads %j", (text, written, qualifier, low, high) => {
    expect(quantities(text)[0]).toEqual({ written, qualifier, low, high });
  });

  it("keeps words that only look like numbers out of numerals", () => {
    // "COVID-19" is a name and "3.5%" a decimal share: neither is a count.
    expect(quantities("COVID-19 and 3.5% of them").map((q) => q.written)).toEqual([]);
  });
});

describe("number words", () => {
  it.each([
    ["twenty-five", 25],
    ["a hundred", 100],
    ["one thousand two hundred", 1200],
    ["two million three hundred thousand", 2_300_000],
    ["dozen", 12],
  ] as const)("parses %j", (words, value) => {
    expect(parseNumberWords(words)).toBe(value);
  });

  it("rejects words that do not form one number", () => {
    expect(parseNumberWords("one two")).toBeNull();
    expect(parseNumberWords("thousand thousand")).toBeNull();
  });

  it("round-trips every number through words (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        expect(parseNumberWords(numberToWords(n))).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it("finds a written-out number in a sentence (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), (n) => {
        const text = `Officials said ${numberToWords(n)} people were detained.`;
        const found = findNumbers(text);
        expect(found).toHaveLength(1);
        expect(found[0]?.quantity.low).toBe(n);
      }),
      { numRuns: 300 },
    );
  });
});
