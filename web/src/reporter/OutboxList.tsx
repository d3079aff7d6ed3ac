/**
 * Reports kept on this device, with their state: waiting (not sent yet), sending, sent; once sent, the ledger's
 * own state is shown beside it (in review, verified, ...), fetched from the reporter's submissions.
 */
import { useEffect, useState } from "react";
import { get } from "../lib/api.js";
import { clearSent, listOutbox, type OutboxItem, onOutboxChange, removeItem } from "../offline/outbox.js";
import { flushOutbox } from "../offline/send.js";

const STATE_WORDS: Record<OutboxItem["state"], string> = {
  waiting: "waiting",
  sending: "sending",
  sent: "sent",
  failed: "not accepted",
};

export function useOutbox(): OutboxItem[] {
  const [items, setItems] = useState<OutboxItem[]>([]);
  useEffect(() => {
    const load = () => void listOutbox().then(setItems, () => setItems([]));
    load();
    const off = onOutboxChange(load);
    addEventListener("online", load);
    const t = setInterval(load, 5000);
    return () => {
      off();
      removeEventListener("online", load);
      clearInterval(t);
    };
  }, []);
  return items;
}

/** The ledger's state of each sent report, by external id. */
function useLedgerStates(items: OutboxItem[]): Map<string, string> {
  const [states, setStates] = useState(new Map<string, string>());
  const sentKey = items
    .filter((i) => i.state === "sent")
    .map((i) => i.externalId)
    .join(",");
  useEffect(() => {
    if (!sentKey) return;
    get<{ items: { externalId: string | null; state: string }[] }>("/api/v1/me/submissions?limit=200").then(
      (r) =>
        setStates(new Map(r.items.filter((i) => i.externalId).map((i) => [i.externalId as string, i.state]))),
      () => {},
    );
  }, [sentKey]);
  return states;
}

export function OutboxList() {
  const items = useOutbox();
  const ledger = useLedgerStates(items);
  if (items.length === 0) return <p>No reports on this phone.</p>;
  const waiting = items.some((i) => i.state === "waiting");
  const sent = items.some((i) => i.state === "sent");
  return (
    <>
      <ul className="outbox">
        {items.slice(0, 20).map((i) => {
          const onLedger = ledger.get(i.externalId);
          return (
            <li key={i.externalId} data-state={i.state} data-external-id={i.externalId}>
              <span className={`badge state-${i.state}`}>{STATE_WORDS[i.state]}</span>
              {onLedger && (
                <>
                  {" "}
                  <span className={`badge state-${onLedger.replace(" ", "-")}`}>{onLedger}</span>
                </>
              )}{" "}
              <span>
                {i.record.date} · {i.record.place || i.record.country || ""} ·{" "}
                {i.record.type?.replaceAll("_", " ")}
              </span>
              {i.message && <span className="muted"> — {i.message}</span>}
              {i.state === "failed" && (
                <button type="button" className="link" onClick={() => void removeItem(i.externalId)}>
                  Remove
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <div className="toolbar">
        {waiting && navigator.onLine && (
          <button type="button" className="secondary" onClick={() => void flushOutbox()}>
            Send waiting reports now
          </button>
        )}
        {sent && (
          <button type="button" className="secondary" onClick={() => void clearSent()}>
            Forget sent reports on this phone
          </button>
        )}
      </div>
    </>
  );
}
