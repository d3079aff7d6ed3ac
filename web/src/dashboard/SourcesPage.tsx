/**
 * Each source with its claims over time for one metric, beside the documented count for the same scope at the
 * claim's date, and the other sources whose figures corroborate it.
 */
import { useEffect, useRef } from "react";
import { Link, useLocation } from "../app/router.js";
import {
  formatClaim,
  formatDay,
  formatDayShort,
  formatNumber,
  formatRange,
  METRIC_WORDS,
  ratioInWords,
  SOURCE_KIND_WORDS,
  useI18n,
  word,
} from "../i18n/index.js";
import { METRIC_CODES } from "./codes.js";
import { useJson } from "./data.js";
import { dashHref } from "./filters.js";
import { usePlaceNames } from "./IncidentsPage.js";
import { Busy, Failed, Layout, useHeadline } from "./Layout.js";
import { loadPlot, unlabelMarks } from "./Series.js";

interface ComparedClaim {
  id: number;
  asOf: string | null;
  low: number;
  high: number | null;
  qualifier: string;
  place: { id: string | null; name: string | null };
  documented: { low: number; high: number; incidents: number };
  ratio: { low: number | null; high: number | null; words: string };
}

interface Comparison {
  sources: {
    source: { id: number; name: string; kind: string };
    claims: ComparedClaim[];
    corroboratedBy: { id: number; name: string }[];
  }[];
}

function ClaimsPlot({ claims, lang, label }: { claims: ComparedClaim[]; lang: "en" | "fa"; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let el: Element | null = null;
    let live = true;
    loadPlot().then((Plot) => {
      if (!live) return;
      const data = claims
        .filter((c) => c.asOf)
        .map((c) => ({
          date: new Date(`${c.asOf}T00:00:00Z`),
          claim: c.low,
          low: c.documented.low,
          high: c.documented.high,
        }));
      el = Plot.plot({
        width: 560,
        height: 200,
        marginLeft: 80,
        style: { background: "transparent", fontSize: "12px" },
        x: {
          type: "utc",
          tickFormat: (d: Date) => formatDayShort(d, lang),
          label: null,
          reverse: lang === "fa",
        },
        y: { grid: true, tickFormat: (n: number) => formatNumber(n, lang), label: null },
        marks: [
          Plot.areaY(data, { x: "date", y1: "low", y2: "high", fill: "#c9d6e8" }),
          Plot.line(data, { x: "date", y: "claim", stroke: "#a4161a", curve: "step-after" }),
          Plot.dot(data, { x: "date", y: "claim", fill: "#a4161a", r: 3 }),
          Plot.ruleY([0]),
        ],
      });
      unlabelMarks(el);
      ref.current?.replaceChildren(el);
    });
    return () => {
      live = false;
      el?.remove();
    };
  }, [claims, lang]);
  return <div ref={ref} className="plot" role="img" aria-label={label} />;
}

export default function SourcesPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { search } = useLocation();
  const { data: headline } = useHeadline();
  const asked = search.get("metric");
  const metric =
    asked && METRIC_CODES.includes(asked)
      ? asked
      : (headline?.metrics.find((m) => m.latest.length)?.metric ?? null);
  const { data, error } = useJson<Comparison>(metric ? `/api/v1/comparisons?metric=${metric}` : null);
  const names = usePlaceNames(data?.sources.flatMap((s) => s.claims.map((c) => c.place.id)) ?? [], lang);
  return (
    <Layout i18n={i18n}>
      <h1>{t("sourcesTitle")}</h1>
      <p className="lead">{t("sourcesLead")}</p>
      <nav aria-label={t("metric")}>
        <ul className="inline-list">
          {(headline?.metrics ?? []).map((m) => (
            <li key={m.metric}>
              <Link
                href={dashHref("/sources", { metric: m.metric }, lang)}
                aria-current={m.metric === metric ? "page" : undefined}
              >
                {word(METRIC_WORDS, m.metric, lang)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {error ? <Failed i18n={i18n} error={error} /> : null}
      {data ? (
        data.sources.length ? (
          data.sources.map((s) => (
            <section key={s.source.id} aria-labelledby={`src-${s.source.id}`} className="source">
              <h2 id={`src-${s.source.id}`}>
                {s.source.name}{" "}
                <span className="muted">({word(SOURCE_KIND_WORDS, s.source.kind, lang)})</span>
              </h2>
              <p>
                {t("corroboratedBy")}:{" "}
                {s.corroboratedBy.length
                  ? s.corroboratedBy.map((c) => c.name).join(lang === "fa" ? "، " : ", ")
                  : t("nobody")}
              </p>
              <ClaimsPlot claims={s.claims} lang={lang} label={`${s.source.name}: ${t("claims")}`} />
              <div className="table-wrap">
                <table>
                  <caption>
                    {t("claims")}: {word(METRIC_WORDS, metric ?? "", lang)}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("colAsOf")}</th>
                      <th scope="col">{t("colClaim")}</th>
                      <th scope="col">{t("colPlace")}</th>
                      <th scope="col">{t("colDocumented")}</th>
                      <th scope="col">{t("colRatio")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {s.claims
                      .slice()
                      .reverse()
                      .map((c) => (
                        <tr key={c.id}>
                          <td>{formatDay(c.asOf, lang)}</td>
                          <td>{formatClaim(c, lang)}</td>
                          <td>{(c.place.id ? names[c.place.id]?.fa : null) ?? c.place.name ?? ""}</td>
                          <td>{formatRange(c.documented, lang)}</td>
                          <td>{ratioInWords(c.ratio.low, c.ratio.high, lang)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            </section>
          ))
        ) : (
          <p>{t("noSourceClaims")}</p>
        )
      ) : metric && !error ? (
        <Busy i18n={i18n} />
      ) : null}
    </Layout>
  );
}
