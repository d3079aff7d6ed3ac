/**
 * One incident on the review desk: its fields, documents, status and grade with a note, likely duplicates and
 * its history. Keys: a accept (verified), r reject, n next in the queue, m compare with the best duplicate.
 */
import { useCallback, useEffect, useState } from "react";
import { Link, navigate } from "../app/router.js";
import type { ScreenProps } from "../app/routes.js";
import { ApiError, get, post } from "../lib/api.js";
import { History } from "./History.js";
import { IncidentFields } from "./IncidentCard.js";
import { nextInQueue, useShortcuts } from "./keys.js";
import { ReviewForm } from "./ReviewForm.js";
import type { IncidentDetail, Suggestion } from "./types.js";

/** Files sent with the report, downloaded as attachments (the server strips their metadata when storing). */
function Attachments({ ids }: { ids: string }) {
  const list = ids.split(/[\s,]+/).filter((x) => /^\d{1,10}$/.test(x));
  if (list.length === 0) return null;
  return (
    <>
      <h3>Attachments</h3>
      <ul>
        {list.map((id) => (
          <li key={id}>
            <a href={`/api/v1/attachments/${id}`} download>
              Attachment {id}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function IncidentPage({ params }: ScreenProps) {
  const id = Number(params.id);
  const [incident, setIncident] = useState<IncidentDetail | null>(null);
  const [dups, setDups] = useState<Suggestion[]>([]);
  const [error, setError] = useState("");
  const [message, setMessage] = useState("");

  const load = useCallback(async () => {
    try {
      setIncident(await get<IncidentDetail>(`/api/v1/incidents/${id}`));
      setDups((await get<{ suggestions: Suggestion[] }>(`/api/v1/incidents/${id}/duplicates`)).suggestions);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached.");
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const here = `/review/incident/${id}`;
  const decide = async (status: "verified" | "rejected") => {
    try {
      await post(`/api/v1/incidents/${id}/review`, { status });
      setMessage(status === "verified" ? "Accepted (verified)." : "Rejected.");
      await load();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");
    }
  };
  const goNext = () => {
    const n = nextInQueue(here);
    navigate(n ?? "/review");
  };
  useShortcuts({
    a: () => void decide("verified"),
    r: () => void decide("rejected"),
    n: goNext,
    m: () => dups[0] && navigate(`/review/duplicates/${id}?with=${dups[0].id}`),
  });

  if (error)
    return (
      <>
        <h1>Incident {id}</h1>
        <p className="error" role="alert">
          {error}
        </p>
      </>
    );
  if (!incident) return <p aria-busy="true">Loading…</p>;
  return (
    <>
      <h1>
        Incident {incident.id} <span className={`badge state-${incident.status}`}>{incident.status}</span>
      </h1>
      {incident.mergedInto !== null && (
        <p className="notice">
          Merged into{" "}
          <Link href={`/review/incident/${incident.mergedInto}`}>incident {incident.mergedInto}</Link>.{" "}
          <Link href={`/review/duplicates/${incident.mergedInto}?with=${incident.id}`}>
            Compare or unmerge
          </Link>
        </p>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => void decide("verified")}>
          Accept <kbd>a</kbd>
        </button>
        <button type="button" className="secondary" onClick={() => void decide("rejected")}>
          Reject <kbd>r</kbd>
        </button>
        <button type="button" className="secondary" onClick={goNext}>
          Next <kbd>n</kbd>
        </button>
      </div>
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
      <div className="columns">
        <section aria-labelledby="fields-title">
          <h2 id="fields-title">Fields</h2>
          <IncidentFields incident={incident} />
          {incident.sources.length > 0 && (
            <p>Sources: {incident.sources.map((s) => `${s.name} (${s.kind})`).join(", ")}</p>
          )}
          {incident.documents.length > 0 && (
            <>
              <h3>Documents</h3>
              <p>
                <Link href={`/review/candidate/incident-${incident.id}`}>Read it in its document</Link>, with
                the span highlighted.
              </p>
              <ul>
                {incident.documents.map((d) => (
                  <li key={`${d.id}-${d.span_start}`}>
                    {d.title ?? d.origin ?? `document ${d.id}`}
                    {d.span_start !== null && ` (characters ${d.span_start}–${d.span_end})`}
                  </li>
                ))}
              </ul>
            </>
          )}
          <Attachments ids={String(incident.attributes.attachments ?? "")} />
          {incident.mergedFrom.length > 0 && (
            <>
              <h3>Merged into this one</h3>
              <ul>
                {incident.mergedFrom.map((m) => (
                  <li key={m.id}>
                    <Link href={`/review/duplicates/${incident.id}?with=${m.id}`}>Incident {m.id}</Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section aria-labelledby="dups-title">
          <h2 id="dups-title">Likely duplicates</h2>
          {dups.length === 0 ? (
            <p>None found.</p>
          ) : (
            <ul>
              {dups.map((d, i) => (
                <li key={d.id}>
                  <Link href={`/review/duplicates/${incident.id}?with=${d.id}`}>
                    Incident {d.id}: score {d.score.toFixed(2)}
                  </Link>{" "}
                  <span className="muted">({d.reasons.join(", ")})</span>
                  {i === 0 && (
                    <>
                      {" "}
                      <kbd>m</kbd>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <ReviewForm incident={incident} onDone={() => void load()} />
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <History entries={incident.history} />
      </section>
    </>
  );
}
