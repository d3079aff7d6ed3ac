import type { Executor } from "./rows.js";

export interface HistoryEntry {
  entity: "incident" | "claim" | "source" | "document";
  entityId: number;
  action: string;
  actor: string;
  note?: string | null;
  before?: unknown;
  after?: unknown;
  at: string;
}

export async function appendHistory(db: Executor, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
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
    .execute();
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
