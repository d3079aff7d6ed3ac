/**
 * The daily bulletin, written from the ledger alone: the headline figures as they stood at the end of the day
 * and how they changed since the previous day's bulletin, the claims whose figures stand at that day, a small
 * chart of the last 30 days, and the method in one paragraph. Rendered as Markdown or HTML (and, by the CLI,
 * PDF), in English or Persian.
 */
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
import { NEVER_PUBLISHED } from "../core/publication.js";
import type { Metric, Qualifier, SourceKind } from "../core/vocabulary.js";
import { dataVersion } from "../store/repositories/meta.js";
import { groupedTally, type TotalCell } from "../store/repositories/tallies.js";
import { computeHeadline, type LatestClaim } from "./dashboard.js";
import type { Ledger } from "./ledger.js";
import { cachePerLedger } from "./read-cache.js";

export type BulletinLang = Lang;

/** A real calendar day written YYYY-MM-DD (2025-02-30 is not one). */
export function isCalendarDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface BulletinMetric {
  metric: Metric;
  documented: TotalCell;
  previous: TotalCell;
  all: TotalCell;
  latest: LatestClaim[];
}

export interface BulletinClaim {
  metric: string;
  source: { name: string; kind: SourceKind };
  low: number;
  high: number | null;
  qualifier: Qualifier;
  place: string | null;
  quote: string | null;
  url: string | null;
}

export interface Bulletin {
  date: string;
  previousDate: string;
  synthetic: boolean;
  metrics: BulletinMetric[];
  claims: BulletinClaim[];
  /** The chart: headline documented counts per day for the first metric, the 30 days up to the date. */
  chart: { metric: Metric; days: { date: string; low: number; high: number }[] };
}

const cache = cachePerLedger<Bulletin | null>(100);

/**
 * The bulletin for a day as the public reads it: computed once per data version, day and process (it computes
 * the headline twice, as of the day and the day before).
 */
export async function cachedBulletin(
  ledger: Ledger,
  date: string,
  options: { synthetic?: boolean } = {},
): Promise<Bulletin | null> {
  const version = await dataVersion(ledger.store.db);
  return cache(ledger).get(`${date}|${options.synthetic ?? false}`, version, () =>
    bulletinFor(ledger, date, options),
  );
}

/** The bulletin for a day, or null when the ledger holds nothing to report yet. */
export async function bulletinFor(
  ledger: Ledger,
  date: string,
  options: { synthetic?: boolean } = {},
): Promise<Bulletin | null> {
  const version = await dataVersion(ledger.store.db);
  const previousDate = addDays(date, -1);
  const [now, before] = await Promise.all([
    computeHeadline(ledger, version, undefined, date),
    computeHeadline(ledger, version, undefined, previousDate),
  ]);
  if (now.metrics.length === 0) return null;
  const metrics: BulletinMetric[] = now.metrics.map((m) => ({
    metric: m.metric,
    documented: m.documented,
    all: m.all,
    latest: m.latest,
    previous: before.metrics.find((b) => b.metric === m.metric)?.documented ?? {
      low: 0,
      high: 0,
      incidents: 0,
      cities: 0,
      provinces: 0,
    },
  }));
  const rows = await ledger.store.db
    .selectFrom("claims")
    .innerJoin("sources", "sources.id", "claims.source_id")
    .select([
      "claims.metric",
      "claims.low",
      "claims.high",
      "claims.qualifier",
      "claims.place_name",
      "claims.quote",
      "claims.url",
      "sources.name as source_name",
      "sources.kind as source_kind",
    ])
    .where("claims.as_of", "=", date)
    .where("claims.status", "not in", [...NEVER_PUBLISHED])
    .orderBy("sources.name")
    .orderBy("claims.id")
    .execute();
  const claims: BulletinClaim[] = rows.map((r) => ({
    metric: r.metric,
    source: { name: r.source_name, kind: r.source_kind as SourceKind },
    low: r.low,
    high: r.high,
    qualifier: r.qualifier as Qualifier,
    place: r.place_name,
    quote: r.quote,
    url: r.url,
  }));
  // The chart shows the metric with the most documented incidents: the one readers follow.
  const main = [...metrics].sort(
    (a, b) => b.documented.incidents - a.documented.incidents,
  )[0] as BulletinMetric;
  const from = addDays(date, -29);
  const cells = await groupedTally(
    ledger.store.db,
    { metric: main.metric, grade: "headline", from, to: date },
    "country",
    "day",
  );
  const byDay = new Map<string, { low: number; high: number }>();
  for (const c of cells) {
    const d = byDay.get(c.period ?? "") ?? { low: 0, high: 0 };
    byDay.set(c.period ?? "", { low: d.low + c.low, high: d.high + c.high });
  }
  const days = [];
  for (let d = from; d <= date; d = addDays(d, 1))
    days.push({ date: d, ...(byDay.get(d) ?? { low: 0, high: 0 }) });
  return {
    date,
    previousDate,
    synthetic: options.synthetic ?? false,
    metrics,
    claims,
    chart: { metric: main.metric, days },
  };
}

const T = {
  title: { en: "Daily bulletin", fa: "گزارش روزانه" },
  synthetic: {
    en: "SYNTHETIC DEMO DATA: every figure here is invented for demonstration.",
    fa: "داده‌ی نمایشی ساختگی: همه‌ی ارقام این صفحه برای نمایش ساخته شده‌اند.",
  },
  headline: {
    en: "Documented counts (verified incidents graded confirmed or fair)",
    fa: "شمار مستند (رویدادهای راستی‌آزمایی‌شده با درجهٔ تأییدشده یا قابل‌قبول)",
  },
  documented: { en: "documented", fa: "مستند" },
  inCities: { en: "in {c} cities of {p} provinces", fa: "در {c} شهر از {p} استان" },
  change: { en: "since the previous bulletin", fa: "از گزارش پیشین" },
  noChange: { en: "no change since the previous bulletin", fa: "بدون تغییر از گزارش پیشین" },
  fullRange: { en: "all published, every grade", fa: "همهٔ منتشرشده‌ها، با هر درجه" },
  claimsToday: { en: "Claims recorded for this day", fa: "ادعاهای ثبت‌شده برای این روز" },
  noClaims: { en: "No claim stands at this day.", fa: "هیچ ادعایی برای این روز ثبت نشده است." },
  latest: { en: "Latest claims beside the documented count", fa: "آخرین ادعاها در کنار شمار مستند" },
  chart: { en: "Documented per day, last 30 days", fa: "شمار مستند روزانه، ۳۰ روز اخیر" },
  method: { en: "Method", fa: "روش" },
  methodText: {
    en: "Tally counts incidents reported by field networks and the press. The documented count counts only published incidents that a reviewer verified and graded confirmed (acknowledged or documented with evidence) or fair (two or more independent credible sources), and nothing that no reviewer has accepted; each incident's count is a range, and ranges are added low to low and high to high, so a total is never more precise than its parts. Figures that others claim are kept as claims of named sources and set beside the documented count for the same scope and date; the ratio in words holds at both ends of the range. Every other published incident (not yet verified, disputed, or graded weak, contested or discounted) stays visible in the full range.",
    fa: "تالی رویدادهایی را که شبکه‌های میدانی و رسانه‌ها گزارش می‌کنند می‌شمارد. شمار مستند تنها رویدادهای منتشرشده‌ای را در بر می‌گیرد که بازبین راستی‌آزمایی کرده و «تأییدشده» (پذیرفته‌شده یا مستند با مدرک) یا «قابل‌قبول» (دو منبع معتبر مستقل یا بیشتر) درجه‌بندی شده‌اند؛ شمار هر رویداد یک بازه است و بازه‌ها کران به کران جمع می‌شوند، پس هیچ مجموعی دقیق‌تر از اجزایش نیست. ارقامی که دیگران اعلام می‌کنند به‌عنوان ادعای منبعی مشخص نگه داشته و در کنار شمار مستند همان دامنه و تاریخ گذاشته می‌شوند؛ نسبت به زبان ساده در هر دو سر بازه درست است. آنچه هیچ بازبینی نپذیرفته شمرده نمی‌شود؛ دیگر رویدادهای منتشرشده (هنوز راستی‌آزمایی‌نشده، مورد اختلاف، یا ضعیف، مورد مناقشه و کنارگذاشته) در بازه‌ی کامل دیده می‌شوند.",
  },
  source: { en: "Source", fa: "منبع" },
  figure: { en: "Figure", fa: "رقم" },
  metric: { en: "Metric", fa: "شاخص" },
  place: { en: "Place", fa: "مکان" },
  ratio: { en: "beside the documented count", fa: "در برابر شمار مستند" },
} as const;

function t(key: keyof typeof T, lang: Lang, vars: Record<string, string> = {}): string {
  return T[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
}

function delta(now: TotalCell, prev: TotalCell, lang: Lang): string {
  const dl = now.low - prev.low;
  const dh = now.high - prev.high;
  if (dl === 0 && dh === 0) return t("noChange", lang);
  const sign = (n: number) => (n >= 0 ? "+" : "−") + formatNumber(Math.abs(n), lang);
  const range = dl === dh ? sign(dl) : `${sign(dl)} / ${sign(dh)}`;
  return `${range} ${t("change", lang)}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A small bar chart of the documented range per day, as self-contained SVG (no script, no fonts). */
export function bulletinChartSvg(b: Bulletin, lang: Lang): string {
  const w = 600;
  const h = 160;
  const pad = { l: 44, r: 8, t: 10, b: 24 };
  const days = b.chart.days;
  const max = Math.max(1, ...days.map((d) => d.high));
  const bw = (w - pad.l - pad.r) / days.length;
  const y = (v: number) => pad.t + (h - pad.t - pad.b) * (1 - v / max);
  const num = (n: number) => formatNumber(n, lang);
  const bars = days
    .map((d, i) => {
      const x = pad.l + i * bw;
      const low = `<rect x="${x.toFixed(1)}" y="${y(d.low).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(y(0) - y(d.low)).toFixed(1)}" fill="#1d3557"/>`;
      const high = `<rect x="${x.toFixed(1)}" y="${y(d.high).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(y(d.low) - y(d.high)).toFixed(1)}" fill="#a8b8d0"><title>${escapeHtml(`${d.date}: ${formatRange(d, lang)}`)}</title></rect>`;
      return low + high;
    })
    .join("");
  const first = days[0]?.date ?? "";
  const last = days[days.length - 1]?.date ?? "";
  const label = (s: string) => (lang === "fa" ? persianDigits(s) : s);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(`${t("chart", lang)}: ${word(METRIC_WORDS, b.chart.metric, lang)}`)}" font-family="sans-serif" font-size="11">
<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(0)}" y2="${y(0)}" stroke="#555"/>
<text x="${pad.l - 4}" y="${y(max) + 4}" text-anchor="end" fill="#333">${num(max)}</text>
<text x="${pad.l - 4}" y="${y(0)}" text-anchor="end" fill="#333">${num(0)}</text>
${bars}
<text x="${pad.l}" y="${h - 6}" fill="#333">${label(first)}</text>
<text x="${w - pad.r}" y="${h - 6}" text-anchor="end" fill="#333">${label(last)}</text>
</svg>`;
}

export function renderBulletinMarkdown(b: Bulletin, lang: Lang): string {
  const out: string[] = [];
  out.push(`# ${t("title", lang)} — ${formatDay(b.date, lang)}`, "");
  if (b.synthetic) out.push(`**${t("synthetic", lang)}**`, "");
  out.push(`## ${t("headline", lang)}`, "");
  for (const m of b.metrics) {
    out.push(
      `- **${word(METRIC_WORDS, m.metric, lang)}**: ${formatRange(m.documented, lang)} ${t("documented", lang)} ` +
        `${t("inCities", lang, { c: formatNumber(m.documented.cities, lang), p: formatNumber(m.documented.provinces, lang) })}` +
        `${lang === "fa" ? "؛" : ";"} ${delta(m.documented, m.previous, lang)} (${t("fullRange", lang)}: ${formatRange(m.all, lang)})`,
    );
    for (const c of m.latest) {
      out.push(
        `  - ${c.source.name} (${word(SOURCE_KIND_WORDS, c.source.kind, lang)}), ${formatDay(c.asOf, lang)}: ` +
          `${formatClaim(c, lang)} — ${ratioInWords(c.ratio.low, c.ratio.high, lang)} (${t("documented", lang)} ${formatRange(c.documented, lang)})`,
      );
    }
  }
  out.push("", `## ${t("claimsToday", lang)}`, "");
  if (b.claims.length === 0) out.push(t("noClaims", lang));
  for (const c of b.claims) {
    out.push(
      `- ${c.source.name} (${word(SOURCE_KIND_WORDS, c.source.kind, lang)}): ${word(METRIC_WORDS, c.metric, lang)} ${formatClaim(c, lang)}` +
        `${c.place ? ` — ${c.place}` : ""}${c.quote ? ` — “${c.quote}”` : ""}${c.url ? ` <${c.url}>` : ""}`,
    );
  }
  out.push("", `## ${t("chart", lang)}: ${word(METRIC_WORDS, b.chart.metric, lang)}`, "");
  const max = Math.max(1, ...b.chart.days.map((d) => d.high));
  // A text chart: Markdown has no images of its own, and the bulletin must stand alone as one file.
  for (const d of b.chart.days.slice(-14)) {
    out.push(
      `    ${d.date}  ${"█".repeat(Math.round((d.high / max) * 30)).padEnd(30)} ${formatRange(d, lang)}`,
    );
  }
  out.push("", `## ${t("method", lang)}`, "", t("methodText", lang), "");
  return out.join("\n");
}

export function renderBulletinHtml(b: Bulletin, lang: Lang, options: { base?: string } = {}): string {
  const e = escapeHtml;
  const metricItems = b.metrics
    .map((m) => {
      const claims = m.latest
        .map(
          (c) =>
            `<li>${e(c.source.name)} (${e(word(SOURCE_KIND_WORDS, c.source.kind, lang))}), ${e(formatDay(c.asOf, lang))}: <strong>${e(formatClaim(c, lang))}</strong> — ${e(ratioInWords(c.ratio.low, c.ratio.high, lang))} (${e(t("documented", lang))} ${e(formatRange(c.documented, lang))})</li>`,
        )
        .join("");
      return `<section class="metric"><h3>${e(word(METRIC_WORDS, m.metric, lang))}</h3>
<p class="figure"><strong data-metric="${m.metric}">${e(formatRange(m.documented, lang))}</strong> ${e(t("documented", lang))} ${e(t("inCities", lang, { c: formatNumber(m.documented.cities, lang), p: formatNumber(m.documented.provinces, lang) }))}</p>
<p class="change">${e(delta(m.documented, m.previous, lang))} · ${e(t("fullRange", lang))}: ${e(formatRange(m.all, lang))}</p>
${claims ? `<ul>${claims}</ul>` : ""}</section>`;
    })
    .join("\n");
  const claimRows = b.claims
    .map(
      (c) =>
        `<tr><td>${e(c.source.name)}</td><td>${e(word(METRIC_WORDS, c.metric, lang))}</td><td>${e(formatClaim(c, lang))}</td><td>${e(c.place ?? "")}</td></tr>`,
    )
    .join("");
  const other = lang === "fa" ? "en" : "fa";
  const base = options.base ?? "";
  return `<!doctype html>
<html lang="${lang}" dir="${dirOf(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${t("title", lang)} ${b.date} · Tally`)}</title>
<style>
body{font-family:system-ui,"Vazirmatn","Noto Sans Arabic",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{margin:.8rem 0 .2rem}
.figure strong{font-size:1.4rem}.change{color:#444;margin:0}.synthetic{background:#fff3cd;border:1px solid #b58900;padding:.5rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:start}
svg{max-width:100%;height:auto}a{color:#1d3557}
</style></head>
<body><main>
<p><a href="${base}/bulletins/${b.date}?lang=${other}" hreflang="${other}" lang="${other}">${other === "fa" ? "فارسی" : "English"}</a></p>
<h1>${e(t("title", lang))} — <time datetime="${b.date}">${e(formatDay(b.date, lang))}</time></h1>
${b.synthetic ? `<p class="synthetic" role="note">${e(t("synthetic", lang))}</p>` : ""}
<h2>${e(t("headline", lang))}</h2>
${metricItems}
<h2>${e(t("claimsToday", lang))}</h2>
${b.claims.length ? `<table><thead><tr><th>${e(t("source", lang))}</th><th>${e(t("metric", lang))}</th><th>${e(t("figure", lang))}</th><th>${e(t("place", lang))}</th></tr></thead><tbody>${claimRows}</tbody></table>` : `<p>${e(t("noClaims", lang))}</p>`}
<h2>${e(t("chart", lang))}: ${e(word(METRIC_WORDS, b.chart.metric, lang))}</h2>
<figure>${bulletinChartSvg(b, lang)}</figure>
<h2>${e(t("method", lang))}</h2>
<p>${e(t("methodText", lang))}</p>
</main></body></html>`;
}
