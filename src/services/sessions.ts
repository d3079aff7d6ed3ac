/**
 * Cookie sessions kept in the database. The cookie holds 256 random bits; the database holds their SHA-256, so
 * a copy of the database opens no session. A session ends when idle too long, at an absolute limit, at sign-out,
 * when its user is disabled, or when its user changes password.
 *
 * Sign-in always issues a new id and deletes the one the browser presented: an id planted by someone else
 * (session fixation) never becomes a signed-in session.
 */
import { randomBytes } from "node:crypto";
import { sha256Hex } from "../core/hash.js";
import type { Role } from "../core/vocabulary.js";
import {
  deleteExpiredSessions,
  deleteSession,
  findSession,
  insertSession,
  touchSession,
} from "../store/repositories/sessions.js";
import type { Ledger } from "./ledger.js";
import type { Principal } from "./tokens.js";

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMs: number;
  /** No session lives longer than this, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 12 * 3600_000, absoluteMs: 7 * 24 * 3600_000 };

/** Writing last_seen_at on every request would make every read a write; once a minute is precise enough. */
const TOUCH_EVERY_MS = 60_000;

const COOKIE_VALUE = /^s_[A-Za-z0-9_-]{43}$/;

function hashSessionId(value: string): string {
  return sha256Hex(value);
}

export interface NewSession {
  /** The cookie value: shown to the browser once, never stored. */
  value: string;
  expiresAt: Date;
}

export async function startSession(
  ledger: Ledger,
  userId: number,
  presented: string | undefined,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<NewSession> {
  const db = ledger.store.db;
  const now = ledger.now();
  if (presented && COOKIE_VALUE.test(presented)) await deleteSession(db, hashSessionId(presented));
  await deleteExpiredSessions(db, now.toISOString());
  const value = `s_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(now.getTime() + policy.absoluteMs);
  await insertSession(db, {
    id_hash: hashSessionId(value),
    user_id: userId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
  });
  return { value, expiresAt };
}

export interface SessionPrincipal extends Principal {
  kind: "user";
  username: string;
  /** The stored hash of the session id, to end this session or keep it while ending the others. */
  sessionHash: string;
}

export async function authenticateSession(
  ledger: Ledger,
  value: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<SessionPrincipal | null> {
  if (!COOKIE_VALUE.test(value)) return null;
  const db = ledger.store.db;
  const idHash = hashSessionId(value);
  const s = await findSession(db, idHash);
  if (!s) return null;
  const now = ledger.now().getTime();
  const idleEnd = new Date(s.last_seen_at).getTime() + policy.idleMs;
  if (now >= new Date(s.expires_at).getTime() || now >= idleEnd || s.disabled_at !== null) {
    await deleteSession(db, idHash);
    return null;
  }
  if (now - new Date(s.last_seen_at).getTime() >= TOUCH_EVERY_MS) {
    await touchSession(db, idHash, new Date(now).toISOString());
  }
  return {
    kind: "user",
    id: s.user_id,
    name: s.pseudonym,
    role: s.role as Role,
    username: s.username,
    sessionHash: idHash,
  };
}

export async function endSession(ledger: Ledger, value: string): Promise<void> {
  if (COOKIE_VALUE.test(value)) await deleteSession(ledger.store.db, hashSessionId(value));
}
