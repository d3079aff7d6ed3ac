/**
 * Events: activities the article reports on a stated day or run of days ("On Monday May 3 and Tuesday May 4,
 * three police posts were set on fire in Dezful and Izeh"). An event needs an activity word and a day-level date
 * in the same clause that is neither the date of a statement ("said on Sunday") nor the start of a longer
 * period ("since the protests began on Tuesday"). Runs longer than a week are periods, not events.
 */
import type { IncidentType } from "../core/vocabulary.js";
import type { DateMention } from "./dates.js";
import type { NumberMention } from "./numbers.js";

export interface EventCandidate {
  start: number;
  end: number;
  type: IncidentType;
  date: string;
  dateEnd: string | null;
  /** View offset of the activity word, used to pick the places of the right clause. */
  at: number;
  count: number | null;
  /** "Since Saturday, June 19, workers have walked out": the start of something still going on. */
  ongoing: boolean;
}

/** Activity verbs by type: what someone did on the day. */
const ACTIVITY_VERBS: ReadonlyArray<readonly [RegExp, IncidentType]> = [
  [/\b(?:executed|hanged|put to death)\b/gi, "execution"],
  [
    /\b(?:stormed|rioted|clashed|threw stones|hurled stones|stoned|blocked (?:a|the|main|several)\b[^.;,]{0,20}\broads?|burning tyres|erected barricades)\b/gi,
    "riot",
  ],
  [
    /\b(?:set fire|set on fire|set (?:[\w'-]+\s+){1,4}on fire|set ablaze|set alight|torched|burned|burnt|sabotaged|blew up|bombed|smashed|ransacked|vandali[sz]ed|destroyed)\b/gi,
    "property_attack",
  ],
  [
    /\b(?:hung (?:[\w-]+\s+){0,3}(?:posters|banners)|put up (?:[\w-]+\s+){0,2}(?:posters|banners)|distributed (?:[\w-]+\s+){0,2}leaflets|wrote slogans|painted slogans|sprayed|hacked|broadcast|continued)\b/gi,
    "campaign",
  ],
  [
    /\b(?:opened fire|shot|fired (?:on|at|into)|killed|killing|gunned down|beat|beaten|stabbed|attacked|died (?:of|from) (?:gunshot|wounds|injuries|torture|beatings?))\b/gi,
    "violence_against_civilians",
  ],
  [/\b(?:arrested|detained|rounded up|raided)\b/gi, "arrests"],
  [
    /\b(?:went on strike|walked out|stopped work|downed tools|closed their shops|kept their shutters down|shut their shops|stayed shut|struck)\b/gi,
    "strike",
  ],
  [
    /\b(?:protested|rallied|marched|demonstrated|gathered|took to the streets|filled the streets|staged|chanted|formed (?:a )?human chains?|boycotted|(?:protests?|rallies|demonstrations|sit-ins?|marches|vigils?) (?:were|was) (?:also )?held|held (?:a|protests|rallies|sit-ins?))\b/gi,
    "protest",
  ],
  [/\b(?:sentenced|convicted|escaped|funerals? (?:were|was) held)\b/gi, "other"],
  [
    /\b(?:died (?:of|from)(?!\s+(?:gunshot|wounds|injuries|torture|beatings?|bullet))|succumbed)\b/gi,
    "disease_deaths",
  ],
];

/** Activity nouns, read when the sentence has no activity verb ("the campaign of graffiti continued"). */
const ACTIVITY_NOUNS: ReadonlyArray<readonly [RegExp, IncidentType]> = [
  [/\b(?:executions?|hangings?)\b/gi, "execution"],
  [/\b(?:arson|sabotage)\b/gi, "property_attack"],
  [/\b(?:campaign|graffiti|posters|banners|leaflets)\b/gi, "campaign"],
  [/\b(?:shooting|gunfire)\b/gi, "violence_against_civilians"],
  [/\b(?:riots?|clashes)\b/gi, "riot"],
  [/\b(?:arrests|detentions|raids)\b/gi, "arrests"],
  [/\b(?:strikes?|general strike|walkout)\b/gi, "strike"],
  [/\b(?:protests?|rall(?:y|ies)|march|demonstrations?|sit-ins?|vigils?)\b/gi, "protest"],
  [/\b(?:funerals?)\b/gi, "other"],
];

/** Words that make the activity a plan or a threat, not something that happened. */
const FUTURE = /\b(?:threaten(?:ed|s)?|will|would|plans?|planned|vowed|called for|intends?|warned)\b/i;

/** Date leads that make a date the start of a period rather than the day of an event. */
const NOT_EVENT_LEAD = new Set(["since", "by", "until", "as of", "of", "dated"]);

/** Targets whose number is the number of incidents ("three police posts", "two banks"). */
const TARGET_NOUN =
  /^\s+(?:[\w-]+\s+)?(?:police\s+)?(?:posts?|stations?|banks?|offices?|buildings?|seminar(?:y|ies)|bases?|cars?|vehicles?|checkpoints?|branches|headquarters|centres?|centers?|kiosks?|booths?|attacks?|arson attacks?|fires|explosions?|bombings?)\b/i;

export function eventsOfSentence(
  text: string,
  start: number,
  end: number,
  dates: readonly DateMention[],
  reportingDates: ReadonlySet<DateMention>,
  numbers: readonly NumberMention[],
): EventCandidate[] {
  const out: EventCandidate[] = [];
  const s = text.slice(start, end);
  if (FUTURE.test(s)) return out;
  const used = new Set<IncidentType>();
  for (const d of dates) {
    if (reportingDates.has(d) || d.anaphor === "period") continue;
    if (d.kind !== "day" && d.kind !== "days" && d.kind !== "relative") continue;
    if (NOT_EVENT_LEAD.has(d.lead) && !(d.lead === "since" && isOpening(text, start, d))) continue;
    if (
      d.lead !== "since" &&
      /\bsince\s+(?:[\w'-]+\s+){0,6}$/i.test(text.slice(Math.max(start, d.start - 50), d.start))
    )
      continue;
    if (d.kind === "days" && daysBetween(d.from, d.to) > 7) continue;
    const best =
      activityNear(text, start, end, d, ACTIVITY_VERBS, true) ??
      activityNear(text, start, end, d, ACTIVITY_NOUNS, false);
    if (best === null || used.has(best.type)) continue;
    used.add(best.type);
    const sinceOpening = d.lead === "since";
    out.push({
      start,
      end,
      type: best.type,
      date: d.from,
      dateEnd: d.to !== d.from && !sinceOpening ? d.to : null,
      ongoing: sinceOpening,
      at: best.at,
      count: countOf(text, best.type, numbers, start, end),
    });
  }
  return out;
}

/** True when the date opens the sentence: "Since Saturday, June 19, contract workers ... have walked out". */
function isOpening(text: string, start: number, d: DateMention): boolean {
  return /^[\s"“]*$/.test(text.slice(start, d.start)) || /[—–]\s*$/.test(text.slice(start, d.start));
}

/** The activity nearest the date in the same clause: not across a reporting verb, a ";" or a relative clause. */
function activityNear(
  text: string,
  start: number,
  end: number,
  d: DateMention,
  table: ReadonlyArray<readonly [RegExp, IncidentType]>,
  verbs: boolean,
): { at: number; type: IncidentType } | null {
  const s = text.slice(start, end);
  let best: { at: number; type: IncidentType; distance: number } | null = null;
  for (const [re, type] of table) {
    re.lastIndex = 0;
    for (let m = re.exec(s); m !== null; m = re.exec(s)) {
      const at = start + m.index;
      if (at >= d.start && at < d.end) continue;
      const between = at < d.start ? text.slice(at, d.start) : text.slice(d.end, at);
      if (/\b(?:said|says|told|reported|announced|according to)\b/i.test(between)) continue;
      if (/[;]|,\s+(?:where|which|who)\b/.test(between)) continue;
      // "hanged three men on Saturday who had been convicted": a relative clause after the date is background.
      if (at > d.end && /\b(?:who|which|that)\s+(?:had|has|have|was|were)\b/i.test(between)) continue;
      const before = text.slice(Math.max(start, at - 30), at);
      const after = text.slice(at + m[0].length, Math.min(end, at + m[0].length + 12));
      // "families of people killed in the protests": a participle after a noun describes, it does not narrate.
      if (
        verbs &&
        /^(?:killed|arrested|detained|executed|shot|wounded|injured|beaten|hanged|burned|burnt)$/i.test(
          m[0],
        ) &&
        /\b(?:people|those|men|women|protesters|prisoners|victims|others)\s+$/i.test(before) &&
        /^\s+(?:in|during|at|by|on)\b/i.test(after)
      )
        continue;
      // "287 arrests": a counted noun is a figure, not an event.
      if (!verbs && /\d(?:[\d,]*\d)?\s+(?:[\w-]+\s+)?$/.test(before)) continue;
      const distance = at < d.start ? d.start - at : at - d.end;
      if (best === null || distance < best.distance) best = { at, type, distance };
    }
  }
  return best;
}

function countOf(
  text: string,
  type: IncidentType,
  numbers: readonly NumberMention[],
  start: number,
  end: number,
): number | null {
  for (const n of numbers) {
    if (n.start < start || n.end > end) continue;
    if (n.quantity.qualifier !== "exact" || n.form === "vague") continue;
    const after = text.slice(n.end, Math.min(end, n.end + 40));
    if (type === "property_attack" && TARGET_NOUN.test(after)) return n.quantity.low;
    // Each execution is an incident of its own.
    if (
      type === "execution" &&
      /^\s+(?:[\w-]+\s+){0,2}?(?:men|women|people|prisoners|persons|inmates|others)\s+(?:were|have been|had been)\s+(?:executed|hanged)/i.test(
        after,
      )
    )
      return n.quantity.low;
  }
  return null;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
