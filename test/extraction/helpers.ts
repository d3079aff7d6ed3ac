/**
 * A small in-memory resolver for unit tests (synthetic: a handful of real place names with rounded figures), so
 * the extraction's own rules are tested without the built gazetteer.
 */
import type { PlaceMatch, Resolution, ResolveOptions } from "../../src/core/place.js";
import type { PlaceResolver } from "../../src/extraction/types.js";

const PLACES: ReadonlyArray<Omit<PlaceMatch, "precision" | "score">> = [
  {
    id: "t1",
    name: "Tehran",
    level: "city",
    province: "Tehran",
    country: "IR",
    lat: 35.7,
    lon: 51.4,
    population: 7_000_000,
  },
  {
    id: "t2",
    name: "Tehran",
    level: "province",
    province: "Tehran",
    country: "IR",
    lat: 35.6,
    lon: 51.5,
    population: null,
  },
  {
    id: "s1",
    name: "Shiraz",
    level: "city",
    province: "Fars",
    country: "IR",
    lat: 29.6,
    lon: 52.5,
    population: 1_500_000,
  },
  {
    id: "i1",
    name: "Isfahan",
    level: "city",
    province: "Isfahan",
    country: "IR",
    lat: 32.7,
    lon: 51.7,
    population: 1_600_000,
  },
  {
    id: "d1",
    name: "Dezful",
    level: "city",
    province: "Khuzestan",
    country: "IR",
    lat: 32.4,
    lon: 48.4,
    population: 260_000,
  },
  {
    id: "z1",
    name: "Izeh",
    level: "city",
    province: "Khuzestan",
    country: "IR",
    lat: 31.8,
    lon: 49.9,
    population: 120_000,
  },
  {
    id: "k1",
    name: "Khuzestan",
    level: "province",
    province: "Khuzestan",
    country: "IR",
    lat: 31.3,
    lon: 48.7,
    population: null,
  },
  {
    id: "g1",
    name: "Gilan",
    level: "province",
    province: "Gilan",
    country: "IR",
    lat: 37.3,
    lon: 49.6,
    population: null,
  },
  {
    id: "m1",
    name: "Mahshahr",
    level: "city",
    province: "Khuzestan",
    country: "IR",
    lat: 30.6,
    lon: 49.2,
    population: 160_000,
  },
  {
    id: "sb",
    name: "Sarbandar",
    level: "locality",
    province: "Khuzestan",
    country: "IR",
    lat: 30.5,
    lon: 49.2,
    population: null,
  },
  {
    id: "tb",
    name: "Tabriz",
    level: "city",
    province: "East Azerbaijan",
    country: "IR",
    lat: 38.1,
    lon: 46.3,
    population: 1_500_000,
  },
  {
    id: "zj",
    name: "Zanjan",
    level: "city",
    province: "Zanjan",
    country: "IR",
    lat: 36.7,
    lon: 48.5,
    population: 430_000,
  },
  {
    id: "kr",
    name: "Kerman",
    level: "city",
    province: "Kerman",
    country: "IR",
    lat: 30.3,
    lon: 57.1,
    population: 530_000,
  },
  {
    id: "ir",
    name: "Iran",
    level: "country",
    province: null,
    country: "IR",
    lat: 32,
    lon: 53,
    population: 85_000_000,
  },
];

function key(s: string): string {
  return s.toLowerCase().replace(/\s*\(.*\)$/, "");
}

export const fakeGazetteer: PlaceResolver & { calls: string[] } = {
  calls: [],
  resolve(mention: string, options: ResolveOptions): Resolution {
    this.calls.push(mention);
    const hits = PLACES.filter(
      (p) => key(p.name) === key(mention) && (!options.country || p.country === options.country),
    ).map((p) => ({ ...p, precision: "exact" as const, score: 1 }));
    return { mention, match: hits[0] ?? null, candidates: hits };
  },
};
