/**
 * Accounts: who may sign in, with which role, under which pseudonym. Passwords are hashed with argon2id; the
 * username is for signing in only, and the pseudonym is what the ledger records as the actor of changes, so a
 * reporter's name never reaches history, exports or logs.
 */
import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import { sql, type Transaction } from "kysely";
import { z } from "zod";
import { ROLES, type Role } from "../core/vocabulary.js";
import { appendHistory } from "../store/repositories/history.js";
import { deleteUserSessions } from "../store/repositories/sessions.js";
import {
  accounts,
  countActiveAdmins,
  findUserById,
  findUserByName,
  insertUser,
  listUsers,
  pseudonymTaken,
  type UserRow,
  updateUser,
} from "../store/repositories/users.js";
import type { Database } from "../store/schema.js";
import { type Ledger, timestamp } from "./ledger.js";
import { Conflict, NotFound } from "./review.js";

/** A request the caller can fix; the server answers it with 400 and this message. */
export class AccountInputError extends Error {
  readonly statusCode = 400;
}

// OWASP's argon2id baseline (19 MiB, 2 passes): about 30 ms here, slow enough to hurt a guesser.
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, "use 2-40 letters, digits, dots, dashes or underscores");
export const Pseudonym = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{1,39}$/u, "use 2-40 letters, digits, spaces, dots or dashes");
export const Password = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(256, "must be at most 256 characters");

export const NewUser = z.object({
  username: Username,
  role: z.enum(ROLES),
  password: Password,
  pseudonym: Pseudonym.optional(),
});
export type NewUser = z.input<typeof NewUser>;

/** What admins see of a user: never the password hash. */
export interface PublicUser {
  id: number;
  username: string;
  pseudonym: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export function publicUser(u: UserRow): PublicUser {
  return {
    id: u.id,
    username: u.username,
    pseudonym: u.pseudonym,
    role: u.role as Role,
    disabled: u.disabled_at !== null,
    createdAt: u.created_at,
  };
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2);
}

/** A pseudonym that says nothing about the person: the role and a random suffix. */
async function freshPseudonym(ledger: Ledger, role: Role): Promise<string> {
  for (;;) {
    const candidate = `${role}-${randomBytes(3).toString("hex")}`;
    if (!(await pseudonymTaken(ledger.store.db, candidate))) return candidate;
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AccountInputError(`${i?.path.join(".") || "input"}: ${i?.message ?? "invalid"}`);
  }
  return r.data;
}

export async function createUser(ledger: Ledger, input: NewUser, actor: string): Promise<PublicUser> {
  const u = parse(NewUser, input);
  const db = ledger.store.db;
  if (await findUserByName(db, u.username)) throw new Conflict(`username ${u.username} is taken`);
  if (u.pseudonym && (await pseudonymTaken(db, u.pseudonym)))
    throw new Conflict(`pseudonym ${u.pseudonym} is taken`);
  const at = timestamp(ledger);
  // Hashed before the transaction: argon2 is slow on purpose, and no lock should wait for it.
  const passwordHash = await hashPassword(u.password);
  const pseudonym = u.pseudonym ?? (await freshPseudonym(ledger, u.role));
  const row = await db.transaction().execute(async (trx) => {
    const r = await insertUser(trx, {
      username: u.username,
      pseudonym,
      password_hash: passwordHash,
      role: u.role,
      created_at: at,
      updated_at: at,
    });
    await recordUserChange(trx, ledger, r.id, "user.create", actor, null, {
      role: r.role,
      pseudonym: r.pseudonym,
    });
    return r;
  });
  return publicUser(row);
}

export async function getUsers(ledger: Ledger): Promise<PublicUser[]> {
  return (await listUsers(ledger.store.db)).map(publicUser);
}

async function mustGetUser(ledger: Ledger, id: number): Promise<UserRow> {
  const u = await findUserById(ledger.store.db, id);
  if (!u) throw new NotFound(`user ${id}`);
  return u;
}

/** Refuses a change that would leave the ledger without an active admin, who alone can undo it. */
async function keepAnAdmin(ledger: Ledger, u: UserRow): Promise<void> {
  if (u.role === "admin" && u.disabled_at === null && (await countActiveAdmins(ledger.store.db)) <= 1)
    throw new Conflict("this is the last active admin; make another admin first");
}

export async function setUserRole(
  ledger: Ledger,
  id: number,
  role: Role,
  actor: string,
): Promise<PublicUser> {
  parse(z.enum(ROLES), role);
  const u = await mustGetUser(ledger, id);
  if (u.role === role) return publicUser(u);
  if (role !== "admin") await keepAnAdmin(ledger, u);
  await ledger.store.db.transaction().execute(async (trx) => {
    await updateUser(trx, id, { role, updated_at: timestamp(ledger) });
    await recordUserChange(trx, ledger, id, "user.role", actor, { role: u.role }, { role });
  });
  return publicUser(await mustGetUser(ledger, id));
}

export async function setUserDisabled(
  ledger: Ledger,
  id: number,
  disabled: boolean,
  actor: string,
): Promise<PublicUser> {
  const u = await mustGetUser(ledger, id);
  if ((u.disabled_at !== null) === disabled) return publicUser(u);
  if (disabled) await keepAnAdmin(ledger, u);
  const at = timestamp(ledger);
  await ledger.store.db.transaction().execute(async (trx) => {
    await updateUser(trx, id, { disabled_at: disabled ? at : null, updated_at: at });
    // A disabled user's open sessions end now, not when they expire.
    if (disabled) await deleteUserSessions(trx, id);
    await recordUserChange(trx, ledger, id, disabled ? "user.disable" : "user.enable", actor, null, null);
  });
  return publicUser(await mustGetUser(ledger, id));
}

/** Sets a new password and ends the user's other sessions (all of them when `keepSession` is not given). */
export async function setUserPassword(
  ledger: Ledger,
  id: number,
  password: string,
  actor: string,
  keepSession?: string,
): Promise<void> {
  const p = parse(Password, password);
  await mustGetUser(ledger, id);
  const passwordHash = await hashPassword(p);
  await ledger.store.db.transaction().execute(async (trx) => {
    await updateUser(trx, id, {
      password_hash: passwordHash,
      failed_signins: 0,
      locked_until: null,
      updated_at: timestamp(ledger),
    });
    await deleteUserSessions(trx, id, keepSession);
    await recordUserChange(trx, ledger, id, "user.password", actor, null, null);
  });
}

/** After this many failures in a row, an account refuses attempts for a while, doubling each time. */
const FREE_FAILURES = 5;
const MAX_LOCK_MS = 15 * 60_000;

// Verified against when the username is unknown, so that a wrong name costs as long as a wrong password.
let decoyHash: Promise<string> | undefined;

/**
 * Checks a username and password. Returns the user, or null for a wrong name, a wrong password, a disabled
 * account or one locked after repeated failures: the caller learns no more than "no".
 */
export async function verifyCredentials(
  ledger: Ledger,
  username: string,
  password: string,
): Promise<UserRow | null> {
  const name = Username.safeParse(username);
  if (!name.success || password.length === 0 || password.length > 256) return null;
  const db = ledger.store.db;
  const u = await findUserByName(db, name.data);
  if (!u) {
    decoyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await argon2.verify(await decoyHash, password).catch(() => false);
    return null;
  }
  const now = ledger.now();
  if (u.locked_until && new Date(u.locked_until) > now) return null;
  const ok = await argon2.verify(u.password_hash, password).catch(() => false);
  if (!ok) {
    // One atomic increment, so concurrent guesses on several processes all count.
    const row = await accounts(db)
      .updateTable("users")
      .set({ failed_signins: sql<number>`failed_signins + 1` })
      .where("id", "=", u.id)
      .returning("failed_signins")
      .executeTakeFirstOrThrow();
    const over = row.failed_signins - FREE_FAILURES;
    if (over >= 0) {
      const lockMs = Math.min(MAX_LOCK_MS, 30_000 * 2 ** over);
      await updateUser(db, u.id, {
        locked_until: new Date(now.getTime() + lockMs).toISOString(),
        updated_at: now.toISOString(),
      });
    }
    return null;
  }
  if (u.disabled_at !== null) return null;
  if (u.failed_signins > 0 || u.locked_until) {
    await updateUser(db, u.id, { failed_signins: 0, locked_until: null, updated_at: now.toISOString() });
  }
  // Parameters may have been raised since this hash was made; rehash while the password is at hand.
  if (argon2.needsRehash(u.password_hash, ARGON2)) {
    const passwordHash = await hashPassword(password);
    await db.transaction().execute(async (trx) => {
      await updateUser(trx, u.id, { password_hash: passwordHash, updated_at: now.toISOString() });
      await recordUserChange(trx, ledger, u.id, "user.rehash", u.pseudonym, null, null);
    });
  }
  return u;
}

/**
 * User changes go to the ledger's history with the pseudonym and role only: no username and no hash, because
 * history is read more widely than the users table.
 */
async function recordUserChange(
  trx: Transaction<Database>,
  ledger: Ledger,
  userId: number,
  action: string,
  actor: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  // Called inside the change's own transaction: appendHistory also seals the user row and adds the change to the
  // audit chain, so the row, its history and the chain commit together or not at all.
  await appendHistory(trx, [
    {
      entity: "user",
      entityId: userId,
      action,
      actor,
      note: null,
      ...(before === null ? {} : { before }),
      ...(after === null ? {} : { after }),
      at: timestamp(ledger),
    },
  ]);
}
