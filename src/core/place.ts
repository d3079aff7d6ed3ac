/** Places as the gazetteer and the ledger share them. Pure types: no I/O here. */
import type { PlaceLevel, PlacePrecision } from "./vocabulary.js";

export interface Place {
  /** The GeoNames id where the data has one; local additions and derived divisions use a prefixed id. */
  id: string;
  name: string;
  /** Alternate names: romanisation variants and other scripts (Persian where GeoNames has it). */
  alternateNames: readonly string[];
  level: PlaceLevel;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** English name of the first-order division; for a province, itself; for a country, null. */
  province: string | null;
  /** Id of the province place this place lies in (null for countries and provinces). */
  provinceId: string | null;
  lat: number;
  lon: number;
  population: number | null;
}

export interface PlaceMatch {
  id: string;
  name: string;
  level: PlaceLevel;
  province: string | null;
  country: string;
  lat: number;
  lon: number;
  population: number | null;
  precision: PlacePrecision;
  /** 0..1; higher is better. */
  score: number;
  /** True when the place is not in the gazetteer and was placed near its qualifier: a reviewer should add it. */
  flagged?: boolean;
}

export interface Resolution {
  mention: string;
  match: PlaceMatch | null;
  /** Ranked alternatives (the match, if any, is first). */
  candidates: PlaceMatch[];
}

export interface ResolveOptions {
  /** ISO 3166-1 alpha-2 code of the country the mention is expected in. */
  country?: string;
  /** Other mentions around this one, e.g. the rest of a comma-separated list, used to break ties. */
  context?: readonly string[];
}
