/**
 * The audit log: one hash-chained, append-only list of every change (`audit_entries`), the chain's head
 * (`audit_head`, one row whose lock serialises appends across server processes), and row seals (`audit_seals`):
 * the content hash of every ledger row as the application last wrote it, grouped by the change that wrote it.
 * The entry of a change carries a digest of its seals, so the chain covers every row's current content.
 *
 * Rows that exist when this migration runs are sealed by a genesis entry, so that an older ledger verifies.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../dialect.js";
import { GENESIS_PREV, sealGenesis } from "../repositories/audit.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

export function audit(_dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable("audit_entries")
        .addColumn("seq", "integer", (c) => c.primaryKey())
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target", "text", (c) => c.notNull())
        .addColumn("before_hash", "text")
        .addColumn("after_hash", "text")
        .addColumn("note", "text")
        .addColumn("changeset", "text", (c) => c.notNull().unique())
        .addColumn("rows", "integer", (c) => c.notNull())
        .addColumn("rows_digest", "text", (c) => c.notNull())
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("audit_head")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .execute();
      // `n` orders the seals within their change, which is the order the entry's digest reads them in.
      await db.schema
        .createTable("audit_seals")
        .addColumn("changeset", "text", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull())
        .addColumn("tbl", "text", (c) => c.notNull())
        .addColumn("row_id", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("audit_seals_pk", ["changeset", "n"])
        .execute();
      await db.schema.createIndex("audit_seals_row").on("audit_seals").columns(["tbl", "row_id"]).execute();
      await sql`insert into audit_head (id, seq, hash) values (1, 0, ${GENESIS_PREV})`.execute(db);
      await sealGenesis(db);
    },
  };
}
