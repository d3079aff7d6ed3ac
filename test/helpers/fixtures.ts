/**
 * Synthetic incident and claim rows for tests. Every figure here is invented; the place names are real
 * Iranian cities so that the gazetteer resolves them.
 */
import { Readable } from "node:stream";
import { csvLine } from "../../src/core/csv.js";
import { type ImportFormat, readRecords } from "../../src/services/import/read-records.js";

export const CITIES = [
  "Tehran",
  "Mashhad",
  "Isfahan",
  "Shiraz",
  "Tabriz",
  "Ahvaz",
  "Dezful",
  "Izeh (Khuzestan)",
  "Karaj",
  "Kermanshah",
  "Rasht",
  "Zahedan",
  "Sanandaj",
  "Khorramshahr",
  "Qaemshahr",
];

export const INCIDENT_HEADER = [
  "external_id",
  "date",
  "date_end",
  "place",
  "country",
  "type",
  "deaths",
  "killed",
  "injured",
  "arrested",
  "executed",
  "source",
  "source_kind",
  "url",
  "description",
];

export interface IncidentFixture {
  external_id?: string;
  date: string;
  date_end?: string;
  place: string;
  country?: string;
  type: string;
  killed?: string;
  injured?: string;
  arrested?: string;
  deaths?: string;
  executed?: string;
  source?: string;
  source_kind?: string;
  url?: string;
  description?: string;
}

export function incidentsCsv(rows: IncidentFixture[], header = INCIDENT_HEADER): string {
  return (
    csvLine(header) +
    rows
      .map((r) => csvLine(header.map((h) => (r as unknown as Record<string, string | undefined>)[h] ?? "")))
      .join("")
  );
}

/** A deterministic spread of synthetic incidents over the cities above. */
export function syntheticIncidents(n: number, seed = 1): IncidentFixture[] {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const out: IncidentFixture[] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + Math.floor(rand() * 28);
    const month = 1 + Math.floor(rand() * 3);
    const killed = Math.floor(rand() * 5);
    const spread = Math.floor(rand() * 3);
    out.push({
      external_id: `s${seed}-${i}`,
      date: `2021-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
      place: CITIES[Math.floor(rand() * CITIES.length)] as string,
      country: "IR",
      type: rand() < 0.5 ? "protest" : "violence_against_civilians",
      killed: spread ? `${killed}-${killed + spread}` : String(killed),
      arrested: String(Math.floor(rand() * 20)),
      source: rand() < 0.5 ? "Field network (synthetic)" : "Local media (synthetic)",
      source_kind: "network",
      description: "synthetic test incident",
    });
  }
  return out;
}

export function records(text: string, format: ImportFormat = "csv") {
  return readRecords(Readable.from([text]), format);
}
