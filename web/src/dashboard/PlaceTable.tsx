/** A sortable table of the documented counts by province or city, with the rows as a CSV download. */
import { Link, setSearch } from "../app/router.js";
import { formatNumber, type I18n, type MessageKey } from "../i18n/index.js";
import type { ViewFilters } from "./filters.js";
import { placeLabel } from "./MapView.js";
import type { MappedRow } from "./types.js";

type SortKey = ViewFilters["sort"];

export function sortRows(
  rows: readonly MappedRow[],
  key: SortKey,
  dir: "asc" | "desc",
  lang: string,
): MappedRow[] {
  const sign = dir === "asc" ? 1 : -1;
  const collator = new Intl.Collator(lang === "fa" ? "fa" : "en");
  return [...rows].sort((a, b) => {
    const d =
      key === "name"
        ? collator.compare(placeLabel(a.place, lang), placeLabel(b.place, lang))
        : a[key] - b[key];
    return sign * d || collator.compare(placeLabel(a.place, lang), placeLabel(b.place, lang));
  });
}

function csvCell(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function rowsCsv(rows: readonly MappedRow[], metric: string): string {
  const head = ["metric", "place_id", "place", "place_fa", "province", "country", "low", "high", "incidents"];
  const lines = rows.map((r) =>
    [
      metric,
      r.place.id,
      r.place.name,
      r.place.fa,
      r.place.province,
      r.place.country,
      r.low,
      r.high,
      r.incidents,
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[head.join(","), ...lines].join("\r\n")}\r\n`;
}

export function PlaceTable({
  rows,
  filters,
  metricWord,
  metric,
  i18n,
  hrefFor,
}: {
  rows: MappedRow[];
  filters: ViewFilters;
  metricWord: string;
  metric: string;
  i18n: I18n;
  hrefFor: (row: MappedRow) => string;
}) {
  const { t, lang } = i18n;
  const sorted = sortRows(rows, filters.sort, filters.dir, lang);
  const columns: [SortKey, MessageKey][] = [
    ["name", "colPlace"],
    ["low", "colLow"],
    ["high", "colHigh"],
    ["incidents", "colIncidents"],
  ];
  const sortBy = (key: SortKey) =>
    setSearch(
      // A second click flips the order; a first click sorts names A–Z and figures largest first.
      {
        sort: key,
        dir:
          filters.sort === key ? (filters.dir === "desc" ? "asc" : "desc") : key === "name" ? "asc" : "desc",
      },
      { replace: true },
    );
  const level = t(filters.by === "province" ? "byProvince" : "byCity");
  const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(rowsCsv(sorted, metric))}`;
  return (
    <div className="place-table">
      <div className="toolbar">
        <a href={csv} download={`tally-${metric}-by-${filters.by}.csv`} className="button-link">
          {t("downloadCsv")}
        </a>
        <span className="muted">{t("rows", { n: formatNumber(sorted.length, lang) })}</span>
      </div>
      <div className="table-wrap">
        <table>
          <caption>{t("tableCaption", { metric: metricWord, level })}</caption>
          <thead>
            <tr>
              {columns.map(([key, label]) => (
                <th
                  key={key}
                  scope="col"
                  aria-sort={
                    filters.sort === key ? (filters.dir === "asc" ? "ascending" : "descending") : undefined
                  }
                >
                  <button type="button" className="link sort" onClick={() => sortBy(key)}>
                    {t(label)}
                    <span aria-hidden="true">
                      {filters.sort === key ? (filters.dir === "asc" ? " ▲" : " ▼") : ""}
                    </span>
                  </button>
                </th>
              ))}
              {filters.by === "city" ? <th scope="col">{t("colProvince")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={`${r.place.id ?? ""}|${r.place.country ?? ""}`} data-place={r.place.id ?? ""}>
                <th scope="row">
                  <Link href={hrefFor(r)}>{placeLabel(r.place, lang)}</Link>
                </th>
                <td className="num">{formatNumber(r.low, lang)}</td>
                <td className="num">{formatNumber(r.high, lang)}</td>
                <td className="num">{formatNumber(r.incidents, lang)}</td>
                {filters.by === "city" ? (
                  <td>{(lang === "fa" ? r.place.provinceFa : null) ?? r.place.province ?? ""}</td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
