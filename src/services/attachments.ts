/**
 * Evidence attachments. What is stored is decided by the bytes, never by the file name or the client's
 * content type: the type is sniffed, checked against an allow-list and a size limit, and images are decoded and
 * re-encoded without their metadata (EXIF, XMP, IPTC, GPS), so a photo does not give away where or with which
 * phone it was taken. MP4 videos lose their metadata boxes and timestamps in place (media/mp4.ts) and PDFs
 * their Info dictionary, XMP and earlier revisions (media/pdf.ts), for the same reason. PDFs also lose their
 * active content (scripts, actions that leave the document, embedded files, XFA), so that a reviewer who opens
 * the evidence runs nothing and calls nowhere. The SHA-256 of the original is kept either way.
 *
 * Storage is content-addressed: `<media>/<aa>/<sha256>` for stored copies. With "sealed originals" on (an
 * admin setting), the original is also kept, encrypted with AES-256-GCM under TALLY_SEAL_KEY, in
 * `<media>/sealed/<sha256 of original>`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import type { Generated, Selectable } from "kysely";
import sharp from "sharp";
import { sha256Hex } from "../core/hash.js";
import { appendAudit, rowHash, sealWhere } from "../store/repositories/audit.js";
import { getMeta, setMeta } from "../store/repositories/meta.js";
import { type Ledger, timestamp } from "./ledger.js";
import { stripMp4 } from "./media/mp4.js";
import { stripPdf } from "./media/pdf.js";

export const ATTACHMENT_TYPES = {
  "image/jpeg": { ext: "jpg", image: true },
  "image/png": { ext: "png", image: true },
  "image/webp": { ext: "webp", image: true },
  "image/heic": { ext: "heic", image: true },
  "video/mp4": { ext: "mp4", image: false },
  "application/pdf": { ext: "pdf", image: false },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** Upper bound on an upload, whatever its type (TALLY_MAX_UPLOAD_BYTES overrides). */
export function maxUploadBytes(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.TALLY_MAX_UPLOAD_BYTES);
  return Number.isInteger(n) && n > 0 ? n : 50 * 1024 * 1024;
}

/** Images larger than this many pixels are refused before decoding (decompression bombs). */
const MAX_PIXELS = 100_000_000;

/** An upload the client must fix: the route answers it with this status (415 or 413 or 400). */
export class AttachmentRejected extends Error {
  constructor(
    readonly statusCode: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** A server-side configuration fault the operator must fix (sealed originals on, no key). */
export class AttachmentConfigError extends Error {
  readonly statusCode = 503;
}

export interface AttachmentInfo {
  id: number;
  sha256: string;
  originalSha256: string;
  type: AttachmentType;
  bytes: number;
}

/** Where attachment files live: TALLY_MEDIA_DIR, or a `media` folder next to the SQLite file. */
export function mediaDir(ledger: Ledger, env: NodeJS.ProcessEnv = process.env): string {
  if (env.TALLY_MEDIA_DIR) return resolve(env.TALLY_MEDIA_DIR);
  if (ledger.store.dialect === "sqlite") return join(dirname(resolve(ledger.store.location)), "media");
  return resolve("tally-media");
}

const sha256 = sha256Hex;

export function storedPath(dir: string, sha: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error("not a SHA-256");
  return join(dir, sha.slice(0, 2), sha);
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  if (existsSync(path)) return; // Content-addressed: the same name holds the same bytes.
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString("hex")}.partial`;
  await writeFile(tmp, bytes, { flag: "wx" });
  await rename(tmp, path);
}

/** Sniffs the type from the content and checks it against the allow-list. */
export async function sniff(bytes: Buffer): Promise<AttachmentType> {
  const t = await fileTypeFromBuffer(bytes);
  const mime = t?.mime === "image/heif" ? "image/heic" : t?.mime;
  if (!mime || !(mime in ATTACHMENT_TYPES))
    throw new AttachmentRejected(
      415,
      `file: the content is ${mime ?? "of an unknown type"}; accepted are JPEG, PNG, WebP, HEIC, MP4 and PDF`,
    );
  return mime as AttachmentType;
}

/** Decodes an image and encodes it again without metadata, applying its orientation first. */
export async function stripImage(
  bytes: Buffer,
  type: AttachmentType,
): Promise<{ bytes: Buffer; type: AttachmentType }> {
  try {
    const img = sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: "error" }).rotate();
    // sharp writes no EXIF, XMP, IPTC or ICC metadata unless asked to (withMetadata), which we never do.
    if (type === "image/png") return { bytes: await img.png().toBuffer(), type };
    if (type === "image/webp") return { bytes: await img.webp({ quality: 90 }).toBuffer(), type };
    // JPEG, and HEIC where the image library can read it, are stored as JPEG.
    return { bytes: await img.jpeg({ quality: 90 }).toBuffer(), type: "image/jpeg" };
  } catch (e) {
    throw new AttachmentRejected(
      415,
      `file: the image could not be decoded (${type}): ${(e as Error).message.slice(0, 120)}`,
    );
  }
}

/** The copy to store: every accepted type loses its metadata (AttachmentRejected if it cannot be read). */
export async function stripMetadata(
  bytes: Buffer,
  type: AttachmentType,
): Promise<{ bytes: Buffer; type: AttachmentType }> {
  if (ATTACHMENT_TYPES[type].image) return stripImage(bytes, type);
  if (type === "video/mp4") return { bytes: stripMp4(bytes), type };
  return { bytes: await stripPdf(bytes), type };
}

/** The 32-byte key for sealed originals, from TALLY_SEAL_KEY (64 hex digits or base64). */
export function sealKey(env: NodeJS.ProcessEnv = process.env): Buffer | null {
  const v = env.TALLY_SEAL_KEY?.trim();
  if (!v) return null;
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
  if (key.length !== 32) throw new AttachmentConfigError("TALLY_SEAL_KEY must hold 32 bytes (64 hex digits)");
  return key;
}

const SEAL_MAGIC = Buffer.from("TSO1");

/** AES-256-GCM: magic, 12-byte nonce, ciphertext, 16-byte tag. The original's hash is authenticated data. */
export function sealBytes(key: Buffer, plain: Buffer, originalSha: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(Buffer.from(originalSha));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([SEAL_MAGIC, iv, body, c.getAuthTag()]);
}

export function unsealBytes(key: Buffer, sealed: Buffer, originalSha: string): Buffer {
  if (!sealed.subarray(0, 4).equals(SEAL_MAGIC)) throw new Error("not a sealed original");
  const iv = sealed.subarray(4, 16);
  const tag = sealed.subarray(sealed.length - 16);
  const d = createDecipheriv("aes-256-gcm", key, iv);
  d.setAAD(Buffer.from(originalSha));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(sealed.subarray(16, sealed.length - 16)), d.final()]);
}

const SEALED_SETTING = "attachments.sealed_originals";

export async function sealedOriginals(ledger: Ledger): Promise<boolean> {
  return (await getMeta(ledger.store.db, SEALED_SETTING)) === "on";
}

/** Turns sealed originals on or off (an admin decision, recorded in the audit chain). */
export async function setSealedOriginals(ledger: Ledger, on: boolean, actor: string): Promise<void> {
  if (on) {
    const key = sealKey();
    if (!key) throw new AttachmentConfigError("set TALLY_SEAL_KEY before turning sealed originals on");
  }
  await ledger.store.db.transaction().execute(async (trx) => {
    await setMeta(trx, SEALED_SETTING, on ? "on" : "off");
    await appendAudit(trx, {
      actor,
      action: "setting",
      target: `setting:${SEALED_SETTING}`,
      at: timestamp(ledger),
      note: on ? "on" : "off",
    });
  });
}

/** Stores an upload; the same stored content uploaded twice gives the same attachment. */
export async function storeAttachment(
  ledger: Ledger,
  original: Buffer,
  actor: string,
): Promise<AttachmentInfo> {
  if (original.length === 0) throw new AttachmentRejected(400, "file: the file is empty");
  if (original.length > maxUploadBytes())
    throw new AttachmentRejected(413, `file: larger than ${maxUploadBytes()} bytes`);
  const sniffed = await sniff(original);
  const originalSha = sha256(original);
  const { bytes, type } = await stripMetadata(original, sniffed);
  const sha = sha256(bytes);
  const dir = mediaDir(ledger);
  const seal = await sealedOriginals(ledger);
  let sealedName: string | null = null;
  if (seal) {
    const key = sealKey();
    if (!key) throw new AttachmentConfigError("sealed originals are on but TALLY_SEAL_KEY is not set");
    sealedName = `sealed/${originalSha}`;
    await writeAtomically(join(dir, sealedName), sealBytes(key, original, originalSha));
  }
  // Files first, row second: a crash in between leaves an unreferenced file, never a row without its file.
  await writeAtomically(storedPath(dir, sha), bytes);
  const at = timestamp(ledger);
  return ledger.store.db.transaction().execute(async (trx) => {
    const db = trx.withTables<{ attachments: AttachmentRow }>();
    const existing = await db
      .selectFrom("attachments")
      .selectAll()
      .where("sha256", "=", sha)
      .executeTakeFirst();
    if (existing) return info(existing);
    const row = await db
      .insertInto("attachments")
      .values({
        sha256: sha,
        original_sha256: originalSha,
        type,
        bytes: bytes.length,
        sealed_original: sealedName,
        uploaded_by: actor,
        created_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const [sealed] = await sealWhere(trx, "attachments", "id", [row.id]);
    await appendAudit(trx, {
      actor,
      action: "attachment.upload",
      target: `attachment:${row.id}`,
      at,
      beforeHash: originalSha,
      afterHash: sealed ? rowHash("attachments", sealed) : null,
    });
    return info(row);
  });
}

export interface AttachmentRow {
  id: Generated<number>;
  sha256: string;
  original_sha256: string;
  type: string;
  bytes: number;
  sealed_original: string | null;
  uploaded_by: string;
  created_at: string;
}

function info(r: Selectable<AttachmentRow>): AttachmentInfo {
  return {
    id: r.id,
    sha256: r.sha256,
    originalSha256: r.original_sha256,
    type: r.type as AttachmentType,
    bytes: Number(r.bytes),
  };
}

/** The stored copy, checked against its hash on the way out (a file edited on disk is not served). */
export async function readAttachment(
  ledger: Ledger,
  id: number,
): Promise<{ info: AttachmentInfo; bytes: Buffer } | null> {
  const row = await ledger.store.db
    .withTables<{ attachments: AttachmentRow }>()
    .selectFrom("attachments")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const bytes = await readFile(storedPath(mediaDir(ledger), row.sha256));
  if (sha256(bytes) !== row.sha256)
    throw new Error(`attachment ${id}: the stored file does not match its hash`);
  return { info: info(row), bytes };
}

/** The decrypted original of a sealed attachment (admins only; never served over HTTP). */
export async function readSealedOriginal(ledger: Ledger, id: number): Promise<Buffer | null> {
  const row = await ledger.store.db
    .withTables<{ attachments: AttachmentRow }>()
    .selectFrom("attachments")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row?.sealed_original) return null;
  const key = sealKey();
  if (!key) throw new AttachmentConfigError("TALLY_SEAL_KEY is not set");
  const plain = unsealBytes(
    key,
    await readFile(join(mediaDir(ledger), row.sealed_original)),
    row.original_sha256,
  );
  if (sha256(plain) !== row.original_sha256) throw new Error(`attachment ${id}: the original does not match`);
  return plain;
}
