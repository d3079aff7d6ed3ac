/**
 * The users table. Its type lives here rather than in schema.ts so that accounts stay one self-contained module;
 * `accounts()` widens any executor of the ledger's database with the account tables.
 */
import type { Generated, Kysely, Selectable, Transaction } from "kysely";
import type { Database } from "../schema.js";
import type { Executor } from "./rows.js";

export type UserTable = {
  id: Generated<number>;
  username: string;
  pseudonym: string;
  password_hash: string;
  role: string;
  disabled_at: string | null;
  failed_signins: Generated<number>;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
};

export type SessionTable = {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
};

export type AccountTables = {
  users: UserTable;
  sessions: SessionTable;
};

export type AccountDb = Kysely<Database & AccountTables> | Transaction<Database & AccountTables>;
export type UserRow = Selectable<UserTable>;

export function accounts(db: Executor): AccountDb {
  return db.withTables<AccountTables>() as AccountDb;
}

export async function insertUser(
  db: Executor,
  user: Omit<UserTable, "id" | "failed_signins" | "locked_until" | "disabled_at">,
): Promise<UserRow> {
  return accounts(db).insertInto("users").values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findUserByName(db: Executor, username: string): Promise<UserRow | undefined> {
  return accounts(db).selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
}

export async function findUserById(db: Executor, id: number): Promise<UserRow | undefined> {
  return accounts(db).selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function pseudonymTaken(db: Executor, pseudonym: string): Promise<boolean> {
  const row = await accounts(db)
    .selectFrom("users")
    .select("id")
    .where("pseudonym", "=", pseudonym)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listUsers(db: Executor): Promise<UserRow[]> {
  return accounts(db).selectFrom("users").selectAll().orderBy("id").execute();
}

export async function updateUser(
  db: Executor,
  id: number,
  patch: Partial<
    Pick<UserRow, "role" | "disabled_at" | "password_hash" | "failed_signins" | "locked_until">
  > & {
    updated_at: string;
  },
): Promise<void> {
  await accounts(db).updateTable("users").set(patch).where("id", "=", id).execute();
}

export async function countActiveAdmins(db: Executor): Promise<number> {
  const row = await accounts(db)
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin")
    .where("disabled_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
