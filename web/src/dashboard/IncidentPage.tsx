/** One incident for the public: what, when, where, the counts, its sources and documents, and its history. */
import { Link } from "../app/router.js";
import type { ScreenProps } from "../app/routes.js";
import {
  formatDay,
  formatNumber,
  formatRange,
  GRADE_WORDS,
  METRIC_WORDS,
  SOURCE_KIND_WORDS,
  STATUS_WORDS,
  TYPE_WORDS,
  useI18n,
  word,
} from "../i18n/index.js";
import { useJson } from "./data.js";
import { dashHref } from "./filters.js";
import { usePlaceNames } from "./IncidentsPage.js";
import { Busy, Failed, Layout } from "./Layout.js";
import type { IncidentDetail } from "./types.js";

function precisionKey(p: string): "day" | "week" | "month" | "year" {
  return p === "week" || p === "month" || p === "year" ? p : "day";
}

export default function IncidentPage({ params }: ScreenProps) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const id = /^\d{1,10}$/.test(params.id ?? "") ? params.id : null;
  const { data: inc, error } = useJson<IncidentDetail>(id ? `/api/v1/incidents/${id}` : null);
  const names = usePlaceNames([inc?.place.id ?? null], lang);
  return (
    <Layout i18n={i18n}>
      <p>
        <Link href={dashHref("/incidents", {}, lang)}>{t("back")}</Link>
      </p>
      <h1>{t("incidentTitle", { id: id ? formatNumber(Number(id), lang).replace(/[٬,]/g, "") : "?" })}</h1>
      {!id ? <p>{t("notFound")}</p> : null}
      {error ? <Failed i18n={i18n} error={error} /> : null}
      {inc ? (
        <>
          <dl className="facts">
            <dt>{t("colType")}</dt>
            <dd>{word(TYPE_WORDS, inc.type, lang)}</dd>
            <dt>{t("date")}</dt>
            <dd>
              {formatDay(inc.date, lang)}
              {inc.dateEnd ? ` – ${formatDay(inc.dateEnd, lang)}` : ""}{" "}
              <span className="muted">({t("precision", { p: t(precisionKey(inc.datePrecision)) })})</span>
            </dd>
            <dt>{t("colPlace")}</dt>
            <dd>
              {[
                (inc.place.id ? names[inc.place.id]?.fa : null) ?? inc.place.name,
                (inc.place.id ? names[inc.place.id]?.provinceFa : null) ?? inc.place.province,
                inc.place.country,
              ]
                .filter(Boolean)
                .join(lang === "fa" ? "، " : ", ")}
            </dd>
            <dt>{t("counts")}</dt>
            <dd>
              {Object.entries(inc.counts).map(([m, c]) => (
                <div key={m}>
                  {word(METRIC_WORDS, m, lang)}: {formatRange(c, lang)}
                </div>
              ))}
            </dd>
            <dt>{t("colStatus")}</dt>
            <dd>{word(STATUS_WORDS, inc.status, lang)}</dd>
            <dt>{t("colGrade")}</dt>
            <dd>{word(GRADE_WORDS, inc.grade, lang)}</dd>
          </dl>
          <h2>{t("description")}</h2>
          <p>{inc.description}</p>
          {inc.url ? (
            <p>
              <a href={inc.url} rel="noopener noreferrer nofollow">
                {inc.url}
              </a>
            </p>
          ) : null}
          {inc.mergedFrom.length ? (
            <p className="muted">{t("mergedFrom", { n: inc.mergedFrom.length + 1 })}</p>
          ) : null}
          <h2>{t("sources")}</h2>
          <ul>
            {inc.sources.map((s) => (
              <li key={s.id}>
                {s.name} <span className="muted">({word(SOURCE_KIND_WORDS, s.kind, lang)})</span>
              </li>
            ))}
          </ul>
          <h2>{t("documents")}</h2>
          {inc.documents.length ? (
            <ul>
              {inc.documents.map((d) => (
                <li key={`${d.id}`}>
                  {d.title ?? d.origin ?? `#${d.id}`}
                  {d.published ? ` · ${formatDay(d.published, lang)}` : ""}{" "}
                  <code className="muted">sha256 {d.sha256.slice(0, 12)}…</code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("noDocuments")}</p>
          )}
          <h2>{t("history")}</h2>
          <ol>
            {inc.history.map((h) => (
              <li key={`${h.at}|${h.action}`}>
                {formatDay(h.at.slice(0, 10), lang)}: {h.action}
              </li>
            ))}
          </ol>
        </>
      ) : id && !error ? (
        <Busy i18n={i18n} />
      ) : null}
    </Layout>
  );
}
