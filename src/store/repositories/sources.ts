import type { SourceKind } from "../../core/vocabulary.js";
import type { SourceRow } from "../schema.js";
import { sealWhere } from "./audit.js";
import type { Executor } from "./rows.js";

/** Sources are found again by their name, whatever its case and spacing. */
export function sourceKey(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * The id of the named source, created on first mention. A later mention with another kind does not change
 * the stored kind: a source's kind is set once, by whoever knows it, and edited explicitly.
 */
export async function ensureSource(
  db: Executor,
  name: string,
  kind: SourceKind,
  now: string,
): Promise<number> {
  const key = sourceKey(name);
  const found = await db.selectFrom("sources").select("id").where("name_key", "=", key).executeTakeFirst();
  if (found) return found.id;
  const res = await db
    .insertInto("sources")
    .values({ name: name.trim(), name_key: key, kind, created_at: now })
    .onConflict((oc) => oc.column("name_key").doNothing())
    .executeTakeFirst();
  const row = await db
    .selectFrom("sources")
    .select("id")
    .where("name_key", "=", key)
    .executeTakeFirstOrThrow();
  // The caller's audit entry covers the new source (repositories/audit.ts).
  if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) await sealWhere(db, "sources", "id", [row.id]);
  return row.id;
}

export async function listSources(db: Executor): Promise<SourceRow[]> {
  return db.selectFrom("sources").selectAll().orderBy("name").execute();
}

export async function getSource(db: Executor, id: number): Promise<SourceRow | undefined> {
  return db.selectFrom("sources").selectAll().where("id", "=", id).executeTakeFirst();
}
