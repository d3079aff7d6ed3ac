import { describe, expect, it } from "vitest";
import { estimate, HistoriesCsvError, parseHistoriesCsv } from "../../src/core/estimation/index.js";

describe("capture-history CSV", () => {
  it("reads the Darroch et al. (1993) table and estimates from it", () => {
    const text = "A,B,C,count\n1,1,1,72\n1,1,0,155\n1,0,1,7\n1,0,0,71\n0,1,1,13\n0,1,0,53\n0,0,1,43\n";
    const h = parseHistoriesCsv(text);
    expect(h.lists).toEqual(["A", "B", "C"]);
    expect(h.cells).toContainEqual({ history: "110", count: 155 });
    expect(estimate(h).observed).toBe(414);
  });

  it("accepts CRLF, quotes, a BOM and the count column anywhere", () => {
    const h = parseHistoriesCsv('\ufeff"count","List A",B\r\n10,1,1\r\n5,1,0\r\n\r\n7,0,1\r\n');
    expect(h.lists).toEqual(["List A", "B"]);
    expect(h.cells).toHaveLength(3);
  });

  it("names the line and column of a bad value", () => {
    const text = "A,B,count\n1,1,3\n1,x,4\n";
    expect(() => parseHistoriesCsv(text)).toThrow(HistoriesCsvError);
    expect(() => parseHistoriesCsv(text)).toThrow('line 3, column "B": expected 0 or 1, got "x"');
    expect(() => parseHistoriesCsv("A,B,count\n1,1,-2\n")).toThrow(/line 2, column "count"/);
    expect(() => parseHistoriesCsv("A,B,count\n1,1\n")).toThrow(/line 2: expected 3 fields, found 2/);
    expect(() => parseHistoriesCsv("A,B,n\n1,1,2\n")).toThrow(/no "count" column/);
    expect(() => parseHistoriesCsv("A,B,count\n0,0,5\n")).toThrow(/line 2: .*no list/);
    expect(() => parseHistoriesCsv("A,B,count\n1,1,5\n1,1,6\n")).toThrow(
      /line 3: history 11 already given on line 2/,
    );
    expect(() => parseHistoriesCsv("A,count\n1,5\n")).toThrow(/2 to 6 list columns/);
  });

  it("splits by a stratum column", () => {
    const text = "province,A,B,count\nTehran,1,1,5\nTehran,1,0,3\nFars,1,1,2\nFars,0,1,9\nTehran,0,1,1\n";
    const strata = parseHistoriesCsv(text, { stratify: "province" });
    expect(strata.map((s) => s.stratum)).toEqual(["Tehran", "Fars"]);
    expect(strata[0]?.histories.lists).toEqual(["A", "B"]);
    expect(strata[0]?.histories.cells).toHaveLength(3);
    expect(() => parseHistoriesCsv(text, { stratify: "period" })).toThrow(/column "period": stratum column/);
  });
});
