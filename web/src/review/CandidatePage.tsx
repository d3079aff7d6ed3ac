/**
 * A machine-extracted candidate: its document with the extracted span highlighted, its fields (editable), and
 * accept / reject. Selecting text in the document offers to record a claim from it.
 * Keys: a accept, r reject, n next, c claim from the selection.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { navigate } from "../app/router.js";
import type { ScreenProps } from "../app/routes.js";
import { ApiError, get, post, query } from "../lib/api.js";
import { label } from "../lib/words.js";
import { nextInQueue, useShortcuts } from "./keys.js";

type Scalar = string | number | null;
interface Candidate {
  id: number | string;
  kind?: string;
  status?: string;
  fields?: Record<string, unknown>;
  document?: { id?: number; title?: string | null; text?: string; content?: string; source?: string | null };
  span?: { start: number; end: number };
  span_start?: number;
  span_end?: number;
  source?: string | { name?: string };
}

/** The document's text with [start, end) marked. */
export function Highlighted({
  text,
  start,
  end,
}: {
  text: string;
  start?: number | undefined;
  end?: number | undefined;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "center" });
  }, []);
  if (start === undefined || end === undefined || start < 0 || end > text.length || end <= start)
    return <>{text}</>;
  return (
    <>
      {text.slice(0, start)}
      <mark ref={ref}>{text.slice(start, end)}</mark>
      {text.slice(end)}
    </>
  );
}

export default function CandidatePage({ params }: ScreenProps) {
  const id = params.id as string;
  const [c, setC] = useState<Candidate | null>(null);
  const [fields, setFields] = useState<Record<string, Scalar>>({});
  const [error, setError] = useState("");
  const [message, setMessage] = useState("");
  const docRef = useRef<HTMLDivElement>(null);

  const load = useCallback(async () => {
    try {
      const r = await get<Candidate>(`/api/v1/review/${encodeURIComponent(id)}`);
      setC(r);
      const f: Record<string, Scalar> = {};
      for (const [k, v] of Object.entries(r.fields ?? {}))
        if (v === null || typeof v === "string" || typeof v === "number") f[k] = v;
      setFields(f);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached.");
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const here = `/review/candidate/${id}`;
  const act = async (what: "accept" | "reject" | "edit") => {
    try {
      await post(`/api/v1/review/${encodeURIComponent(id)}/${what}`, what === "edit" ? { fields } : {});
      setMessage(what === "edit" ? "Changes saved." : what === "accept" ? "Accepted." : "Rejected.");
      if (what === "edit") await load();
      else navigate(nextInQueue(here) ?? "/review");
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");
    }
  };
  const claimFromSelection = () => {
    const sel = getSelection();
    const text = sel?.toString().trim() ?? "";
    if (!text || !docRef.current || !sel?.anchorNode || !docRef.current.contains(sel.anchorNode)) {
      setMessage("Select the words of the claim in the document first.");
      return;
    }
    const source = typeof c?.source === "string" ? c.source : (c?.source?.name ?? c?.document?.source ?? "");
    navigate(`/claims/new${query({ quote: text.slice(0, 5000), source })}`);
  };
  useShortcuts({
    a: () => void act("accept"),
    r: () => void act("reject"),
    n: () => navigate(nextInQueue(here) ?? "/review"),
    c: claimFromSelection,
  });

  if (error)
    return (
      <>
        <h1>Candidate {id}</h1>
        <p className="error" role="alert">
          {error}
        </p>
      </>
    );
  if (!c) return <p aria-busy="true">Loading…</p>;
  const text = c.document?.text ?? c.document?.content ?? "";
  const start = c.span?.start ?? c.span_start;
  const end = c.span?.end ?? c.span_end;
  return (
    <>
      <h1>
        Candidate {c.kind ? label(c.kind) : ""} {id}
      </h1>
      <div className="toolbar">
        <button type="button" onClick={() => void act("accept")}>
          Accept <kbd>a</kbd>
        </button>
        <button type="button" className="secondary" onClick={() => void act("reject")}>
          Reject <kbd>r</kbd>
        </button>
        <button type="button" className="secondary" onClick={claimFromSelection}>
          Claim from selection <kbd>c</kbd>
        </button>
      </div>
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
      <div className="columns">
        <section aria-labelledby="doc-title">
          <h2 id="doc-title">{c.document?.title ?? "Document"}</h2>
          <div className="document" ref={docRef}>
            <Highlighted text={text} start={start} end={end} />
          </div>
        </section>
        <section aria-labelledby="cfields-title">
          <h2 id="cfields-title">Extracted fields</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act("edit");
            }}
          >
            {Object.entries(fields).map(([k, v]) => (
              <div className="field" key={k}>
                <label htmlFor={`c-${k}`}>{label(k)}</label>
                <input
                  id={`c-${k}`}
                  value={v ?? ""}
                  onChange={(e) =>
                    setFields((f) => ({
                      ...f,
                      [k]:
                        typeof v === "number" &&
                        e.target.value !== "" &&
                        !Number.isNaN(Number(e.target.value))
                          ? Number(e.target.value)
                          : e.target.value,
                    }))
                  }
                />
              </div>
            ))}
            <button type="submit" className="secondary">
              Save changes
            </button>
          </form>
        </section>
      </div>
    </>
  );
}
