/**
 * The estimates panel for a reader who is not a statistician: the documented count (a fact) and the estimated
 * total (a model's inference) side by side but never merged, the estimate always labelled as one, with its
 * interval, the lists it used, the model, and what it assumes in one sentence (docs/methodology.md).
 */
import { formatDay, formatNumber, type I18n, type Lang } from "../i18n/index.js";
import { type EstimateMessageKey, estimateText } from "./messages.js";
import type { EstimateModel, EstimatesAnswer } from "./types.js";
import "./estimates.css";

export function EstimatesPanel({ data, i18n }: { data: EstimatesAnswer; i18n: I18n }) {
  const { lang } = i18n;
  const tx = (key: EstimateMessageKey, vars?: Record<string, string | number>) =>
    estimateText(lang, key, vars);
  const n = (x: number) => formatNumber(Math.round(x), lang);
  const est = data.estimate;
  const selected = est?.selected ?? null;
  return (
    <section className="estimates" aria-labelledby="est-documented-h">
      <div className="estimate-figures">
        <article className="estimate-card documented" aria-labelledby="est-documented-h">
          <h2 id="est-documented-h">{tx("documentedHeading")}</h2>
          <p className="figure">
            <strong data-testid="documented">{n(data.documented)}</strong>{" "}
            {tx("documentedText", { records: n(data.records) })}
          </p>
        </article>
        {est && selected ? (
          <EstimateCard model={selected} observed={est.observed} i18n={i18n} />
        ) : (
          <article className="estimate-card none" aria-labelledby="est-none-h">
            <h2 id="est-none-h">{tx("noEstimateHeading")}</h2>
            <p>{tx("noEstimate")}</p>
          </article>
        )}
      </div>
      {est ? (
        <>
          <h2>{tx("listsHeading")}</h2>
          <ul className="estimate-lists" data-testid="lists">
            {est.lists.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          {selected ? (
            <>
              <h2>{tx("assumptionsHeading")}</h2>
              <p data-testid="assumptions">{assumption(selected, est.lists.length, lang)}</p>
              <p className="muted">{tx("readInterval")}</p>
            </>
          ) : null}
        </>
      ) : null}
      {data.notes.length > 0 ? (
        <>
          <h2>{tx("notesHeading")}</h2>
          <ul className="notes" data-testid="notes">
            {data.notes.map((note) => (
              // The notes come from the estimator in English; they are shown as they are rather than hidden.
              <li key={note}>
                <span lang="en" dir="ltr">
                  {note}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data.linkedAt ? (
        <p className="muted">{tx("linkedAt", { date: formatDay(data.linkedAt, lang) })}</p>
      ) : null}
    </section>
  );
}

function EstimateCard({ model, observed, i18n }: { model: EstimateModel; observed: number; i18n: I18n }) {
  const { lang } = i18n;
  const tx = (key: EstimateMessageKey, vars?: Record<string, string | number>) =>
    estimateText(lang, key, vars);
  const n = (x: number) => formatNumber(Math.round(x), lang);
  const [low, high] = model.ci95;
  return (
    <article className="estimate-card estimated" aria-labelledby="est-total-h">
      <h2 id="est-total-h">
        {tx("estimateHeading")} <span className="estimate-badge">{tx("estimateBadge")}</span>
      </h2>
      {model.estimate === null ? (
        <p>{tx("noFinite")}</p>
      ) : (
        <>
          <p className="figure">
            <strong data-testid="estimate">{n(model.estimate)}</strong>
          </p>
          <p data-testid="interval">
            {tx("interval", {
              low: low === null ? "?" : n(low),
              high: high === null ? tx("noUpper") : n(high),
            })}
          </p>
          {model.estimate > observed ? <p>{tx("unseen", { n: n(model.estimate - observed) })}</p> : null}
        </>
      )}
      <p className="muted" data-testid="model">
        {tx("model", { name: model.name })}
      </p>
    </article>
  );
}

/** The one sentence on what the selected model assumes: two lists, independent lists, or modelled dependence. */
function assumption(model: EstimateModel, lists: number, lang: Lang): string {
  if (lists === 2) return estimateText(lang, "assumesTwo");
  const pairs = model.terms.filter((t) => t.includes(":"));
  if (pairs.length === 0) return estimateText(lang, "assumesIndependent");
  const and = new Intl.ListFormat(lang === "fa" ? "fa-IR" : "en", { type: "conjunction" });
  const text = pairs.map((p) => and.format(p.split(":"))).join(lang === "fa" ? "؛ " : "; ");
  return estimateText(lang, "assumesDependent", { pairs: text });
}
