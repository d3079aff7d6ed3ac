/**
 * The ledger's first schema. One set of migrations serves both backends: the only dialect difference is
 * how an auto-incrementing key is declared, which `idColumn` hides.
 */
import { type CreateTableBuilder, type Kysely, sql } from "kysely";
import { METRICS } from "../../core/vocabulary.js";
import type { Dialect } from "../dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

function idColumn<T extends string>(dialect: Dialect, t: CreateTableBuilder<T, never>) {
  return dialect === "postgres"
    ? t.addColumn("id", "serial", (c) => c.primaryKey())
    : t.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

export function ledger(dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(dialect, db.schema.createTable("sources"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("name_key", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await idColumn(dialect, db.schema.createTable("documents"))
        .addColumn("source_id", "integer", (c) => c.references("sources.id"))
        .addColumn("origin", "text")
        .addColumn("published", "text")
        .addColumn("sha256", "text", (c) => c.notNull().unique())
        .addColumn("title", "text")
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      let incidents = idColumn(dialect, db.schema.createTable("incidents"))
        .addColumn("source_id", "integer", (c) => c.references("sources.id"))
        .addColumn("external_id", "text")
        .addColumn("row_key", "text", (c) => c.notNull().unique())
        .addColumn("row_hash", "text", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("date", "text", (c) => c.notNull())
        .addColumn("date_end", "text")
        .addColumn("date_precision", "text", (c) => c.notNull())
        .addColumn("week", "text", (c) => c.notNull())
        .addColumn("month", "text", (c) => c.notNull())
        .addColumn("place_id", "text")
        .addColumn("place_name", "text")
        .addColumn("place_level", "text")
        .addColumn("geo_precision", "text")
        .addColumn("province_id", "text")
        .addColumn("province", "text")
        .addColumn("country", "text")
        .addColumn("lat", "double precision")
        .addColumn("lon", "double precision");
      for (const m of METRICS) {
        incidents = incidents.addColumn(`${m}_low`, "integer").addColumn(`${m}_high`, "integer");
      }
      await incidents
        .addColumn("description", "text")
        .addColumn("url", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("grade", "text")
        .addColumn("attributes", "text")
        .addColumn("merged_into", "integer", (c) => c.references("incidents.id"))
        .addColumn("submitted_by", "integer")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      // Tallies read the cells of migration 0002; these serve what still reads incidents: date ranges,
      // one place's incidents (comparisons, duplicate suggestions) and merged duplicates. Each index costs
      // every insert, so there are no more than these.
      await db.schema.createIndex("incidents_date").on("incidents").columns(["date"]).execute();
      await db.schema.createIndex("incidents_place").on("incidents").columns(["place_id", "date"]).execute();
      // Partial: only merged incidents are ever looked up by it, and a full index would tempt the planner
      // into reading the whole table through it for `merged_into is null`.
      await db.schema
        .createIndex("incidents_merged")
        .on("incidents")
        .columns(["merged_into"])
        .where(sql.ref("merged_into"), "is not", null)
        .execute();

      await db.schema
        .createTable("incident_documents")
        .addColumn("incident_id", "integer", (c) => c.notNull().references("incidents.id"))
        .addColumn("document_id", "integer", (c) => c.notNull().references("documents.id"))
        .addColumn("span_start", "integer")
        .addColumn("span_end", "integer")
        .addPrimaryKeyConstraint("incident_documents_pk", ["incident_id", "document_id"])
        .execute();

      await idColumn(dialect, db.schema.createTable("claims"))
        .addColumn("source_id", "integer", (c) => c.notNull().references("sources.id"))
        .addColumn("row_key", "text", (c) => c.notNull().unique())
        .addColumn("row_hash", "text", (c) => c.notNull())
        .addColumn("metric", "text", (c) => c.notNull())
        .addColumn("low", "bigint", (c) => c.notNull())
        .addColumn("high", "bigint")
        .addColumn("qualifier", "text", (c) => c.notNull())
        .addColumn("as_of", "text")
        .addColumn("period_from", "text")
        .addColumn("period_to", "text")
        .addColumn("place_id", "text")
        .addColumn("place_name", "text")
        .addColumn("place_level", "text")
        .addColumn("province_id", "text")
        .addColumn("province", "text")
        .addColumn("country", "text")
        .addColumn("context", "text")
        .addColumn("document_id", "integer", (c) => c.references("documents.id"))
        .addColumn("span_start", "integer")
        .addColumn("span_end", "integer")
        .addColumn("url", "text")
        .addColumn("quote", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("claims_metric").on("claims").columns(["metric", "as_of"]).execute();

      await idColumn(dialect, db.schema.createTable("history"))
        .addColumn("entity", "text", (c) => c.notNull())
        .addColumn("entity_id", "integer", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("note", "text")
        .addColumn("before", "text")
        .addColumn("after", "text")
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("history_entity").on("history").columns(["entity", "entity_id"]).execute();

      await idColumn(dialect, db.schema.createTable("tokens"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();

      await db.schema
        .createTable("local_places")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("alternate_names", "text", (c) => c.notNull())
        .addColumn("level", "text", (c) => c.notNull())
        .addColumn("country", "text", (c) => c.notNull())
        .addColumn("province", "text")
        .addColumn("province_id", "text")
        .addColumn("lat", "double precision", (c) => c.notNull())
        .addColumn("lon", "double precision", (c) => c.notNull())
        .addColumn("population", "integer")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("place_aliases")
        .addColumn("alias", "text", (c) => c.primaryKey())
        .addColumn("place_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("meta")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  };
}
