import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CaptureHistories,
  chapman,
  estimate,
  estimateStrata,
  fitLogLinear,
  fromCounts,
  lincolnPetersen,
} from "../../src/core/estimation/index.js";

const twoListCounts = fc
  .record({ only1: fc.nat(2000), only2: fc.nat(2000), m: fc.nat(2000) })
  .map(({ only1, only2, m }) => ({ n1: only1 + m, n2: only2 + m, m, observed: only1 + only2 + m }));

describe("two-list estimators", () => {
  it("Chapman is never below the number observed, and its intervals bracket it", () => {
    fc.assert(
      fc.property(twoListCounts, ({ n1, n2, m, observed }) => {
        const c = chapman({ n1, n2, m });
        expect(c.estimate as number).toBeGreaterThanOrEqual(observed - 1e-9);
        const [lo, hi] = c.logNormal95 as [number, number];
        expect(lo).toBeGreaterThanOrEqual(observed - 1e-9);
        expect(lo).toBeLessThanOrEqual((c.estimate as number) + 1e-9);
        expect(hi).toBeGreaterThanOrEqual((c.estimate as number) - 1e-9);
      }),
    );
  });

  it("Lincoln–Petersen is undefined without overlap, Chapman is not", () => {
    expect(lincolnPetersen({ n1: 10, n2: 20, m: 0 }).estimate).toBeNull();
    expect(chapman({ n1: 10, n2: 20, m: 0 }).estimate).toBe(11 * 21 - 1);
  });

  it("rejects an overlap larger than a list", () => {
    expect(() => chapman({ n1: 3, n2: 20, m: 4 })).toThrow(/overlap m=4/);
  });
});

/** Three-list histories with every cell between 1 and 300 (so every model has a finite fit). */
const threeLists = fc
  .array(fc.integer({ min: 1, max: 300 }), { minLength: 7, maxLength: 7 })
  .map((c) => fromCounts(["A", "B", "C"], [0, ...c]));

describe("log-linear models", () => {
  it("every finite estimate is at least the observed count, inside its profile interval", () => {
    fc.assert(
      fc.property(threeLists, (h) => {
        const r = estimate(h, { models: "all" });
        expect(r.models).toHaveLength(8);
        for (const m of r.models) {
          if (m.estimate === null) continue;
          expect(m.estimate).toBeGreaterThanOrEqual(r.observed);
          const [lo, hi] = m.ci95;
          expect(lo as number).toBeGreaterThanOrEqual(r.observed - 1e-6);
          expect(lo as number).toBeLessThanOrEqual(m.estimate * 1.0001);
          if (hi !== null) expect(hi).toBeGreaterThanOrEqual(m.estimate * 0.9999);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("independence on three lists matches the closed form with its sufficient margins", () => {
    // Under independence the fitted missing cell satisfies n0 = n_obs·Π(1 − n_i/N)/(1 − Π(1 − n_i/N))
    // at N = n_obs + n0; check the fixed point rather than re-deriving the fit.
    fc.assert(
      fc.property(threeLists, (h) => {
        const f = fitLogLinear(h, { k: 3, pairs: [] });
        const N = f.estimate as number;
        const margins = [0, 1, 2].map((i) =>
          h.cells.filter((c) => c.history[i] === "1").reduce((a, c) => a + c.count, 0),
        );
        const q = margins.reduce((a, n) => a * (1 - n / N), 1);
        expect(f.n0).toBeCloseTo(N * q, 4);
      }),
      { numRuns: 25 },
    );
  });

  it("reports a model whose estimate is infinite instead of failing", () => {
    // No one on both lists 1 and 2 but not 3: under all two-way terms n0 = n111·n100·n010·n001 /
    // (n110·n101·n011) has a zero denominator.
    const h = fromCounts(["A", "B", "C"], [0, 50, 40, 0, 30, 10, 12, 5]);
    const all = fitLogLinear(h, {
      k: 3,
      pairs: [
        [0, 1],
        [0, 2],
        [1, 2],
      ],
    });
    expect(all.status).toBe("infinite");
    expect(all.estimate).toBeNull();
    const r = estimate(h, { models: "all" });
    expect(r.models).toHaveLength(8);
    expect(r.selected?.estimate).not.toBeNull();
    expect(r.models.find((m) => m.name === "[12][13][23]")?.estimate).toBeNull();
  });

  it("reports a huge but finite estimate with an interval, found as a regression by the strata property", () => {
    // n0 under all two-way terms = 150·150·1·299 / (1·1·2) ≈ 3.4 million, from 604 people observed.
    const h = fromCounts(["A", "B", "C"], [0, 150, 1, 2, 299, 1, 1, 150]);
    const r = estimate(h, { models: "all" });
    const all = r.models.find((m) => m.name === "[12][13][23]");
    expect(all?.estimate as number).toBeGreaterThan(3e6);
    expect(all?.ci95[0] as number).toBeGreaterThanOrEqual(604);
    expect(all?.ci95[1] === null || (all?.ci95[1] as number) > 3e6).toBe(true);
  });

  it("puts the estimate on its boundary when nobody is on all three lists", () => {
    const h = fromCounts(["A", "B", "C"], [0, 50, 40, 10, 30, 10, 12, 0]);
    const all = fitLogLinear(h, {
      k: 3,
      pairs: [
        [0, 1],
        [0, 2],
        [1, 2],
      ],
    });
    expect(all.status).toBe("boundary");
    expect(all.estimate).toBe(152);
  });

  it("drops a list with nobody on it", () => {
    const h = fromCounts(["A", "B", "C"], [0, 50, 40, 10, 0, 0, 0, 0]);
    const r = estimate(h);
    expect(r.lists).toEqual(["A", "B"]);
    expect(r.notes.join(" ")).toMatch(/"C"/);
    expect(r.selected?.name).toBe("Chapman");
  });

  it("fits four, five and six lists (exhaustive to five, stepwise at six)", () => {
    for (const k of [4, 5, 6]) {
      const counts = [0];
      // Synthetic: independent lists with capture probability 0.3..0.55 over N = 4000.
      const p = Array.from({ length: k }, (_, i) => 0.3 + 0.05 * i);
      for (let m = 1; m < 1 << k; m++) {
        let pr = 1;
        for (let i = 0; i < k; i++) pr *= m & (1 << i) ? (p[i] as number) : 1 - (p[i] as number);
        counts.push(Math.round(4000 * pr));
      }
      const lists = Array.from({ length: k }, (_, i) => `L${i + 1}`);
      const r = estimate(fromCounts(lists, counts), { models: k === 6 ? "all" : "selected" });
      expect(r.search).toBe(k <= 5 ? "exhaustive" : "stepwise");
      const sel = r.selected;
      expect(sel).not.toBeNull();
      expect(sel?.estimate as number).toBeGreaterThan(3800);
      expect(sel?.estimate as number).toBeLessThan(4200);
      expect(sel?.ci95[0] as number).toBeLessThan(4000);
      expect(sel?.ci95[1] as number).toBeGreaterThan(4000);
    }
  });
});

describe("strata", () => {
  it("estimates and variances add up", () => {
    fc.assert(
      fc.property(fc.array(threeLists, { minLength: 1, maxLength: 4 }), (hs) => {
        const strata = hs.map((histories, i) => ({ stratum: `s${i}`, histories }));
        const r = estimateStrata(strata);
        const sum = r.strata.reduce((a, s) => a + (s.result.selected?.estimate as number), 0);
        const v = r.strata.reduce((a, s) => a + (s.result.selected?.se as number) ** 2, 0);
        expect(r.total.estimate).toBeCloseTo(sum, 6);
        expect(r.total.se).toBeCloseTo(Math.sqrt(v), 6);
        expect(r.total.observed).toBe(r.strata.reduce((a, s) => a + s.result.observed, 0));
      }),
      { numRuns: 15 },
    );
  });

  it("one stratum gives the unstratified selected estimate", () => {
    const h: CaptureHistories = fromCounts(["A", "B", "C"], [0, 71, 53, 155, 43, 7, 13, 72]);
    const whole = estimate(h);
    const r = estimateStrata([{ stratum: "all", histories: h }]);
    expect(r.total.estimate).toBeCloseTo(whole.selected?.estimate as number, 9);
  });

  it("rejects a stratum given twice", () => {
    const h = fromCounts(["A", "B"], [0, 1, 2, 3]);
    expect(() =>
      estimateStrata([
        { stratum: "x", histories: h },
        { stratum: "x", histories: h },
      ]),
    ).toThrow(/"x"/);
  });
});

describe("profile intervals on a flat likelihood", () => {
  it("never exclude the estimate they are reported with (a case fast-check found)", () => {
    const h = {
      lists: ["A", "B", "C"],
      cells: [
        { history: "100", count: 300 },
        { history: "010", count: 201 },
        { history: "110", count: 5 },
        { history: "001", count: 84 },
        { history: "101", count: 9 },
        { history: "011", count: 4 },
        { history: "111", count: 69 },
      ],
    };
    const r = estimate(h, { models: "all" });
    for (const m of r.models) {
      if (m.estimate === null) continue;
      const [lo, hi] = m.ci95;
      expect(lo as number).toBeLessThanOrEqual(m.estimate * 1.0001);
      if (hi !== null) expect(hi).toBeGreaterThanOrEqual(m.estimate * 0.9999);
    }
  });
});
