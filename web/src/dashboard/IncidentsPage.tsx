/**
 * The incident list: filters for dates, place, type, metric, status and grade, and a full-text search, all kept
 * in the URL. Pages of 50 follow the API's cursor.
 */
import { type FormEvent, useEffect, useState } from "react";
import { Link, setSearch, useLocation } from "../app/router.js";
import {
  formatDay,
  formatNumber,
  formatRange,
  GRADE_WORDS,
  type I18n,
  METRIC_WORDS,
  STATUS_WORDS,
  TYPE_WORDS,
  useI18n,
  word,
} from "../i18n/index.js";
import { GRADE_CODES, METRIC_CODES, STATUS_CODES, TYPE_CODES } from "./codes.js";
import { fetchJson, qs, useJson } from "./data.js";
import { dashHref, type IncidentFilters, readIncidentFilters } from "./filters.js";
import { Busy, Failed, Layout, useHeadline } from "./Layout.js";
import type { MappedTally, PublicIncident } from "./types.js";

const PAGE = 50;

interface Page {
  items: PublicIncident[];
  next: string | null;
}

export interface PlaceName {
  name: string;
  fa: string | null;
  provinceFa: string | null;
}

/** Persian names of the places on screen (Persian only: English names come with the incidents). */
export function usePlaceNames(ids: (string | null)[], lang: string): Record<string, PlaceName> {
  const wanted = [...new Set(ids.filter((i): i is string => !!i))].sort().slice(0, 500);
  const { data } = useJson<{ names: Record<string, PlaceName> }>(
    lang === "fa" && wanted.length ? `/api/v1/place-names?ids=${encodeURIComponent(wanted.join(","))}` : null,
  );
  return data?.names ?? {};
}

export default function IncidentsPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { search } = useLocation();
  const f = readIncidentFilters(search);
  const url = `/api/v1/incidents${qs({ ...f, limit: PAGE })}`;
  const first = useJson<Page>(url);
  const [more, setMore] = useState<{ url: string; items: PublicIncident[]; next: string | null } | null>(
    null,
  );
  const [loadingMore, setLoadingMore] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new query (a new URL) starts the list afresh.
  useEffect(() => setMore(null), [url]);
  const items = [...(first.data?.items ?? []), ...(more?.url === url ? more.items : [])];
  const next = more?.url === url ? more.next : (first.data?.next ?? null);
  const names = usePlaceNames(
    items.flatMap((i) => [i.place.id]),
    lang,
  );
  const loadMore = async () => {
    if (!next) return;
    setLoadingMore(true);
    try {
      const page = await fetchJson<Page>(`/api/v1/incidents${qs({ ...f, limit: PAGE, cursor: next })}`);
      setMore((m) => ({
        url,
        items: [...(m?.url === url ? m.items : []), ...page.items],
        next: page.next,
      }));
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <Layout i18n={i18n}>
      <h1>{t("incidentsTitle")}</h1>
      <p className="lead">{t("incidentsLead")}</p>
      <Filters i18n={i18n} f={f} />
      {first.error ? <Failed i18n={i18n} error={first.error} /> : null}
      {first.data ? (
        items.length ? (
          <>
            <p className="muted" aria-live="polite">
              {t("shown", { n: formatNumber(items.length, lang) })}
            </p>
            <div className="table-wrap">
              <table className="incident-table">
                <caption className="visually-hidden">{t("incidentsTitle")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("colDate")}</th>
                    <th scope="col">{t("colType")}</th>
                    <th scope="col">{t("colPlace")}</th>
                    <th scope="col">{t("colCounts")}</th>
                    <th scope="col">{t("colStatus")}</th>
                    <th scope="col">{t("colGrade")}</th>
                    <th scope="col">{t("colDescription")}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id} data-incident={i.id}>
                      <td>
                        <Link href={dashHref(`/incidents/${i.id}`, {}, lang)}>{formatDay(i.date, lang)}</Link>
                      </td>
                      <td>{word(TYPE_WORDS, i.type, lang)}</td>
                      <td>
                        {(i.place.id ? names[i.place.id]?.fa : null) ?? i.place.name ?? ""}
                        {i.place.province ? (
                          <span className="muted">
                            {" "}
                            · {(i.place.id ? names[i.place.id]?.provinceFa : null) ?? i.place.province}
                          </span>
                        ) : null}
                      </td>
                      <td>
                        {Object.entries(i.counts).map(([m, c]) => (
                          <div key={m}>
                            {word(METRIC_WORDS, m, lang)}: {formatRange(c, lang)}
                          </div>
                        ))}
                      </td>
                      <td>{word(STATUS_WORDS, i.status, lang)}</td>
                      <td>{word(GRADE_WORDS, i.grade, lang)}</td>
                      <td>{i.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {next ? (
              <button type="button" onClick={loadMore} disabled={loadingMore}>
                {t("more")}
              </button>
            ) : null}
          </>
        ) : (
          <p>{t("noIncidents")}</p>
        )
      ) : first.error ? null : (
        <Busy i18n={i18n} />
      )}
    </Layout>
  );
}

function Filters({ i18n, f }: { i18n: I18n; f: IncidentFilters }) {
  const { t, lang } = i18n;
  // The provinces to choose from: those of the metric with the most incidents, every grade.
  const { data: headline } = useHeadline();
  const widest = headline?.metrics.slice().sort((a, b) => b.all.incidents - a.all.incidents)[0]?.metric;
  const provinces = useJson<MappedTally>(widest ? `/api/v1/tally-places?metric=${widest}&by=province` : null);
  const placeInfo = useJson<{ names: Record<string, { name: string; fa: string | null }> }>(
    f.place ? `/api/v1/place-names?ids=${encodeURIComponent(f.place)}` : null,
  ).data?.names[f.place ?? ""];
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const v = (k: string) => ((d.get(k) as string | null) ?? "").trim() || null;
    setSearch({
      q: v("q"),
      from: v("from"),
      to: v("to"),
      type: v("type"),
      metric: v("metric"),
      status: v("status"),
      grade: v("grade"),
      province: v("province"),
    });
  };
  const select = (
    name: keyof IncidentFilters,
    label: string,
    any: string,
    options: readonly string[],
    words: Record<string, { en: string; fa: string }>,
  ) => (
    <label>
      {label}
      <select name={name} defaultValue={f[name] ?? ""}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {word(words, o, lang)}
          </option>
        ))}
      </select>
    </label>
  );
  const provinceRows = (provinces.data?.rows ?? []).filter((r) => r.place.level === "province");
  return (
    <form key={JSON.stringify(f)} className="incident-filters" onSubmit={onSubmit} aria-label={t("filters")}>
      <label className="wide">
        {t("search")}
        <input type="search" name="q" defaultValue={f.q ?? ""} maxLength={200} />
      </label>
      <label>
        {t("from")}
        <input type="date" name="from" defaultValue={f.from ?? ""} />
      </label>
      <label>
        {t("to")}
        <input type="date" name="to" defaultValue={f.to ?? ""} />
      </label>
      <label>
        {t("province")}
        <select name="province" defaultValue={f.province ?? ""}>
          <option value="">{t("anyProvince")}</option>
          {f.province && !provinceRows.some((r) => r.place.id === f.province) ? (
            <option value={f.province}>{f.province}</option>
          ) : null}
          {provinceRows
            .slice()
            .sort((a, b) => (a.place.name ?? "").localeCompare(b.place.name ?? ""))
            .map((r) => (
              <option key={r.place.id} value={r.place.id ?? ""}>
                {(lang === "fa" ? r.place.fa : null) ?? r.place.name}
              </option>
            ))}
        </select>
      </label>
      {select("type", t("type"), t("anyType"), TYPE_CODES, TYPE_WORDS)}
      {select("metric", t("metric"), "—", METRIC_CODES, METRIC_WORDS)}
      {select(
        "status",
        t("status"),
        t("anyStatus"),
        STATUS_CODES.filter((s) => s !== "candidate" && s !== "rejected"),
        STATUS_WORDS,
      )}
      {select("grade", t("grade"), t("anyGrade"), [...GRADE_CODES, "headline"], GRADE_WORDS)}
      {f.place ? (
        <p className="wide">
          {t("place")}:{" "}
          <strong>{(lang === "fa" ? placeInfo?.fa : null) ?? placeInfo?.name ?? f.place}</strong>{" "}
          <button type="button" className="link" onClick={() => setSearch({ place: null })}>
            {t("clearPlace")}
          </button>
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit">{t("apply")}</button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            setSearch({
              q: null,
              from: null,
              to: null,
              type: null,
              metric: null,
              status: null,
              grade: null,
              province: null,
              place: null,
            })
          }
        >
          {t("reset")}
        </button>
      </div>
    </form>
  );
}
