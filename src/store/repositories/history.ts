import { sha256Hex } from "../../core/hash.js";
import { appendAudit, rowHash, SEALED_TABLES, sealWhere } from "./audit.js";
import type { Executor } from "./rows.js";

export interface HistoryEntry {
  entity: "incident" | "claim" | "source" | "document" | "user";
  entityId: number;
  action: string;
  actor: string;
  note?: string | null;
  before?: unknown;
  after?: unknown;
  at: string;
}

const TABLE_OF: Record<HistoryEntry["entity"], string> = {
  incident: "incidents",
  claim: "claims",
  source: "sources",
  document: "documents",
  user: "users",
};

/** The hash of a `before` value: a row's seal hash when it is a row of the entity's table, else of its JSON. */
function beforeHash(table: string, before: unknown): string | null {
  if (before === undefined || before === null) return null;
  if (typeof before === "object" && "id" in before && SEALED_TABLES[table])
    return rowHash(table, before as Record<string, unknown>);
  return sha256Hex(JSON.stringify(before));
}

const joined = (hashes: (string | null)[]): string | null => {
  const present = hashes.filter((h): h is string => h !== null);
  if (present.length === 0) return null;
  return present.length === 1 && hashes.length === 1 ? (present[0] as string) : sha256Hex(hashes.join(","));
};

/**
 * Writes history entries and, in the same transaction, one audit chain entry for them: the history rows and the
 * rows they describe are sealed as they now stand, with any other rows the transaction sealed before.
 */
export async function appendHistory(db: Executor, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const inserted = await db
    .insertInto("history")
    .values(
      entries.map((e) => ({
        entity: e.entity,
        entity_id: e.entityId,
        action: e.action,
        actor: e.actor,
        note: e.note ?? null,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
        at: e.at,
      })),
    )
    .returning("id")
    .execute();
  await sealWhere(
    db,
    "history",
    "id",
    inserted.map((r) => r.id),
  );
  const befores: (string | null)[] = [];
  const afters: (string | null)[] = [];
  const byTable = new Map<string, Set<number>>();
  for (const e of entries) {
    const table = TABLE_OF[e.entity];
    befores.push(beforeHash(table, e.before));
    const ids = byTable.get(table) ?? new Set<number>();
    byTable.set(table, ids);
    ids.add(e.entityId);
  }
  const sealed = new Map<string, string>();
  for (const [table, ids] of byTable) {
    const rows = await sealWhere(db, table, "id", [...ids]);
    for (const r of rows) sealed.set(`${table}:${r.id}`, rowHash(table, r));
  }
  for (const e of entries) afters.push(sealed.get(`${TABLE_OF[e.entity]}:${e.entityId}`) ?? null);
  const first = entries[0] as HistoryEntry;
  const actions = [...new Set(entries.map((e) => e.action))];
  await appendAudit(db, {
    actor: first.actor,
    action: actions.join(","),
    target:
      entries.length === 1
        ? `${first.entity}:${first.entityId}`
        : `${first.entity}:${first.entityId} and ${entries.length - 1} more`,
    at: first.at,
    beforeHash: joined(befores),
    afterHash: joined(afters),
    note: entries.find((e) => e.note)?.note ?? null,
  });
}

export async function historyOf(db: Executor, entity: HistoryEntry["entity"], id: number) {
  return db
    .selectFrom("history")
    .selectAll()
    .where("entity", "=", entity)
    .where("entity_id", "=", id)
    .orderBy("id")
    .execute();
}
