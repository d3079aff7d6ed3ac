/**
 * Drops the index of row seals by table and row. No query reads seals that way: verifying walks them in
 * change order (the primary key), and finds each row's latest seal in that one pass. The index only cost
 * every write a second B-tree insert per sealed row, about as much as sealing itself on a large import.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

export function sealRowIndex(_dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.dropIndex("audit_seals_row").ifExists().execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.createIndex("audit_seals_row").on("audit_seals").columns(["tbl", "row_id"]).execute();
    },
  };
}
