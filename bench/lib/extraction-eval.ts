/**
 * Scores the extraction against the hand-annotated corpus (test/fixtures/articles/{dev,holdout}). Shared by
 * `bench/extract.ts` and the gating test `test/extraction/corpus.test.ts`.
 *
 * How it scores:
 * - Claims. A predicted claim matches a gold claim when the metric, low and high are equal and its span overlaps
 *   the position of the gold `figure` inside the gold `quote` (or the quote itself). Matching is one-to-one,
 *   first by the predicted figure's own span, then by the sentence span. Precision = matched / predicted,
 *   recall = matched / gold.
 * - Source attribution: among matched claims whose gold source is not null, the share whose predicted source
 *   name equals the gold name or one of its aliases, and whose kind equals the gold kind. Names are compared
 *   case-insensitively, without diacritics, without the articles "the", "a" and "an", and without punctuation.
 * - Claim dates: among matched claims, the share whose asOf and period both equal the gold ones.
 * - Places: per article, the set of gold (mention, province) pairs against the predicted ones; provinces are
 *   compared without case, diacritics (the Turkish dotless i included), punctuation and the words "province",
 *   "governorate", "region", "state" and "oblast".
 * - Article date: the share of articles whose published date equals the gold one.
 * - Events: a predicted event matches a gold event when the types are equal and its span overlaps the gold
 *   quote; event dates = among matched events, the share with date and dateEnd equal to gold.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Extraction } from "../../src/extraction/types.js";

export interface GoldClaim {
  quote: string;
  figure: string;
  metric: string;
  low: number;
  high: number | null;
  qualifier: string;
  asOf: string | null;
  period: { from: string; to: string } | null;
  context: string | null;
  source: { name: string; kind: string; aliases?: string[] } | null;
}

export interface GoldEvent {
  quote: string;
  type: string;
  date: string | null;
  dateEnd: string | null;
  places: string[];
  count: number | null;
}

export interface Gold {
  country: string;
  published_hint: string | null;
  published: string | null;
  title: string | null;
  claims: GoldClaim[];
  events: GoldEvent[];
  places: Array<{ mention: string; province: string | null; country: string; level: string }>;
}

export interface Article {
  split: string;
  name: string;
  contentType: "text/html" | "text/plain";
  text: string;
  gold: Gold;
}

const here = dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = join(here, "..", "..", "test", "fixtures", "articles");

export function loadSplit(split: "dev" | "holdout"): Article[] {
  const dir = join(CORPUS_DIR, split);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const out: Article[] = [];
  for (const file of names) {
    const m = /^(\d{3}-[a-z0-9-]+)\.(txt|html)$/.exec(file);
    if (!m) continue;
    const base = m[1] ?? "";
    if (!names.includes(`${base}.json`)) continue;
    out.push({
      split,
      name: base,
      contentType: m[2] === "html" ? "text/html" : "text/plain",
      text: readFileSync(join(dir, file), "utf8"),
      gold: JSON.parse(readFileSync(join(dir, `${base}.json`), "utf8")) as Gold,
    });
  }
  return out;
}

export interface Counts {
  goldClaims: number;
  predictedClaims: number;
  matchedClaims: number;
  sourceEligible: number;
  sourceCorrect: number;
  datesCorrect: number;
  goldPlaces: number;
  predictedPlaces: number;
  matchedPlaces: number;
  articles: number;
  publishedCorrect: number;
  goldEvents: number;
  predictedEvents: number;
  matchedEvents: number;
  eventDatesCorrect: number;
}

export interface ArticleReport {
  name: string;
  counts: Counts;
  /** Human-readable differences, for development. */
  misses: string[];
}

export function emptyCounts(): Counts {
  return {
    goldClaims: 0,
    predictedClaims: 0,
    matchedClaims: 0,
    sourceEligible: 0,
    sourceCorrect: 0,
    datesCorrect: 0,
    goldPlaces: 0,
    predictedPlaces: 0,
    matchedPlaces: 0,
    articles: 0,
    publishedCorrect: 0,
    goldEvents: 0,
    predictedEvents: 0,
    matchedEvents: 0,
    eventDatesCorrect: 0,
  };
}

export function normaliseName(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]s\b/g, "")
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\b(?:the|a|an)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function normaliseProvince(s: string | null): string {
  if (s === null) return "";
  return normaliseName(s.replace(/ı/g, "i"))
    .replace(/\b(?:province|governorate|region|state|oblast|ostan e|ostan)\b/g, "")
    .replace(/\s+/g, "");
}

function overlaps(a: readonly [number, number], s: number, e: number): boolean {
  return a[0] < e && a[1] > s;
}

function samePeriod(a: { from: string; to: string } | null, b: { from: string; to: string } | null): boolean {
  if (a === null || b === null) return a === b;
  return a.from === b.from && a.to === b.to;
}

export function scoreArticle(article: Article, x: Extraction): ArticleReport {
  const { text, gold } = article;
  const c = emptyCounts();
  const misses: string[] = [];
  c.articles = 1;
  if (x.published === gold.published) c.publishedCorrect = 1;
  else misses.push(`published: got ${x.published}, want ${gold.published}`);

  // Claims.
  c.goldClaims = gold.claims.length;
  c.predictedClaims = x.claims.length;
  const used = new Set<number>();
  const goldPos = gold.claims.map((g) => {
    const q = text.indexOf(g.quote);
    const f = q < 0 ? -1 : q + g.quote.indexOf(g.figure);
    return { q, qe: q + g.quote.length, f, fe: f + g.figure.length };
  });
  const matchedPred = new Map<number, number>();
  for (const pass of [0, 1] as const) {
    gold.claims.forEach((g, gi) => {
      if ([...matchedPred.values()].includes(gi)) return;
      const pos = goldPos[gi];
      if (!pos || pos.q < 0) return;
      const pi = x.claims.findIndex((p, i) => {
        if (used.has(i)) return false;
        if (p.metric !== g.metric || p.low !== g.low || p.high !== g.high) return false;
        if (pass === 0) return overlaps(p.figureSpan, pos.f, pos.fe);
        return overlaps(p.span, pos.f, pos.fe) || overlaps(p.span, pos.q, pos.qe);
      });
      if (pi >= 0) {
        used.add(pi);
        matchedPred.set(pi, gi);
      }
    });
  }
  c.matchedClaims = matchedPred.size;
  for (const [pi, gi] of matchedPred) {
    const p = x.claims[pi];
    const g = gold.claims[gi];
    if (!p || !g) continue;
    if (g.source !== null) {
      c.sourceEligible++;
      const names = [g.source.name, ...(g.source.aliases ?? [])].map(normaliseName);
      const ok =
        p.source !== null && names.includes(normaliseName(p.source.name)) && p.source.kind === g.source.kind;
      if (ok) c.sourceCorrect++;
      else
        misses.push(
          `source of "${g.figure}": got ${p.source ? `${p.source.name} (${p.source.kind})` : "null"}, want ${g.source.name} (${g.source.kind}) [${(g.source.aliases ?? []).join("; ")}]`,
        );
    }
    if (p.asOf === g.asOf && samePeriod(p.period, g.period)) c.datesCorrect++;
    else
      misses.push(
        `dates of "${g.figure}": got asOf ${p.asOf} period ${JSON.stringify(p.period)}, want ${g.asOf} ${JSON.stringify(g.period)}`,
      );
  }
  gold.claims.forEach((g, gi) => {
    if (![...matchedPred.values()].includes(gi))
      misses.push(`missed claim: ${g.metric} ${g.low}..${g.high} "${g.figure}" in "${g.quote}"`);
  });
  x.claims.forEach((p, pi) => {
    if (!matchedPred.has(pi))
      misses.push(
        `extra claim: ${p.metric} ${p.low}..${p.high} "${text.slice(p.figureSpan[0], p.figureSpan[1])}" in "${p.text.slice(0, 100)}"`,
      );
  });

  // Places.
  const goldPlaces = new Set(gold.places.map((p) => `${p.mention}|${normaliseProvince(p.province)}`));
  const predPlaces = new Set(x.places.map((p) => `${p.mention}|${normaliseProvince(p.province)}`));
  c.goldPlaces = goldPlaces.size;
  c.predictedPlaces = predPlaces.size;
  for (const p of predPlaces) if (goldPlaces.has(p)) c.matchedPlaces++;
  for (const p of goldPlaces) if (!predPlaces.has(p)) misses.push(`missed place: ${p}`);
  for (const p of predPlaces) if (!goldPlaces.has(p)) misses.push(`extra place: ${p}`);

  // Events.
  c.goldEvents = gold.events.length;
  c.predictedEvents = x.events.length;
  const usedEvents = new Set<number>();
  for (const g of gold.events) {
    const q = text.indexOf(g.quote);
    if (q < 0) continue;
    const pi = x.events.findIndex(
      (p, i) => !usedEvents.has(i) && p.type === g.type && overlaps(p.span, q, q + g.quote.length),
    );
    if (pi < 0) {
      misses.push(`missed event: ${g.type} ${g.date} "${g.quote.slice(0, 80)}"`);
      continue;
    }
    usedEvents.add(pi);
    c.matchedEvents++;
    const p = x.events[pi];
    if (p && p.date === g.date && p.dateEnd === g.dateEnd) c.eventDatesCorrect++;
    else misses.push(`event date: got ${p?.date}..${p?.dateEnd}, want ${g.date}..${g.dateEnd}`);
  }
  x.events.forEach((p, i) => {
    if (!usedEvents.has(i)) misses.push(`extra event: ${p.type} ${p.date} "${p.text.slice(0, 80)}"`);
  });
  return { name: article.name, counts: c, misses };
}

export function sumCounts(reports: readonly ArticleReport[]): Counts {
  const total = emptyCounts();
  for (const r of reports) for (const k of Object.keys(total) as Array<keyof Counts>) total[k] += r.counts[k];
  return total;
}

export interface Figures {
  articles: number;
  claimPrecision: number;
  claimRecall: number;
  sourceAttribution: number;
  claimDates: number;
  placePrecision: number;
  placeRecall: number;
  articleDate: number;
  eventPrecision: number;
  eventRecall: number;
  eventDates: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

export function figuresOf(c: Counts): Figures {
  return {
    articles: c.articles,
    claimPrecision: ratio(c.matchedClaims, c.predictedClaims),
    claimRecall: ratio(c.matchedClaims, c.goldClaims),
    sourceAttribution: ratio(c.sourceCorrect, c.sourceEligible),
    claimDates: ratio(c.datesCorrect, c.matchedClaims),
    placePrecision: ratio(c.matchedPlaces, c.predictedPlaces),
    placeRecall: ratio(c.matchedPlaces, c.goldPlaces),
    articleDate: ratio(c.publishedCorrect, c.articles),
    eventPrecision: ratio(c.matchedEvents, c.predictedEvents),
    eventRecall: ratio(c.matchedEvents, c.goldEvents),
    eventDates: ratio(c.eventDatesCorrect, c.matchedEvents),
  };
}

/** The floors of issue 4. */
export const FLOORS = {
  claimRecall: 0.85,
  claimPrecision: 0.85,
  sourceAttribution: 0.8,
  claimDates: 0.8,
  placeRecall: 0.95,
  placePrecision: 0.95,
} as const satisfies Partial<Record<keyof Figures, number>>;

export function formatFigures(label: string, f: Figures, c: Counts): string {
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(7);
  return [
    `${label}: ${f.articles} articles`,
    `  claims      precision ${pct(f.claimPrecision)}  recall ${pct(f.claimRecall)}  (${c.matchedClaims} matched of ${c.predictedClaims} predicted, ${c.goldClaims} gold)`,
    `  sources     ${pct(f.sourceAttribution)}  (${c.sourceCorrect}/${c.sourceEligible})`,
    `  claim dates ${pct(f.claimDates)}  (${c.datesCorrect}/${c.matchedClaims})`,
    `  places      precision ${pct(f.placePrecision)}  recall ${pct(f.placeRecall)}  (${c.matchedPlaces} matched of ${c.predictedPlaces} predicted, ${c.goldPlaces} gold)`,
    `  article date ${pct(f.articleDate)}  (${c.publishedCorrect}/${c.articles})`,
    `  events      precision ${pct(f.eventPrecision)}  recall ${pct(f.eventRecall)}  dates ${pct(f.eventDates)}  (${c.matchedEvents} matched of ${c.predictedEvents} predicted, ${c.goldEvents} gold)`,
  ].join("\n");
}
