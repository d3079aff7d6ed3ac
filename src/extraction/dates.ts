/**
 * Dates in articles. A precompiled pattern finds the date phrases of a sentence (days, ranges of days, months,
 * years, seasons, relative days); day-level phrases are resolved by chrono-node against the article's own date.
 * News reports the past, so a day written without a year is the latest such day on or before the article's date
 * (chrono alone would pick the nearest one, which may lie in the future).
 */
import * as chrono from "chrono-node";

export interface DateMention {
  /** View offsets of the phrase, its introducing preposition included ("on Friday, March 5"). */
  start: number;
  end: number;
  /** What the phrase names: one day, a run of days, or a coarser period. */
  kind: "day" | "days" | "month" | "year" | "season" | "relative" | "past" | "anaphor";
  /** "over the past 12 years": counted back from the figure's own date, which only the claim knows. */
  back?: { n: number; unit: "day" | "week" | "month" | "year" };
  /** "that day", "the next day", "over the same period": the period named last in the article. */
  anaphor?: "day" | "next" | "period";
  from: string;
  to: string;
  /** The preposition or word that introduced it, lower-cased ("on", "in", "since", "as of", ""). */
  lead: string;
}

export const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const MONTH = String.raw`(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\.|August|Aug\.|September|Sept?\.|October|Oct\.|November|Nov\.|December|Dec\.)`;
const WEEKDAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const DAYPART = String.raw`(?:\s+(?:morning|afternoon|evening|night))?`;
const ORD = "(?:st|nd|rd|th)?";
const YEAR = String.raw`(?:1[89]\d\d|20\d\d)`;
const MONTH_DAY = String.raw`(?:${MONTH}\s+\d{1,2}${ORD}(?![\d,]\d)(?:,?\s+${YEAR})?|\d{1,2}${ORD}\s+${MONTH}(?:,?\s+${YEAR})?)`;
const DAY = String.raw`(?:(?:last\s+|this\s+|next\s+)?${WEEKDAY}${DAYPART}(?:,?\s+${MONTH_DAY})?|${MONTH_DAY})`;
const DAY_JOIN = String.raw`(?:\s*(?:-|–|—|to|through|until|till|and)\s*)`;
const LEAD = String.raw`(?:(?:as of|on|since|from|between|by|until|in|during|of|dated|last|over)\s+(?:the\s+)?)?`;

const MONTH_RANGE = String.raw`${MONTH}(?:\s+${YEAR})?\s*(?:-|–|to|through|until|and)\s*${MONTH}(?:\s+${YEAR})?`;

const COUNT_WORD = String.raw`(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)`;

const DATE_PHRASE = new RegExp(
  [
    String.raw`(?<past>\b(?:over|in|during|within|for)\s+the\s+(?:past|last|previous)\s+(?:${COUNT_WORD}\s+)?(?:hours?|days?|weeks?|months?|years?|decades?)\b(?!\s+of\b))`,
    String.raw`(?<weekOf>\b(?:in\s+|during\s+)?the\s+(?:first|last|final)\s+week\s+of\s+${MONTH}(?:\s+${YEAR})?)`,
    String.raw`(?<calendar>\b(?:(?:earlier|later)\s+)?(?:this|last)\s+(?:year|month))\b`,
    String.raw`(?<first>\bin\s+the\s+first\s+${COUNT_WORD}\s+months\s+of\s+${YEAR}\b)`,
    String.raw`(?<years>\b(?:from|between)\s+${YEAR}\s+(?:to|and|until|through)\s+${YEAR}\b)`,
    String.raw`(?<anaphor>\b(?:(?:on\s+)?(?:that|the same)\s+(?:day|night|morning|evening|afternoon)|(?:on\s+)?the\s+(?:next|following)\s+day|(?:over|during|in)\s+the\s+same\s+(?:period|week|month)|during\s+the\s+week|that\s+week)\b)`,
    // Runs of months: "December 2017 and January 2018", "June to August 1988".
    String.raw`(?<months>${LEAD}${MONTH_RANGE})\b`,
    // Ranges of days: "between November 15 and November 26", "Sunday through Tuesday", "May 3-5".
    String.raw`(?<range>${LEAD}${DAY}${DAY_JOIN}(?:${DAY}|\d{1,2}(?:,?\s+${YEAR})?)\b)`,
    String.raw`(?<day>${LEAD}${DAY})\b`,
    String.raw`(?<season>${LEAD}(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?${YEAR})\b`,
    String.raw`(?<month>${LEAD}(?:early\s+|mid-?|late\s+)?${MONTH}(?:\s+(?:of\s+)?${YEAR}|(?!\s+\d)))`,
    String.raw`(?<year>(?:(?:in|since|during|of|by|until|throughout)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?)${YEAR}(?!\d|,\d))`,
    String.raw`(?<relative>\b(?:yesterday|today|tonight|(?:last|this)\s+(?:week|weekend|month|night)|(?:over|during|at)\s+the\s+weekend|(?:two|three|four|five|six|\d)\s+days\s+ago))\b`,
  ].join("|"),
  "gi",
);

/** Month and weekday names are capitalised: "the march" and "may" are not dates. */
const NAMED = new RegExp(`(?:${MONTH}|${WEEKDAY})`);

const LEAD_RE =
  /^(as of|on|since|from|between|by|until|in|during|of|dated|last|over|throughout)\s+(?:the\s+)?/i;

/** Finds date phrases in `text[start, end)` and resolves them against `ref` (YYYY-MM-DD) when given. */
export function findDates(text: string, start: number, end: number, ref: string | null): DateMention[] {
  const part = text.slice(start, end);
  const out: DateMention[] = [];
  const yearHint = /\b(?:in|during|of)\s+(1[89]\d\d|20\d\d)\b(?![-–])/i.exec(part)?.[1] ?? null;
  DATE_PHRASE.lastIndex = 0;
  for (let m = DATE_PHRASE.exec(part); m !== null; m = DATE_PHRASE.exec(part)) {
    // "May" alone is a verb more often than a month: only take it with a day or a year.
    const g = m.groups ?? {};
    const phrase = m[0];
    if (m.index > 0 && /\w/.test(part[m.index - 1] ?? "")) continue;
    // "Bloody Friday", "the “Black Friday” crackdown": a weekday inside a name is no date.
    if (
      /(?:[A-Z][a-z]+\s+|["“‘])$/.test(part.slice(Math.max(0, m.index - 20), m.index)) &&
      /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/.test(phrase)
    )
      continue;
    const leadMatch = LEAD_RE.exec(phrase);
    const lead = leadMatch ? (leadMatch[1] ?? "").toLowerCase() : "";
    const body = leadMatch ? phrase.slice(leadMatch[0].length) : phrase;
    let resolved: { from: string; to: string; kind: DateMention["kind"] } | null = null;
    if (
      g.past !== undefined ||
      g.first !== undefined ||
      g.years !== undefined ||
      g.anaphor !== undefined ||
      g.weekOf !== undefined ||
      g.calendar !== undefined
    ) {
      const special = resolveSpecial(phrase, g, ref);
      if (special)
        out.push({ start: start + m.index, end: start + m.index + phrase.length, lead: "", ...special });
      continue;
    }
    if (g.relative === undefined && g.year === undefined && g.season === undefined && !NAMED.test(body))
      continue;
    // "In 2013, ... in January and February": a month without its year takes the sentence's year.
    const monthRef = yearHint && !new RegExp(YEAR).test(body) ? `${yearHint}-12-31` : ref;
    if (g.months !== undefined) resolved = resolveMonths(body, monthRef);
    else if (g.range !== undefined) resolved = resolveRange(body, ref);
    else if (g.day !== undefined) resolved = resolveDay(body, ref);
    else if (g.season !== undefined) resolved = resolveSeason(body);
    else if (g.month !== undefined) {
      // "May" alone is a month only after a preposition ("in May"); otherwise it is usually the verb.
      if (/^May$/.test(body.trim()) && lead === "") continue;
      resolved = resolveMonth(body, monthRef);
    } else if (g.year !== undefined) resolved = resolveYear(body);
    else if (g.relative !== undefined) resolved = resolveDay(phrase, ref, "relative");
    if (resolved === null) continue;
    out.push({ start: start + m.index, end: start + m.index + phrase.length, lead, ...resolved });
  }
  return out;
}

function isoOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function refDate(ref: string): Date {
  return new Date(`${ref}T12:00:00Z`);
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoOf(d);
}

/** One day, or a relative one ("yesterday", "last week"); null without a reference for a day with no year. */
function resolveDay(
  body: string,
  ref: string | null,
  kind: "day" | "relative" = "day",
): { from: string; to: string; kind: DateMention["kind"] } | null {
  const weekend = /\b(?:(?:last|this)\s+weekend|the\s+weekend)\b/i.exec(body);
  if (weekend && ref !== null) {
    // The latest Saturday and Sunday on or before the article's date.
    const weekday = new Date(`${ref}T12:00:00Z`).getUTCDay();
    const sunday = addDays(ref, -weekday);
    const saturday = weekday === 6 ? ref : addDays(sunday, -1);
    return weekday === 6
      ? { from: ref, to: ref, kind: "relative" }
      : { from: saturday, to: sunday, kind: "relative" };
  }
  const week = /\b(last|this)\s+week\b/i.exec(body);
  if (week && ref !== null) {
    // Weeks run from Monday: "this week" is this Monday up to the article's date, "last week" the week before.
    const weekday = (new Date(`${ref}T12:00:00Z`).getUTCDay() + 6) % 7;
    const monday = addDays(ref, -weekday);
    if ((week[1] ?? "").toLowerCase() === "this") return { from: monday, to: ref, kind: "relative" };
    return { from: addDays(monday, -7), to: addDays(monday, -1), kind: "relative" };
  }
  const day = parseDay(body, ref);
  if (day === null) return null;
  if (/\b(?:last|this)\s+month\b/i.test(body))
    return { from: `${day.slice(0, 8)}01`, to: endOfMonth(day), kind };
  return { from: day, to: day, kind };
}

/** parseDay is pure; phrases such as "on Saturday" recur, so results are kept (bounded). */
const dayMemo = new Map<string, string | null>();

function parseDay(body: string, ref: string | null): string | null {
  const key = `${ref ?? ""}|${body}`;
  const hit = dayMemo.get(key);
  if (hit !== undefined) return hit;
  const value = parseDayUncached(body, ref);
  if (dayMemo.size > 5000) dayMemo.clear();
  dayMemo.set(key, value);
  return value;
}

const EXPLICIT_YEAR = new RegExp(`\\b${YEAR}\\b`);
const FULL_DAY = new RegExp(
  `^(?:${WEEKDAY}${DAYPART},?\\s+)?(?:(${MONTH})\\s+(\\d{1,2})${ORD},?\\s+(${YEAR})|(\\d{1,2})${ORD}\\s+(${MONTH}),?\\s+(${YEAR}))$`,
);

function parseDayUncached(body: string, ref: string | null): string | null {
  // A day written in full needs no reference: read it directly.
  const full = FULL_DAY.exec(body.trim());
  if (full) {
    const month = monthIndex(full[1] ?? full[5] ?? "") + 1;
    return validIso(Number(full[3] ?? full[6]), month, Number(full[2] ?? full[4]));
  }
  const explicitYear = EXPLICIT_YEAR.test(body);
  if (ref === null && !explicitYear) return null;
  const instant = ref ? refDate(ref) : new Date(Date.UTC(2000, 0, 1, 12));
  const results = chrono.en.parse(body, { instant, timezone: 0 });
  const first = results[0];
  if (!first) return null;
  let iso = isoOf(first.start.date());
  if (ref !== null && !first.start.isCertain("year") && iso > ref) {
    // A weekday alone goes back a week at a time; a month and day without a year go back a year.
    if (first.start.isCertain("month")) {
      const d = first.start.date();
      d.setUTCFullYear(d.getUTCFullYear() - 1);
      iso = isoOf(d);
    } else {
      while (iso > ref) iso = addDays(iso, -7);
    }
  }
  return iso;
}

function resolveRange(body: string, ref: string | null): { from: string; to: string; kind: "days" } | null {
  const parts = body.split(new RegExp(DAY_JOIN, "i"));
  if (parts.length < 2) return null;
  const right = parts.slice(1).join(" ").trim();
  const leftText = (parts[0] ?? "").trim();
  let to = parseDay(right, ref);
  // "May 3-5": the second end borrows the month of the first.
  if (to === null || /^\d{1,2}\b/.test(right)) {
    const month = new RegExp(MONTH, "i").exec(leftText);
    const dayNum = /^(\d{1,2})/.exec(right);
    if (month && dayNum) to = parseDay(`${month[0]} ${dayNum[1]}${yearSuffix(right)}`, ref);
  }
  let from = parseDay(leftText, to ?? ref);
  if (from === null || to === null) return null;
  if (from > to) {
    // The left end was pushed into the previous week or year relative to the right end.
    from = parseDay(leftText, to);
    if (from === null || from > to) return null;
  }
  return { from, to, kind: "days" };
}

function yearSuffix(s: string): string {
  const y = new RegExp(YEAR).exec(s);
  return y ? `, ${y[0]}` : "";
}

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, "");
  return MONTH_NAMES.findIndex((m) => m.startsWith(w.slice(0, 3)));
}

function endOfMonth(iso: string): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = new Date(Date.UTC(y, m, 0, 12));
  return isoOf(d);
}

function resolveMonth(body: string, ref: string | null): { from: string; to: string; kind: "month" } | null {
  const m = new RegExp(`(early\\s+|mid-?|late\\s+)?(${MONTH})(?:\\s+(?:of\\s+)?(${YEAR}))?`, "i").exec(body);
  if (!m) return null;
  const month = monthIndex(m[2] ?? "");
  if (month < 0) return null;
  let year: number;
  if (m[3]) year = Number(m[3]);
  else if (ref) {
    year = Number(ref.slice(0, 4));
    if (month + 1 > Number(ref.slice(5, 7))) year--;
  } else return null;
  const from = `${year}-${String(month + 1).padStart(2, "0")}-01`;
  return { from, to: endOfMonth(from), kind: "month" };
}

function resolveMonths(body: string, ref: string | null): { from: string; to: string; kind: "month" } | null {
  const parts = body.split(/\s*(?:-|–|\bto\b|\bthrough\b|\buntil\b|\band\b)\s*/);
  const right = resolveMonth(parts[parts.length - 1] ?? "", ref);
  if (right === null) return null;
  const leftText = parts[0] ?? "";
  const year = new RegExp(YEAR).test(leftText) ? leftText : `${leftText} ${right.from.slice(0, 4)}`;
  let left = resolveMonth(year, ref);
  if (left === null) return null;
  // "December and January 2018": the first month lies in the year before.
  if (left.from > right.from)
    left = resolveMonth(`${leftText} ${Number(right.from.slice(0, 4)) - 1}`, ref) ?? left;
  return { from: left.from, to: right.to, kind: "month" };
}

const WORD_COUNTS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
};

function countOf(word: string | undefined): number {
  if (word === undefined) return 1;
  return /^\d+$/.test(word) ? Number(word) : (WORD_COUNTS[word.toLowerCase()] ?? 1);
}

type Special = Pick<DateMention, "kind" | "from" | "to" | "back" | "anaphor"> & { lead?: string };

function resolveSpecial(
  phrase: string,
  g: Record<string, string | undefined>,
  ref: string | null,
): Special | null {
  if (g.past !== undefined) {
    const m = /(?:past|last|previous)\s+(?:(\S+)\s+)?(hour|day|week|month|year|decade)s?/i.exec(phrase);
    if (!m) return null;
    let n = countOf(/^(?:days?|weeks?|months?|years?|decades?)$/i.test(m[1] ?? "") ? undefined : m[1]);
    let unit = (m[2] ?? "day").toLowerCase() as "hour" | "day" | "week" | "month" | "year" | "decade";
    if (unit === "hour") {
      // "the past 24 hours": the day before the statement up to the statement.
      n = Math.max(1, Math.round(n / 24));
      unit = "day";
    }
    if (unit === "decade") {
      n *= 10;
      unit = "year";
    }
    const back = { n, unit };
    if (ref === null) return { kind: "past", from: "", to: "", back };
    return { kind: "past", from: countBack(ref, back), to: ref, back };
  }
  if (g.first !== undefined) {
    const m = new RegExp(`first\\s+(\\S+)\\s+months\\s+of\\s+(${YEAR})`, "i").exec(phrase);
    if (!m) return null;
    const months = Math.min(12, countOf(m[1]));
    const from = `${m[2]}-01-01`;
    return { kind: "month", from, to: endOfMonth(`${m[2]}-${String(months).padStart(2, "0")}-01`) };
  }
  if (g.weekOf !== undefined) {
    const month = resolveMonth(phrase.replace(/^.*\bweek\s+of\s+/i, ""), ref);
    if (month === null) return null;
    if (/first/i.test(phrase)) return { kind: "days", from: month.from, to: addDays(month.from, 6) };
    return { kind: "days", from: addDays(month.to, -6), to: month.to };
  }
  if (g.calendar !== undefined) {
    if (ref === null) return null;
    const y = Number(ref.slice(0, 4));
    if (/this\s+year/i.test(phrase)) return { kind: "year", from: `${y}-01-01`, to: ref, lead: "since" };
    if (/last\s+year/i.test(phrase)) return { kind: "year", from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
    const first = `${ref.slice(0, 8)}01`;
    if (/this\s+month/i.test(phrase)) return { kind: "month", from: first, to: ref, lead: "since" };
    const prev = addDays(first, -1);
    return { kind: "month", from: `${prev.slice(0, 8)}01`, to: prev };
  }
  if (g.years !== undefined) {
    const ys = phrase.match(new RegExp(YEAR, "g")) ?? [];
    if (ys.length < 2) return null;
    return { kind: "year", from: `${ys[0]}-01-01`, to: `${ys[1]}-12-31` };
  }
  const anaphor: DateMention["anaphor"] = /next|following/i.test(phrase)
    ? "next"
    : /period|week|month/i.test(phrase)
      ? "period"
      : "day";
  return { kind: "anaphor", from: "", to: "", anaphor };
}

/** The day `back` before `to`: "the past 12 years" up to 2023-08-30 starts on 2011-08-30. */
export function countBack(to: string, back: { n: number; unit: "day" | "week" | "month" | "year" }): string {
  const d = new Date(`${to}T12:00:00Z`);
  if (back.unit === "day") d.setUTCDate(d.getUTCDate() - back.n);
  else if (back.unit === "week") d.setUTCDate(d.getUTCDate() - 7 * back.n);
  else if (back.unit === "month") d.setUTCMonth(d.getUTCMonth() - back.n);
  else d.setUTCFullYear(d.getUTCFullYear() - back.n);
  return isoOf(d);
}

function resolveYear(body: string): { from: string; to: string; kind: "year" } | null {
  const y = new RegExp(YEAR).exec(body);
  if (!y) return null;
  return { from: `${y[0]}-01-01`, to: `${y[0]}-12-31`, kind: "year" };
}

/** Meteorological seasons of the northern hemisphere, where nearly all of these articles are set. */
function resolveSeason(body: string): { from: string; to: string; kind: "season" } | null {
  const m = new RegExp(`(spring|summer|autumn|fall|winter)\\s+(?:of\\s+)?(${YEAR})`, "i").exec(body);
  if (!m) return null;
  const y = Number(m[2]);
  switch ((m[1] ?? "").toLowerCase()) {
    case "spring":
      return { from: `${y}-03-01`, to: `${y}-05-31`, kind: "season" };
    case "summer":
      return { from: `${y}-06-01`, to: `${y}-08-31`, kind: "season" };
    case "autumn":
    case "fall":
      return { from: `${y}-09-01`, to: `${y}-11-30`, kind: "season" };
    default:
      return { from: `${y}-12-01`, to: endOfMonth(`${y + 1}-02-01`), kind: "season" };
  }
}

const FULL_DATE = new RegExp(
  String.raw`\b(?:(${MONTH})\s+(\d{1,2})${ORD},?\s+(${YEAR})|(\d{1,2})${ORD}\s+(${MONTH}),?\s+(${YEAR})|(${YEAR})-(\d{2})-(\d{2}))\b`,
  "gi",
);

/** Every explicit full date (day, month and year written out) in the text, as YYYY-MM-DD. */
export function fullDates(text: string): Array<{ index: number; iso: string }> {
  const out: Array<{ index: number; iso: string }> = [];
  FULL_DATE.lastIndex = 0;
  for (let m = FULL_DATE.exec(text); m !== null; m = FULL_DATE.exec(text)) {
    let y: number;
    let mo: number;
    let d: number;
    if (m[1] !== undefined) {
      mo = monthIndex(m[1]) + 1;
      d = Number(m[2]);
      y = Number(m[3]);
    } else if (m[5] !== undefined) {
      mo = monthIndex(m[5]) + 1;
      d = Number(m[4]);
      y = Number(m[6]);
    } else {
      y = Number(m[7]);
      mo = Number(m[8]);
      d = Number(m[9]);
    }
    const iso = validIso(y, mo, d);
    if (iso !== null) out.push({ index: m.index, iso });
  }
  return out;
}

export function validIso(y: number, mo: number, d: number): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, 12));
  if (date.getUTCMonth() !== mo - 1) return null;
  return isoOf(date);
}

/** "Country, Month D, YYYY—" (or "City, D Month YYYY –") near the top of the article. */
const DATELINE = new RegExp(
  String.raw`(?:^|\n)[ \t]*(?:[A-Z][\p{L}.' -]{1,40}(?:,\s*[A-Z][\p{L}.' -]{1,30})?(?:\([^)\n]{1,20}\))?,\s*)?(?:${WEEKDAY},?\s+)?(${MONTH}\s+\d{1,2}${ORD},?\s+${YEAR}|\d{1,2}${ORD}\s+${MONTH},?\s+${YEAR})\s*(?:\([^)\n]{1,20}\)\s*)?[—–-]`,
  "u",
);

export function datelineDate(text: string): { iso: string; index: number; end: number } | null {
  const head = text.slice(0, 1500);
  const m = DATELINE.exec(head);
  if (!m) return null;
  const dates = fullDates(m[1] ?? "");
  const first = dates[0];
  return first ? { iso: first.iso, index: m.index, end: m.index + m[0].length } : null;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  return validIso(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))) === s;
}
