/**
 * When a figure stands (asOf) and when the counted things happened (period).
 *
 * asOf is the date of the statement that gives the figure ("said on Sunday", "as of Monday"), else the article's
 * date. The period comes from the figure's own sentence: the date phrase nearest the figure that is not the date
 * of a statement, a deadline ("by Thursday evening") or inside a relative clause about something else. "Since X"
 * runs from X to asOf; "over the past 12 years" counts back from asOf; "that day" and "over the same period"
 * point at the last period named. Without a phrase, a figure continues what came before it: a part of the
 * previous figure ("including 17 women"), the same source's last figure of the same kind, the day of the
 * article's lead incident, or, for a turnout, the protest reported just before.
 */
import type { Metric } from "../core/vocabulary.js";
import type { ClaimCandidate } from "./claims.js";
import { countBack, type DateMention } from "./dates.js";
import type { NumberMention } from "./numbers.js";
import type { Sentence } from "./sentences.js";
import type { Period } from "./types.js";

export const FAMILY: Record<Metric, string> = {
  deaths: "casualty",
  killed: "casualty",
  injured: "casualty",
  arrested: "custody",
  detained: "custody",
  executed: "executed",
  disappeared: "disappeared",
  participants: "participants",
};

/** Figures that sum up rather than report one incident: they never take the lead incident's day. */
const CUMULATIVE =
  /\b(?:since|so far|in total|altogether|in all|overall|to date|confirmed|total|in custody|cumulative|remain|remained|currently|have been|has been|have died|has died|has risen|have risen|has reached|have reached)\b/i;

/** Figures about a present state ("13 remained in custody", "are currently held"): no period. */
const STATE =
  /\b(?:remain|remains|remained|currently|still held|still in custody|are being held|are held)\b/i;

export interface PriorClaim {
  metric: Metric;
  period: Period | null;
  source: string | null;
  title: boolean;
  chant: boolean;
}

/** What earlier sentences said about time, carried through the article. */
export class TimeContext {
  /** The last single day named (by a claim, an event or a date phrase that is not a statement's date). */
  lastDay: Period | null = null;
  /** The last period given to a figure. */
  lastPeriod: Period | null = null;
  /** The last period of more than one day given to a figure ("over the same period"). */
  lastRange: Period | null = null;
  /** The metric of the lead figure. */
  mainMetric: Metric | null = null;
  /** The day of the article's lead incident; undefined until the first sentence with a figure or an event. */
  mainDay: Period | null | undefined = undefined;
  lastProtestDay: { period: Period; sentence: number } | null = null;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Gives "that day", "the next day" and "over the same period" the dates they point at (in place). */
export function resolveAnaphors(dates: DateMention[], time: TimeContext): DateMention[] {
  const out: DateMention[] = [];
  for (const d of dates) {
    if (d.kind !== "anaphor") {
      out.push(d);
      continue;
    }
    const target =
      d.anaphor === "period" ? (time.lastRange ?? time.lastPeriod ?? time.lastDay) : time.lastDay;
    if (!target) continue;
    if (d.anaphor === "next") {
      const day = addDays(target.to, 1);
      out.push({ ...d, kind: "day", from: day, to: day });
    } else
      out.push({ ...d, kind: target.from === target.to ? "day" : "days", from: target.from, to: target.to });
  }
  return out;
}

/** Remembers the single days a sentence names, for "that day" in the sentences after it. */
export function noteDays(
  dates: readonly DateMention[],
  reported: ReadonlySet<DateMention>,
  time: TimeContext,
): void {
  for (const d of dates) {
    if (reported.has(d) || d.lead === "as of" || d.lead === "since") continue;
    if (d.kind === "day" && d.from === d.to) time.lastDay = { from: d.from, to: d.to };
  }
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

/** The period a sentence states for the figure `n`, or null. */
export function periodPhrase(
  text: string,
  dates: readonly DateMention[],
  reported: ReadonlySet<DateMention>,
  n: NumberMention,
  sentence: Sentence,
  asOf: string | null,
  others: readonly NumberMention[] = [],
): Period | null {
  let best: DateMention | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const d of dates) {
    if (reported.has(d) || d.lead === "as of" || d.lead === "by" || d.lead === "until") continue;
    if (d.kind === "anaphor") continue;
    // A month or a year in a relative clause about something else is that thing's date; a single day there
    // ("In Rasht, where thousands marched on Sunday night, ...") is usually the incident's.
    const other = inOtherClause(text, d, n.start, sentence);
    if ((d.kind === "month" || d.kind === "year") && other) continue;
    const between = d.start > n.end ? text.slice(n.end, d.start) : text.slice(d.end, n.start);
    if (/;/.test(between)) continue;
    // "the toll is 11, and that the last bodies were found on Tuesday": a later clause has its own dates.
    if (d.start > n.end && /(?:,\s*|\s)and that\b/.test(between)) continue;
    // "the toll is more than 42,400, with 486 deaths recorded on Sunday": the date is the nearer figure's.
    const [lo, hi] = d.start > n.end ? [n.end, d.start] : [d.end, n.start];
    const nearer =
      d.start > n.end &&
      others.find(
        (o) =>
          o !== n &&
          o.start >= lo &&
          o.end <= hi &&
          /,|\bwith\b/.test(text.slice(Math.min(n.end, o.end), Math.max(n.start, o.start))),
      );
    if (nearer) continue;
    const distance = (d.start > n.end ? d.start - n.end : n.start - d.end) + (other ? 1000 : 0);
    if (distance < bestDistance) {
      best = d;
      bestDistance = distance;
    }
  }
  if (best === null) return null;
  // "In 2013, more than 200 people were killed ... in January and February": the narrower date inside the
  // broader one, in the same clause, says more.
  const chosen = best;
  const narrower = dates.find(
    (d) =>
      d !== chosen &&
      !reported.has(d) &&
      d.kind !== "anaphor" &&
      d.from >= chosen.from &&
      d.to <= chosen.to &&
      (d.from !== chosen.from || d.to !== chosen.to) &&
      !/;/.test(text.slice(Math.min(d.end, n.end), Math.max(d.start, n.start))),
  );
  if (narrower && chosen.kind === "year" && chosen.lead !== "since" && chosen.to.endsWith("-12-31"))
    best = narrower;
  // "13 remained in custody": a present state, whatever the sentence says about how it began.
  if (STATE.test(text.slice(n.end, Math.min(sentence.end, n.end + 40)))) return null;
  if (best.kind === "past" && best.back) {
    const to = asOf ?? best.to;
    if (!to) return null;
    return { from: countBack(to, best.back), to };
  }
  const lead = text.slice(Math.max(sentence.start, best.start - 40), best.start);
  // "since 2017, when 517 people were put to death": the figure belongs to the year itself.
  const when = best.end <= n.start && /^\s*,\s*when\b/i.test(text.slice(best.end, n.start));
  if (!when && (best.lead === "since" || /\bsince\s+(?:[\w'-]+\s+){0,6}$/i.test(lead))) {
    const to = asOf ?? best.to;
    return { from: best.from, to: to >= best.from ? to : best.to };
  }
  if (!best.from) return null;
  return { from: best.from, to: best.to };
}

/** The period of a figure whose sentence names none. */
export function inheritedPeriod(
  prior: readonly PriorClaim[],
  c: ClaimCandidate,
  time: TimeContext,
  sentenceText: string,
  sentenceIndex: number,
  statedOn: boolean,
  sameSentence: PriorClaim | null,
  published: string | null,
): Period | null {
  if (STATE.test(sentenceText)) return null;
  const body = prior.filter((d) => !d.chant && !d.title);
  const last = body[body.length - 1];
  if (c.partOf && last && last.metric === c.metric) return last.period;
  // "Amnesty has put the figure at 5,000": another account of the same closed count, not of a running one.
  if (
    c.refersBack &&
    last &&
    last.metric === c.metric &&
    last.period &&
    published &&
    last.period.to < published
  )
    return last.period;
  // "64 were executed in Karaj, 21 in Shiraz": a figure continuing a list shares its period.
  if (c.via === "inherit" && sameSentence && sameSentence.metric === c.metric) return sameSentence.period;
  // A figure stated on a day of its own is that day's statement, not part of the lead incident.
  if (statedOn) return null;
  // Deaths from a disease are not counted from the day of the incident an article opens with.
  // The lead incident's day goes to the figures of that kind of incident: a protest's turnout, arrests and
  // casualties; an execution's executions. Deaths from a disease are not counted from an incident's day.
  const incident = new Set(["participants", "custody", "casualty"]);
  const lead = time.mainMetric ? FAMILY[time.mainMetric] : null;
  const sameKind =
    lead === null || lead === FAMILY[c.metric] || (incident.has(lead) && incident.has(FAMILY[c.metric]));
  const deathsApart = c.metric === "deaths" && time.mainMetric !== "deaths";
  if (time.mainDay && sameKind && !CUMULATIVE.test(sentenceText) && !deathsApart) return time.mainDay;
  if (c.metric === "participants" && time.lastProtestDay && sentenceIndex - time.lastProtestDay.sentence <= 1)
    return time.lastProtestDay.period;
  return null;
}

/**
 * A headline's figure takes the single day of the body's figure it repeats, or else of the body's first figure
 * of its kind, if that has one.
 */
export function titlePeriod(
  title: PriorClaim & { low: number },
  body: ReadonlyArray<PriorClaim & { low: number }>,
): Period | null {
  const same = body.find((d) => !d.title && !d.chant && d.metric === title.metric && d.low === title.low);
  if (same?.period && same.period.from === same.period.to) return same.period;
  const first = body.find((d) => !d.title && !d.chant && FAMILY[d.metric] === FAMILY[title.metric]);
  if (first?.period && first.period.from === first.period.to) return first.period;
  return null;
}
