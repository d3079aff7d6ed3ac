/**
 * Extraction benchmark: `npm run bench:extract` (node --import tsx bench/extract.ts).
 *
 * 1. Quality: precision and recall per field over the hand-annotated corpus, for dev and holdout separately
 *    (scoring rules in bench/lib/extraction-eval.ts). Holdout articles are only scored, never looked at.
 * 2. Throughput: articles per second on one core for 5 KB articles, built by joining corpus articles, with the
 *    rate of cleaning alone (HTML to text and noise removal) measured in the same run as the baseline.
 */
import { performance } from "node:perf_hooks";
import { cleanArticle, extractArticle } from "../src/extraction/index.js";
import type { PlaceResolver } from "../src/extraction/types.js";
import { loadGazetteer } from "../src/gazetteer/index.js";
import {
  type Article,
  FLOORS,
  figuresOf,
  formatFigures,
  loadSplit,
  scoreArticle,
  sumCounts,
} from "./lib/extraction-eval.js";

function gazetteerOrNull(): PlaceResolver | null {
  try {
    return loadGazetteer();
  } catch (err) {
    console.error(
      `gazetteer not available (${err instanceof Error ? err.message : String(err)}): places unresolved`,
    );
    return null;
  }
}

function score(articles: readonly Article[], gazetteer: PlaceResolver | null, label: string): void {
  const reports = articles.map((a) =>
    scoreArticle(
      a,
      extractArticle(a.text, {
        country: a.gold.country,
        published: a.gold.published_hint,
        contentType: a.contentType,
        ...(gazetteer ? { gazetteer } : {}),
      }),
    ),
  );
  const counts = sumCounts(reports);
  const f = figuresOf(counts);
  console.log(formatFigures(label, f, counts));
  const below = (Object.keys(FLOORS) as Array<keyof typeof FLOORS>).filter((k) => f[k] < FLOORS[k]);
  console.log(below.length ? `  below the floors: ${below.join(", ")}` : "  all floors met");
}

/** Articles of about 5 KB: corpus articles joined (plain text as is, pages as pages) until the size is reached. */
function fiveKb(articles: readonly Article[]): Array<{ text: string; contentType: Article["contentType"] }> {
  const out: Array<{ text: string; contentType: Article["contentType"] }> = [];
  const texts = articles.filter((a) => a.contentType === "text/plain").map((a) => a.text);
  const pages = articles.filter((a) => a.contentType === "text/html").map((a) => a.text);
  for (const [pool, contentType] of [
    [texts, "text/plain"],
    [pages, "text/html"],
  ] as const) {
    for (let i = 0; i < pool.length; i++) {
      let t = "";
      for (let k = i; t.length < 5 * 1024; k = (k + 1) % pool.length) {
        const next = pool[k] ?? "";
        t += contentType === "text/html" ? next.replace(/<\/?(?:html|body)[^>]*>/gi, "") : `${next}\n\n`;
      }
      out.push({ text: t.slice(0, 5 * 1024 + 512), contentType });
    }
  }
  return out;
}

/**
 * Items per CPU second of this process: "per core" even when other processes share the machine, which a rate
 * over wall-clock time would understate. Warms up, then runs whole rounds for `seconds` of CPU time.
 */
function rate(work: () => void, items: number, seconds = 2): { cpu: number; wall: number } {
  work();
  let rounds = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const cpuSeconds = (): number => {
    const d = process.cpuUsage(cpu0);
    return (d.user + d.system) / 1e6;
  };
  while (cpuSeconds() < seconds) {
    work();
    rounds++;
  }
  return {
    cpu: (rounds * items) / cpuSeconds(),
    wall: (rounds * items) / ((performance.now() - wall0) / 1000),
  };
}

function main(): void {
  const gazetteer = gazetteerOrNull();
  const dev = loadSplit("dev");
  const holdout = loadSplit("holdout");
  score(dev, gazetteer, "dev");
  console.log("");
  if (holdout.length) score(holdout, gazetteer, "holdout");
  else console.log("holdout: no articles");
  console.log("");

  const sample = fiveKb([...dev, ...holdout]);
  if (sample.length === 0) {
    console.log("throughput: no articles to measure");
    return;
  }
  const meanKb = sample.reduce((n, a) => n + Buffer.byteLength(a.text), 0) / sample.length / 1024;
  const options = { country: "IR", ...(gazetteer ? { gazetteer } : {}) };
  const extractRate = rate(() => {
    for (const a of sample) extractArticle(a.text, { ...options, contentType: a.contentType });
  }, sample.length);
  const cleanRate = rate(() => {
    for (const a of sample) cleanArticle(a.text, a.contentType);
  }, sample.length);
  console.log(`throughput (one core, ${sample.length} articles of ${meanKb.toFixed(1)} KB on average)`);
  const line = (label: string, r: { cpu: number; wall: number }, note: string): string =>
    `  ${label.padEnd(9)} ${r.cpu.toFixed(0).padStart(7)} articles per CPU second (${r.wall.toFixed(0)}/s wall clock)  ${note}`;
  console.log(line("extract", extractRate, "floor 50"));
  console.log(line("clean", cleanRate, "baseline: HTML to text and noise only"));
  console.log(`  ratio     ${(extractRate.cpu / cleanRate.cpu).toFixed(3)} of the cleaning rate`);
}

main();
