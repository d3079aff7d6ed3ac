/**
 * Two incidents side by side, with the fields that differ marked. Merge keeps both (the duplicate is marked as
 * merged, with every source) and can be undone. Key: m merges.
 */
import { useCallback, useEffect, useState } from "react";
import { Link, navigate, useLocation } from "../app/router.js";
import type { ScreenProps } from "../app/routes.js";
import { ApiError, get, post } from "../lib/api.js";
import { IncidentFields } from "./IncidentCard.js";
import { useShortcuts } from "./keys.js";
import type { IncidentDetail } from "./types.js";

export default function DuplicatesPage({ params }: ScreenProps) {
  const { search } = useLocation();
  const id = Number(params.id);
  const other = Number(search.get("with"));
  const [a, setA] = useState<IncidentDetail | null>(null);
  const [b, setB] = useState<IncidentDetail | null>(null);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState("");

  const load = useCallback(async () => {
    try {
      const [x, y] = await Promise.all([
        get<IncidentDetail>(`/api/v1/incidents/${id}`),
        get<IncidentDetail>(`/api/v1/incidents/${other}`),
      ]);
      setA(x);
      setB(y);
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached.");
    }
  }, [id, other]);
  useEffect(() => {
    void load();
  }, [load]);

  const merged = b?.mergedInto === id;
  const merge = async () => {
    if (!a || !b || merged) return;
    try {
      await post("/api/v1/incidents/merge", { into: id, ids: [other], ...(note.trim() ? { note } : {}) });
      setMessage(`Incident ${other} merged into ${id}.`);
      await load();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");
    }
  };
  const unmerge = async () => {
    try {
      await post(`/api/v1/incidents/${other}/unmerge`, note.trim() ? { note } : {});
      setMessage(`Incident ${other} is separate again.`);
      await load();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");
    }
  };
  useShortcuts({
    m: () => void merge(),
    u: () => merged && void unmerge(),
    escape: () => navigate(`/review/incident/${id}`),
  });

  return (
    <>
      <h1>
        Incidents {id} and {other}
      </h1>
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
      {a && b && (
        <>
          <div className="side-by-side">
            <section aria-labelledby="a-title">
              <h2 id="a-title">
                <Link href={`/review/incident/${id}`}>Incident {id}</Link> (kept)
              </h2>
              <IncidentFields incident={a} compare={b} />
            </section>
            <section aria-labelledby="b-title">
              <h2 id="b-title">
                <Link href={`/review/incident/${other}`}>Incident {other}</Link>
                {merged ? " (merged)" : ""}
              </h2>
              <IncidentFields incident={b} compare={a} />
            </section>
          </div>
          <div className="field">
            <label htmlFor="m-note">Note</label>
            <input id="m-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={5000} />
          </div>
          <div className="toolbar">
            {merged ? (
              <button type="button" onClick={() => void unmerge()}>
                Unmerge <kbd>u</kbd>
              </button>
            ) : (
              <button type="button" onClick={() => void merge()} disabled={b.mergedInto !== null}>
                Merge {other} into {id} <kbd>m</kbd>
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
