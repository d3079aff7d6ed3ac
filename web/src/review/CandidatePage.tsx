/**
 * A machine-extracted candidate (a claim or an incident): its document with the extracted span highlighted, its
 * fields (editable before deciding), accept and reject with a note. Selecting words in the document offers to
 * record a claim from them. Keys: a accept, r reject, n next, c claim from the selection.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { INCIDENT_TYPES, METRICS, QUALIFIERS } from "../../../src/core/vocabulary.js";
import { navigate } from "../app/router.js";
import type { ScreenProps } from "../app/routes.js";
import { ApiError, get, post, query } from "../lib/api.js";
import { formatCount, label } from "../lib/words.js";
import { nextInQueue, useShortcuts } from "./keys.js";
import { decide, placeOf, type QueueItem, rememberedItem, titleOf } from "./queue-data.js";
import type { IncidentDetail } from "./types.js";

/** The document's text with [start, end) marked, scrolled into view. */
export function Highlighted({ text, span }: { text: string; span: [number, number] | null }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: "center" });
  }, []);
  if (!span || span[0] < 0 || span[1] > text.length || span[1] <= span[0]) return <>{text}</>;
  return (
    <>
      {text.slice(0, span[0])}
      <mark ref={ref}>{text.slice(span[0], span[1])}</mark>
      {text.slice(span[1])}
    </>
  );
}

/** Loads an incident that is not in the remembered queue page (a link opened directly). */
async function incidentItem(id: string): Promise<QueueItem> {
  const d = await get<IncidentDetail>(`/api/v1/incidents/${id}`);
  const doc = d.documents.find((x) => x.incident_id === d.id) ?? d.documents[0];
  return {
    ref: `incident-${id}`,
    kind: "incident",
    status: d.status,
    createdAt: d.updatedAt ?? "",
    document: doc ? { id: doc.id, title: doc.title, published: null, origin: doc.origin } : null,
    span: doc && doc.span_start !== null && doc.span_end !== null ? [doc.span_start, doc.span_end] : null,
    text: d.description,
    fields: { type: d.type, date: d.date, dateEnd: d.dateEnd, place: d.place, counts: d.counts },
  };
}

type Edit = Record<string, string>;

function editableFields(item: QueueItem): Edit {
  const f = item.fields;
  const s = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  if (item.kind === "claim") {
    return {
      metric: s(f.metric),
      low: s(f.low),
      high: s(f.high),
      qualifier: s(f.qualifier),
      as_of: s(f.asOf),
      place: placeOf(f),
      context: s(f.context),
      source: s((f.source as { name?: string } | undefined)?.name),
    };
  }
  const counts = (f.counts ?? {}) as Record<string, { low: number; high: number | null }>;
  return {
    type: s(f.type),
    date: s(f.date),
    place: placeOf(f),
    description: s(item.text),
    ...Object.fromEntries(
      METRICS.map((m) => [m, counts[m] ? formatCount(counts[m]).replaceAll(",", "").replace("–", "-") : ""]),
    ),
  };
}

/** The edit body the review API takes, with only the fields the reviewer changed. */
function editBody(item: QueueItem, before: Edit, after: Edit): Record<string, unknown> {
  const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
  const body: Record<string, unknown> = {};
  if (item.kind === "claim") {
    for (const k of changed) {
      const v = after[k]?.trim() ?? "";
      if (k === "low") body.low = Number(v);
      else if (k === "high") body.high = v === "" ? null : Number(v);
      else body[k] = v === "" ? null : v;
    }
    return body;
  }
  const counts: Record<string, string | null> = {};
  for (const k of changed) {
    const v = after[k]?.trim() ?? "";
    if ((METRICS as readonly string[]).includes(k)) counts[k] = v === "" ? null : v;
    else body[k] = v;
  }
  if (Object.keys(counts).length) body.counts = counts;
  return body;
}

export default function CandidatePage({ params }: ScreenProps) {
  const ref = params.id as string;
  const [item, setItem] = useState<QueueItem | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [original, setOriginal] = useState<Edit>({});
  const [edit, setEdit] = useState<Edit>({});
  const [note, setNote] = useState("");
  const [error, setError] = useState("");
  const [message, setMessage] = useState("");
  const docRef = useRef<HTMLDivElement>(null);

  const show = useCallback((i: QueueItem) => {
    setItem(i);
    const e = editableFields(i);
    setOriginal(e);
    setEdit(e);
  }, []);

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const i =
          rememberedItem(ref) ??
          (ref.startsWith("incident-") ? await incidentItem(ref.slice("incident-".length)) : undefined);
        if (!i) throw new ApiError(404, "Not found", "Open this claim from the review queue.");
        if (!live) return;
        show(i);
        if (i.document) {
          const doc = await get<{ content: string }>(`/api/v1/documents/${i.document.id}`);
          if (live) setText(doc.content);
        }
      } catch (e) {
        if (live) setError(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached.");
      }
    })();
    return () => {
      live = false;
    };
  }, [ref, show]);

  const here = `/review/candidate/${ref}`;
  const act = async (what: "accept" | "reject") => {
    try {
      await decide(ref, what, note.trim() || undefined);
      setMessage(what === "accept" ? "Accepted." : "Rejected.");
      navigate(nextInQueue(here) ?? "/review");
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");
    }
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!item) return;
    const body = editBody(item, original, edit);
    if (Object.keys(body).length === 0) {
      setMessage("Nothing changed.");
      return;
    }
    try {
      const updated = await post<QueueItem>(`/api/v1/review/${ref}/edit`, {
        ...body,
        ...(note.trim() ? { note } : {}),
      });
      show({ ...updated, document: item.document, span: item.span });
      setMessage("Changes saved.");
    } catch (err) {
      setMessage(err instanceof ApiError ? err.detail || err.title : "Failed: no connection.");
    }
  };
  const claimFromSelection = () => {
    const sel = getSelection();
    const quote = sel?.toString().trim() ?? "";
    if (!quote || !docRef.current || !sel?.anchorNode || !docRef.current.contains(sel.anchorNode)) {
      setMessage("Select the words of the claim in the document first.");
      return;
    }
    navigate(
      `/claims/new${query({ quote: quote.slice(0, 5000), url: item?.document?.origin?.startsWith("http") ? item.document.origin : undefined })}`,
    );
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
        <h1>Candidate {ref}</h1>
        <p className="error" role="alert">
          {error}
        </p>
      </>
    );
  if (!item) return <p aria-busy="true">Loading…</p>;
  const choices: Record<string, readonly string[]> = {
    type: INCIDENT_TYPES,
    metric: METRICS,
    qualifier: QUALIFIERS,
  };
  return (
    <>
      <h1>
        {titleOf(item)} <span className={`badge state-${item.status}`}>{item.status}</span>
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
          <h2 id="doc-title">{item.document?.title ?? (item.document ? "Document" : "No document")}</h2>
          {item.document?.published && <p className="muted">Published {item.document.published}</p>}
          {item.document ? (
            <div className="document" ref={docRef}>
              {text === null ? "Loading the document…" : <Highlighted text={text} span={item.span} />}
            </div>
          ) : (
            item.text && <p>{item.text}</p>
          )}
        </section>
        <section aria-labelledby="cfields-title">
          <h2 id="cfields-title">Extracted fields</h2>
          <form onSubmit={save}>
            {Object.entries(edit).map(([k, v]) => (
              <div className="field" key={k}>
                <label htmlFor={`c-${k}`}>{label(k)}</label>
                {choices[k] ? (
                  <select
                    id={`c-${k}`}
                    value={v}
                    onChange={(e) => setEdit((x) => ({ ...x, [k]: e.target.value }))}
                  >
                    {(choices[k] as readonly string[]).map((o) => (
                      <option key={o} value={o}>
                        {label(o)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={`c-${k}`}
                    value={v}
                    onChange={(e) => setEdit((x) => ({ ...x, [k]: e.target.value }))}
                  />
                )}
              </div>
            ))}
            <div className="field">
              <label htmlFor="c-note">Note (kept in the history)</label>
              <input id="c-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={5000} />
            </div>
            <button type="submit" className="secondary">
              Save changes
            </button>
          </form>
        </section>
      </div>
    </>
  );
}
