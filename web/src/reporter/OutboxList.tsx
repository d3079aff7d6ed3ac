/** Reports kept on this device, with their state: waiting, sending, sent (then "in review" on the server). */
import { useEffect, useState } from "react";
import { listOutbox, type OutboxItem, onOutboxChange, removeItem } from "../offline/outbox.js";
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

export function OutboxList() {
  const items = useOutbox();
  if (items.length === 0) return <p>No reports on this phone.</p>;
  const waiting = items.some((i) => i.state === "waiting");
  return (
    <>
      <ul className="outbox">
        {items.slice(0, 20).map((i) => (
          <li key={i.externalId} data-state={i.state} data-external-id={i.externalId}>
            <span className={`badge state-${i.state}`}>{STATE_WORDS[i.state]}</span>{" "}
            <span>
              {i.record.date} · {i.record.place ?? i.record.country ?? ""} ·{" "}
              {i.record.type?.replaceAll("_", " ")}
            </span>
            {i.message && <span className="muted"> — {i.message}</span>}
            {i.state === "failed" && (
              <button type="button" className="link" onClick={() => void removeItem(i.externalId)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {waiting && navigator.onLine && (
        <button type="button" className="secondary" onClick={() => void flushOutbox()}>
          Send waiting reports now
        </button>
      )}
    </>
  );
}
