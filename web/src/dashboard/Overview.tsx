/**
 * The public dashboard's front page: headline figures for every metric, then for the chosen metric the map,
 * the table by province or city, and the series over time. It reads the headline and tallies only (served
 * from materialised cells and cached per data version), never incidents in bulk.
 */
import { type FormEvent, useMemo } from "react";
import { setSearch, useLocation } from "../app/router.js";
import { type I18n, METRIC_WORDS, TYPE_WORDS, useI18n, word } from "../i18n/index.js";
import { TYPE_CODES } from "./codes.js";
import { fetchJson, qs, useJson } from "./data.js";
import { dashHref, readFilters, tallyParams, type ViewFilters } from "./filters.js";
import { HeadlineCards } from "./HeadlineCards.js";
import { Busy, Failed, HEADLINE_URL, Layout, useHeadline } from "./Layout.js";
import { loadOutlines, MapView } from "./MapView.js";
import { PlaceTable } from "./PlaceTable.js";
import { loadPlot, Series, type SeriesPoint } from "./Series.js";
import type { MappedRow, MappedTally } from "./types.js";

// The headline request leaves as soon as this screen's code arrives, before the first render; the charting code
// and the map outlines start loading beside it, so they are ready when the tallies are.
void fetchJson(HEADLINE_URL).catch(() => undefined);
void loadPlot().catch(() => undefined);
void loadOutlines().catch(() => undefined);

export default function Overview() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { search } = useLocation();
  const filters = readFilters(search);
  const { data: headline, error } = useHeadline();
  // Without a choice in the URL: the first metric (in the vocabulary's order, deaths and killings first) that
  // has documented incidents.
  const metric =
    filters.metric ??
    headline?.metrics.find((m) => m.documented.incidents > 0)?.metric ??
    headline?.metrics[0]?.metric ??
    null;
  const base = metric ? tallyParams(filters, metric) : null;
  const placesUrl = base ? `/api/v1/tally-places${qs({ ...base, by: filters.by })}` : null;
  const seriesUrl = base ? `/api/v1/tallies${qs({ ...base, by: "country", period: filters.period })}` : null;
  const places = useJson<MappedTally>(placesUrl);
  const series = useJson<MappedTally>(seriesUrl);

  const daily: SeriesPoint[] = useMemo(() => {
    const byPeriod = new Map<string, { low: number; high: number }>();
    for (const r of series.data?.rows ?? []) {
      const p = byPeriod.get(r.period ?? "") ?? { low: 0, high: 0 };
      byPeriod.set(r.period ?? "", { low: p.low + r.low, high: p.high + r.high });
    }
    return [...byPeriod.entries()]
      .filter(([p]) => /^\d{4}-\d{2}/.test(p))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([p, v]) => ({ date: periodDate(p), ...v }));
  }, [series.data]);

  const hrefFor = (r: MappedRow) =>
    dashHref(
      "/incidents",
      {
        metric,
        [filters.by === "province" ? "province" : "place"]: r.place.id,
        from: filters.from,
        to: filters.to,
        type: filters.type,
        grade: filters.grade === "all" ? null : "headline",
      },
      lang,
    );
  const metricHeadline = headline?.metrics.find((m) => m.metric === metric);

  return (
    <Layout i18n={i18n}>
      <h1>{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      {error ? <Failed i18n={i18n} error={error} /> : null}
      <section aria-labelledby="headline-h">
        <h2 id="headline-h">{t("headline")}</h2>
        {headline && metric ? (
          <HeadlineCards
            metrics={headline.metrics}
            selected={metric}
            i18n={i18n}
            hrefFor={(m) => dashHref("/", { ...currentParams(search), metric: m }, lang)}
          />
        ) : error ? null : (
          <Busy i18n={i18n} />
        )}
      </section>
      {metric ? (
        <>
          {headline ? (
            <ViewForm
              i18n={i18n}
              filters={filters}
              metric={metric}
              metrics={headline.metrics.map((m) => m.metric)}
            />
          ) : null}
          <section aria-labelledby="map-h" className="map-and-table">
            <h2 id="map-h">
              {t("map")}: {word(METRIC_WORDS, metric, lang)}
            </h2>
            {places.error ? <Failed i18n={i18n} error={places.error} /> : null}
            {places.data ? (
              <div className="side-by-side-dash">
                <MapView
                  rows={places.data.rows}
                  level={filters.by}
                  metric={metric}
                  i18n={i18n}
                  hrefFor={hrefFor}
                />
                <PlaceTable
                  rows={places.data.rows}
                  filters={filters}
                  metric={metric}
                  metricWord={word(METRIC_WORDS, metric, lang)}
                  i18n={i18n}
                  hrefFor={hrefFor}
                />
              </div>
            ) : (
              <Busy i18n={i18n} />
            )}
          </section>
          <section aria-labelledby="series-h">
            <h2 id="series-h">{t("series")}</h2>
            {series.data ? (
              <Series
                daily={daily}
                periodWord={t(filters.period)}
                claims={metricHeadline?.timelines ?? []}
                metric={metric}
                i18n={i18n}
              />
            ) : series.error ? (
              <Failed i18n={i18n} error={series.error} />
            ) : (
              <Busy i18n={i18n} />
            )}
          </section>
        </>
      ) : null}
      <section aria-labelledby="method-h">
        <h2 id="method-h">{t("method")}</h2>
        <p>{t("methodText")}</p>
      </section>
    </Layout>
  );
}

function periodDate(p: string): Date {
  // Weeks are keyed "YYYY-Www" by the ledger; they are drawn at their Monday.
  const w = /^(\d{4})-W(\d{2})$/.exec(p);
  if (w) {
    const jan4 = new Date(Date.UTC(Number(w[1]), 0, 4));
    const monday = jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000;
    return new Date(monday + (Number(w[2]) - 1) * 7 * 86_400_000);
  }
  return new Date(`${p.length === 7 ? `${p}-01` : p}T00:00:00Z`);
}

function currentParams(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of search) if (k !== "lang") out[k] = v;
  return out;
}

function ViewForm({
  i18n,
  filters,
  metric,
  metrics,
}: {
  i18n: I18n;
  filters: ViewFilters;
  metric: string;
  metrics: string[];
}) {
  const { t, lang } = i18n;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => (f.get(k) as string | null) || null;
    setSearch({
      metric: v("metric"),
      from: v("from"),
      to: v("to"),
      type: v("type"),
      grade: v("grade") === "all" ? "all" : null,
      by: v("by") === "city" ? "city" : null,
      period: v("period") === "day" ? null : v("period"),
    });
  };
  // The form is keyed by the URL's values, so going back in history shows the filters of that view.
  const key = JSON.stringify([filters, metric]);
  return (
    <form key={key} className="view-form" onSubmit={onSubmit} aria-label={t("filters")}>
      <label>
        {t("metric")}
        <select name="metric" defaultValue={metric}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {word(METRIC_WORDS, m, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("from")}
        <input type="date" name="from" defaultValue={filters.from ?? ""} />
      </label>
      <label>
        {t("to")}
        <input type="date" name="to" defaultValue={filters.to ?? ""} />
      </label>
      <label>
        {t("type")}
        <select name="type" defaultValue={filters.type ?? ""}>
          <option value="">{t("anyType")}</option>
          {TYPE_CODES.map((ty) => (
            <option key={ty} value={ty}>
              {word(TYPE_WORDS, ty, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("grade")}
        <select name="grade" defaultValue={filters.grade}>
          <option value="headline">{t("gradeHeadline")}</option>
          <option value="all">{t("gradeAll")}</option>
        </select>
      </label>
      <label>
        {t("mapLevel")}
        <select name="by" defaultValue={filters.by}>
          <option value="province">{t("byProvince")}</option>
          <option value="city">{t("byCity")}</option>
        </select>
      </label>
      <label>
        {t("period")}
        <select name="period" defaultValue={filters.period}>
          <option value="day">{t("day")}</option>
          <option value="week">{t("week")}</option>
          <option value="month">{t("month")}</option>
        </select>
      </label>
      <div className="form-actions">
        <button type="submit">{t("apply")}</button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            setSearch({
              metric: null,
              from: null,
              to: null,
              type: null,
              grade: null,
              by: null,
              period: null,
              sort: null,
              dir: null,
            })
          }
        >
          {t("reset")}
        </button>
      </div>
    </form>
  );
}
