/**
 * The review queue's rows, from GET /api/v1/review: machine-extracted candidates (claims and incidents, with
 * the document and span they came from) and reporters' submissions. The rows of the page last loaded are kept
 * in sessionStorage, so a candidate's screen opens without another request.
 */
import { get, post, query } from "../lib/api.js";
import { label } from "../lib/words.js";

export interface QueueFilters {
  origin: string;
  kind: string;
  source: string;
  from: string;
  to: string;
  place: string;
  type: string;
}

export interface QueueItem {
  ref: string;
  kind: "claim" | "incident";
  status: string;
  createdAt: string;
  document: { id: number; title: string | null; published: string | null; origin: string | null } | null;
  span: [number, number] | null;
  text: string | null;
  fields: Record<string, unknown>;
}

export interface QueueRow {
  key: string;
  href: string;
  kind: string;
  origin: string;
  title: string;
  date: string;
  place: string;
  source: string;
  item: QueueItem;
}

const STORE = "tally.queue.items";

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

export function placeOf(fields: Record<string, unknown>): string {
  const p = fields.place as
    | { name?: string | null; province?: string | null; country?: string | null }
    | undefined;
  return p ? [p.name, p.province, p.country].filter(Boolean).join(", ") : "";
}

export function titleOf(item: QueueItem): string {
  const f = item.fields;
  if (item.kind === "claim") {
    const high = f.high === null || f.high === undefined ? "" : f.high === f.low ? "" : `–${str(f.high)}`;
    return `Claim: ${label(str(f.metric))} ${str(f.low)}${high}`;
  }
  return label(str(f.type) || "incident");
}

function toRow(item: QueueItem): QueueRow {
  const f = item.fields;
  const id = item.ref.split("-")[1] as string;
  // Submissions without a document open on the incident screen (with duplicates); the rest on the candidate's.
  const href =
    item.kind === "incident" && !item.document ? `/review/incident/${id}` : `/review/candidate/${item.ref}`;
  return {
    key: item.ref,
    href,
    kind: item.kind,
    origin: item.status === "candidate" ? "extracted" : "reporter",
    title: titleOf(item),
    date: str(f.date) || str(f.asOf) || item.createdAt.slice(0, 10),
    place: placeOf(f),
    source: str((f.source as { name?: string } | undefined)?.name) || (item.document?.title ?? ""),
    item,
  };
}

export async function loadQueue(
  f: QueueFilters,
  cursor: string | null,
): Promise<{ rows: QueueRow[]; next: string | null }> {
  const r = await get<{ items: QueueItem[]; next: string | null }>(
    `/api/v1/review${query({ origin: f.origin, kind: f.kind, source: f.source, from: f.from, to: f.to, place: f.place, type: f.type, cursor, limit: 50 })}`,
  );
  return { rows: r.items.map(toRow), next: r.next };
}

export function rememberItems(rows: QueueRow[]): void {
  try {
    sessionStorage.setItem(STORE, JSON.stringify(rows.map((r) => r.item)));
  } catch {
    // Storage full or unavailable: the candidate screen loads what it can from the API.
  }
}

export function rememberedItem(ref: string): QueueItem | undefined {
  try {
    return (JSON.parse(sessionStorage.getItem(STORE) ?? "[]") as QueueItem[]).find((i) => i.ref === ref);
  } catch {
    return undefined;
  }
}

export const decide = (ref: string, what: "accept" | "reject", note?: string) =>
  post<{ ref: string; status: string }>(`/api/v1/review/${ref}/${what}`, note ? { note } : {});
