/**
 * Named-victim lists, and the latest record linkage across them (issue 8). A record is known by its list and
 * its id in that list, so importing a list again changes nothing. Links are recomputed as a whole by
 * `tally lists link`; the uncertain pairs of the latest run wait for the review desk.
 */
import type { CreateTableBuilder, Kysely } from "kysely";
import type { Dialect } from "../dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

function idColumn<T extends string>(dialect: Dialect, t: CreateTableBuilder<T, never>) {
  return dialect === "postgres"
    ? t.addColumn("id", "serial", (c) => c.primaryKey())
    : t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

export function victimLists(dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(dialect, db.schema.createTable("victim_records"))
        .addColumn("list", "text", (c) => c.notNull())
        .addColumn("list_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("name_fa", "text")
        .addColumn("age", "integer")
        .addColumn("sex", "text")
        .addColumn("date", "text")
        .addColumn("place", "text")
        .addColumn("notes", "text")
        .addColumn("extra", "text")
        .addColumn("row_hash", "text", (c) => c.notNull())
        .addColumn("entity", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addUniqueConstraint("victim_records_identity", ["list", "list_id"])
        .execute();
      await idColumn(dialect, db.schema.createTable("linkage_runs"))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("records", "integer", (c) => c.notNull())
        .addColumn("entities", "integer", (c) => c.notNull())
        .addColumn("pairs_reviewed", "integer", (c) => c.notNull())
        .addColumn("model", "text", (c) => c.notNull())
        .addColumn("review", "text", (c) => c.notNull())
        .execute();
    },
  };
}
