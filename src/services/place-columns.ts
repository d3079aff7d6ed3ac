/**
 * Turns a row's free-text place (or its coordinates) into the denormalised place columns that tallies group on.
 * Resolution goes through the gazetteer once per distinct (place, country) in an import: files repeat places.
 */
import type { PlaceMatch } from "../core/place.js";
import type { PlaceLevel } from "../core/vocabulary.js";
import type { Gazetteer } from "../gazetteer/index.js";

export interface PlaceColumns {
  place_id: string | null;
  place_name: string | null;
  place_level: PlaceLevel | null;
  geo_precision: string | null;
  province_id: string | null;
  province: string | null;
  country: string | null;
  lat: number | null;
  lon: number | null;
}

export interface PlaceInput {
  place?: string | undefined;
  country?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
}

export type PlaceOutcome =
  | { ok: true; columns: PlaceColumns; unresolved: boolean }
  | { ok: false; message: string };

export class PlaceResolver {
  private readonly cache = new Map<string, PlaceOutcome>();
  private readonly provinceIds = new Map<string, Map<string, string>>();

  constructor(
    private readonly gazetteer: Gazetteer,
    private readonly allowUnresolved: boolean,
  ) {}

  columns(input: PlaceInput): PlaceOutcome {
    if (input.place === undefined && input.lat !== undefined && input.lon !== undefined) {
      return this.fromCoordinates(input.lat, input.lon, input.country);
    }
    const key = `${input.country ?? ""}|${input.place ?? ""}`;
    let outcome = this.cache.get(key);
    if (!outcome) {
      outcome = this.resolve(input.place, input.country);
      // The cache only speeds up repeated names; a file of a million distinct names must not grow it forever.
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(key, outcome);
    }
    if (outcome.ok && input.lat !== undefined && input.lon !== undefined) {
      // Coordinates given with a name are the reporter's own, finer than the gazetteer's point.
      return { ...outcome, columns: { ...outcome.columns, lat: input.lat, lon: input.lon } };
    }
    return outcome;
  }

  private resolve(place: string | undefined, country: string | undefined): PlaceOutcome {
    if (place === undefined) {
      // Only a country: counted at country level.
      return { ok: true, unresolved: false, columns: countryColumns(country ?? null, null) };
    }
    const resolution = this.gazetteer.resolve(place, country ? { country } : {});
    const match = resolution.match;
    if (match) return { ok: true, unresolved: false, columns: this.fromMatch(match, place) };
    if (this.allowUnresolved) {
      return { ok: true, unresolved: true, columns: countryColumns(country ?? null, place) };
    }
    const near = resolution.candidates
      .slice(0, 3)
      .map((c) => `${c.name} (${c.province ?? c.country})`)
      .join(", ");
    return {
      ok: false,
      message: `cannot resolve ${JSON.stringify(place)}${near ? `; nearest: ${near}` : ""}`,
    };
  }

  private fromMatch(match: PlaceMatch, mention: string): PlaceColumns {
    const isProvince = match.level === "province";
    return {
      place_id: match.id,
      place_name: match.flagged ? mention.replace(/\s*\(.*\)\s*$/, "") : match.name,
      place_level: match.level,
      geo_precision: match.precision,
      province_id: isProvince ? match.id : this.provinceId(match.country, match.province),
      province: match.province,
      country: match.country,
      lat: match.lat,
      lon: match.lon,
    };
  }

  private fromCoordinates(lat: number, lon: number, country: string | undefined): PlaceOutcome {
    const near = this.gazetteer.nearest(lat, lon, country ? { country } : {});
    if (!near) {
      return { ok: true, unresolved: true, columns: { ...countryColumns(country ?? null, null), lat, lon } };
    }
    const columns = this.fromMatch({ ...near, precision: "near", score: 1 }, near.name);
    return { ok: true, unresolved: false, columns: { ...columns, lat, lon } };
  }

  private provinceId(country: string, province: string | null): string | null {
    if (!province) return null;
    let byName = this.provinceIds.get(country);
    if (!byName) {
      byName = new Map(this.gazetteer.provinces(country).map((p) => [p.name, p.id]));
      this.provinceIds.set(country, byName);
    }
    return byName.get(province) ?? null;
  }
}

function countryColumns(country: string | null, placeName: string | null): PlaceColumns {
  return {
    place_id: null,
    place_name: placeName,
    place_level: null,
    geo_precision: null,
    province_id: null,
    province: null,
    country,
    lat: null,
    lon: null,
  };
}
