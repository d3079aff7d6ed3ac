/**
 * The review queue's rows. Reporter submissions and machine-extracted candidates come from the review-queue
 * API (GET /api/v1/review) when the server has it; otherwise from the incident list filtered by status, so the
 * desk works against either.
 */
import { ApiError, get, post, query } from "../lib/api.js";
import { label } from "../lib/words.js";
import { placeText } from "./IncidentCard.js";
import type { Incident } from "./types.js";

export interface QueueFilters {
  kind: string;
  source: string;
  from: string;
  to: string;
  place: string;
  type: string;
}

export interface QueueRow {
  key: string;
  href: string;
  kind: string;
  title: string;
  date: string;
  place: string;
  source: string;
  status: string;
  /** Accept and reject straight from the queue. */
  accept(): Promise<unknown>;
  reject(): Promise<unknown>;
}

export interface QueuePage {
  rows: QueueRow[];
  next: string | null;
  total?: number;
}

type ReviewItem = Record<string, unknown> & { id: number | string };

let reviewApi: boolean | null = null;

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

function fromReviewItem(i: ReviewItem): QueueRow {
  const fields = (i.fields ?? i.record ?? i) as Record<string, unknown>;
  const placeField = fields.place;
  const place =
    typeof placeField === "string"
      ? placeField
      : placeField && typeof placeField === "object"
        ? placeText(placeField as Incident["place"])
        : "";
  const source =
    i.source && typeof i.source === "object" ? str((i.source as { name?: unknown }).name) : str(i.source);
  const kind = str(i.kind) || "candidate";
  const id = String(i.id);
  return {
    key: `c${id}`,
    href: `/review/candidate/${encodeURIComponent(id)}`,
    kind,
    title: label(str(fields.type) || str(fields.metric) || kind),
    date: str(fields.date) || str(fields.as_of) || str(i.date),
    place,
    source,
    status: str(i.status) || "candidate",
    accept: () => post(`/api/v1/review/${encodeURIComponent(id)}/accept`, {}),
    reject: () => post(`/api/v1/review/${encodeURIComponent(id)}/reject`, {}),
  };
}

function fromIncident(i: Incident): QueueRow {
  return {
    key: `i${i.id}`,
    href: `/review/incident/${i.id}`,
    kind: i.status === "candidate" ? "candidate" : "submission",
    title: label(i.type),
    date: i.date,
    place: placeText(i.place),
    source: "",
    status: i.status,
    accept: () => post(`/api/v1/incidents/${i.id}/review`, { status: "verified" }),
    reject: () => post(`/api/v1/incidents/${i.id}/review`, { status: "rejected" }),
  };
}

export async function loadQueue(f: QueueFilters, cursor: string | null): Promise<QueuePage> {
  if (reviewApi !== false) {
    try {
      const r = await get<{ items: ReviewItem[]; next?: string | null; total?: number }>(
        `/api/v1/review${query({ kind: f.kind, source: f.source, from: f.from, to: f.to, place: f.place, type: f.type, cursor, limit: 50 })}`,
      );
      reviewApi = true;
      return {
        rows: r.items.map(fromReviewItem),
        next: r.next ?? null,
        ...(r.total !== undefined ? { total: r.total } : {}),
      };
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404 && /no route/.test(e.detail))) throw e;
      reviewApi = false;
    }
  }
  const status = f.kind === "candidate" ? "candidate" : "submitted";
  const country = /^[A-Za-z]{2}$/.test(f.place) ? f.place : undefined;
  const r = await get<{ items: Incident[]; next: string | null }>(
    `/api/v1/incidents${query({
      status,
      type: f.type,
      from: f.from,
      to: f.to,
      country,
      province: country ? undefined : f.place,
      cursor,
      limit: 50,
    })}`,
  );
  return { rows: r.items.map(fromIncident), next: r.next };
}
