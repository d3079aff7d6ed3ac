/**
 * The outbox: reports wait here, in IndexedDB, until the server has them. Every report goes through it, online
 * or not, so a dropped connection in the middle of sending loses nothing. Each carries a client-made
 * external_id, so sending it twice (a retry after a lost answer) records one incident.
 *
 * Shared by the page and the service worker; changes are announced on a BroadcastChannel so that every open
 * view shows the same states.
 */

export type OutboxState = "waiting" | "sending" | "sent" | "failed";

/** A file waiting with its report; uploaded first, then named in the report by its attachment id. */
export interface OutboxFile {
  name: string;
  type: string;
  blob: Blob;
  attachmentId?: number;
}

export interface OutboxItem {
  externalId: string;
  /**
   * The pseudonym of who wrote it. A phone may be shared: a report is sent only in its author's session and
   * listed only to its author.
   */
  owner?: string;
  record: Record<string, string>;
  files?: OutboxFile[];
  state: OutboxState;
  createdAt: string;
  sentAt?: string;
  incidentId?: number;
  /** Why it still waits (shown in the reader's language). */
  reason?: "offline" | "sign-in" | "later";
  /** The HTTP status behind a "later". */
  status?: number;
  /** Why it failed: the server's message, naming the field or file. */
  message?: string;
}

const DB = "tally";
const STORE = "outbox";
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("tally-outbox") : null;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore(STORE, { keyPath: "externalId" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

export function newExternalId(): string {
  return `web-${crypto.randomUUID()}`;
}

export async function enqueue(
  record: Record<string, string>,
  files: OutboxFile[] = [],
  owner?: string,
): Promise<OutboxItem> {
  const externalId = record.external_id || newExternalId();
  const item: OutboxItem = {
    externalId,
    ...(owner ? { owner } : {}),
    record: { ...record, external_id: externalId },
    ...(files.length ? { files } : {}),
    state: "waiting",
    createdAt: new Date().toISOString(),
  };
  await tx("readwrite", (s) => s.put(item));
  announce();
  return item;
}

export async function listOutbox(): Promise<OutboxItem[]> {
  const items = await tx<OutboxItem[]>("readonly", (s) => s.getAll() as IDBRequest<OutboxItem[]>);
  return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function updateItem(externalId: string, patch: Partial<OutboxItem>): Promise<void> {
  const current = await tx<OutboxItem | undefined>("readonly", (s) => s.get(externalId));
  if (!current) return;
  await tx("readwrite", (s) => s.put({ ...current, ...patch }));
  announce();
}

/** Whether a report belongs to the signed-in person (reports from before owners were kept belong to anyone). */
export function ownedBy(item: OutboxItem, pseudonym: string | undefined): boolean {
  return item.owner === undefined || item.owner === pseudonym;
}

/** Forgets every report of this person that the ledger already has. */
export async function clearSent(pseudonym: string | undefined): Promise<void> {
  for (const i of await listOutbox())
    if (i.state === "sent" && ownedBy(i, pseudonym)) await tx("readwrite", (s) => s.delete(i.externalId));
  announce();
}

export async function removeItem(externalId: string): Promise<void> {
  await tx("readwrite", (s) => s.delete(externalId));
  announce();
}

function announce() {
  channel?.postMessage("changed");
}

export function onOutboxChange(fn: () => void): () => void {
  if (!channel) return () => {};
  const c = new BroadcastChannel("tally-outbox");
  c.onmessage = fn;
  return () => c.close();
}
