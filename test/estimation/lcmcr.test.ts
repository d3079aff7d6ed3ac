import { describe, expect, it } from "vitest";
import { binomial, estimate, fromCounts, lcmcr, Rng } from "../../src/core/estimation/index.js";

const moments = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
};

describe("seeded generator", () => {
  it("reproduces a stream from its seed, and different seeds differ", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
    for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
  });

  it("draws gamma, beta, binomial and negative binomial with the right mean and variance", () => {
    const rng = new Rng(7);
    const N = 20_000;
    const g = moments(Array.from({ length: N }, () => rng.gamma(2.5)));
    expect(g.mean).toBeCloseTo(2.5, 1);
    expect(g.variance).toBeCloseTo(2.5, 0);
    const small = moments(Array.from({ length: N }, () => rng.gamma(0.3)));
    expect(small.mean).toBeCloseTo(0.3, 1);
    const be = moments(Array.from({ length: N }, () => rng.beta(2, 5)));
    expect(be.mean).toBeCloseTo(2 / 7, 2);
    expect(be.variance).toBeCloseTo((2 * 5) / (49 * 8), 3);
    for (const [n, p] of [
      [30, 0.2],
      [5000, 0.37],
      [100_000, 0.999],
    ] as const) {
      const bi = moments(Array.from({ length: 4000 }, () => binomial(rng, n, p)));
      expect(Math.abs(bi.mean - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / 4000) + 1e-9);
      expect(bi.variance / (n * p * (1 - p))).toBeGreaterThan(0.9);
      expect(bi.variance / (n * p * (1 - p))).toBeLessThan(1.1);
    }
    // Failures before 50 successes with success probability 0.2: mean 200, variance 1000.
    const nb = moments(Array.from({ length: N }, () => rng.negativeBinomial(50, 0.2)));
    expect(nb.mean / 200).toBeGreaterThan(0.98);
    expect(nb.mean / 200).toBeLessThan(1.02);
    expect(nb.variance / 1000).toBeGreaterThan(0.9);
    expect(nb.variance / 1000).toBeLessThan(1.1);
  });
});

/** Expected capture-history counts for a population of latent classes (SYNTHETIC). */
function classHistories(classes: Array<{ size: number; p: number[] }>): number[] {
  const k = (classes[0] as { p: number[] }).p.length;
  const counts = new Array<number>(1 << k).fill(0);
  for (const c of classes) {
    for (let m = 1; m < 1 << k; m++) {
      let pr = 1;
      for (let j = 0; j < k; j++) pr *= m & (1 << j) ? (c.p[j] as number) : 1 - (c.p[j] as number);
      counts[m] = (counts[m] as number) + Math.round(c.size * pr);
    }
  }
  return counts;
}

describe("LCMCR (Manrique-Vallier 2016)", () => {
  const opts = { burnIn: 1000, samples: 2000, thin: 1 };

  it("is reproducible from its seed", () => {
    const h = fromCounts(["A", "B", "C"], [0, 71, 53, 155, 43, 7, 13, 72]);
    expect(lcmcr(h, { ...opts, seed: 3 })).toEqual(lcmcr(h, { ...opts, seed: 3 }));
  });

  it("recovers the total of independent lists", () => {
    const h = fromCounts(["A", "B", "C", "D"], classHistories([{ size: 4000, p: [0.3, 0.35, 0.4, 0.45] }]));
    const r = lcmcr(h, opts);
    expect(r.ci95[0]).toBeLessThan(4000);
    expect(r.ci95[1]).toBeGreaterThan(4000);
    expect(r.ci95[0]).toBeGreaterThanOrEqual(r.observed);
  });

  it("copes with heterogeneity that biases the independence model downwards", () => {
    // Synthetic: 2,000 people easy to record and 4,000 hard to record, four independent lists.
    const h = fromCounts(
      ["A", "B", "C", "D"],
      classHistories([
        { size: 2000, p: [0.6, 0.5, 0.6, 0.55] },
        { size: 4000, p: [0.1, 0.12, 0.08, 0.15] },
      ]),
    );
    const independence = estimate(h, { models: "all" }).models.find((m) => m.name === "[1][2][3][4]");
    expect(independence?.ci95[1] as number).toBeLessThan(6000);
    const r = lcmcr(h, { burnIn: 2000, samples: 4000, thin: 1 });
    expect(r.ci95[0]).toBeLessThan(6000);
    expect(r.ci95[1]).toBeGreaterThan(6000);
  });

  it("appears in estimate() as a model named LCMCR, never the selected one", () => {
    const h = fromCounts(["A", "B", "C"], [0, 71, 53, 155, 43, 7, 13, 72]);
    const r = estimate(h, { lcmcr: opts });
    const m = r.models.find((x) => x.name === "LCMCR");
    expect(m?.ciMethod).toBe("posterior");
    expect(m?.estimate as number).toBeGreaterThanOrEqual(414);
    expect(r.selected?.name).not.toBe("LCMCR");
  });

  it("rejects bad settings by name", () => {
    const h = fromCounts(["A", "B"], [0, 5, 6, 7]);
    expect(() => lcmcr(h, { samples: 0 })).toThrow(/samples/);
  });
});
