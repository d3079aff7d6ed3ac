import { createHash } from "node:crypto";
/** Computing tallies: the one way in for the CLI, the API and the dashboard. */
import { cumulate, type Tally, type TallyPlace, type TallyQuery, type TallyRow } from "../core/tally.js";
import type { PlaceLevel } from "../core/vocabulary.js";
import { storeDataVersion } from "../store/repositories/meta.js";
import { type GroupedCell, groupedTally, totalTally } from "../store/repositories/tallies.js";
import type { Ledger } from "./ledger.js";
import { cachePerLedger } from "./read-cache.js";

export async function computeTally(ledger: Ledger, query: TallyQuery): Promise<Tally> {
  const filter = { ...query };
  const [cells, total] = await Promise.all([
    groupedTally(ledger.store.db, filter, query.by, query.period),
    totalTally(ledger.store.db, filter),
  ]);
  let rows = cells.map((c) => toRow(ledger, c, query.by));
  rows.sort(
    (a, b) =>
      (a.period ?? "").localeCompare(b.period ?? "") ||
      b.high - a.high ||
      (a.place.name ?? "").localeCompare(b.place.name ?? ""),
  );
  if (query.cumulative && query.period !== "total") rows = cumulate(rows);
  return { metric: query.metric, by: query.by, period: query.period, rows, total };
}

function toRow(ledger: Ledger, c: GroupedCell, by: TallyQuery["by"]): TallyRow {
  return {
    place: placeOf(ledger, c, by),
    period: c.period,
    low: c.low,
    high: c.high,
    incidents: c.incidents,
  };
}

/**
 * The place a tally row stands for. Rows with no finer place (unresolved, or only a country) stand for their
 * country, so that nothing documented drops out of a tally.
 */
function placeOf(ledger: Ledger, c: GroupedCell, by: TallyQuery["by"]): TallyPlace {
  if (by === "city" && c.place_id) {
    return {
      id: c.place_id,
      name: c.place_name,
      level: c.place_level as PlaceLevel,
      province: c.province,
      country: c.country,
    };
  }
  if (by !== "country" && c.province_id) {
    return {
      id: c.province_id,
      name: c.province,
      level: "province",
      province: c.province,
      country: c.country,
    };
  }
  const country = c.country ? ledger.gazetteer.get(`country:${c.country}`) : undefined;
  return {
    id: country?.id ?? null,
    name: country?.name ?? c.country,
    level: c.country ? "country" : null,
    province: null,
    country: c.country,
  };
}

export interface CachedTally {
  version: string;
  tally: Tally;
  /** The tally as JSON, serialised once per version. */
  json: string;
  /** A strong validator for HTTP: the data version and the query. */
  etag: string;
}
const cache = cachePerLedger<CachedTally>(500);

/**
 * A tally served from memory while the ledger's data version is unchanged: one primary-key read per request
 * instead of an aggregate. Each server process keeps its own cache; the version lives in the database, so a
 * write through any process invalidates every cache. Concurrent requests for the same tally share one
 * computation (see read-cache.ts).
 */
export async function cachedTally(ledger: Ledger, query: TallyQuery): Promise<CachedTally> {
  const version = await storeDataVersion(ledger.store);
  const key = JSON.stringify(query);
  return cache(ledger).get(key, version, async () => {
    const tally = await computeTally(ledger, query);
    const etag = `"${createHash("sha1").update(`${version}|${key}`).digest("base64url")}"`;
    return { version, tally, json: JSON.stringify(tally), etag };
  });
}
