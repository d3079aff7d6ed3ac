/**
 * SHA-256 in hex, the one content hash of the ledger (row hashes, seals, documents, tokens).
 * `crypto.hash` is the one-shot form (Node 20.12+): for short inputs it costs about half of
 * createHash().update().digest(), which counts when a million rows are each hashed twice on import.
 */
import * as crypto from "node:crypto";

const oneShot = (crypto as { hash?: (alg: string, data: string | Buffer, enc: "hex") => string }).hash;

export function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot("sha256", data, "hex") : crypto.createHash("sha256").update(data).digest("hex");
}
