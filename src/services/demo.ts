/**
 * The demo ledger: a SYNTHETIC dataset for trying Tally out. Every incident, count and claim is invented by a
 * seeded generator; only the place names are real (they come from the gazetteer). The data says so itself:
 * sources are named "(synthetic)", descriptions begin with "SYNTHETIC", and the ledger's meta marks it.
 */

import { addDays } from "../core/dates.js";
import type { Place } from "../core/place.js";
import { seededRandom } from "../core/random.js";
import { appendAudit } from "../store/repositories/audit.js";
import { setMeta } from "../store/repositories/meta.js";
import { importClaims } from "./import/claims.js";
import { importIncidents } from "./import/incidents.js";
import type { ImportReport } from "./import/run.js";
import { type Ledger, timestamp } from "./ledger.js";

export interface DemoOptions {
  incidents?: number;
  days?: number;
  start?: string;
  seed?: number;
  onProgress?: (rows: number) => void;
}

export interface DemoReport {
  incidents: ImportReport;
  claims: ImportReport;
  cities: number;
  provinces: number;
}

const SOURCES = [
  { name: "Field network (synthetic)", kind: "network" },
  { name: "Regional media (synthetic)", kind: "media" },
  { name: "Rights monitor (synthetic)", kind: "ngo" },
  { name: "Wire service (synthetic)", kind: "wire" },
] as const;

const TYPES = [
  ["protest", 0.34],
  ["violence_against_civilians", 0.2],
  ["arrests", 0.2],
  ["property_attack", 0.08],
  ["campaign", 0.08],
  ["strike", 0.05],
  ["riot", 0.03],
  ["execution", 0.02],
] as const;

/** Picks demo cities: every province's largest places first, then others, so all provinces are present. */
export function demoCities(ledger: Ledger, country: string, count: number): Place[] {
  const byProvince = new Map<string, Place[]>();
  for (const p of ledger.gazetteer.places(country)) {
    if (p.level !== "city" || !p.province) continue;
    const list = byProvince.get(p.province) ?? [];
    list.push(p);
    byProvince.set(p.province, list);
  }
  for (const list of byProvince.values()) list.sort((a, b) => (b.population ?? 0) - (a.population ?? 0));
  const picked: Place[] = [];
  for (let round = 0; picked.length < count; round++) {
    let added = false;
    for (const list of byProvince.values()) {
      const p = list[round];
      if (p && picked.length < count) {
        picked.push(p);
        added = true;
      }
    }
    if (!added) break;
  }
  return picked;
}

export async function buildDemo(ledger: Ledger, options: DemoOptions = {}): Promise<DemoReport> {
  const rand = seededRandom(options.seed ?? 20_211_115);
  const n = options.incidents ?? 6000;
  const days = options.days ?? 150;
  const start = options.start ?? "2025-09-15";
  const cities = demoCities(ledger, "IR", 340);
  // Larger places report more: weight by the square root of population (unknown counts as small).
  const weights = cities.map((c) => Math.sqrt(Math.max(c.population ?? 20_000, 5_000)));
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += w;
    cumulative.push(acc);
  }
  const totalWeight = cumulative[cumulative.length - 1] ?? 1;
  const pickCity = () => {
    const x = rand() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return cities[lo] as Place;
  };
  const pickType = () => {
    let x = rand();
    for (const [type, p] of TYPES) {
      x -= p;
      if (x <= 0) return type;
    }
    return "protest";
  };

  async function* incidentRecords() {
    for (let i = 0; i < n; i++) {
      // Every city appears at least once; the rest follow the weights. Activity peaks in the first weeks.
      const city = i < cities.length ? (cities[i] as Place) : pickCity();
      const day = Math.min(days - 1, Math.floor(days * rand() ** 1.6));
      const type = pickType();
      const source = SOURCES[Math.floor(rand() * SOURCES.length)] as (typeof SOURCES)[number];
      const r: Record<string, unknown> = {
        external_id: `demo-${i + 1}`,
        date: addDays(start, day),
        place: `${city.name} (${city.province})`,
        country: "IR",
        type,
        source: source.name,
        source_kind: source.kind,
        description: `SYNTHETIC demo incident: ${type.replaceAll("_", " ")} in ${city.name}.`,
        status:
          rand() < 0.75 ? "verified" : rand() < 0.7 ? "submitted" : rand() < 0.8 ? "disputed" : "rejected",
        grade: ["confirmed", "fair", "fair", "weak", "weak", "contested"][Math.floor(rand() * 6)],
      };
      if (type === "protest" || type === "riot" || type === "strike") {
        const size = Math.floor(50 + rand() * 2000);
        r.participants = `${size}-${Math.floor(size * 1.5)}`;
      }
      if (type === "violence_against_civilians" || (type === "protest" && rand() < 0.25) || type === "riot") {
        const k = Math.floor(rand() * 6);
        r.killed = rand() < 0.4 ? `${k}-${k + 1 + Math.floor(rand() * 3)}` : String(k);
        r.injured = String(Math.floor(rand() * 15));
      }
      if (type === "arrests" || (type === "protest" && rand() < 0.4)) {
        const a = Math.floor(1 + rand() * 40);
        r.arrested = rand() < 0.3 ? `${a}-${a + Math.floor(rand() * 20)}` : String(a);
      }
      if (type === "execution") r.executed = String(1 + Math.floor(rand() * 2));
      yield { line: i + 1, record: r };
    }
  }

  const incidents = await importIncidents(ledger, incidentRecords(), {
    file: "demo",
    actor: "demo",
    allowUnresolved: true,
    onProgress: options.onProgress,
  });

  // Claims: an official figure that grows slowly and stays low, a rights group close to the documented count,
  // and a wire service that reports round figures now and then. All invented.
  async function* claimRecords() {
    let line = 0;
    let documented = 0;
    for (let week = 1; week * 7 <= days; week++) {
      const asOf = addDays(start, week * 7);
      documented = Math.round(documented + (n / 10) * (1 / week) * (0.6 + rand() * 0.3));
      const official = Math.round(documented * (0.12 + rand() * 0.05));
      const claims = [
        ["Interior ministry (synthetic)", "official", "killed", official, "", "exact"],
        [
          "Rights monitor (synthetic)",
          "ngo",
          "killed",
          Math.round(documented * (0.9 + rand() * 0.2)),
          "",
          "at_least",
        ],
        ["Interior ministry (synthetic)", "official", "arrested", Math.round(500 + week * 80), "", "about"],
        [
          "Rights monitor (synthetic)",
          "ngo",
          "arrested",
          Math.round(2000 + week * 700 * (0.9 + rand() * 0.2)),
          "",
          "over",
        ],
      ];
      if (week % 3 === 0) {
        const round = Math.round(documented / 100) * 100;
        claims.push(["Wire service (synthetic)", "wire", "killed", round, String(round + 200), "range"]);
      }
      for (const [source, kind, metric, low, high, qualifier] of claims) {
        yield {
          line: ++line,
          record: {
            source,
            source_kind: kind,
            metric,
            low,
            high,
            qualifier,
            as_of: asOf,
            period_from: start,
            place: "Iran",
            country: "IR",
            context: "Synthetic demo protests",
            quote: "SYNTHETIC demo claim",
            status: "verified",
          },
        };
      }
    }
  }
  const claims = await importClaims(ledger, claimRecords(), { file: "demo-claims", actor: "demo" });
  await ledger.store.db.transaction().execute(async (trx) => {
    await setMeta(trx, "synthetic", "true");
    await appendAudit(trx, {
      actor: "demo",
      action: "setting",
      target: "setting:synthetic",
      at: timestamp(ledger),
      note: "true",
    });
  });
  return { incidents, claims, cities: cities.length, provinces: new Set(cities.map((c) => c.province)).size };
}
