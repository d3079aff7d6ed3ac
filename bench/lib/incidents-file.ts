/**
 * Writes a large SYNTHETIC incidents CSV for the benchmarks: real Iranian place names (so that every row goes
 * through the resolver), invented dates and counts.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { csvLine } from "../../src/core/csv.js";
import { seededRandom } from "../../src/core/random.js";
import { loadGazetteer } from "../../src/gazetteer/index.js";

export const BENCH_HEADER = [
  "external_id",
  "date",
  "place",
  "country",
  "type",
  "killed",
  "injured",
  "arrested",
  "source",
  "source_kind",
  "description",
];
const TYPES = ["protest", "violence_against_civilians", "arrests", "property_attack", "campaign"];

export interface BenchRow {
  external_id: string;
  date: string;
  place: string;
  country: string;
  type: string;
  killed: string;
  injured: string;
  arrested: string;
  source: string;
  source_kind: string;
  description: string;
}

export function* benchRows(n: number, seed = 42): Generator<BenchRow> {
  const places = loadGazetteer()
    .places("IR")
    .filter((p) => p.level === "city" && p.province)
    .slice(0, 2000)
    .map((p) => `${p.name} (${p.province})`);
  const rand = seededRandom(seed);
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rand() * 4);
    yield {
      external_id: `b${i}`,
      date: new Date(start + Math.floor(rand() * 365) * 86_400_000).toISOString().slice(0, 10),
      place: places[Math.floor(rand() * places.length)] as string,
      country: "IR",
      type: TYPES[Math.floor(rand() * TYPES.length)] as string,
      killed: rand() < 0.3 ? `${k}-${k + 2}` : String(k),
      injured: String(Math.floor(rand() * 10)),
      arrested: String(Math.floor(rand() * 30)),
      source: `Bench source ${Math.floor(rand() * 5)} (synthetic)`,
      source_kind: "network",
      description: "synthetic benchmark row",
    };
  }
}

export async function writeBenchCsv(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(csvLine(BENCH_HEADER));
  let buf = "";
  for (const row of benchRows(n)) {
    buf += csvLine(BENCH_HEADER.map((h) => row[h as keyof BenchRow]));
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
}
