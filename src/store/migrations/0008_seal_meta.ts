/**
 * The ledger's settings and its synthetic-data mark join the audit chain (issue 7): a ledger's existing
 * settings are sealed under one entry, as migration 0004 sealed the rows of its day. The data version is
 * bookkeeping that every write bumps, and stays out.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../dialect.js";
import { appendAudit, SEALED_TABLES, sealRows } from "../repositories/audit.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

export function sealMeta(_dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      const skip = SEALED_TABLES.meta?.skip?.values ?? [];
      const rows = (await db
        .selectFrom("meta")
        .selectAll()
        .where("key", "not in", [...skip])
        .orderBy("key")
        .execute()) as Record<string, unknown>[];
      if (rows.length === 0) return;
      await sealRows(db, "meta", rows);
      await appendAudit(db, {
        actor: "system",
        action: "audit.seal-settings",
        target: "meta",
        at: new Date().toISOString(),
      });
    },
  };
}
