/**
 * Checks against published results. Figures and their sources:
 * - Seber, G. A. F. (1982). The Estimation of Animal Abundance and Related Parameters, 2nd ed., p. 107:
 *   two samples with 167 marked in both, 781 in the first only and 254 in the second only;
 *   Lincoln–Petersen N = 2389.9 with SE about 130.
 * - Darroch, J. N., Fienberg, S. E., Glonek, G. F. V. & Junker, B. W. (1993). A three-sample
 *   multiple-recapture approach to census population estimation with heterogeneous catchability.
 *   JASA 88(423), 1137–1148: histories 111:72, 110:155, 101:7, 100:71, 011:13, 010:53, 001:43.
 *   All two-way interactions: N = 1240 (SE 451). Model [12][23]: N = 850 (SE 186), deviance 3.8 on 1 df.
 */
import { describe, expect, it } from "vitest";
import {
  estimate,
  fitLogLinear,
  lincolnPetersen,
  withProfileInterval,
} from "../../src/core/estimation/index.js";

const seber = {
  lists: ["first", "second"],
  cells: [
    { history: "11", count: 167 },
    { history: "10", count: 781 },
    { history: "01", count: 254 },
  ],
};

const darroch = {
  lists: ["1", "2", "3"],
  cells: [
    { history: "111", count: 72 },
    { history: "110", count: 155 },
    { history: "101", count: 7 },
    { history: "100", count: 71 },
    { history: "011", count: 13 },
    { history: "010", count: 53 },
    { history: "001", count: 43 },
  ],
};

describe("Seber (1982, p. 107): two lists", () => {
  it("Lincoln–Petersen gives 2389.9 with SE about 130", () => {
    const lp = lincolnPetersen({ n1: 167 + 781, n2: 167 + 254, m: 167 });
    expect(lp.estimate).toBeCloseTo(2389.9, 1);
    expect(lp.se).toBeGreaterThan(125);
    expect(lp.se).toBeLessThan(135);
  });

  it("the independence log-linear fit reproduces Lincoln–Petersen and its SE (Rcapture's formula)", () => {
    const fit = withProfileInterval(seber, fitLogLinear(seber, { k: 2, pairs: [] }));
    const lp = lincolnPetersen({ n1: 948, n2: 421, m: 167 });
    expect(fit.estimate).toBeCloseTo(lp.estimate as number, 6);
    expect(fit.se).toBeCloseTo(lp.se as number, 3);
    expect(fit.deviance).toBe(0);
    expect(fit.df).toBe(0);
    const [lo, hi] = fit.profile95 as [number, number];
    // The profile interval is skewed to the right, as the likelihood is for population sizes.
    expect(lo).toBeLessThan(2389.9);
    expect(hi).toBeGreaterThan(2389.9);
    expect(hi - 2389.9).toBeGreaterThan(2389.9 - lo);
  });

  it("estimate() reports both two-list estimators and selects Chapman", () => {
    const r = estimate(seber, { models: "all" });
    expect(r.observed).toBe(1202);
    expect(r.models.map((m) => m.name).sort()).toEqual(["Chapman", "Lincoln-Petersen"]);
    expect(r.selected?.name).toBe("Chapman");
    // Chapman: (949·422)/168 − 1.
    expect(r.selected?.estimate).toBeCloseTo((949 * 422) / 168 - 1, 6);
  });
});

describe("Darroch et al. (1993): three lists", () => {
  const fits = (pairs: [number, number][]) =>
    withProfileInterval(darroch, fitLogLinear(darroch, { k: 3, pairs }));

  it("the model with all two-way terms gives 1240 (SE 451)", () => {
    const f = fits([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(f.name).toBe("[12][13][23]");
    expect(f.estimate).toBeCloseTo(1240, -1);
    expect(Math.round(f.estimate as number)).toBe(1240);
    expect(Math.round(f.se as number)).toBeGreaterThanOrEqual(450);
    expect(Math.round(f.se as number)).toBeLessThanOrEqual(451);
    expect(f.df).toBe(0);
    expect(f.deviance).toBe(0);
  });

  it("model [12][23] gives 850 (SE 186), deviance 3.8 on 1 df", () => {
    const f = fits([
      [0, 1],
      [1, 2],
    ]);
    expect(f.name).toBe("[12][23]");
    expect(Math.round(f.estimate as number)).toBe(850);
    expect(Math.round(f.se as number)).toBe(186);
    expect(f.deviance as number).toBeCloseTo(3.8, 1);
    expect(f.df).toBe(1);
    const [lo, hi] = f.profile95 as [number, number];
    expect(lo).toBeGreaterThan(414);
    expect(lo).toBeLessThan(850);
    expect(hi).toBeGreaterThan(850);
  });

  it("fits all 8 hierarchical models and selects by AIC", () => {
    const r = estimate(darroch, { models: "all" });
    expect(r.observed).toBe(414);
    expect(r.models).toHaveLength(8);
    const aics = r.models.map((m) => m.aic as number);
    expect(aics).toEqual([...aics].sort((a, b) => a - b));
    expect(r.selected?.name).toBe(r.models[0]?.name);
    // Both models with the 1–2 and 2–3 terms fit far better than independence.
    expect(r.selected?.name === "[12][13][23]" || r.selected?.name === "[12][23]").toBe(true);
    for (const m of r.models) {
      expect(m.ci95[0] as number).toBeGreaterThanOrEqual(414);
      expect(m.bic as number).toBeGreaterThan(m.aic as number);
    }
  });
});
