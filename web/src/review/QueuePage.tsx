/**
 * The review queue: filters in the URL (so a view can be shared), a table of items, keyboard shortcuts
 * (j/k or arrows to move, Enter to open, a to accept, r to reject).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { INCIDENT_TYPES } from "../../../src/core/vocabulary.js";
import { Link, navigate, setSearch, useLocation } from "../app/router.js";
import { ApiError, get } from "../lib/api.js";
import { label } from "../lib/words.js";
import { PlaceInput } from "../reporter/PlaceInput.js";
import { rememberQueue, useShortcuts } from "./keys.js";
import { decide, loadQueue, type QueueFilters, type QueueRow, rememberItems } from "./queue-data.js";

const FILTERS = ["origin", "kind", "source", "from", "to", "place", "type"] as const;

export default function QueuePage() {
  const { search } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, search.get(k) ?? ""])) as unknown as QueueFilters;
  const key = FILTERS.map((k) => filters[k]).join("|");
  const [rows, setRows] = useState<QueueRow[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState("");
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const [sources, setSources] = useState<{ id: number; name: string }[]>([]);
  // The filter holds a gazetteer id; the field shows what was picked (or the id, on a shared link).
  const [placeText, setPlaceText] = useState(() => new URLSearchParams(location.search).get("place") ?? "");
  useEffect(() => {
    get<{ items: { id: number; name: string }[] }>("/api/v1/sources").then(
      (r) => setSources(r.items),
      () => {},
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the filters are summed up in `key`.
  useEffect(() => {
    let live = true;
    setRows(null);
    setError("");
    const started = performance.now();
    loadQueue(filters, null).then(
      (p) => {
        if (!live) return;
        setRows(p.rows);
        setNext(p.next);

        setSelected(0);
        rememberQueue(p.rows.map((r) => r.href));
        rememberItems(p.rows);
        performance.measure?.("tally:queue", { start: started });
      },
      (e) => live && setError(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached."),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const more = async () => {
    if (!next || !rows) return;
    const p = await loadQueue(filters, next);
    const all = [...rows, ...p.rows];
    setRows(all);
    setNext(p.next);
    rememberQueue(all.map((r) => r.href));
    rememberItems(all);
  };

  const act = useCallback(async (row: QueueRow | undefined, what: "accept" | "reject") => {
    if (!row) return;
    try {
      await decide(row.key, what);
      setMessage(`${row.title} (${row.date}) ${what === "accept" ? "accepted" : "rejected"}.`);
      setRows((rs) => rs?.filter((r) => r.key !== row.key) ?? rs);
    } catch (e) {
      setMessage(e instanceof ApiError ? e.detail || e.title : "Failed: no connection.");
    }
  }, []);

  const move = (d: number) =>
    setSelected((s) => {
      const n = Math.max(0, Math.min((rows?.length ?? 1) - 1, s + d));
      tableRef.current?.querySelectorAll("tr")[n]?.scrollIntoView({ block: "nearest" });
      return n;
    });
  useShortcuts({
    j: () => move(1),
    arrowdown: () => move(1),
    k: () => move(-1),
    arrowup: () => move(-1),
    enter: () => rows?.[selected] && navigate(rows[selected].href),
    o: () => rows?.[selected] && navigate(rows[selected].href),
    a: () => void act(rows?.[selected], "accept"),
    r: () => void act(rows?.[selected], "reject"),
  });

  return (
    <>
      <h1>Review queue</h1>
      <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="q-origin">From</label>
          <select
            id="q-origin"
            value={filters.origin}
            onChange={(e) => setSearch({ origin: e.target.value })}
          >
            <option value="">Everyone</option>
            <option value="submitted">Reporters</option>
            <option value="candidate">Extraction (candidates)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-kind">Kind</label>
          <select id="q-kind" value={filters.kind} onChange={(e) => setSearch({ kind: e.target.value })}>
            <option value="">Incidents and claims</option>
            <option value="incident">Incidents</option>
            <option value="claim">Claims</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-type">Type</label>
          <select id="q-type" value={filters.type} onChange={(e) => setSearch({ type: e.target.value })}>
            <option value="">Any</option>
            {INCIDENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {label(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-source">Source</label>
          <select
            id="q-source"
            value={filters.source}
            onChange={(e) => setSearch({ source: e.target.value })}
          >
            <option value="">Any</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <PlaceInput
          label="Place or province"
          hint="Pick from the list; clear the field to see every place."
          value={placeText}
          onChange={(text, choice) => {
            setPlaceText(text);
            if (choice) setSearch({ place: choice.id });
            else if (text.trim() === "" && filters.place) setSearch({ place: null });
          }}
        />
        <div className="field">
          <label htmlFor="q-from">Since</label>
          <input
            id="q-from"
            type="date"
            value={filters.from}
            onChange={(e) => setSearch({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="q-to">Until</label>
          <input
            id="q-to"
            type="date"
            value={filters.to}
            onChange={(e) => setSearch({ to: e.target.value })}
          />
        </div>
      </form>
      <p className="hint">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>Enter</kbd> open, <kbd>a</kbd> accept, <kbd>r</kbd> reject.
      </p>
      <p role="status" aria-live="polite" className="status">
        {message}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rows === null && !error && <p aria-busy="true">Loading…</p>}
      {rows && rows.length === 0 && <p>Nothing to review with these filters.</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="queue">
            <caption>
              {rows.length} items shown{next ? " (more below)" : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Kind</th>
                <th scope="col">From</th>
                <th scope="col">Date</th>
                <th scope="col">Place</th>
                <th scope="col">Source</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody ref={tableRef}>
              {rows.map((r, i) => (
                <tr
                  key={r.key}
                  aria-current={i === selected ? "true" : undefined}
                  className={i === selected ? "selected" : undefined}
                >
                  <td>
                    <Link href={r.href}>{r.title}</Link>
                  </td>
                  <td>{r.kind}</td>
                  <td>{r.origin}</td>
                  <td>{r.date}</td>
                  <td>{r.place}</td>
                  <td>{r.source}</td>
                  <td className="actions">
                    <button type="button" className="small" onClick={() => void act(r, "accept")}>
                      Accept
                      <span className="visually-hidden">
                        {" "}
                        {r.title} {r.date}
                      </span>
                    </button>
                    <button type="button" className="small secondary" onClick={() => void act(r, "reject")}>
                      Reject
                      <span className="visually-hidden">
                        {" "}
                        {r.title} {r.date}
                      </span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" className="secondary" onClick={() => void more()}>
          Load more
        </button>
      )}
      <p>
        <Link href="/claims/new">Record a claim by hand</Link>
      </p>
    </>
  );
}
