/**
 * The extraction pipeline: an article in, structured candidates out, each with its span in the stored text.
 * Pure: no I/O, no clock; the same input and options always give the same output.
 *
 *   clean (HTML to a view with an offset map) -> blank the noise -> sentences -> article date
 *   -> numbers, dates, attributions and places per sentence -> claims, events, places.
 */
import type { Metric } from "../core/vocabulary.js";
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

interface Done {
  claim: ExtractedClaim;
  candidate: ClaimCandidate;
  family: string;
  chant: boolean;
  title: boolean;
}

const FAMILY: Record<Metric, string> = {
  deaths: "casualty",
  killed: "casualty",
  injured: "casualty",
  arrested: "custody",
  detained: "custody",
  executed: "executed",
  disappeared: "disappeared",
  participants: "participants",
};

export function extractArticle(input: string, options: ExtractOptions = {}): Extraction {
  const html = options.contentType ? options.contentType === "text/html" : looksLikeHtml(input);
  const base: View = html ? htmlView(input) : plainView(input);
  const view: View = { ...base, text: removeNoise(base.text) };
  const text = view.text;
  const sentences = splitSentences(text);
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
  let previous: ClaimCandidate | null = null;
  let lastProtestDay: { period: Period; sentence: number } | null = null;
  let ni = 0;

  sentences.forEach((sentence, si) => {
    const isTitle = titleSentence?.sentence === sentence;
    while (ni < numbers.length && (numbers[ni] as NumberMention).start < sentence.start) ni++;
    const inSentence: NumberMention[] = [];
    for (let k = ni; k < numbers.length && (numbers[k] as NumberMention).end <= sentence.end; k++)
      inSentence.push(numbers[k] as NumberMention);

    // The dateline's date is the article's, not the date of anything the first sentence reports.
    const allDates = findDates(text, sentence.start, sentence.end, published);
    const dates = allDates.filter(
      (d) => dateline === null || d.end <= dateline.index || d.start >= dateline.end,
    );
    const attributions = findAttributions(text, sentence.start, sentence.end, known);
    const reporting = reportingDates(text, dates, attributions, sentence);
    const places = placeHits.filter((p) => p.start >= sentence.start && p.end <= sentence.end);

    const { claims, scope } = claimsOfSentence(inSentence, {
      text,
      start: sentence.start,
      end: sentence.end,
      dateSpans: allDates.filter((d) => d.kind !== "relative").map((d) => [d.start, d.end] as const),
      articleContext,
      previous,
    });

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
        );
      const reportDate = attribution ? reporting.get(attribution) : undefined;
      const asOfPhrase = dates.find((d) => d.lead === "as of");
      let asOf: string | null = reportDate?.from ?? asOfPhrase?.from ?? published;
      let period: Period | null = null;
      if (isTitle) {
        if (c.metric === "participants" && published) period = { from: published, to: published };
      } else if (!chantSource) {
        const own = periodPhrase(text, dates, reporting, n, sentence, asOf ?? published);
        if (own) period = own;
        else period = inherited(done, c, attribution?.name ?? null, lastProtestDay, si);
      }
      // "according to official figures released at the time": a historical figure stands at an unstated date.
      if (
        period &&
        published &&
        period.to.slice(0, 4) < published.slice(0, 4) &&
        AT_THE_TIME.test(text.slice(sentence.start, sentence.end))
      )
        asOf = null;
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
        candidate: c,
        family: FAMILY[c.metric],
        chant: chantSource !== undefined,
        title: isTitle,
      });
      previous = c;
    }

    if (!isTitle) {
      for (const e of eventsOfSentence(
        text,
        sentence.start,
        sentence.end,
        dates,
        new Set(reporting.values()),
        inSentence,
      )) {
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
          lastProtestDay = { period: { from: e.date, to: e.date }, sentence: si };
      }
    }
  });

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
): Map<Attribution, DateMention> {
  const out = new Map<Attribution, DateMention>();
  for (const a of attributions) {
    if (a.chant) continue;
    for (const d of dates) {
      if (d.kind !== "day" && d.kind !== "relative") continue;
      if (d.lead === "since" || d.lead === "as of") continue;
      if (d.start > a.verbAt) {
        const gap = text.slice(a.verbAt, d.start);
        if (gap.length <= 70 && !/\d/.test(gap) && !/[;]|\bthat\b|,\s*(?:where|when|which)/.test(gap)) {
          if (!out.has(a)) out.set(a, d);
        }
      } else if (d.start === sentence.start && d.end < a.start) {
        // "On Friday, the ministry said ...": a date opening the sentence before the subject and its verb.
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

/** Relative clauses that do not contain the figure: "In Gilan, where hospitals ... in February, the network ...". */
function inOtherClause(text: string, d: DateMention, at: number, sentence: Sentence): boolean {
  const s = text.slice(sentence.start, sentence.end);
  const re = /,\s*(?:where|which|who|whose)\b[^,;]*(?:,|$)/g;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const a = sentence.start + m.index;
    const b = a + m[0].length;
    if (d.start >= a && d.end <= b && !(at >= a && at < b)) return true;
  }
  return false;
}

/** The period a sentence states for the figure at `n`. */
function periodPhrase(
  text: string,
  dates: readonly DateMention[],
  reporting: ReadonlyMap<Attribution, DateMention>,
  n: NumberMention,
  sentence: Sentence,
  asOf: string | null,
): Period | null {
  const reported = new Set(reporting.values());
  let best: DateMention | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const d of dates) {
    if (reported.has(d) || d.lead === "as of") continue;
    if (inOtherClause(text, d, n.start, sentence)) continue;
    const between = d.start > n.end ? text.slice(n.end, d.start) : text.slice(d.end, n.start);
    if (/;/.test(between)) continue;
    const distance = d.start > n.end ? d.start - n.end : n.start - d.end;
    if (distance < bestDistance) {
      best = d;
      bestDistance = distance;
    }
  }
  if (best === null) return null;
  const lead = text.slice(Math.max(sentence.start, best.start - 40), best.start);
  if (best.lead === "since" || /\bsince\s+(?:[\w'-]+\s+){0,4}$/i.test(lead)) {
    const to = asOf ?? best.to;
    return { from: best.from, to: to >= best.from ? to : best.to };
  }
  return { from: best.from, to: best.to };
}

/**
 * A figure whose sentence gives no period takes the period of the figure it continues: a part of it ("including",
 * "of them"), the last figure of the same kind when that one is a single day (one incident), or one from the same
 * source; a turnout takes the day of the protest reported just before.
 */
function inherited(
  done: readonly Done[],
  c: ClaimCandidate,
  source: string | null,
  lastProtestDay: { period: Period; sentence: number } | null,
  sentenceIndex: number,
): Period | null {
  const body = done.filter((d) => !d.chant && !d.title);
  const last = body[body.length - 1];
  if (c.partOf && last) return last.claim.period;
  const family = FAMILY[c.metric];
  for (let i = body.length - 1; i >= 0; i--) {
    const d = body[i] as Done;
    if (d.family !== family) continue;
    const p = d.claim.period;
    if (p === null) return null;
    // One violent incident on one day: the figures that follow about it share its day.
    if (p.from === p.to && (c.metric === "killed" || c.metric === "injured") && d.claim.metric !== "deaths")
      return p;
    if (source !== null && d.claim.source?.name === source) return p;
    return null;
  }
  if (c.metric === "participants" && lastProtestDay && sentenceIndex - lastProtestDay.sentence <= 1)
    return lastProtestDay.period;
  return null;
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
      lat: m?.lat ?? null,
      lon: m?.lon ?? null,
    });
  }
  return out;
}
