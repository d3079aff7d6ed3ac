import type { Place, Resolution, ResolveOptions } from "../core/place.js";
import type { PlaceLevel } from "../core/vocabulary.js";

/**
 * Places and spellings added by the project's reviewers (kept in the ledger's database): places GeoNames
 * lacks, and aliases of known places. The resolver checks them before GeoNames.
 */
export interface LocalPlaces {
  places: Place[];
  aliases: { alias: string; placeId: string }[];
}

export interface SearchOptions {
  country?: string;
  limit?: number;
}

export interface NearestOptions {
  country?: string;
  /** Levels to consider; cities and localities by default. */
  levels?: readonly PlaceLevel[];
}

export interface Gazetteer {
  resolve(mention: string, options?: ResolveOptions): Resolution;
  get(id: string): Place | undefined;
  /** Autocomplete: places whose name or alternate name starts with the prefix, larger places first. */
  search(prefix: string, options?: SearchOptions): Place[];
  provinces(country: string): Place[];
  /** Every place of a country (GeoNames and local). */
  places(country: string): Place[];
  /** The place nearest to a point, e.g. to name where a report with only coordinates comes from. */
  nearest(lat: number, lon: number, options?: NearestOptions): Place | undefined;
  /** The same GeoNames data with these local additions checked first (replacing any earlier ones). */
  withLocal(local: LocalPlaces): Gazetteer;
  size: number;
}
