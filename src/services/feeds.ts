/**
 * The Atom feed (the last two weeks of daily bulletins and the incidents verified most recently) and the
 * embeddable headline figure that other sites frame to show the live count.
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
  ratioInWords,
  TYPE_WORDS,
  word,
} from "../core/locale.js";
import type { Metric } from "../core/vocabulary.js";
import { cachedHeadline, type Headline } from "./dashboard.js";
import type { Ledger } from "./ledger.js";

const BULLETIN_DAYS = 14;
const VERIFIED_ENTRIES = 50;

function xml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}

/** An Atom 1.0 feed; ids are tag URIs that do not change when the site moves. */
export async function atomFeed(
  ledger: Ledger,
  base: string,
  options: { synthetic?: boolean } = {},
): Promise<string> {
  const h = await cachedHeadline(ledger);
  const entries: { id: string; title: string; link: string; updated: string; summary: string }[] = [];
  if (h.lastDate) {
    for (let i = 0; i < BULLETIN_DAYS; i++) {
      const day = addDays(h.lastDate, -i);
      if (h.firstDate && day < h.firstDate) break;
      entries.push({
        id: `tag:tally,2026:bulletin:${day}`,
        title: `Daily bulletin ${day}`,
        link: `${base}/bulletins/${day}`,
        updated: `${day}T23:59:59Z`,
        summary: `The documented counts, the claims recorded for ${day} and what changed since the day before.`,
      });
    }
  }
  const verified = await ledger.store.db
    .selectFrom("incidents")
    .select(["id", "type", "date", "place_name", "province", "updated_at", "description"])
    .where("published", "=", 1)
    .where("status", "=", "verified")
    .where("merged_into", "is", null)
    .orderBy("updated_at", "desc")
    .orderBy("id", "desc")
    .limit(VERIFIED_ENTRIES)
    .execute();
  for (const v of verified) {
    const where = [v.place_name, v.province].filter(Boolean).join(", ");
    entries.push({
      id: `tag:tally,2026:incident:${v.id}`,
      title: `Verified: ${word(TYPE_WORDS, v.type, "en")}${where ? ` in ${where}` : ""} on ${v.date}`,
      link: `${base}/incidents/${v.id}`,
      updated: v.updated_at,
      summary: v.description ?? "",
    });
  }
  entries.sort((a, b) => b.updated.localeCompare(a.updated));
  const updated = entries[0]?.updated ?? new Date(0).toISOString();
  const notice = options.synthetic ? " (SYNTHETIC DEMO DATA)" : "";
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>${xml(`Tally: bulletins and verified incidents${notice}`)}</title>
<id>tag:tally,2026:feed</id>
<link rel="self" href="${xml(`${base}/feed.atom`)}"/>
<link rel="alternate" href="${xml(`${base}/`)}"/>
<updated>${xml(updated)}</updated>
<author><name>Tally</name></author>
${entries
  .map(
    (e) =>
      `<entry><id>${xml(e.id)}</id><title>${xml(e.title)}</title><link rel="alternate" href="${xml(e.link)}"/><updated>${xml(e.updated)}</updated><summary>${xml(e.summary)}</summary></entry>`,
  )
  .join("\n")}
</feed>
`;
}

/** A page small enough for an iframe: one metric's headline with each source's latest claim. */
export function embedHeadlineHtml(
  h: Headline,
  metric: Metric,
  lang: Lang,
  base: string,
  synthetic: boolean,
): string {
  const m = h.metrics.find((x) => x.metric === metric);
  const e = xml;
  const name = word(METRIC_WORDS, metric, lang);
  const fa = lang === "fa";
  const body = m
    ? `<p class="n"><strong>${e(formatRange(m.documented, lang))}</strong></p>
<p>${e(fa ? `${name}، مستند (تأییدشده و قابل‌قبول)، در ${formatNumber(m.documented.cities, lang)} شهر از ${formatNumber(m.documented.provinces, lang)} استان` : `${name}, documented (confirmed and fair), in ${formatNumber(m.documented.cities, lang)} cities of ${formatNumber(m.documented.provinces, lang)} provinces`)}</p>
<ul>${m.latest.map((c) => `<li>${e(c.source.name)}, ${e(formatDay(c.asOf, lang))}: ${e(formatClaim(c, lang))} — ${e(ratioInWords(c.ratio.low, c.ratio.high, lang))}</li>`).join("")}</ul>`
    : `<p>${e(fa ? "هنوز چیزی مستند نشده است." : "Nothing documented yet.")}</p>`;
  return `<!doctype html><html lang="${lang}" dir="${dirOf(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(name)} · Tally</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:.6rem;color:#1b1b1b}h1{font-size:1rem;margin:0}.n strong{font-size:2rem;color:#1d3557}p{margin:.2rem 0}ul{padding-inline-start:1.1rem;margin:.3rem 0}a{color:#1d3557}.s{background:#fff3cd;font-size:12px}</style></head>
<body><h1>${e(name)}</h1>${synthetic ? `<p class="s">${e(fa ? "داده‌ی نمایشی ساختگی" : "SYNTHETIC DEMO DATA")}</p>` : ""}${body}
<p><a href="${e(`${base}/?lang=${lang}&metric=${metric}`)}" target="_blank" rel="noopener">${e(fa ? "تالی: روش و داده‌ها" : "Tally: method and data")}</a>${h.lastDate ? ` · ${e(formatDay(h.lastDate, lang))}` : ""}</p></body></html>`;
}
