/**
 * Sends the outbox to the server, oldest first. Used by the page (when it comes online, or after a new report)
 * and by the service worker (on a background sync). A lock keeps two senders from sending the same report at
 * once; the external_id would make a double send harmless, but not double work on a slow line.
 */
import { listOutbox, type OutboxItem, updateItem } from "./outbox.js";

async function csrfToken(): Promise<string> {
  const r = await fetch("/api/v1/auth/csrf", { credentials: "same-origin" });
  if (!r.ok) throw new Error(`csrf ${r.status}`);
  return ((await r.json()) as { token: string }).token;
}

type Outcome = "sent" | "stop" | "next";

async function sendOne(item: OutboxItem, token: string): Promise<Outcome> {
  await updateItem(item.externalId, { state: "sending" });
  let res: Response;
  try {
    res = await fetch("/api/v1/incidents", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": token },
      body: JSON.stringify(item.record),
    });
  } catch {
    await updateItem(item.externalId, {
      state: "waiting",
      message: "no connection; it will be sent when online",
    });
    return "stop";
  }
  if (res.ok) {
    const body = (await res.json()) as { incident: { id: number } };
    // Once the ledger has it, the phone keeps only what its list shows: a seized phone should hold as little
    // as possible of what its reporter saw.
    const { date = "", type = "", place = "", country = "" } = item.record;
    await updateItem(item.externalId, {
      state: "sent",
      sentAt: new Date().toISOString(),
      incidentId: body.incident.id,
      message: undefined,
      record: { date, type, place, country, external_id: item.externalId },
    });
    return "sent";
  }
  let detail = "";
  try {
    detail = ((await res.json()) as { detail?: string }).detail ?? "";
  } catch {
    // No problem document.
  }
  if (res.status === 401) {
    await updateItem(item.externalId, { state: "waiting", message: "sign in again to send it" });
    return "stop";
  }
  if (
    res.status >= 500 ||
    res.status === 429 ||
    res.status === 408 ||
    (res.status === 403 && /csrf/i.test(detail))
  ) {
    await updateItem(item.externalId, {
      state: "waiting",
      message: `the server could not take it yet (${res.status})`,
    });
    return "stop";
  }
  // The server refused the report itself (a field is wrong): sending again would not help.
  await updateItem(item.externalId, { state: "failed", message: detail || `refused (${res.status})` });
  return "next";
}

async function flush(): Promise<number> {
  const waiting = (await listOutbox())
    .filter((i) => i.state === "waiting" || i.state === "sending")
    .reverse();
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
