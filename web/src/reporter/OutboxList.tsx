/**
 * Reports kept on this device, with their state: waiting (not sent yet), sending, sent; once sent, the ledger's
 * own state is shown beside it (in review, verified, ...), fetched from the reporter's submissions.
 */
import { useEffect, useState } from "react";
import { formatDay, STATUS_WORDS, TYPE_WORDS, word } from "../../../src/core/locale.js";
import { get } from "../lib/api.js";
import { type Lang, useT } from "../lib/lang.js";
import type { MessageKey, Translate } from "../lib/messages.js";
import { useSession } from "../lib/session.js";
import {
  clearSent,
  listOutbox,
  type OutboxItem,
  onOutboxChange,
  ownedBy,
  removeItem,
} from "../offline/outbox.js";
import { flushOutbox } from "../offline/send.js";

const STATE_KEYS: Record<OutboxItem["state"], MessageKey> = {
  waiting: "waiting",
  sending: "sending",
  sent: "sent",
  failed: "failed",
};

/** The ledger's state of a submission in words: "in review" until a reviewer decides, then the status. */
export function ledgerStateWord(state: string, lang: Lang, t: Translate): string {
  if (state === "in review") return t("inReview");
  if (state === "merged") return t("merged");
  return word(STATUS_WORDS, state, lang).toLowerCase();
}

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
  const { lang, t } = useT();
  const { me } = useSession();
  // On a shared phone each person sees only their own reports.
  const items = useOutbox().filter((i) => ownedBy(i, me?.pseudonym));
  const ledger = useLedgerStates(items);
  if (items.length === 0) return <p>{t("noneOnPhone")}</p>;
  const why = (i: OutboxItem) =>
    i.state === "failed"
      ? i.message
      : i.state === "waiting" && i.reason === "offline"
        ? t("reasonOffline")
        : i.state === "waiting" && i.reason === "sign-in"
          ? t("reasonSignIn")
          : i.state === "waiting" && i.reason === "later"
            ? t("reasonLater", { status: i.status ?? "" })
            : undefined;
  const waiting = items.some((i) => i.state === "waiting");
  const sent = items.some((i) => i.state === "sent");
  return (
    <>
      <ul className="outbox">
        {items.slice(0, 20).map((i) => {
          const onLedger = ledger.get(i.externalId);
          return (
            <li key={i.externalId} data-state={i.state} data-external-id={i.externalId}>
              <span className={`badge state-${i.state}`}>{t(STATE_KEYS[i.state])}</span>
              {onLedger && (
                <>
                  {" "}
                  <span className={`badge state-${onLedger.replace(" ", "-")}`}>
                    {ledgerStateWord(onLedger, lang, t)}
                  </span>
                </>
              )}{" "}
              <span>
                <bdi>{formatDay(i.record.date, lang)}</bdi> ·{" "}
                <bdi>{i.record.place || i.record.country || ""}</bdi> ·{" "}
                {word(TYPE_WORDS, i.record.type, lang)}
              </span>
              {why(i) && <span className="muted"> — {why(i)}</span>}
              {i.state === "failed" && (
                <button type="button" className="link" onClick={() => void removeItem(i.externalId)}>
                  {t("remove")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      <div className="toolbar">
        {waiting && navigator.onLine && (
          <button type="button" className="secondary" onClick={() => void flushOutbox()}>
            {t("sendNow")}
          </button>
        )}
        {sent && (
          <button type="button" className="secondary" onClick={() => void clearSent(me?.pseudonym)}>
            {t("forgetSent")}
          </button>
        )}
      </div>
    </>
  );
}
