/**
 * Publication becomes a column of its own (issue 13). Before, "published" was read off the status and
 * `submitted_by`, which only cookie sessions set: a reporter's submission sent with an API token read as
 * published, and the tally cells counted every submission whatever its review. Now:
 * - `incidents.published` is 1 for an incident a reviewer or admin entered or accepted (see core/publication.ts)
 *   and 0 for candidates, rejected incidents and reporters' submissions that wait for review;
 * - the tally cells hold published incidents only, so that no public figure can count anything else;
 * - the incidents are sealed again under one audit entry, since each row now has one more column.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../dialect.js";
import { appendAudit, sealRows } from "../repositories/audit.js";
import { CELL_TABLES, PUBLISHED_ONLY, rebuildSql } from "./0002_tally_cells.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

/** Incidents sealed per statement: bounded memory on a ledger of millions. */
const CHUNK = 5000;

export function publication(_dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .alterTable("incidents")
        .addColumn("published", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      // A reporter's submission is known by its submitter (a session's) or by the scope of its key (every
      // reporter's, a token's included: services/submissions.ts). While it is still `submitted`, it waits.
      await sql`update incidents set published = 1
        where status not in ('candidate', 'rejected')
          and not (status = 'submitted' and (submitted_by is not null
            or row_key like 'token:%' or row_key like 'user:%'))`.execute(db);
      for (const t of Object.values(CELL_TABLES)) {
        await sql`delete from ${sql.table(t.name)}`.execute(db);
        await sql.raw(rebuildSql(t, PUBLISHED_ONLY)).execute(db);
      }
      let sealed = 0;
      for (let after = 0; ; ) {
        const rows = (await db
          .selectFrom("incidents")
          .selectAll()
          .where("id", ">", after)
          .orderBy("id")
          .limit(CHUNK)
          .execute()) as Record<string, unknown>[];
        if (rows.length === 0) break;
        await sealRows(db, "incidents", rows);
        sealed += rows.length;
        after = rows[rows.length - 1]?.id as number;
      }
      if (sealed > 0)
        await appendAudit(db, {
          actor: "system",
          action: "audit.seal-publication",
          target: "incidents",
          at: new Date().toISOString(),
          note: `${sealed} incidents sealed with their publication`,
        });
    },
  };
}
