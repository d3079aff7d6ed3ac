import type { DocumentRow } from "../schema.js";
import { sealWhere } from "./audit.js";
import type { Executor } from "./rows.js";

export async function findDocumentBySha(db: Executor, sha256: string): Promise<DocumentRow | undefined> {
  return db.selectFrom("documents").selectAll().where("sha256", "=", sha256).executeTakeFirst();
}

export async function getDocument(db: Executor, id: number): Promise<DocumentRow | undefined> {
  return db.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertDocument(db: Executor, doc: Omit<DocumentRow, "id">): Promise<number> {
  const row = await db.insertInto("documents").values(doc).returning("id").executeTakeFirstOrThrow();
  await sealWhere(db, "documents", "id", [row.id]);
  return row.id;
}
