/**
 * Benchmark for record linkage and multiple systems estimation, on SYNTHETIC victim lists
 * (bench/lib/victim-lists.ts: generated people, not real victims).
 *
 *   node --import tsx bench/estimation.ts [--quick]
 *
 * Reports, per scenario: pairwise precision/recall/F1 of the linkage against the true identities
 * (and of a naive baseline, exact romanised-name match, measured in the same run), the linking
 * time and peak memory, and whether the selected model's 95 % interval covers the true total,
 * both from the linked histories and from the true ones (which separates linkage error from
 * model error).
 */
import { type CaptureHistories, estimate, fromCounts } from "../src/core/estimation/index.js";
import { captureHistories, linkRecords, prepareName } from "../src/core/linkage/index.js";
import {
  defaultLists,
  generateVictimLists,
  type PairwiseScores,
  pairwiseScores,
  type SyntheticLists,
  type SyntheticOptions,
} from "./lib/victim-lists.js";

interface Scenario {
  name: string;
  options: SyntheticOptions;
}

const quick = process.argv.includes("--quick");

const scenarios: Scenario[] = [
  {
    name: quick
      ? "3 lists (population 8,000; --quick)"
      : "3 lists of about 20,000 records each (population 40,000)",
    options: { seed: 2019, population: quick ? 8000 : 40_000, visibleShare: 0.4, lists: defaultLists(3) },
  },
  {
    name: "5 lists (population 12,000)",
    options: { seed: 1401, population: 12_000, visibleShare: 0.4, lists: defaultLists(5) },
  },
  {
    name: "hard: low name diversity, 3 lists (population 12,000)",
    options: {
      seed: 88,
      population: 12_000,
      visibleShare: 0.4,
      lists: defaultLists(3),
      nameDiversity: "low",
    },
  },
];

function trueHistories(data: SyntheticLists, lists: string[]): CaptureHistories {
  const byPerson = new Map<number, number>();
  for (const r of data.records) {
    const id = data.truth.get(`${r.list}\u0000${r.listId}`) as number;
    byPerson.set(id, (byPerson.get(id) ?? 0) | (1 << lists.indexOf(r.list)));
  }
  const counts = new Array<number>(1 << lists.length).fill(0);
  for (const mask of byPerson.values()) counts[mask] = (counts[mask] as number) + 1;
  return fromCounts(lists, counts);
}

/** Naive baseline: records with the same romanised name key (or Persian name) are one person. */
function exactNameBaseline(data: SyntheticLists): PairwiseScores {
  const groups = new Map<string, Array<{ list: string; list_id: string }>>();
  data.records.forEach((r, i) => {
    const n = prepareName(r.name, r.nameFa);
    const key = n.sorted || n.persianSorted || `#${i}`;
    const g = groups.get(key) ?? [];
    g.push({ list: r.list, list_id: r.listId });
    groups.set(key, g);
  });
  return pairwiseScores(
    [...groups.values()].map((records) => ({ records })),
    data.truth,
  );
}

const fmt = (x: number, d = 3) => x.toFixed(d);
const interval = (ci: [number | null, number | null]) =>
  `[${ci[0] === null ? "?" : Math.round(ci[0])}, ${ci[1] === null ? "∞" : Math.round(ci[1])}]`;
const covers = (ci: [number | null, number | null], n: number) =>
  (ci[0] ?? 0) <= n && (ci[1] ?? Infinity) >= n;

console.log("SYNTHETIC DATA: generated people and lists; no real victims.\n");
for (const s of scenarios) {
  const data = generateVictimLists(s.options);
  const lists = s.options.lists.map((l) => l.name);
  const sizes = lists.map((l) => `${l} ${data.records.filter((r) => r.list === l).length}`).join(", ");
  console.log(`## ${s.name}`);
  console.log(`records ${data.records.length} (${sizes}); true population ${data.people.length}`);

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = linkRecords(data.records);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const q = pairwiseScores(result.entities, data.truth);
  const base = exactNameBaseline(data);
  console.log(
    `linkage: precision ${fmt(q.precision)}, recall ${fmt(q.recall)}, F1 ${fmt(q.f1)} ` +
      `(target ≥ 0.95: ${q.f1 >= 0.95 ? "met" : "NOT met"}); ` +
      `baseline exact-name F1 ${fmt(base.f1)} (ratio ${fmt(q.f1 / base.f1, 2)}×)`,
  );
  console.log(
    `linking time ${fmt(ms / 1000, 1)} s wall, ${fmt((cpu.user + cpu.system) / 1e6, 1)} s CPU; ` +
      `candidate pairs ${result.pairs_reviewed}; skipped blocks ${result.blocking.skippedBlocks.length}; ` +
      `review list ${result.review.length}; peak RSS so far ${fmt(rssMb, 0)} MB`,
  );
  const documented = new Set(data.truth.values()).size;
  console.log(`entities ${result.entities.length} (true documented people ${documented})`);
  for (const [label, h] of [
    ["from linkage", captureHistories(result.entities, lists)],
    ["from true identities", trueHistories(data, lists)],
  ] as const) {
    const est = estimate(h, { lcmcr: { burnIn: 2000, samples: 2000, thin: 2 } });
    const lc = est.models.find((m) => m.name === "LCMCR");
    for (const m of [est.selected, lc]) {
      if (!m) {
        console.log(`estimate ${label}: none (${est.notes.join("; ")})`);
        continue;
      }
      const what = m === lc ? "LCMCR posterior median" : `selected by AIC ${m.name}`;
      console.log(
        `estimate ${label}, ${what}: N = ${Math.round(m.estimate ?? Number.NaN)} (SE ${Math.round(m.se ?? Number.NaN)}), ` +
          `95 % ${m === lc ? "credible" : "CI"} ${interval(m.ci95)}; true N ${data.people.length}: ` +
          `${covers(m.ci95, data.people.length) ? "covered" : "NOT covered"}`,
      );
    }
  }
  console.log("");
}
