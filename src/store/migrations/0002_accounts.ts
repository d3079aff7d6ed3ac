/**
 * People who sign in: users with argon2id password hashes and pseudonyms, and their sessions. Sessions live in
 * the database (not in a process's memory) so that several server processes behind a load balancer share them.
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

export function accounts(dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(dialect, db.schema.createTable("users"))
        // The sign-in name, lower-cased; never shown to anyone but admins.
        .addColumn("username", "text", (c) => c.notNull().unique())
        // What the ledger records as the actor of this user's changes.
        .addColumn("pseudonym", "text", (c) => c.notNull().unique())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("disabled_at", "text")
        // Failed sign-ins since the last success, and until when the account refuses attempts: a throttle
        // that holds across server processes, unlike the per-process rate limit on the route.
        .addColumn("failed_signins", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("locked_until", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("sessions")
        // SHA-256 of the cookie value: a copy of the database gives no working session.
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user").on("sessions").columns(["user_id"]).execute();
      await db.schema.createIndex("sessions_expires").on("sessions").columns(["expires_at"]).execute();
    },
  };
}
