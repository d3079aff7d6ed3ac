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
}

/** Activity words by type; the first type whose word occurs nearest the date wins. */
const ACTIVITY: ReadonlyArray<readonly [RegExp, IncidentType]> = [
  [/\b(?:executed|hanged|executions?|hangings?|put to death)\b/gi, "execution"],
  [
    /\b(?:set fire|set on fire|set\s+(?:[\w-]+\s+){1,4}on fire|torched|burned|burnt|arson|sabotag\w*|blew up|bombed|smashed|ransacked|vandali[sz]ed|destroyed|attacked (?:a|the|several|two|three|\d+)?\s*(?:police|bank|office|station|seminary|base|building|post|headquarters))\b/gi,
    "property_attack",
  ],
  [
    /\b(?:campaign|graffiti|posters?|banners?|leaflets?|slogans (?:were )?(?:written|painted|sprayed)|wrote slogans|painted slogans|hacked|broadcast)\b/gi,
    "campaign",
  ],
  [
    /\b(?:opened fire|shot|shooting|fired on|fired at|killed|killing|gunned down|beat|beaten|stabbed|tear gas|teargas|attacked (?:protesters|worshippers|mourners|students|people|demonstrators))\b/gi,
    "violence_against_civilians",
  ],
  [/\b(?:arrested|detained|arrests|detentions|rounded up|raids?|raided)\b/gi, "arrests"],
  [
    /\b(?:strike|strikes|striking|strikers|walked out|walkout|shops (?:stayed |were |remained )?(?:shut|closed)|bazaars? (?:closed|shut))\b/gi,
    "strike",
  ],
  [/\b(?:riot(?:s|ed|ing)?|clashed|clashes)\b/gi, "riot"],
  [
    /\b(?:protests?|protested|protesters|rall(?:y|ies|ied)|marched|march|demonstrat\w+|gathered|gathering|took to the streets|filled the streets|sit-in|chanted)\b/gi,
    "protest",
  ],
  [/\b(?:died of|died from|succumbed)\b/gi, "disease_deaths"],
];

/** Date leads that make a date the start of a period rather than the day of an event. */
const NOT_EVENT_LEAD = new Set(["since", "by", "until", "as of", "of", "dated"]);

/** Targets whose number is the number of incidents ("three police posts", "two banks"). */
const TARGET_NOUN =
  /^\s+(?:[\w-]+\s+)?(?:police\s+)?(?:posts?|stations?|banks?|offices?|buildings?|seminar(?:y|ies)|bases?|cars?|vehicles?|checkpoints?|branches|headquarters|centres?|centers?|kiosks?|booths?)\b/i;

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
  const used = new Set<IncidentType>();
  for (const d of dates) {
    if (reportingDates.has(d)) continue;
    if (d.kind !== "day" && d.kind !== "days" && d.kind !== "relative") continue;
    if (NOT_EVENT_LEAD.has(d.lead)) continue;
    if (/\bsince\s+(?:[\w'-]+\s+){0,4}$/i.test(text.slice(Math.max(start, d.start - 40), d.start))) continue;
    if (d.kind === "days" && daysBetween(d.from, d.to) > 7) continue;
    // The activity nearest the date, in the same clause (not across a reporting verb).
    let best: { at: number; type: IncidentType; distance: number } | null = null;
    for (const [re, type] of ACTIVITY) {
      re.lastIndex = 0;
      for (let m = re.exec(s); m !== null; m = re.exec(s)) {
        const at = start + m.index;
        const between = at < d.start ? text.slice(at, d.start) : text.slice(d.end, at);
        if (/\b(?:said|says|told|reported|announced|according to)\b/i.test(between)) continue;
        if (/[;]|,\s+(?:where|which|who)\b/.test(between)) continue;
        const distance = at < d.start ? d.start - at : at - d.end;
        if (best === null || distance < best.distance) best = { at, type, distance };
      }
    }
    if (best === null || used.has(best.type)) continue;
    used.add(best.type);
    out.push({
      start,
      end,
      type: best.type,
      date: d.from,
      dateEnd: d.to !== d.from ? d.to : null,
      at: best.at,
      count: countOf(text, best.type, numbers, start, end),
    });
  }
  return out;
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
