/**
 * The dashboard as static files (`tally export-site`): HTML pages with no script at all, so they open from the
 * file system and from any CDN alike, beside JSON and CSV snapshots of the same figures. When a crisis brings
 * millions of readers, these files carry them and the ledger's server carries none.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { addDays } from "../core/dates.js";
import {
  dirOf,
  formatClaim,
  formatDay,
  formatNumber,
  formatRange,
  type Lang,
  METRIC_WORDS,
  persianDigits,
  ratioInWords,
  SOURCE_KIND_WORDS,
  word,
} from "../core/locale.js";
import { TallyQuery } from "../core/tally.js";
import { dataVersion } from "../store/repositories/meta.js";
import { bulletinFor, renderBulletinHtml } from "./bulletins.js";
import { computeHeadline, type Headline, type MappedTally, mappedTally } from "./dashboard.js";
import { atomFeed, embedHeadlineHtml } from "./feeds.js";
import type { Ledger } from "./ledger.js";

export interface SiteOptions {
  synthetic?: boolean;
  /** Daily bulletins to publish, counting back from the last day with data. */
  bulletinDays?: number;
  /** Absolute URL the site will be served from, for the Atom feed's links; relative links otherwise. */
  baseUrl?: string;
  onProgress?: (what: string) => void;
}

export interface SiteReport {
  files: number;
  bytes: number;
  metrics: string[];
  bulletins: number;
}

const T = {
  title: {
    en: "Tally: what is documented, and what is claimed",
    fa: "تالی: آنچه مستند شده و آنچه ادعا می‌شود",
  },
  snapshot: { en: "Snapshot of {date}", fa: "برداشت {date}" },
  headline: {
    en: "Documented counts (verified incidents graded confirmed or fair)",
    fa: "شمار مستند (رویدادهای راستی‌آزمایی‌شده با درجهٔ تأییدشده یا قابل‌قبول)",
  },
  documented: { en: "documented", fa: "مستند" },
  inPlaces: { en: "in {c} cities of {p} provinces", fa: "در {c} شهر از {p} استان" },
  fullRange: { en: "all published, every grade", fa: "همهٔ منتشرشده‌ها، با هر درجه" },
  byProvince: { en: "By province", fa: "به تفکیک استان" },
  byCity: { en: "By city", fa: "به تفکیک شهر" },
  place: { en: "Place", fa: "مکان" },
  province: { en: "Province", fa: "استان" },
  low: { en: "Low", fa: "کران پایین" },
  high: { en: "High", fa: "کران بالا" },
  incidents: { en: "Incidents", fa: "رویدادها" },
  overTime: {
    en: "Cumulative documented count (band: low to high) and each source's claims (points)",
    fa: "شمار مستند انباشته (نوار: از کران پایین تا بالا) و ادعاهای هر منبع (نقطه‌ها)",
  },
  map: {
    en: "Map: circle area proportional to the high end of the documented range",
    fa: "نقشه: مساحت دایره‌ها با کران بالای بازه‌ی مستند متناسب است",
  },
  data: { en: "Open data", fa: "داده‌های باز" },
  bulletins: { en: "Daily bulletins", fa: "گزارش‌های روزانه" },
  cities: { en: "All cities", fa: "همه‌ی شهرها" },
  home: { en: "Overview", fa: "نمای کلی" },
  synthetic: {
    en: "SYNTHETIC DEMO DATA: every figure here is invented for demonstration.",
    fa: "داده‌ی نمایشی ساختگی: همه‌ی ارقام این صفحه برای نمایش ساخته شده‌اند.",
  },
  method: {
    en: "Counts are ranges: each incident's low and high are added separately, so a total is never more precise than its parts. The documented count counts published incidents that a reviewer verified and graded confirmed or fair; nothing that no reviewer has accepted is counted. A claim is compared with what the ledger documents for the same metric and scope up to the claim's date.",
    fa: "شمارها بازه‌اند: کران پایین و بالای هر رویداد جداگانه جمع می‌شوند، پس هیچ مجموعی دقیق‌تر از اجزایش نیست. شمار مستند رویدادهای منتشرشده‌ای را می‌شمارد که بازبین راستی‌آزمایی کرده و درجهٔ تأییدشده یا قابل‌قبول داده است. هر ادعا با آنچه دفتر برای همان شاخص و دامنه تا تاریخ ادعا مستند کرده مقایسه می‌شود.",
  },
} as const;

function t(key: keyof typeof T, lang: Lang, vars: Record<string, string> = {}): string {
  return T[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
}

const e = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** File names per language: English at the plain name, Persian with ".fa" before the extension. */
export function pageName(base: string, lang: Lang): string {
  return lang === "en" ? `${base}.html` : `${base}.fa.html`;
}

function page(lang: Lang, title: string, body: string, synthetic: boolean, nav: string): string {
  return `<!doctype html>
<html lang="${lang}" dir="${dirOf(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>
body{font-family:system-ui,"Vazirmatn","Noto Sans Arabic",sans-serif;max-width:72rem;margin:0 auto;padding:1rem;color:#1a1a1a;line-height:1.5}
a{color:#0b5cad}nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0}
.synthetic{background:#fff4d6;border:1px solid #8a6d00;padding:.5rem;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.75rem}
.card{border:1px solid #c7c7c7;border-radius:8px;padding:.5rem .75rem}.card h3{margin:.2rem 0}
.figure{font-size:1.6rem;color:#1d3557;font-weight:700}.muted{color:#4d4d4d}
table{border-collapse:collapse;width:100%}th,td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid #c7c7c7}
td.num{text-align:end;font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}
.grid{display:grid;gap:1rem}@media(min-width:64rem){.grid{grid-template-columns:3fr 2fr}}
</style></head><body>
<nav aria-label="Tally">${nav}</nav>
${synthetic ? `<p class="synthetic" role="note">${e(t("synthetic", lang))}</p>` : ""}
<main>${body}</main>
</body></html>
`;
}

function navFor(lang: Lang, lastDate: string | null, prefix = ""): string {
  const other: Lang = lang === "fa" ? "en" : "fa";
  const items = [
    [`${prefix}${pageName("index", lang)}`, t("home", lang)],
    [`${prefix}${pageName("cities", lang)}`, t("cities", lang)],
    ...(lastDate ? [[`${prefix}bulletins/${pageName(lastDate, lang)}`, t("bulletins", lang)]] : []),
    [`${prefix}data/index.html`, t("data", lang)],
    [`${prefix}feed.atom`, "Atom"],
    [`${prefix}${pageName("index", other)}`, other === "fa" ? "فارسی" : "English"],
  ];
  return `<ul>${items.map(([href, label]) => `<li><a href="${e(href as string)}">${e(label as string)}</a></li>`).join("")}</ul>`;
}

function cardsHtml(h: Headline, lang: Lang): string {
  return `<div class="cards">${h.metrics
    .map(
      (
        m,
      ) => `<article class="card" data-metric="${m.metric}"><h3>${e(word(METRIC_WORDS, m.metric, lang))}</h3>
<p><span class="figure" data-testid="documented-${m.metric}">${e(formatRange(m.documented, lang))}</span> ${e(t("documented", lang))}</p>
<p class="muted">${e(t("inPlaces", lang, { c: formatNumber(m.documented.cities, lang), p: formatNumber(m.documented.provinces, lang) }))} · ${e(t("fullRange", lang))}: ${e(formatRange(m.all, lang))}</p>
<ul>${m.latest
        .map(
          (c) =>
            `<li>${e(c.source.name)} (${e(word(SOURCE_KIND_WORDS, c.source.kind, lang))}), ${e(formatDay(c.asOf, lang))}: <strong>${e(formatClaim(c, lang))}</strong> — ${e(ratioInWords(c.ratio.low, c.ratio.high, lang))}</li>`,
        )
        .join("")}</ul></article>`,
    )
    .join("\n")}</div>`;
}

function tableHtml(t2: MappedTally, lang: Lang, withProvince: boolean): string {
  const name = (p: MappedTally["rows"][number]["place"]) =>
    (lang === "fa" ? p.fa : null) ?? p.name ?? p.country ?? "";
  const rows = [...t2.rows].sort((a, b) => b.high - a.high);
  return `<table><thead><tr><th scope="col">${e(t("place", lang))}</th>${withProvince ? `<th scope="col">${e(t("province", lang))}</th>` : ""}<th scope="col">${e(t("low", lang))}</th><th scope="col">${e(t("high", lang))}</th><th scope="col">${e(t("incidents", lang))}</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr data-place="${e(r.place.id ?? "")}"><th scope="row">${e(name(r.place))}</th>${withProvince ? `<td>${e((lang === "fa" ? r.place.provinceFa : null) ?? r.place.province ?? "")}</td>` : ""}<td class="num">${e(formatNumber(r.low, lang))}</td><td class="num">${e(formatNumber(r.high, lang))}</td><td class="num">${e(formatNumber(r.incidents, lang))}</td></tr>`,
    )
    .join("")}</tbody></table>`;
}

/** The cumulative band with claim points, as SVG (the static twin of the dashboard's Plot chart). */
export function seriesSvg(
  days: { date: string; low: number; high: number }[],
  claims: { source: string; date: string; value: number }[],
  lang: Lang,
): string {
  const W = 720;
  const H = 260;
  const pad = { l: 80, r: 12, t: 12, b: 28 };
  if (days.length === 0) return "";
  let lo = 0;
  let hi = 0;
  const cum = days.map((d) => {
    lo += d.low;
    hi += d.high;
    return { date: d.date, low: lo, high: hi };
  });
  const t0 = Date.parse(`${days[0]?.date}T00:00:00Z`);
  const t1 = Math.max(t0 + 86_400_000, Date.parse(`${days[days.length - 1]?.date}T00:00:00Z`));
  const max = Math.max(1, hi, ...claims.map((c) => c.value));
  const rtl = lang === "fa";
  const x = (d: string) => {
    const f = (Date.parse(`${d}T00:00:00Z`) - t0) / (t1 - t0);
    return pad.l + (rtl ? 1 - f : f) * (W - pad.l - pad.r);
  };
  const y = (v: number) => pad.t + (1 - v / max) * (H - pad.t - pad.b);
  const band = `${cum.map((c) => `${x(c.date).toFixed(1)},${y(c.high).toFixed(1)}`).join(" ")} ${[...cum]
    .reverse()
    .map((c) => `${x(c.date).toFixed(1)},${y(c.low).toFixed(1)}`)
    .join(" ")}`;
  const colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"];
  const sources = [...new Set(claims.map((c) => c.source))];
  const dots = claims
    .filter((c) => c.date >= (days[0]?.date ?? "") && c.date <= (days[days.length - 1]?.date ?? ""))
    .map(
      (c) =>
        `<circle cx="${x(c.date).toFixed(1)}" cy="${y(c.value).toFixed(1)}" r="3.5" fill="${colours[sources.indexOf(c.source) % colours.length]}"><title>${e(`${c.source}, ${c.date}: ${formatNumber(c.value, lang)}`)}</title></circle>`,
    )
    .join("");
  const legend = sources
    .map(
      (s, i) =>
        `<tspan fill="${colours[i % colours.length]}">●</tspan><tspan fill="#333"> ${e(s)}   </tspan>`,
    )
    .join("");
  const label = (s: string) => (lang === "fa" ? persianDigits(s) : s);
  const first = days[0]?.date ?? "";
  const last = days[days.length - 1]?.date ?? "";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H + 20}" role="img" aria-label="${e(t("overTime", lang))}" font-family="sans-serif" font-size="11">
<polygon points="${band}" fill="#c9d6e8"/>
<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(0)}" y2="${y(0)}" stroke="#555"/>
<text x="${pad.l - 4}" y="${y(max) + 4}" text-anchor="end" fill="#333">${formatNumber(max, lang)}</text>
<text x="${pad.l - 4}" y="${y(0)}" text-anchor="end" fill="#333">${formatNumber(0, lang)}</text>
${dots}
<text x="${x(first)}" y="${H - 8}" text-anchor="middle" fill="#333">${label(first)}</text>
<text x="${x(last)}" y="${H - 8}" text-anchor="middle" fill="#333">${label(last)}</text>
<text x="${pad.l}" y="${H + 14}">${legend}</text>
</svg>`;
}

/** The map as SVG, drawn with d3-geo on world-atlas outlines; null when those packages are not installed. */
export async function mapSvg(t2: MappedTally, lang: Lang): Promise<string | null> {
  let geo: typeof import("d3-geo");
  let topo: typeof import("topojson-client");
  let world: unknown;
  try {
    geo = await import("d3-geo");
    topo = await import("topojson-client");
    const require = createRequire(import.meta.url);
    world = require("world-atlas/countries-50m.json");
  } catch {
    return null;
  }
  const W = 720;
  const H = 560;
  const located = t2.rows.filter((r) => r.place.lat !== null && r.place.lon !== null && r.high > 0);
  const projection = geo.geoMercator();
  if (located.length)
    projection.fitExtent(
      [
        [40, 40],
        [W - 40, H - 40],
      ],
      { type: "MultiPoint", coordinates: located.map((r) => [r.place.lon as number, r.place.lat as number]) },
    );
  const path = geo.geoPath(projection);
  const w = world as import("topojson-specification").Topology;
  const countries = topo.feature(
    w,
    w.objects.countries as import("topojson-specification").GeometryCollection,
  ) as unknown as GeoJSON.FeatureCollection;
  const outlines = countries.features.map((f) => path(f) ?? "").filter(Boolean);
  const max = Math.max(1, ...located.map((r) => r.high));
  const circles = [...located]
    .sort((a, b) => b.high - a.high)
    .map((r) => {
      const [x, y] = projection([r.place.lon as number, r.place.lat as number]) ?? [0, 0];
      const rad = Math.max(2, Math.sqrt(r.high / max) * 34);
      const name = (lang === "fa" ? r.place.fa : null) ?? r.place.name ?? "";
      return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${rad.toFixed(1)}"><title>${e(`${name}: ${formatRange(r, lang)}`)}</title></circle>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${e(t("map", lang))}">
<rect width="${W}" height="${H}" fill="#dbe7f3"/>
<g fill="#f4f1ea" stroke="#8c8c8c" stroke-width="0.6">${outlines.map((d) => `<path d="${d}"/>`).join("")}</g>
<g fill="rgba(164,22,26,0.55)" stroke="#7a0f12">${circles}</g>
</svg>`;
}

function csv(rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

export async function exportSite(
  ledger: Ledger,
  dir: string,
  options: SiteOptions = {},
): Promise<SiteReport> {
  const synthetic = options.synthetic ?? false;
  const progress = options.onProgress ?? (() => {});
  let files = 0;
  let bytes = 0;
  const put = (rel: string, data: string) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    files++;
    bytes += Buffer.byteLength(data);
  };
  const version = await dataVersion(ledger.store.db);
  const h = await computeHeadline(ledger, version);
  const main = h.metrics.find((m) => m.documented.incidents > 0) ?? h.metrics[0];
  put("data/headline.json", `${JSON.stringify({ ...h, synthetic }, null, 1)}\n`);
  const tallies = new Map<string, { province: MappedTally; city: MappedTally; daily: MappedTally }>();
  for (const m of h.metrics) {
    progress(`tallies: ${m.metric}`);
    const q = (by: string, period = "total") =>
      TallyQuery.parse({ metric: m.metric, by, period, grade: "headline" });
    const province = await mappedTally(ledger, q("province"));
    const city = await mappedTally(ledger, q("city"));
    const daily = await mappedTally(ledger, q("country", "day"));
    tallies.set(m.metric, { province, city, daily });
    for (const [by, t2] of [
      ["province", province],
      ["city", city],
    ] as const) {
      put(`data/${m.metric}-by-${by}.json`, `${JSON.stringify(t2)}\n`);
      put(
        `data/${m.metric}-by-${by}.csv`,
        csv([
          ["metric", "place_id", "place", "place_fa", "province", "country", "low", "high", "incidents"],
          ...t2.rows.map((r) => [
            m.metric,
            r.place.id,
            r.place.name,
            r.place.fa,
            r.place.province,
            r.place.country,
            r.low,
            r.high,
            r.incidents,
          ]),
        ]),
      );
    }
    put(
      `data/${m.metric}-by-day.csv`,
      csv([
        ["metric", "date", "country", "low", "high", "incidents"],
        ...daily.rows.map((r) => [m.metric, r.period, r.place.country, r.low, r.high, r.incidents]),
      ]),
    );
  }
  put(
    "data/claims.csv",
    csv([
      ["metric", "source", "source_kind", "as_of", "low", "high", "qualifier", "place", "context"],
      ...h.metrics.flatMap((m) =>
        m.timelines.flatMap((tl) =>
          tl.claims.map((c) => [
            m.metric,
            tl.source.name,
            tl.source.kind,
            c.asOf,
            c.low,
            c.high,
            c.qualifier,
            c.place,
            c.context,
          ]),
        ),
      ),
    ]),
  );
  const dataFiles = h.metrics.flatMap((m) => [
    `${m.metric}-by-province.csv`,
    `${m.metric}-by-city.csv`,
    `${m.metric}-by-day.csv`,
    `${m.metric}-by-province.json`,
    `${m.metric}-by-city.json`,
  ]);
  put(
    "data/index.html",
    page(
      "en",
      "Tally open data",
      `<h1>Open data</h1><ul>${["headline.json", "claims.csv", ...dataFiles].map((f) => `<li><a href="${f}">${f}</a></li>`).join("")}</ul>`,
      synthetic,
      navFor("en", h.lastDate, "../"),
    ),
  );

  for (const lang of ["en", "fa"] as const) {
    progress(`pages: ${lang}`);
    const m = main ? tallies.get(main.metric) : undefined;
    const map = m ? await mapSvg(m.province, lang) : null;
    const days = (m?.daily.rows ?? []).map((r) => ({ date: r.period ?? "", low: r.low, high: r.high }));
    const claimPoints = (main?.timelines ?? []).flatMap((tl) =>
      tl.claims
        .filter((c) => c.asOf)
        .map((c) => ({ source: tl.source.name, date: c.asOf as string, value: c.low })),
    );
    const metricName = main ? word(METRIC_WORDS, main.metric, lang) : "";
    const body = `<h1>${e(t("title", lang))}</h1>
<p class="muted">${e(t("snapshot", lang, { date: formatDay(h.lastDate, lang) }))}</p>
<h2>${e(t("headline", lang))}</h2>
${cardsHtml(h, lang)}
${
  m
    ? `<h2>${e(metricName)}: ${e(t("byProvince", lang))}</h2><div class="grid"><figure>${map ?? ""}<figcaption class="muted">${e(t("map", lang))}</figcaption></figure><div>${tableHtml(m.province, lang, false)}</div></div>
<h2>${e(metricName)}</h2><figure>${seriesSvg(days, claimPoints, lang)}<figcaption class="muted">${e(t("overTime", lang))}</figcaption></figure>`
    : ""
}
<p>${e(t("method", lang))}</p>`;
    put(pageName("index", lang), page(lang, t("title", lang), body, synthetic, navFor(lang, h.lastDate)));
    put(
      pageName("cities", lang),
      page(
        lang,
        `${t("cities", lang)} · Tally`,
        h.metrics
          .map(
            (mm) =>
              `<h2>${e(word(METRIC_WORDS, mm.metric, lang))}: ${e(t("byCity", lang))}</h2>${tableHtml(tallies.get(mm.metric)?.city as MappedTally, lang, true)}`,
          )
          .join("\n"),
        synthetic,
        navFor(lang, h.lastDate),
      ),
    );
    for (const mm of h.metrics)
      put(
        `embed/headline-${mm.metric}${lang === "en" ? "" : ".fa"}.html`,
        embedHeadlineHtml(h, mm.metric, lang, "..", synthetic),
      );
  }

  let bulletins = 0;
  if (h.lastDate) {
    const n = options.bulletinDays ?? 14;
    for (let i = 0; i < n; i++) {
      const day = addDays(h.lastDate, -i);
      if (h.firstDate && day < h.firstDate) break;
      progress(`bulletin ${day}`);
      const b = await bulletinFor(ledger, day, { synthetic });
      if (!b) continue;
      for (const lang of ["en", "fa"] as const) {
        // Static bulletins link to their other language by file name, not by query string.
        const html = renderBulletinHtml(b, lang, { base: ".." }).replace(
          `../bulletins/${day}?lang=${lang === "fa" ? "en" : "fa"}`,
          pageName(day, lang === "fa" ? "en" : "fa"),
        );
        put(`bulletins/${pageName(day, lang)}`, html);
      }
      put(`data/bulletin-${day}.json`, `${JSON.stringify(b)}\n`);
      bulletins++;
    }
  }
  const feed = await atomFeed(ledger, options.baseUrl ?? ".", { synthetic });
  put(
    "feed.atom",
    options.baseUrl
      ? feed
      : feed.replace(/href="\.\/bulletins\/(\d{4}-\d{2}-\d{2})"/g, 'href="./bulletins/$1.html"'),
  );
  return { files, bytes, metrics: h.metrics.map((m) => m.metric), bulletins };
}
