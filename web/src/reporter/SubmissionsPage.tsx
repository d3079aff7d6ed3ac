/** A reporter's own submissions as the server has them, with the reviewers' notes; and what waits on the phone. */
import { useEffect, useState } from "react";
import { formatDay, formatRange, METRIC_WORDS, TYPE_WORDS, word } from "../../../src/core/locale.js";
import { ApiError, get } from "../lib/api.js";
import { useT } from "../lib/lang.js";
import { ledgerStateWord, OutboxList } from "./OutboxList.js";

interface Submission {
  id: number;
  externalId: string | null;
  type: string;
  date: string;
  place: { name: string | null; province: string | null; country: string | null };
  counts: Record<string, { low: number; high: number | null }>;
  state: string;
  notes: { action: string; note: string; at: string }[];
}

export default function SubmissionsPage() {
  const { lang, t } = useT();
  const [items, setItems] = useState<Submission[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    get<{ items: Submission[] }>("/api/v1/me/submissions?limit=100").then(
      (r) => setItems(r.items),
      (e) => setError(e instanceof ApiError ? e.detail : "offline"),
    );
  }, []);
  return (
    <>
      <h1>{t("mySubmissions")}</h1>
      <section aria-labelledby="phone-title">
        <h2 id="phone-title">{t("onPhone")}</h2>
        <OutboxList />
      </section>
      <section aria-labelledby="server-title">
        <h2 id="server-title">{t("received")}</h2>
        {error && <p className="notice">{error === "offline" ? t("offlineList") : error}</p>}
        {items === null && !error && <p aria-busy="true">{t("loading")}</p>}
        {items?.length === 0 && <p>{t("noneYet")}</p>}
        {items && items.length > 0 && (
          <ul className="cards">
            {items.map((s) => (
              <li key={s.id} className="card" data-external-id={s.externalId ?? undefined}>
                <p>
                  <span className={`badge state-${s.state.replace(" ", "-")}`}>
                    {ledgerStateWord(s.state, lang, t)}
                  </span>{" "}
                  <strong>{word(TYPE_WORDS, s.type, lang)}</strong>, {formatDay(s.date, lang)},{" "}
                  {[s.place.name, s.place.province, s.place.country].filter(Boolean).join(", ")}
                </p>
                {Object.keys(s.counts).length > 0 && (
                  <p className="muted">
                    {Object.entries(s.counts)
                      .map(([m, c]) => `${word(METRIC_WORDS, m, lang)}: ${formatRange(c, lang)}`)
                      .join(" · ")}
                  </p>
                )}
                {s.notes.length > 0 && (
                  <ul className="notes" aria-label={t("reviewerNotes")}>
                    {s.notes.map((n) => (
                      <li key={n.at + n.note}>
                        <time dateTime={n.at}>{formatDay(n.at.slice(0, 10), lang)}</time>: {n.note}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
