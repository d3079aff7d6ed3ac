/**
 * Sends the outbox to the server, oldest first: each report's files (uploaded first, their ids remembered so a
 * dropped connection never uploads one twice), then the report naming them. Used by the page (when it comes
 * online, or after a new report) and by the service worker (on a background sync). A lock keeps two senders
 * from sending the same report at once; the external_id would make a double send harmless, but not cheap on
 * a slow line.
 */
import { listOutbox, type OutboxItem, ownedBy, updateItem } from "./outbox.js";

async function csrfToken(): Promise<string> {
  const r = await fetch("/api/v1/auth/csrf", { credentials: "same-origin" });
  if (!r.ok) throw new Error(`csrf ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

type Outcome = "sent" | "stop" | "next";

/** What a refused request means for the report: wait and retry, or stop trying (a field or file is wrong). */
async function refusal(item: OutboxItem, res: Response, prefix = ""): Promise<Outcome> {
  let detail = "";
  try {
    detail = ((await res.json()) as { detail?: string }).detail ?? "";
  } catch {
    // No problem document.
  }
  if (res.status === 401) {
    await updateItem(item.externalId, { state: "waiting", reason: "sign-in" });
    return "stop";
  }
  const later =
    res.status >= 500 ||
    res.status === 429 ||
    res.status === 408 ||
    (res.status === 403 && /csrf/i.test(detail));
  if (later) {
    await updateItem(item.externalId, { state: "waiting", reason: "later", status: res.status });
    return "stop";
  }
  await updateItem(item.externalId, {
    state: "failed",
    reason: undefined,
    message: `${prefix}${detail || `refused (${res.status})`}`,
  });
  return "next";
}

/** Uploads the report's files not yet uploaded; returns their attachment ids, or the outcome to stop on. */
async function uploadFiles(item: OutboxItem, token: string): Promise<Outcome | number[]> {
  const files = [...(item.files ?? [])];
  for (const [i, f] of files.entries()) {
    if (f.attachmentId !== undefined) continue;
    const body = new FormData();
    body.append("file", f.blob, f.name);
    let res: Response;
    try {
      res = await fetch("/api/v1/attachments", {
        method: "POST",
        credentials: "same-origin",
        headers: { accept: "application/json", "x-csrf-token": token },
        body,
      });
    } catch {
      await updateItem(item.externalId, { state: "waiting", reason: "offline" });
      return "stop";
    }
    if (!res.ok) return refusal(item, res, `${f.name}: `);
    const { id } = (await res.json()) as { id: number };
    files[i] = { ...f, attachmentId: id };
    await updateItem(item.externalId, { files });
  }
  return files.map((f) => f.attachmentId as number);
}

async function sendOne(item: OutboxItem, token: string): Promise<Outcome> {
  await updateItem(item.externalId, { state: "sending" });
  const ids = await uploadFiles(item, token);
  if (!Array.isArray(ids)) return ids;
  // Extra fields of a report are kept with it (as attributes): the attachments are named there by id.
  const record = ids.length ? { ...item.record, attachments: ids.join(" ") } : item.record;
  let res: Response;
  try {
    res = await fetch("/api/v1/incidents", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": token },
      body: JSON.stringify(record),
    });
  } catch {
    await updateItem(item.externalId, { state: "waiting", reason: "offline" });
    return "stop";
  }
  if (!res.ok) return refusal(item, res);
  const body = (await res.json()) as { incident: { id: number } };
  // Once the ledger has it, the phone keeps only what its list shows: a seized phone should hold as little as
  // possible of what its reporter saw (no description, no files).
  const { date = "", type = "", place = "", country = "" } = item.record;
  await updateItem(item.externalId, {
    state: "sent",
    sentAt: new Date().toISOString(),
    incidentId: body.incident.id,
    message: undefined,
    reason: undefined,
    record: { date, type, place, country, external_id: item.externalId },
    files: undefined,
  });
  return "sent";
}

/** Who this browser's session is, or null when signed out or offline. */
async function signedIn(): Promise<string | null> {
  try {
    const r = await fetch("/api/v1/me", { credentials: "same-origin" });
    const me = (await r.json()) as { signedIn: boolean; pseudonym?: string };
    return me.signedIn && me.pseudonym ? me.pseudonym : null;
  } catch {
    return null;
  }
}

async function flush(): Promise<number> {
  const pending = (await listOutbox()).filter((i) => i.state === "waiting" || i.state === "sending");
  if (pending.length === 0) return 0;
  const me = await signedIn();
  if (me === null) return 0;
  const waiting = pending.filter((i) => ownedBy(i, me)).reverse();
  if (waiting.length === 0) return 0;
  let token: string;
  try {
    token = await csrfToken();
  } catch {
    return 0;
  }
  let sent = 0;
  for (const item of waiting) {
    const outcome = await sendOne(item, token);
    if (outcome === "sent") sent++;
    if (outcome === "stop") break;
  }
  return sent;
}

/** Sends what waits; resolves to the number sent. Safe to call often. */
export function flushOutbox(): Promise<number> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks) return locks.request("tally-outbox", () => flush());
  return flush();
}
