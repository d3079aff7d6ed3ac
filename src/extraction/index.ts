/**
 * The extraction pipeline: an article in, structured candidates out, each with its span in the stored text.
 * Pure: no I/O, no clock; the same input and options always give the same output (the gazetteer aside).
 *
 *   clean (HTML to a view with an offset map) -> blank the noise -> sentences -> article date
 *   -> numbers, dates, attributions and places per sentence -> claims, events, places.
 *
 * Spans index the input exactly as received (`Extraction.text`), HTML markup included: a document stores its
 * text as received and hashes it, so that is the only string a span can safely point into. For a page, a span
 * may therefore contain tags ("About <b>1,500"); a review screen renders `text.slice(start, end)` and strips
 * them for display. The cleaned view is internal and never stored.
 *
 * The article's date comes from a dateline ("Country, Month D, YYYY—"), else `published`, else the latest full
 * date written in the body (copyright lines are noise and never count), else null.
 */
import type { Metric } from "../core/vocabulary.js";
import {
  inheritedPeriod,
  noteDays,
  type PriorClaim,
  periodPhrase,
  resolveAnaphors,
  TimeContext,
  titlePeriod,
} from "./claim-dates.js";
import { type ClaimCandidate, claimsOfSentence, contextOf } from "./claims.js";
import { htmlView, looksLikeHtml, plainView, toStored, type View } from "./clean.js";
import { type DateMention, datelineDate, findDates, fullDates, isIsoDate } from "./dates.js";
import { eventsOfSentence } from "./events.js";
import { removeNoise } from "./noise.js";
import { findNumbers, type NumberMention } from "./numbers.js";
import { findPlaces, type PlaceHit } from "./places.js";
import { type Sentence, splitSentences } from "./sentences.js";
import { type Attribution, findAttributions, KnownSources } from "./sources.js";
import type {
  ExtractedClaim,
  ExtractedEvent,
  ExtractedPlace,
  Extraction,
  ExtractOptions,
  Period,
  Span,
} from "./types.js";

export type * from "./types.js";

const AT_THE_TIME = /\bat the time\b/i;

interface Done extends PriorClaim {
  claim: ExtractedClaim;
  low: number;
}

/** The first stage alone: the view the extractors read (HTML to text, noise blanked). Used as a baseline. */
export function cleanArticle(input: string, contentType?: ExtractOptions["contentType"]): View {
  const html = contentType ? contentType === "text/html" : looksLikeHtml(input);
  const base: View = html ? htmlView(input) : plainView(input);
  return { ...base, text: removeNoise(base.text) };
}

export function extractArticle(input: string, options: ExtractOptions = {}): Extraction {
  const html = options.contentType ? options.contentType === "text/html" : looksLikeHtml(input);
  const base: View = html ? htmlView(input) : plainView(input);
  const view: View = { ...base, text: removeNoise(base.text) };
  const text = view.text;
  const sentences = splitSentences(text, !html);
  const titleSentence = titleOf(text, sentences, html ? base.title : null);
  const title = titleSentence?.title ?? null;

  const dateline = datelineDate(text);
  const { published, from: publishedFrom } = articleDate(
    text,
    options.published ?? null,
    titleSentence?.sentence,
  );
  const articleContext = contextOf(text);
  const numbers = findNumbers(text);
  const known = new KnownSources();
  known.describeAll(text);
  const placeHits = findPlaces(text, sentences, options.gazetteer, options.country);

  const span = (s: number, e: number): Span => toStored(view, s, e);
  const slice = (sp: Span): string => input.slice(sp[0], sp[1]);

  const done: Done[] = [];
  const events: ExtractedEvent[] = [];
  const time = new TimeContext();
  let recentContext: ReturnType<typeof contextOf> = null;
  let paragraphSource: Attribution | undefined;
  let previous: ClaimCandidate | null = null;
  let ni = 0;

  sentences.forEach((sentence, si) => {
    const isTitle = titleSentence?.sentence === sentence;
    while (ni < numbers.length && (numbers[ni] as NumberMention).start < sentence.start) ni++;
    const inSentence: NumberMention[] = [];
    for (let k = ni; k < numbers.length && (numbers[k] as NumberMention).end <= sentence.end; k++)
      inSentence.push(numbers[k] as NumberMention);
    const sentenceText = text.slice(sentence.start, sentence.end);

    // The dateline's date is the article's, not the date of anything the first sentence reports.
    const allDates = findDates(text, sentence.start, sentence.end, published);
    const dates = resolveAnaphors(
      allDates.filter((d) => dateline === null || d.end <= dateline.index || d.start >= dateline.end),
      time,
    );
    const attributions = findAttributions(text, sentence.start, sentence.end, known);
    const reporting = reportingDates(text, dates, attributions, sentence, inSentence);
    const reported = new Set(reporting.values());
    // The dateline's place is where the article was filed, not where its events happened.
    const places = placeHits.filter(
      (p) =>
        p.start >= sentence.start &&
        p.end <= sentence.end &&
        (dateline === null || p.end <= dateline.index || p.start >= dateline.end),
    );

    const { claims, scope } = claimsOfSentence(inSentence, {
      text,
      start: sentence.start,
      end: sentence.end,
      dateSpans: allDates.filter((d) => d.kind !== "relative").map((d) => [d.start, d.end] as const),
      // A sentence that says nothing of violence or disease is read in the light of the last one that did.
      articleContext: recentContext ?? articleContext,
      previous,
    });
    const sentenceEvents = isTitle
      ? []
      : eventsOfSentence(text, sentence.start, sentence.end, dates, reported, inSentence);
    const decideMainDay =
      !isTitle && time.mainDay === undefined && (claims.length > 0 || sentenceEvents.length > 0);

    const claimNumbers = claims.map((c) => c.number);
    const previousSentence = sentences[si - 1];
    const samePara =
      previousSentence !== undefined && !text.slice(previousSentence.end, sentence.start).includes("\n");
    if (!samePara) paragraphSource = undefined;
    let sentencePrior: PriorClaim | null = null;
    for (const c of claims) {
      const n = c.number;
      const chantSource = insideQuotes(text, sentence.start, n.start)
        ? attributions.find((a) => a.chant)
        : undefined;
      const attribution =
        chantSource ??
        pickAttribution(
          text,
          attributions.filter((a) => !a.chant),
          n.start,
          sentence,
        ) ??
        // A figure in a paragraph that goes on reporting one source's account is that source's.
        (samePara && !isTitle ? paragraphSource : undefined);
      const reportDate = attribution ? reporting.get(attribution) : undefined;
      const asOfPhrase = dates.find((d) => d.lead === "as of");
      // "detained about 270 people by Thursday evening": the figure stands at that day.
      const byPhrase = dates.find((d) => d.lead === "by" && d.kind === "day" && !reported.has(d));
      let asOf: string | null = reportDate
        ? reportDate.kind === "month"
          ? null
          : reportDate.from
        : (asOfPhrase?.from ?? byPhrase?.from ?? published);
      let period: Period | null = null;
      if (!chantSource) {
        period = periodPhrase(text, dates, reported, n, sentence, asOf ?? published, claimNumbers);
        if (period === null && !isTitle)
          period = inheritedPeriod(
            done,
            c,
            time,
            sentenceText,
            si,
            reportDate !== undefined,
            sentencePrior,
            published,
          );
      }
      // "according to official figures released at the time": a historical figure stands at an unstated date.
      if (
        period &&
        published &&
        period.to.slice(0, 4) < published.slice(0, 4) &&
        AT_THE_TIME.test(sentenceText)
      )
        asOf = null;
      if (period && !isTitle) time.lastPeriod = period;
      if (period && !isTitle && period.from !== period.to) time.lastRange = period;
      if (decideMainDay && time.mainDay === undefined) {
        // The lead figure's single day, if it has one, is the day of the incident the article is about.
        time.mainDay = period && period.from === period.to ? period : null;
        time.mainMetric = c.metric;
      }
      const sentSpan = span(sentence.start, sentence.end);
      const claim: ExtractedClaim = {
        text: slice(sentSpan),
        span: sentSpan,
        figureSpan: span(n.start, n.end),
        metric: c.metric,
        low: n.quantity.low,
        high: n.quantity.high,
        qualifier: n.quantity.qualifier,
        asOf,
        period,
        context: contextLabel(text, sentence, c.metric, articleContext),
        source: attribution ? { name: attribution.name, kind: attribution.kind } : null,
        places: segmentPlaces(text, places, n.start, sentence),
        scope: { cities: scope.cities, provinces: scope.provinces },
      };
      done.push({
        claim,
        metric: c.metric,
        low: claim.low,
        period,
        source: claim.source?.name ?? null,
        chant: chantSource !== undefined,
        title: isTitle,
      });
      previous = c;
      sentencePrior = done[done.length - 1] ?? null;
    }

    if (decideMainDay && time.mainDay === undefined) {
      const e = sentenceEvents.find((x) => x.dateEnd === null && !x.ongoing);
      time.mainDay = e ? { from: e.date, to: e.date } : null;
    }
    for (const e of sentenceEvents) {
      const sp = span(e.start, e.end);
      events.push({
        text: slice(sp),
        span: sp,
        type: e.type,
        date: e.date,
        dateEnd: e.dateEnd,
        places: unique(places.map((p) => p.mention)),
        count: e.count,
      });
      if (e.type === "protest" && e.dateEnd === null)
        time.lastProtestDay = { period: { from: e.date, to: e.date }, sentence: si };
    }
    noteDays(dates, reported, time);
    const spoke = attributions.filter((a) => !a.chant);
    if (spoke.length > 0) paragraphSource = spoke[spoke.length - 1];
    recentContext = contextOf(sentenceText) ?? recentContext;
  });

  // A headline's figure without a date of its own takes the day of the body's first figure of its kind.
  for (const d of done) {
    if (!d.title || d.chant || d.claim.period !== null) continue;
    d.claim.period = titlePeriod(d, done);
  }

  return {
    text: input,
    published,
    publishedFrom,
    title,
    claims: done.map((d) => d.claim),
    events,
    places: placesOut(placeHits, span),
  };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** The title: the first <h1> (or <title>) of a page, or a plain text's first line when it reads as a headline. */
function titleOf(
  text: string,
  sentences: readonly Sentence[],
  htmlTitle: string | null,
): { title: string; sentence: Sentence | undefined } | null {
  const first = sentences[0];
  if (htmlTitle !== null) {
    const sentence = sentences.find((s) => text.slice(s.start, s.end) === htmlTitle);
    return { title: htmlTitle, sentence };
  }
  if (!first) return null;
  const line = text.slice(first.start, first.end);
  const next = text.slice(first.end, first.end + 3);
  if (line.length <= 160 && !/[.]$/.test(line) && /^\s*\n/.test(next) && !line.includes("\n"))
    return { title: line, sentence: first };
  return null;
}

function articleDate(
  text: string,
  option: string | null,
  title: Sentence | undefined,
): { published: string | null; from: Extraction["publishedFrom"] } {
  const dl = datelineDate(text);
  if (dl) return { published: dl.iso, from: "dateline" };
  if (option && isIsoDate(option)) return { published: option, from: "option" };
  let latest: string | null = null;
  for (const d of fullDates(text)) {
    if (title && d.index >= title.start && d.index < title.end) continue;
    if (latest === null || d.iso > latest) latest = d.iso;
  }
  return latest ? { published: latest, from: "body" } : { published: null, from: null };
}

/** The dates of statements: "said on Sunday", "reported on December 23", "as announced by X on Sunday, March 7". */
function reportingDates(
  text: string,
  dates: readonly DateMention[],
  attributions: readonly Attribution[],
  sentence: Sentence,
  numbers: readonly NumberMention[],
): Map<Attribution, DateMention> {
  const out = new Map<Attribution, DateMention>();
  // "said they had arrested four suspects in raids on Saturday": a figure between verb and date makes the date
  // the figure's, not the statement's.
  const numberBetween = (a: number, b: number): boolean => numbers.some((n) => n.start >= a && n.end <= b);
  for (const a of attributions) {
    if (a.chant) continue;
    for (const d of dates) {
      // A statement made "in June" has no day: the figure's date is then unknown.
      if (
        d.kind !== "day" &&
        d.kind !== "relative" &&
        !(d.kind === "month" && d.from.slice(0, 7) === d.to.slice(0, 7))
      )
        continue;
      if (d.lead === "since" || d.lead === "as of" || d.anaphor !== undefined) continue;
      if (d.start > a.verbAt) {
        const gap = text.slice(a.verbAt, d.start);
        if (
          gap.length <= 70 &&
          !/\d/.test(gap) &&
          !numberBetween(a.verbAt, d.start) &&
          !/[;,]|\bthat\b|\bsince\b|\bbegan\b/.test(gap)
        ) {
          if (!out.has(a)) out.set(a, d);
        }
      } else if (d.start >= a.start && d.end <= a.verbAt) {
        // "Iran's health ministry on Monday reported ...": a date between the subject and its verb.
        if (!out.has(a)) out.set(a, d);
      } else if (
        d.end <= a.start &&
        d.kind !== "month" &&
        !numberBetween(sentence.start, a.verbAt) &&
        // "In Nasiriyah, where protesters burned offices on Saturday, hospital sources said": that day is the
        // relative clause's.
        !/,\s*(?:where|which|who|when)\b[^,]*$/.test(text.slice(sentence.start, d.start))
      ) {
        // "On Friday, the ministry said ...", "In a statement on Monday, the ministry said ...": a date before
        // the subject, with no figure before the verb, is the statement's.
        const gap = text.slice(d.end, a.verbAt);
        if (gap.length <= 60 && !/\d/.test(gap) && !out.has(a)) out.set(a, d);
      }
    }
  }
  return out;
}

/** The attribution of the figure at `at`: the nearest one in the same segment of the sentence. */
function pickAttribution(
  text: string,
  attributions: readonly Attribution[],
  at: number,
  sentence: Sentence,
): Attribution | undefined {
  if (attributions.length === 0) return undefined;
  const [segStart, segEnd] = segmentOf(text, at, sentence);
  const inSegment = attributions.filter((a) => a.verbAt >= segStart && a.verbAt < segEnd);
  const pool = inSegment.length > 0 ? inSegment : attributions;
  const before = pool.filter((a) => a.verbAt < at);
  if (before.length > 0) return before[before.length - 1];
  return pool.reduce((best, a) => (Math.abs(a.verbAt - at) < Math.abs(best.verbAt - at) ? a : best));
}

/** Segments of a sentence: clauses joined by ";", "while", "whereas", "but". */
const SEGMENT_BREAK = /;|,\s*(?:while|whereas|but)\s|\s(?:while|whereas)\s/g;

function segmentOf(text: string, at: number, sentence: Sentence): [number, number] {
  const s = text.slice(sentence.start, sentence.end);
  let start = sentence.start;
  let end = sentence.end;
  SEGMENT_BREAK.lastIndex = 0;
  for (let m = SEGMENT_BREAK.exec(s); m !== null; m = SEGMENT_BREAK.exec(s)) {
    const pos = sentence.start + m.index;
    if (pos < at) start = pos;
    else {
      end = pos;
      break;
    }
  }
  return [start, end];
}

function segmentPlaces(text: string, places: readonly PlaceHit[], at: number, sentence: Sentence): string[] {
  const [s, e] = segmentOf(text, at, sentence);
  return unique(places.filter((p) => p.start >= s && p.end <= e).map((p) => p.mention));
}

function insideQuotes(text: string, from: number, at: number): boolean {
  const before = text.slice(from, at);
  const straight = (before.match(/"/g) ?? []).length;
  const open = (before.match(/“/g) ?? []).length;
  const close = (before.match(/”/g) ?? []).length;
  return straight % 2 === 1 || open > close;
}

function contextLabel(
  text: string,
  sentence: Sentence,
  metric: Metric,
  article: ReturnType<typeof contextOf>,
): string | null {
  const s = text.slice(sentence.start, sentence.end);
  if (/\b(?:coronavirus|covid)/i.test(s) || (metric === "deaths" && /\b(?:coronavirus|covid)/i.test(text)))
    return "COVID-19";
  if (metric === "executed") return "executions";
  if (/\bprotests?|unrest|uprising|demonstrations?\b/i.test(s)) return "protests";
  if (article === "violent") return "protests";
  return null;
}

function placesOut(hits: readonly PlaceHit[], span: (s: number, e: number) => Span): ExtractedPlace[] {
  const seen = new Set<string>();
  const out: ExtractedPlace[] = [];
  for (const h of hits) {
    if (seen.has(h.mention)) continue;
    seen.add(h.mention);
    const m = h.match;
    out.push({
      mention: h.mention,
      span: span(h.start, h.end),
      id: m?.id ?? null,
      name: m?.name ?? null,
      level: m?.level ?? null,
      province: m?.province ?? null,
      country: m?.country ?? null,
      lat: m && Number.isFinite(m.lat) ? m.lat : null,
      lon: m && Number.isFinite(m.lon) ? m.lon : null,
    });
  }
  return out;
}
