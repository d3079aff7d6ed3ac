/** A reporter's own submissions as the server has them, with the reviewers' notes; and what waits on the phone. */
import { useEffect, useState } from "react";
import { ApiError, get } from "../lib/api.js";
import { formatCount, label } from "../lib/words.js";
import { OutboxList } from "./OutboxList.js";

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
  const [items, setItems] = useState<Submission[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    get<{ items: Submission[] }>("/api/v1/me/submissions?limit=100").then(
      (r) => setItems(r.items),
      (e) => setError(e instanceof ApiError ? e.detail : "Offline: showing only what is on this phone."),
    );
  }, []);
  return (
    <>
      <h1>My submissions</h1>
      <section aria-labelledby="phone-title">
        <h2 id="phone-title">On this phone</h2>
        <OutboxList />
      </section>
      <section aria-labelledby="server-title">
        <h2 id="server-title">Received by the ledger</h2>
        {error && <p className="notice">{error}</p>}
        {items === null && !error && <p aria-busy="true">Loading…</p>}
        {items?.length === 0 && <p>None yet.</p>}
        {items && items.length > 0 && (
          <ul className="cards">
            {items.map((s) => (
              <li key={s.id} className="card" data-external-id={s.externalId ?? undefined}>
                <p>
                  <span className={`badge state-${s.state.replace(" ", "-")}`}>{s.state}</span>{" "}
                  <strong>{label(s.type)}</strong>, {s.date},{" "}
                  {[s.place.name, s.place.province, s.place.country].filter(Boolean).join(", ")}
                </p>
                {Object.keys(s.counts).length > 0 && (
                  <p className="muted">
                    {Object.entries(s.counts)
                      .map(([m, c]) => `${label(m)}: ${formatCount(c)}`)
                      .join(" · ")}
                  </p>
                )}
                {s.notes.length > 0 && (
                  <ul className="notes" aria-label="Reviewers' notes">
                    {s.notes.map((n) => (
                      <li key={n.at + n.note}>
                        <time dateTime={n.at}>{n.at.slice(0, 10)}</time>: {n.note}
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
