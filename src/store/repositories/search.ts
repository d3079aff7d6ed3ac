/**
 * Full-text search conditions on incidents (see migration 0006_search). The reader's text is split into words
 * of letters and digits, so no search syntax of either engine reaches SQL; every word must match, as a prefix.
 */
import { type RawBuilder, sql } from "kysely";
import type { Dialect } from "../dialect.js";

const MAX_WORDS = 8;

/** The words of a search, lower-cased; punctuation and operators are dropped. */
export function searchWords(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
}

/** A condition on `incidents` (unaliased) that holds for the rows matching every word; null for no words. */
export function matchIncidents(dialect: Dialect, q: string): RawBuilder<boolean> | null {
  const words = searchWords(q);
  if (words.length === 0) return null;
  if (dialect === "postgres") {
    const query = words.map((w) => `${w}:*`).join(" & ");
    return sql<boolean>`to_tsvector('simple',
      coalesce(incidents.description, '') || ' ' || coalesce(incidents.place_name, '') || ' ' || coalesce(incidents.province, ''))
      @@ to_tsquery('simple', ${query})`;
  }
  const query = words.map((w) => `"${w}"*`).join(" ");
  return sql<boolean>`incidents.id in (select rowid from incidents_fts where incidents_fts match ${query})`;
}
