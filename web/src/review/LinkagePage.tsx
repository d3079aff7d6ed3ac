/**
 * The linkage review list: record pairs the latest linkage was unsure about, or refused to link because the
 * records conflict, most uncertain first (the server's order: nearest the threshold). The selected pair is
 * shown side by side with each field's agreement in words; j/k or the arrows move through the table.
 * Reading only: decisions are not recorded here yet.
 */
import { useEffect, useState } from "react";
import { ApiError, get } from "../lib/api.js";
import { useShortcuts } from "./keys.js";

interface RecordRef {
  list: string;
  list_id: string;
}

interface ReviewPair {
  a: RecordRef;
  b: RecordRef;
  probability: number;
  weight: number;
  linked: boolean;
  reason: "near-threshold" | "conflict";
  levels: Record<string, number | null>;
}

interface ReviewAnswer {
  at: string | null;
  pairs: ReviewPair[];
}

/** Agreement levels per field, weakest first, as src/core/linkage numbers them (docs/methodology.md). */
const LEVEL_WORDS: Record<string, string[]> = {
  name: [
    "different",
    "close consonants across scripts",
    "weak",
    "two typos in a long word",
    "same consonants across scripts",
    "one typo apart",
    "the same name",
  ],
  date: ["further apart", "within a month", "within 3 days", "same day"],
  place: ["different", "close spelling, or one contains the other", "same place"],
  age: ["further apart", "within 2 years", "same"],
  sex: ["different", "same"],
};

const FIELDS = ["name", "date", "place", "age", "sex"] as const;

function levelWords(field: string, level: number | null | undefined): string {
  if (level === null || level === undefined) return "missing on one side";
  return LEVEL_WORDS[field]?.[level] ?? `level ${level}`;
}

/** Full agreement reads as agreement; anything weaker is marked for the reviewer's eye. */
function agrees(field: string, level: number | null | undefined): boolean {
  const words = LEVEL_WORDS[field];
  return level !== null && level !== undefined && words !== undefined && level === words.length - 1;
}

const percent = (p: number) => `${(p * 100).toFixed(1)} %`;
const REASONS = { "near-threshold": "near the threshold", conflict: "refused: conflicting details" };

export default function LinkagePage() {
  const [data, setData] = useState<ReviewAnswer | null>(null);
  const [error, setError] = useState("");
  const [selected, setSelected] = useState(0);
  useEffect(() => {
    get<ReviewAnswer>("/api/v1/lists/review").then(setData, (e) =>
      setError(e instanceof ApiError ? e.detail || e.title : "The server cannot be reached."),
    );
  }, []);
  const pairs = data?.pairs ?? [];
  const move = (d: number) => setSelected((s) => Math.min(Math.max(s + d, 0), Math.max(pairs.length - 1, 0)));
  useShortcuts({ j: () => move(1), arrowdown: () => move(1), k: () => move(-1), arrowup: () => move(-1) });
  const pair = pairs[selected];

  return (
    <>
      <h1>Linkage review</h1>
      <p className="lead">
        Record pairs from the latest linkage of the victim lists that the model was unsure about, or refused
        to link because their details conflict. The most uncertain come first.
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {data && !data.at ? <p>The lists have not been linked yet (tally lists link).</p> : null}
      {data?.at ? (
        <p className="muted">
          Linked at {data.at}: {pairs.length} pair{pairs.length === 1 ? "" : "s"} to review.
        </p>
      ) : null}
      {pair ? (
        <section aria-labelledby="pair-h">
          <h2 id="pair-h">
            Pair {selected + 1} of {pairs.length}: {percent(pair.probability)} likely the same person
          </h2>
          <p>
            {REASONS[pair.reason]}; {pair.linked ? "linked" : "not linked"}; weight {pair.weight.toFixed(1)}{" "}
            bits.
          </p>
          <div className="side-by-side">
            {(["a", "b"] as const).map((side) => (
              <section key={side} aria-labelledby={`rec-${side}`} className="card">
                <h3 id={`rec-${side}`}>Record {side.toUpperCase()}</h3>
                <dl className="fields">
                  <div>
                    <dt>List</dt>
                    <dd>{pair[side].list}</dd>
                  </div>
                  <div>
                    <dt>Id in the list</dt>
                    <dd>{pair[side].list_id}</dd>
                  </div>
                </dl>
              </section>
            ))}
          </div>
          <table>
            <caption>How the two records compare, field by field</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Agreement</th>
              </tr>
            </thead>
            <tbody>
              {FIELDS.map((f) => (
                <tr key={f}>
                  <th scope="row">{f}</th>
                  <td>
                    {agrees(f, pair.levels[f]) ? (
                      levelWords(f, pair.levels[f])
                    ) : (
                      <mark>{levelWords(f, pair.levels[f])}</mark>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {pairs.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="pairs">
            <caption>Every pair to review, most uncertain first (j/k or the arrows move)</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Record A</th>
                <th scope="col">Record B</th>
                <th scope="col">Probability</th>
                <th scope="col">Why</th>
                <th scope="col">Linked</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((p, i) => (
                <tr
                  key={`${p.a.list}\u0000${p.a.list_id}\u0000${p.b.list}\u0000${p.b.list_id}`}
                  aria-current={i === selected ? "true" : undefined}
                >
                  <td>
                    <button type="button" className="link" onClick={() => setSelected(i)}>
                      {i + 1}
                    </button>
                  </td>
                  <td>
                    {p.a.list} · {p.a.list_id}
                  </td>
                  <td>
                    {p.b.list} · {p.b.list_id}
                  </td>
                  <td>{percent(p.probability)}</td>
                  <td>{REASONS[p.reason]}</td>
                  <td>{p.linked ? "yes" : "no"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
