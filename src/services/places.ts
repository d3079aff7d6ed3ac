/**
 * The ledger's own places: towns, villages and neighbourhoods GeoNames lacks, and spellings of known places.
 * They live in the ledger's database and the resolver checks them before GeoNames.
 */
import { z } from "zod";
import type { Place } from "../core/place.js";
import { normalisePlaceName } from "../core/placeName.js";
import { PlaceLevel } from "../core/vocabulary.js";
import { insertLocalPlace, upsertAlias } from "../store/repositories/places.js";
import { type Ledger, refreshLocalPlaces, timestamp } from "./ledger.js";

export const NewPlace = z
  .object({
    name: z.string().trim().min(1).max(200),
    /** A county, city or province that places it: "Karaj", "Gilan", "Mahshahr (Khuzestan)". */
    in: z.string().trim().min(1).max(300),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/)
      .transform((s) => s.toUpperCase())
      .optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    level: PlaceLevel.default("locality"),
    alternateNames: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  })
  .refine((p) => (p.lat === undefined) === (p.lon === undefined), {
    message: "lat and lon go together",
    path: ["lat"],
  });
export type NewPlace = z.input<typeof NewPlace>;

/** Thrown when a place or qualifier cannot be found; names the field. */
export class PlaceNotFound extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export async function addLocalPlace(ledger: Ledger, input: NewPlace): Promise<Place> {
  const p = NewPlace.parse(input);
  const parent = ledger.gazetteer.resolve(p.in, p.country ? { country: p.country } : {}).match;
  if (!parent)
    throw new PlaceNotFound("in", `cannot resolve ${JSON.stringify(p.in)} to place the new place in`);
  const province =
    parent.level === "province"
      ? { id: parent.id, name: parent.name }
      : provinceOf(ledger, parent.country, parent.province);
  const slug =
    normalisePlaceName(p.name)
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "place";
  const existing = new Set(
    (await ledger.store.db.selectFrom("local_places").select("id").execute()).map((r) => r.id),
  );
  let id = `local:${parent.country}:${slug}`;
  for (let n = 2; existing.has(id); n++) id = `local:${parent.country}:${slug}-${n}`;
  const place: Place = {
    id,
    name: p.name,
    alternateNames: p.alternateNames,
    level: p.level,
    country: parent.country,
    province: province?.name ?? null,
    provinceId: province?.id ?? null,
    // Without coordinates of its own, it sits at its qualifier's point, as ACLED codes "near a town".
    lat: p.lat ?? parent.lat,
    lon: p.lon ?? parent.lon,
    population: null,
  };
  await insertLocalPlace(ledger.store.db, place, timestamp(ledger));
  await refreshLocalPlaces(ledger);
  return place;
}

export async function addAlias(
  ledger: Ledger,
  alias: string,
  place: string,
  country?: string,
): Promise<Place> {
  const spelling = alias.trim();
  if (!spelling || spelling.length > 200) throw new PlaceNotFound("alias", "an alias is 1 to 200 characters");
  const target =
    ledger.gazetteer.get(place) ??
    (() => {
      const m = ledger.gazetteer.resolve(place, country ? { country } : {}).match;
      return m ? ledger.gazetteer.get(m.id) : undefined;
    })();
  if (!target) throw new PlaceNotFound("place", `cannot resolve ${JSON.stringify(place)}`);
  await upsertAlias(ledger.store.db, spelling, target.id, timestamp(ledger));
  await refreshLocalPlaces(ledger);
  return target;
}

function provinceOf(
  ledger: Ledger,
  country: string,
  name: string | null,
): { id: string; name: string } | null {
  if (!name) return null;
  const p = ledger.gazetteer.provinces(country).find((x) => x.name === name);
  return p ? { id: p.id, name: p.name } : null;
}
