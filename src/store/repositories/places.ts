import type { Place } from "../../core/place.js";
import type { PlaceLevel } from "../../core/vocabulary.js";
import type { LocalPlaces } from "../../gazetteer/index.js";
import { sealWhere } from "./audit.js";
import type { Executor } from "./rows.js";

/** The places and spellings that the ledger's users added to what GeoNames knows. */
export async function loadLocalPlaces(db: Executor): Promise<LocalPlaces> {
  const places = await db.selectFrom("local_places").selectAll().orderBy("id").execute();
  const aliases = await db.selectFrom("place_aliases").selectAll().orderBy("alias").execute();
  return {
    places: places.map(
      (p): Place => ({
        id: p.id,
        name: p.name,
        alternateNames: JSON.parse(p.alternate_names) as string[],
        level: p.level as PlaceLevel,
        country: p.country,
        province: p.province,
        provinceId: p.province_id,
        lat: p.lat,
        lon: p.lon,
        population: p.population,
      }),
    ),
    aliases: aliases.map((a) => ({ alias: a.alias, placeId: a.place_id })),
  };
}

export async function insertLocalPlace(db: Executor, place: Place, now: string): Promise<void> {
  await db
    .insertInto("local_places")
    .values({
      id: place.id,
      name: place.name,
      alternate_names: JSON.stringify(place.alternateNames),
      level: place.level,
      country: place.country,
      province: place.province,
      province_id: place.provinceId,
      lat: place.lat,
      lon: place.lon,
      population: place.population,
      created_at: now,
    })
    .execute();
  await sealWhere(db, "local_places", "id", [place.id]);
}

export async function upsertAlias(db: Executor, alias: string, placeId: string, now: string): Promise<void> {
  await db
    .insertInto("place_aliases")
    .values({ alias, place_id: placeId, created_at: now })
    .onConflict((oc) => oc.column("alias").doUpdateSet({ place_id: placeId }))
    .execute();
  await sealWhere(db, "place_aliases", "alias", [alias]);
}
