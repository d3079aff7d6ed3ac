/**
 * Gazetteer benchmark: load time, resolver throughput on generated mentions, peak memory, and a plain Map
 * lookup of exact names measured in the same run as the baseline.
 *
 *   node --import tsx bench/gazetteer.ts [--mentions 100000] [--seed 7]
 *
 * Mentions are generated from the built data (synthetic, deterministic for a seed): exact Iranian and
 * world names, romanisation variants of Iranian names, parenthetical forms ("town (province)" and
 * "unknown (town)"), and unknown invented names.
 */
import type { Place } from "../src/core/place.js";
import { seededRandom as rng } from "../src/core/random.js";
import { loadGazetteer } from "../src/gazetteer/index.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name}: expected a positive number`);
  return v;
}

const total = arg("mentions", 100_000);
const random = rng(arg("seed", 7));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const gazetteer = loadGazetteer();
const loadMs = performance.now() - t0;
const loadCpu = process.cpuUsage(cpu0);
const loadMemory = process.memoryUsage().rss / 2 ** 20;

const iran = gazetteer.places("IR").filter((p) => p.level === "city");
const provinces = gazetteer.provinces("IR");
const world = ["FR", "DE", "IQ", "AF", "TR", "US", "IN", "BR", "EG", "PK"].flatMap((cc) =>
  gazetteer.places(cc).filter((p) => p.level === "city"),
);

/** Spellings reporters produce: each rule applied at random. */
const VARIANT_RULES: [RegExp, string][] = [
  [/q/g, "gh"],
  [/u/g, "ou"],
  [/ū/g, "oo"],
  [/-e /g, " "],
  [/-ye /g, "-e "],
  [/ey/g, "ei"],
  [/iyeh$/g, "ieh"],
  [/v/g, "w"],
  [/rr/g, "r"],
  [/ā/g, "aa"],
  [/e/g, "i"],
  [/ /g, ""],
];
function variant(name: string): string {
  let s = name;
  for (const [re, to] of VARIANT_RULES) if (random() < 0.3) s = s.replace(re, to);
  return s;
}

const SYLLABLES = [
  "zar",
  "gol",
  "kh",
  "ban",
  "mir",
  "tash",
  "vand",
  "qol",
  "pur",
  "zan",
  "dar",
  "sh",
  "kuh",
  "rud",
];
function unknownName(): string {
  const n = 2 + Math.floor(random() * 3);
  let s = "";
  for (let i = 0; i < n; i++) s += pick(SYLLABLES);
  s += pick(["ak", "ij", "estan-e Bala", "abad-e Sofla", "xq", "vorz"]);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

type Kind = "exact" | "variant" | "parenthetical" | "unknown";
const mentions: { text: string; kind: Kind; source: Place | null }[] = [];
while (mentions.length < total) {
  const r = random();
  if (r < 0.3) {
    const p = random() < 0.7 ? pick(iran) : pick(world);
    mentions.push({ text: p.name, kind: "exact", source: p });
  } else if (r < 0.6) {
    const p = pick(iran);
    mentions.push({ text: variant(p.name), kind: "variant", source: p });
  } else if (r < 0.8) {
    if (random() < 0.5) {
      const p = pick(iran);
      mentions.push({ text: `${variant(p.name)} (${p.province})`, kind: "parenthetical", source: p });
    } else {
      const town = pick(iran);
      mentions.push({ text: `${unknownName()} (${town.name})`, kind: "parenthetical", source: null });
    }
  } else {
    mentions.push({ text: unknownName(), kind: "unknown", source: null });
  }
}
void provinces;

// Warm-up on a slice, so that the JIT and the place cache are comparable for both measurements.
for (const m of mentions.slice(0, 2000)) gazetteer.resolve(m.text, { country: "IR" });

// Wall time suffers when other processes share the cores; CPU time is what one core spends.
const cpu1 = process.cpuUsage();
const t1 = performance.now();
const byKind = new Map<Kind, { n: number; matched: number; known: number; provinceRight: number }>();
for (const m of mentions) {
  const res = gazetteer.resolve(m.text, {
    country: m.source && m.source.country !== "IR" ? undefined : "IR",
  });
  const k = byKind.get(m.kind) ?? { n: 0, matched: 0, known: 0, provinceRight: 0 };
  k.n++;
  if (res.match) k.matched++;
  if (m.source) k.known++;
  if (m.source && res.match?.province === m.source.province) k.provinceRight++;
  byKind.set(m.kind, k);
}
const resolveMs = performance.now() - t1;
const cpuUsed = process.cpuUsage(cpu1);
const resolveCpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
const rate = mentions.length / (resolveCpuMs / 1000);
const wallRate = mentions.length / (resolveMs / 1000);

// Baseline: a Map from exact names to places, looked up with the same mentions.
const exact = new Map<string, Place>();
for (const p of [...iran, ...world]) exact.set(p.name, p);
const cpu2 = process.cpuUsage();
let hits = 0;
for (let round = 0; round < 5; round++) {
  for (const m of mentions) if (exact.get(m.text)) hits++;
}
const cpuMap = process.cpuUsage(cpu2);
const mapRate = (5 * mentions.length) / ((cpuMap.user + cpuMap.system) / 1e6);

const rss = process.resourceUsage().maxRSS / 1024;
const fmt = (x: number) => Math.round(x).toLocaleString("en");
process.stdout.write(
  [
    `gazetteer: ${fmt(gazetteer.size)} places`,
    `load: ${fmt(loadMs)} ms wall, ${fmt((loadCpu.user + loadCpu.system) / 1000)} ms CPU (target < 1000 ms)`,
    `resolve: ${fmt(mentions.length)} mentions in ${fmt(resolveCpuMs)} ms of CPU = ${fmt(rate)} mentions/s on one core (target ≥ 50,000); wall ${fmt(resolveMs)} ms = ${fmt(wallRate)}/s`,
    `baseline Map lookup of exact names: ${fmt(mapRate)} lookups/s (${fmt(hits / 5)} hits); resolver/baseline = ${(rate / mapRate).toFixed(4)} (1 in ${fmt(mapRate / rate)})`,
    `peak memory (maxRSS): ${fmt(rss)} MB (RSS after load ${fmt(loadMemory)} MB)`,
    "by kind (matched; right province where the source is known):",
    ...[...byKind].map(
      ([kind, k]) =>
        `  ${kind.padEnd(13)} ${fmt(k.n).padStart(7)}  matched ${((100 * k.matched) / k.n).toFixed(1)} %` +
        (k.known === 0
          ? ""
          : `  right province ${((100 * k.provinceRight) / k.known).toFixed(1)} % of ${fmt(k.known)}`),
    ),
    "",
  ].join("\n"),
);
