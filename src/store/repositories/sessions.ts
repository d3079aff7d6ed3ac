/** Sessions by the hash of their cookie value, joined to their user so role and disabling apply at once. */

import type { Executor } from "./rows.js";
import { accounts, type SessionTable } from "./users.js";

export interface SessionWithUser {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  username: string;
  pseudonym: string;
  role: string;
  disabled_at: string | null;
}

export async function insertSession(db: Executor, session: SessionTable): Promise<void> {
  await accounts(db).insertInto("sessions").values(session).execute();
}

export async function findSession(db: Executor, idHash: string): Promise<SessionWithUser | undefined> {
  return accounts(db)
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id_hash",
      "sessions.user_id",
      "sessions.created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "users.username",
      "users.pseudonym",
      "users.role",
      "users.disabled_at",
    ])
    .where("sessions.id_hash", "=", idHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, idHash: string, at: string): Promise<void> {
  await accounts(db)
    .updateTable("sessions")
    .set({ last_seen_at: at })
    .where("id_hash", "=", idHash)
    .execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await accounts(db).deleteFrom("sessions").where("id_hash", "=", idHash).execute();
}

export async function deleteUserSessions(db: Executor, userId: number, except?: string): Promise<void> {
  let q = accounts(db).deleteFrom("sessions").where("user_id", "=", userId);
  if (except) q = q.where("id_hash", "<>", except);
  await q.execute();
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<number> {
  const res = await accounts(db).deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  return Number(res.numDeletedRows);
}
