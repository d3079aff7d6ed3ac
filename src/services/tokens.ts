/**
 * API tokens for scripts. Only a SHA-256 of each token is stored: a copy of the database gives no working token.
 * (Tokens are long random strings, so a fast hash is enough; passwords get argon2id.)
 */
import { randomBytes } from "node:crypto";
import { sha256Hex } from "../core/hash.js";
import type { Role } from "../core/vocabulary.js";
import { appendAudit, rowHash, sealWhere } from "../store/repositories/audit.js";
import { type Ledger, timestamp } from "./ledger.js";

export interface Principal {
  kind: "token" | "user";
  id: number;
  /** The pseudonym recorded as the actor of changes. */
  name: string;
  role: Role;
}

const ROLE_RANK: Record<Role, number> = { reporter: 1, reviewer: 2, admin: 3 };

/** Least privilege: a role may do what the roles below it may, and nothing more. */
export function hasRole(principal: Principal | null, needed: Role): boolean {
  return principal !== null && ROLE_RANK[principal.role] >= ROLE_RANK[needed];
}

function hashToken(token: string): string {
  return sha256Hex(token);
}

export async function createToken(
  ledger: Ledger,
  name: string,
  role: Role,
  actor = "cli",
): Promise<{ id: number; token: string }> {
  const token = `tly_${randomBytes(32).toString("base64url")}`;
  const at = timestamp(ledger);
  const row = await ledger.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("tokens")
      .values({ name, role, token_hash: hashToken(token), created_at: at, revoked_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const [sealed] = await sealWhere(trx, "tokens", "id", [row.id]);
    await appendAudit(trx, {
      actor,
      action: "token.create",
      target: `token:${row.id}`,
      at,
      afterHash: sealed ? rowHash("tokens", sealed) : null,
      note: role,
    });
    return row;
  });
  return { id: row.id, token };
}

export async function authenticateToken(ledger: Ledger, token: string): Promise<Principal | null> {
  if (!/^tly_[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await ledger.store.db
    .selectFrom("tokens")
    .select(["id", "name", "role"])
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row ? { kind: "token", id: row.id, name: `token:${row.name}`, role: row.role as Role } : null;
}

export async function revokeToken(ledger: Ledger, id: number, actor = "cli"): Promise<boolean> {
  const at = timestamp(ledger);
  return ledger.store.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("tokens")
      .set({ revoked_at: at })
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    const [sealed] = await sealWhere(trx, "tokens", "id", [id]);
    await appendAudit(trx, {
      actor,
      action: "token.revoke",
      target: `token:${id}`,
      at,
      afterHash: sealed ? rowHash("tokens", sealed) : null,
    });
    return true;
  });
}
