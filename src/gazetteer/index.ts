/**
 * The gazetteer: GeoNames-derived places of every country, built at install time into data/ (see
 * scripts/build-gazetteer.mjs), plus the project's local places; and the resolver of place mentions.
 */
import type { Resolution, ResolveOptions } from "../core/place.js";
import { defaultDataFile, readGazetteerData } from "./data.js";
import { GazetteerImpl } from "./gazetteer.js";
import type { Gazetteer, LocalPlaces } from "./types.js";

export type { Gazetteer, LocalPlaces, NearestOptions, SearchOptions } from "./types.js";

const loaded = new Map<string, Gazetteer>();

/**
 * Loads the built gazetteer (synchronously; once per data file, then cached). With `local`, returns a view
 * that checks those places and aliases before GeoNames; the cached data is shared.
 */
export function loadGazetteer(options: { dataFile?: string; local?: LocalPlaces } = {}): Gazetteer {
  const file = options.dataFile ?? defaultDataFile();
  let g = loaded.get(file);
  if (!g) {
    g = new GazetteerImpl(readGazetteerData(file));
    loaded.set(file, g);
  }
  return options.local ? g.withLocal(options.local) : g;
}

/** Resolves one mention against the default gazetteer. */
export function resolvePlace(mention: string, options: ResolveOptions = {}): Resolution {
  return loadGazetteer().resolve(mention, options);
}
