/**
 * One card per metric: the documented count (verified incidents graded confirmed or fair), the cities and provinces it comes
 * from, and each source's latest claim with its date and how it stands to the documented count, in words.
 * The full range (every grade) is one click away.
 */
import { Link } from "../app/router.js";
import {
  formatClaim,
  formatDay,
  formatNumber,
  formatRange,
  type I18n,
  METRIC_WORDS,
  ratioInWords,
  SOURCE_KIND_WORDS,
  word,
} from "../i18n/index.js";
import { dashHref } from "./filters.js";
import type { MetricHeadline } from "./types.js";

export function HeadlineCards({
  metrics,
  selected,
  i18n,
  hrefFor,
}: {
  metrics: MetricHeadline[];
  selected: string;
  i18n: I18n;
  hrefFor: (metric: string) => string;
}) {
  const { t, lang } = i18n;
  return (
    <div className="headline-cards">
      {metrics.map((m) => (
        <article
          key={m.metric}
          className={`headline-card${m.metric === selected ? " selected" : ""}`}
          aria-labelledby={`h-${m.metric}`}
          data-metric={m.metric}
        >
          <h3 id={`h-${m.metric}`}>
            <Link href={hrefFor(m.metric)} aria-current={m.metric === selected ? "true" : undefined}>
              {word(METRIC_WORDS, m.metric, lang)}
            </Link>
          </h3>
          <p className="figure">
            <strong data-testid={`documented-${m.metric}`}>{formatRange(m.documented, lang)}</strong>{" "}
            <span className="muted">{t("documentedRange")}</span>
          </p>
          <p className="places" data-testid={`places-${m.metric}`}>
            {t("inPlaces", {
              cities: formatNumber(m.documented.cities, lang),
              provinces: formatNumber(m.documented.provinces, lang),
            })}{" "}
            · {t("incidentsN", { n: formatNumber(m.documented.incidents, lang) })}
          </p>
          {m.latest.length ? (
            <ul className="claims" aria-label={t("latestClaims")}>
              {m.latest.map((c) => (
                <li key={c.id}>
                  {t("claimLine", {
                    source: c.source.name,
                    kind: word(SOURCE_KIND_WORDS, c.source.kind, lang),
                    date: formatDay(c.asOf, lang),
                    figure: formatClaim(c, lang),
                  })}
                  <br />
                  <span className="ratio">
                    {t("ratioLine", {
                      words: ratioInWords(c.ratio.low, c.ratio.high, lang),
                      documented: formatRange(c.documented, lang),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("noClaims")}</p>
          )}
          <details>
            <summary>{t("fullRange")}</summary>
            <p data-testid={`all-${m.metric}`}>
              {t("fullRangeText", {
                range: formatRange(m.all, lang),
                n: formatNumber(m.all.incidents, lang),
                cities: formatNumber(m.all.cities, lang),
                provinces: formatNumber(m.all.provinces, lang),
              })}
            </p>
            <Link href={dashHref("/", { metric: m.metric, grade: "all" }, lang)}>{t("showAllGrades")}</Link>
          </details>
        </article>
      ))}
    </div>
  );
}
