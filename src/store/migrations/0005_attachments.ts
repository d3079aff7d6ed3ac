/**
 * Evidence attachments. The bytes live in a content-addressed directory (services/attachments.ts); this table
 * records what was stored, the SHA-256 of the original as received (before metadata was stripped), and, when
 * originals are sealed, where the encrypted original is.
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

export function attachments(dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(dialect, db.schema.createTable("attachments"))
        .addColumn("sha256", "text", (c) => c.notNull().unique())
        .addColumn("original_sha256", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("bytes", "integer", (c) => c.notNull())
        // The encrypted original's file name in the media directory, when originals are sealed.
        .addColumn("sealed_original", "text")
        .addColumn("uploaded_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
    },
  };
}
