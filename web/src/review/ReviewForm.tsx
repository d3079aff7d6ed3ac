/** Status and grade with a note: the reviewer's decision on an incident. */
import { type FormEvent, useState } from "react";
import { GRADES, INCIDENT_STATUSES } from "../../../src/core/vocabulary.js";
import { ApiError, post } from "../lib/api.js";
import { label } from "../lib/words.js";
import type { Incident } from "./types.js";

export function ReviewForm({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const [status, setStatus] = useState(incident.status);
  const [grade, setGrade] = useState(incident.grade ?? "");
  const [note, setNote] = useState("");
  const [message, setMessage] = useState("");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await post(`/api/v1/incidents/${incident.id}/review`, {
        status,
        grade: grade === "" ? null : grade,
        ...(note.trim() ? { note } : {}),
      });
      setNote("");
      setMessage("Saved.");
      onDone();
    } catch (err) {
      setMessage(err instanceof ApiError ? err.detail || err.title : "Failed: no connection.");
    }
  };
  return (
    <form onSubmit={submit} className="review-form" aria-labelledby="decision-title">
      <h2 id="decision-title">Decision</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="r-status">Status</label>
          <select id="r-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {INCIDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-grade">Grade</label>
          <select id="r-grade" value={grade} onChange={(e) => setGrade(e.target.value)}>
            <option value="">None</option>
            {GRADES.map((g) => (
              <option key={g} value={g}>
                {label(g)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="r-note">Note (the reporter sees it)</label>
        <textarea
          id="r-note"
          rows={2}
          maxLength={5000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      <button type="submit">Save decision</button>
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
    </form>
  );
}
