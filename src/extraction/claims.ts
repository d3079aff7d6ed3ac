/**
 * Claims: which quantities are figures about people harmed, held or taking part, and with which metric.
 *
 * A quantity is a claim when the words around it give it a metric and nothing makes it something else. The
 * order of evidence, strongest first:
 *   1. its head noun when that is a metric word ("9,870 deaths", "1,500 killed", "113 dead", "18 martyrs");
 *   2. the verb phrase after its noun, past an aside or a relative pronoun ("1,500 people were killed",
 *      "11 villagers, including two teenagers, were killed", "nine miners who were killed");
 *   3. the previous figure, for parts and continuations ("including 17 women", "nearly 5,000 of them",
 *      "Of these, 40 were children", "21 in Shiraz and at least 15 in Zahedan");
 *   4. a metric word before it in the same clause ("killing at least 18", "the deaths of at least 304",
 *      "detentions pass 6,700"), or a toll named earlier in the sentence ("the death toll ... stands at 60,181",
 *      "put the number at around 20,000").
 * A noun whose own verb is something else ("of whom 860 were later released"), a threat ("26 others face
 * execution"), a sentence ("sentenced 12 to death") and a denial ("12, not 50") make no claim. Years, durations,
 * ages, percentages, sums of money, days of a month, counts of places (kept as scope) and counts of objects
 * ("14 surveillance cameras", "thousands of pilgrims attended") are never claims.
 */
import type { Metric } from "../core/vocabulary.js";
import {
  DISEASE_CONTEXT,
  DURATION_NOUN,
  METRIC_WORDS,
  PEOPLE_NOUN,
  PLACE_COUNT_NOUN,
  VIOLENT_CONTEXT,
} from "./lexicon.js";
import type { NumberMention } from "./numbers.js";

export interface ClaimCandidate {
  number: NumberMention;
  metric: Metric;
  /** How the metric was found; continuations inherit the period and source of what they continue. */
  via: "after" | "noun" | "before" | "inherit";
  /** True for "including N", "N of them": a part of the previous figure. */
  partOf: boolean;
  /** True for "put the figure at N": the same count as the previous figure, by another account. */
  refersBack: boolean;
}

export interface Scope {
  cities: number | null;
  provinces: number | null;
}

/** Words that may sit between a number and its noun: adjectives of people and of counts. */
const ADJECTIVE =
  /^(?:new|more|other|young|old|elderly|unarmed|innocent|political|civil|civilian|peaceful|local|foreign|female|male|kurdish|baluch|baluchi|arab|afghan|iranian|iraqi|sunni|christian|baha'?i|jewish|teenage|underage|juvenile|minor|detained|arrested|injured|wounded|dead|killed|executed|confirmed|documented|registered|additional|further|known|suspected|alleged|so-called|armed|retired|contract|oil|factory|university|high-school|school|student|women|ethnic|prominent|identified|unidentified|fellow|individual|separate|different|among|"|“|”)$/i;

/** After a number: a clause ends at punctuation or a clause word. */
const CLAUSE_END =
  /[;:!?]|,(?!\d{3})|\.(?=\s|$)|\s(?:who|whom|which|while|whereas|but|because|although|though|after|before|when|where|since|as|according|citing|said|says|reported|announced|told|and that)\s|\s(?:and|or)\s+(?=[a-z]+(?:ing|ed)\b)/i;

/** Before a number: the clause starts after punctuation or a clause word. */
const CLAUSE_START =
  /(?:[;:!?—–]|,(?!\d{3})|\.\s|\b(?:while|whereas|but|because|although|though|and that|that|who|which|where|when|as)\s)(?![\s\S]*(?:[;:!?—–]|,(?!\d{3})|\.\s|\b(?:while|whereas|but|because|although|though|and that|that|who|which|where|when|as)\s))/i;

/** "stands at", "reached", "rose to", "past": a figure that completes a noun met earlier in the sentence. */
const PREDICATE_BEFORE =
  /\b(?:at|to|reached|reaching|reaches|hit|hits|past|passed|passes|pass|exceeded|exceeds|topped|tops|surpassed|is|was|stood|stands|were|of|about|around|nearly|almost|over|more than|than|least)\s*["“]?$/i;

/** A number continuing a previous one: "including N", "and N", ", N in X". */
const CONTINUATION_BEFORE =
  /(?:\bincluding|\bamong them|\bamong whom|\bof whom|\band|\bor|,|\bplus|\bwith)\s*["“]?$/i;

const YEAR_LIKE = /^(?:1[89]\d\d|20\d\d)$/;

const MONTH_NAME =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|March|Mar|April|Apr|May|June|Jun|July|Jul|August|Aug|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const MONTH_BEFORE = new RegExp(`\\b${MONTH_NAME}\\.?\\s+$`);
const MONTH_AFTER = new RegExp(`^(?:st|nd|rd|th)?\\s+${MONTH_NAME}\\b`);

const IDENTIFIER_BEFORE =
  /\b(?:No|Nos|number|article|section|page|law|resolution|chapter|paragraph|clause|room|ward|block|hall|route|highway|flight|case|file|code|bill|item|unit|platoon|battalion|phase|round|stage|level|grade|class|district|zone|region|division|brigade|gate|street|avenue|road|alley|plaque|km|kilometre|kilometer)\.?\s*$/i;

/** "aged 23", "he was 22 when": an age, where the subject is a person (not "the toll was 11"). */
const AGE_BEFORE =
  /(?:\baged|\bage of|\bages of|\bage|\bturned|\b(?:he|she|I|who|brother|sister|son|daughter|boy|girl|man|woman|father|mother|child|[A-Z][a-z]+)\s+(?:was|is|just))\s*$/;
const AGE_AFTER = /^\s*(?:-|\s)?years?(?:-|\s)old|^\s*-year-old|^\s*,\s*(?:was|were|had|who)\b/i;

/** Nouns that make "police" or "security" part of a compound that is not people ("police posts"). */
const OBJECT_AFTER_PEOPLE =
  /^\s+(?:posts?|stations?|cars?|vehicles?|headquarters|offices?|buildings?|homes?|houses?|bases?|checkpoints?|booths?|kiosks?|vans?|trucks?)\b/i;

/** Nouns of a turnout: "put the crowd at", "the number of strikers at". */
const PARTICIPANT_NOUN =
  /\b(?:crowds?|turnout|participants|rall(?:y|ies)|march|marchers|gathering|demonstration|demonstrators|protest|protesters|strikers|sit-in)\b/i;

/** Deaths in custody are deaths, not killings, unless the text says they were killed. */
const CUSTODY_DEATH =
  /\bdied\s+(?:in|while in|in police|in state)\s+(?:custody|detention|prison|jail)|denied medical/i;

export type Context = "violent" | "disease" | null;

const VIOLENT_ALL = new RegExp(VIOLENT_CONTEXT.source, "gi");
const DISEASE_ALL = new RegExp(DISEASE_CONTEXT.source, "gi");
const METRIC_WORDS_ALL = METRIC_WORDS.map(([re, metric]) => [new RegExp(re.source, "gi"), metric] as const);

export function contextOf(text: string): Context {
  const v = text.match(VIOLENT_ALL)?.length ?? 0;
  const d = text.match(DISEASE_ALL)?.length ?? 0;
  if (v === 0 && d === 0) return null;
  return d > v ? "disease" : "violent";
}

/** Phrases with "death" that count no dead: sentences, threats, the death penalty. */
const NOT_A_DEATH = /\b(?:sentenced to death|death sentences?|death row|death penalty|death threats?)\b/gi;

function metricIn(raw: string): Metric | "death" | null {
  const fragment = raw.replace(NOT_A_DEATH, (m) => " ".repeat(m.length));
  let best: { at: number; metric: Metric | "death" } | null = null;
  for (const [re, metric] of METRIC_WORDS) {
    const m = re.exec(fragment);
    if (m && (best === null || m.index < best.at)) best = { at: m.index, metric };
  }
  return best?.metric ?? null;
}

/** The metric word nearest to the end of `fragment`. */
function lastMetricIn(raw: string): Metric | "death" | null {
  const fragment = raw.replace(NOT_A_DEATH, (m) => " ".repeat(m.length));
  let best: { at: number; metric: Metric | "death" } | null = null;
  for (const [g, metric] of METRIC_WORDS_ALL) {
    g.lastIndex = 0;
    for (let m = g.exec(fragment); m !== null; m = g.exec(fragment)) {
      if (best === null || m.index > best.at) best = { at: m.index, metric };
    }
  }
  return best?.metric ?? null;
}

/** Words "participants" takes from nouns: only verbs of taking part make a count of people a turnout. */
const PARTICIPANT_VERB =
  /^\s*(?:march|rally|gather|protest|strike)\b|\bto (?:march|rally|gather|protest)\b|\b(?:took part|taking part|take part|participated|turned out|rallied|marched|marching|gathered|attended|demonstrated|protested|joined|came out|poured|filled|took to the streets|onto the streets|into the streets|went on strike|went on hunger strike|on hunger strike|walked out|stopped work|downed tools|staged|chanted|chanting|blocked|formed (?:a )?human chains?|kept up a sit-in|held a (?:sit-in|vigil)|sit-ins?)\b/i;

interface NounInfo {
  /** The text after the number and its noun phrase. */
  rest: string;
  /** True when the noun is a person noun (or there is no noun). */
  people: boolean;
  /** A metric read from the noun itself ("deaths", "executions", "killed"). */
  metric: Metric | "death" | null;
  /** "of them", "of whom": a part of something counted before. */
  partitive: boolean;
  /** No noun: the number stands alone ("1,500 were killed", "at 60,181."). */
  bare: boolean;
  /** The counted noun, when it is a people noun ("strikers"). */
  head?: string;
}

/** Function words: a number followed by one of these has no noun of its own ("1,500 were killed"). */
const FUNCTION_WORD =
  /^(?:were|was|are|is|have|has|had|been|will|would|could|may|might|did|do|does|died|remain|remained|remains|in|at|on|across|from|during|since|by|and|or|to|for|with|as|of|among|including|so|this|last|a|an|the|more|others|alone|each|altogether|total|so far|overall|more|onto|into|through|towards|toward|outside|inside|near|around|after|before|when|while|but|then|that|who|which)$/i;

/** Reads the noun phrase after a number: skips quotes and up to two modifiers, follows "of the ...". */
function nounAfter(after: string): NounInfo | "reject" {
  let rest = after;
  if (/^\s*of\s+(?:them|whom|those|these|which)\b/i.test(rest)) {
    rest = rest.replace(/^\s*of\s+\w+/i, "");
    return { rest, people: true, metric: null, partitive: true, bare: false };
  }
  const of = /^\s*(?:of\s+(?:the\s+|these\s+|those\s+|its\s+|their\s+|our\s+|his\s+|her\s+)?)/i.exec(rest);
  if (of) rest = rest.slice(of[0].length);
  let skipped = 0;
  for (let k = 0; k < 4; k++) {
    const w = /^\s*["“”']?\s*([\p{L}'’-]+)["“”']?/u.exec(rest);
    // After a skipped modifier, running out of words means the modifier was the noun ("18 lions").
    if (!w)
      return skipped > 0 ? "reject" : { rest, people: true, metric: null, partitive: false, bare: true };
    const word = w[1] ?? "";
    const tail = rest.slice(w[0].length);
    const metric = metricIn(word);
    if (PEOPLE_NOUN.test(word)) {
      if (/^(?:police|security)$/i.test(word) && OBJECT_AFTER_PEOPLE.test(tail)) return "reject";
      // "members of the security forces", "doctors, nurses and other health workers": the counted noun is the
      // first; its complement or the rest of the list is skipped.
      const complement =
        /^\s+of\s+(?:the\s+)?(?:[\p{L}'’-]+\s+){0,3}?(?:forces|police|guards|army|corps|community|family|families|group|network|movement|party|union|minority|faith|crew|staff|team)\b/iu.exec(
          tail,
        ) ??
        /^(?:,\s+[a-z-]+(?:\s+[a-z-]+)?)*,?\s+(?:and|or)\s+(?:other\s+)?(?:[a-z-]+\s+)?[a-z-]+/.exec(tail);
      const after =
        complement && (complement[0].includes(" of ") || PEOPLE_NOUN.test(lastWord(complement[0])))
          ? tail.slice(complement[0].length)
          : tail;
      // Only nouns that are themselves a toll carry a metric ("martyrs", "bodies"); "detainees" may be injured.
      const strong = metric === "killed" || metric === "death" ? metric : null;
      return { rest: after, people: true, metric: strong, partitive: false, bare: false, head: word };
    }
    // "300 lives": the lives lost.
    if (/^lives$/i.test(word))
      return { rest: tail, people: true, metric: "death", partitive: false, bare: false };
    if (
      metric !== null &&
      /(?:s|ed|dead|toll)$/i.test(word) &&
      !/^(?:crowds?|protesters|demonstrators|strikers|participants)$/i.test(word)
    ) {
      // A metric noun or participle: "deaths", "executions", "killed", "dead", "wounded", "arrests". After a
      // skipped word a participle is that word's verb ("thousands of pilgrims attended"): no people counted.
      if (/ed$/i.test(word) && skipped > 0) return "reject";
      if (!/(?:ed)$/i.test(word) || k === 0)
        return { rest: tail, people: true, metric, partitive: false, bare: false };
    }
    if (metric !== null) {
      // A verb right after the number: "hundreds gathered", "tens of thousands march", "1,500 killed".
      if (k === 0)
        return {
          rest,
          people: true,
          metric: metric === "participants" ? null : metric,
          partitive: false,
          bare: true,
        };
      if (
        metric === "participants" &&
        /^(?:crowds?|participants|protesters|demonstrators|strikers)$/i.test(word)
      )
        return { rest: tail, people: true, metric: null, partitive: false, bare: false };
    }
    if (FUNCTION_WORD.test(word))
      return skipped > 0 ? "reject" : { rest, people: true, metric: null, partitive: false, bare: true };
    // A verb in the past right after the number: "at least 23 belonged to", "860 were later released".
    if (k === 0 && /^[a-z]+ed$/.test(word) && !ADJECTIVE.test(word))
      return { rest, people: true, metric: null, partitive: false, bare: true };
    if (/^[A-Z]/.test(word) && k === 0 && !ADJECTIVE.test(word)) {
      // "21 in Adelabad", "1,500 Kurds": a capitalised word right after is a people name or a place.
      return { rest, people: true, metric: null, partitive: false, bare: true };
    }
    // A modifier ("political", "coal", "arbitrary"): look one word further, at most twice.
    if (skipped >= 2) return "reject";
    skipped++;
    rest = tail;
  }
  return "reject";
}

function lastWord(s: string): string {
  return /([\p{L}'’-]+)\s*$/u.exec(s)?.[1] ?? "";
}

export interface SentenceContext {
  text: string;
  start: number;
  end: number;
  /** Spans of date phrases in the sentence: numbers inside them are days and years. */
  dateSpans: ReadonlyArray<readonly [number, number]>;
  /** Context of the whole article, used when the sentence says nothing about violence or disease. */
  articleContext: Context;
  /** The last claim of the previous sentence, for "put the number at ...". */
  previous: ClaimCandidate | null;
}

/** Classifies the numbers of one sentence. Returns the claims and the scope counts stated with them. */
export function claimsOfSentence(
  numbers: readonly NumberMention[],
  ctx: SentenceContext,
): { claims: ClaimCandidate[]; scope: Scope; scopeAt: number[] } {
  const { text } = ctx;
  const claims: ClaimCandidate[] = [];
  const scope: Scope = { cities: null, provinces: null };
  const scopeAt: number[] = [];
  const sentenceText = text.slice(ctx.start, ctx.end);
  const localContext = contextOf(sentenceText) ?? ctx.articleContext;
  let lastInSentence: ClaimCandidate | null = null;

  for (const n of numbers) {
    if (ctx.dateSpans.some(([s, e]) => n.numStart < e && n.numEnd > s)) continue;
    const after = text.slice(n.end, ctx.end);
    const before = text.slice(ctx.start, n.start);
    // Years, identifiers, money, times.
    if (n.form === "digits" && YEAR_LIKE.test(n.raw) && !PEOPLE_NOUN.test(after.trim())) continue;
    if (IDENTIFIER_BEFORE.test(before)) continue;
    if (/[$€£#]\s*$/.test(before) || /^\s*(?:[:/]\d|\.\d)/.test(after)) continue;
    if (DURATION_NOUN.test(after.replace(/^\s*["”]/, ""))) continue;
    if (
      n.quantity.qualifier !== "vague" &&
      (AGE_AFTER.test(after) ||
        (AGE_BEFORE.test(before) &&
          !/^\s+\S+\s+(?:people|were|had)/.test(after) &&
          /^\s*(?:[,.;)]|when|and|years|$)/.test(after)))
    )
      continue;
    const place = PLACE_COUNT_NOUN.exec(after.trimStart());
    if (place && /^\s/.test(after)) {
      const noun = (place[1] ?? "").toLowerCase();
      if (
        /^(?:cities|city|towns?|villages?|localities|locations|counties|county|districts?|neighbou?rhoods)$/.test(
          noun,
        )
      )
        scope.cities ??= n.quantity.low;
      else if (/^provinces?$/.test(noun)) scope.provinces ??= n.quantity.low;
      scopeAt.push(n.start);
      continue;
    }
    if (/^\s*(?:%|percent|per cent)/i.test(after)) continue;
    if (/^(?:st|nd|rd|th)\b/i.test(after)) continue;
    // "on September 20" when the article's date is unknown and the date could not be resolved: still a date.
    if (n.start === n.numStart && (MONTH_BEFORE.test(before) || MONTH_AFTER.test(after))) continue;
    // "12, not 50": a figure denied.
    if (/\bnot\s*["“]?$/i.test(before)) continue;
    // "children and teenagers under 18", "people over 60", "under the age of 18": ages.
    const written = text.slice(ctx.start, n.numStart);
    if (
      /\b(?:children|teenagers|teens|minors|boys|girls|people|those|women|men|persons|anyone)\s+(?:under|over|aged|below|above|younger than|older than)\s+(?:the age of\s+)?$/i.test(
        written,
      ) ||
      /\bthe age of\s*$/i.test(written)
    )
      continue;
    // "the real toll is many times the official one.": "one" standing for a noun already said.
    if (/^one$/i.test(n.raw) && n.start === n.numStart && /^\s*(?:[.,;:!?)"”]|$)/.test(after)) continue;
    // "no one was hurt", "at one point", "the one who": "one" as a pronoun, not a count.
    if (
      /^one$/i.test(n.raw) &&
      n.start === n.numStart &&
      /\b(?:no|any|some|every|each|the|only|at|no-)\s*$/i.test(before)
    )
      continue;

    const noun = nounAfter(after);
    if (noun === "reject") continue;

    // "Of these, 40 were children": a part of the previous figure, named before the number.
    const ofThese =
      /\b(?:of (?:these|them|those|whom)|among (?:them|these|those|whom|the dead|the victims))\s*,?\s*["“]?$/i.test(
        before,
      );
    const aside = skipAside(noun.rest);
    const clauseRight = cut(aside.rest, CLAUSE_END);
    const clauseLeft = before.slice(lastIndexOf(before, CLAUSE_START));
    let metric: Metric | "death" | null = null;
    let via: ClaimCandidate["via"] = "after";

    const rightMetric =
      metricIn(clauseRight.slice(0, 90)) ??
      // "hospitalised after being beaten" reaches past the clause break at "after".
      (/^\s*(?:\S+\s+){0,3}?hospitali[sz]ed\s+(?:after being (?:beaten|shot)|with (?:gunshot|injuries|wounds))/i.test(
        aside.rest,
      )
        ? "injured"
        : null);
    const rightParticipants =
      rightMetric === "participants" && PARTICIPANT_VERB.test(clauseRight.slice(0, 60));
    if (noun.metric !== null) {
      metric = noun.metric;
      via = "noun";
    } else if (
      rightMetric !== null &&
      (rightMetric !== "participants" || rightParticipants) &&
      // "detained at least 40 women who had gathered": the verb before governs; the relative clause describes.
      !(aside.relative && lastMetricIn(clauseLeft) !== null)
    )
      metric = rightMetric;
    else if (
      rightMetric === null &&
      !aside.relative &&
      // "Of these, 40 were children" describes a part; "of whom 860 were later released" says what befell it.
      (!ofThese || /^\s*(?:were|was|have been|had been|are)\s+(?:\w+\s+)?\w+ed\b/i.test(aside.rest)) &&
      metricIn(aside.rest.slice(0, 60)) === null &&
      /^\s*(?:\S+\s+){0,2}?(?:were|was|are|is|have been|has been|had been|would be|will be|could be|have|had|has)\s+(?!\w+\s+(?:killed|executed|arrested|detained))/i.test(
        aside.rest,
      ) &&
      !/^\s*(?:\S+\s+){0,3}?(?:among|of|including)\b/i.test(aside.rest)
    ) {
      // "of whom 860 were later released": the noun's own verb says what happened, and it is no metric.
      continue;
    }
    if (metric === null && ofThese) {
      const prev = lastInSentence ?? ctx.previous;
      if (prev) {
        metric = prev.metric;
        via = "inherit";
      }
    }
    // "Two women were among the dead": among those the previous figure counted.
    if (/^\s*(?:were|was)\s+(?:also\s+)?among\s+(?:the\s+)?(?:dead|victims|those\s+\w+)/i.test(aside.rest)) {
      const prev = lastInSentence ?? ctx.previous;
      if (prev) {
        metric = prev.metric;
        via = "inherit";
      }
    }
    const continuation = CONTINUATION_BEFORE.test(before) && lastInSentence !== null;
    const nearPrevious = lastInSentence !== null && n.start - lastInSentence.number.end <= 60;
    if (
      metric === null &&
      (noun.partitive ||
        (continuation && (noun.bare || nearPrevious)) ||
        /\b(?:including|among them|among whom|of whom|of them)\s*["“]?$/i.test(before))
    ) {
      const prev = lastInSentence ?? ctx.previous;
      if (prev) {
        metric = prev.metric;
        via = "inherit";
      }
    }
    if (metric === null) {
      const left = lastMetricIn(clauseLeft);
      if (left !== null && (left !== "participants" || PARTICIPANT_NOUN.test(clauseLeft))) {
        metric = left;
        via = "before";
      }
    }
    // "had passed 1,450", "reached 300": the qualifier itself is the predicate.
    const predicate =
      PREDICATE_BEFORE.test(clauseLeft) ||
      (n.start < n.numStart &&
        /\b(?:passed|pass|passes|past|topped|tops|reached|exceeded|exceeds|surpassed)\b/i.test(
          text.slice(n.start, n.numStart),
        ));
    if (metric === null && predicate) {
      // "The official death toll, as announced ..., stands at 60,181": the noun is earlier in the sentence.
      const toll =
        /\b(?:death toll|toll|number of (?:the )?(?:dead|deaths|people killed|victims|executions|arrests|detainees|detentions|people (?:arrested|detained|executed))|fatalities)\b/i.exec(
          before,
        );
      if (toll) {
        metric = lastMetricIn(toll[0]) ?? "death";
        via = "before";
      } else if (/\b(?:number|figure|count|total|tally|estimate|crowd|turnout)\b/i.test(clauseLeft)) {
        const prev = lastInSentence ?? ctx.previous;
        if (PARTICIPANT_NOUN.test(clauseLeft)) metric = "participants";
        else if (prev) metric = prev.metric;
        via = "inherit";
      } else if (lastInSentence !== null && continuation) {
        metric = lastInSentence.metric;
        via = "inherit";
      }
    }
    if (metric === null && continuation && lastInSentence !== null && /^\s+in\s+[A-Z]/.test(after)) {
      metric = lastInSentence.metric;
      via = "inherit";
    }
    // "About 8,000 strikers": a count of protesters or strikers with no other verb is a turnout.
    if (
      metric === null &&
      noun.head !== undefined &&
      /^(?:strikers|protesters|protestors|demonstrators|marchers|participants)$/i.test(noun.head)
    )
      metric = "participants";
    if (metric === null) continue;
    if (metric === "participants" && !noun.people) continue;
    // "sentenced 12 protesters to death": a sentence, not a count of the dead.
    if (/\b(?:sentenced|condemned)\b/i.test(clauseLeft) && /^\s*(?:\S+\s+){0,2}?to death\b/i.test(aside.rest))
      continue;
    // "26 others face execution", "at risk of execution": a threat, not a count of the harmed.
    if (
      /^\s*(?:\S+\s+){0,3}?(?:face|faces|facing|risk|at risk of|could face|may face|sentenced to|await|awaiting|on death row)\b/i.test(
        aside.rest,
      )
    )
      continue;
    const resolved: Metric =
      metric === "death"
        ? localContext === "disease" || CUSTODY_DEATH.test(sentenceText)
          ? "deaths"
          : "killed"
        : metric;
    const partOf =
      noun.partitive ||
      ofThese ||
      /^\s*(?:were|was)\s+(?:also\s+)?among\s+(?:the\s+)?(?:dead|victims|those\s+\w+)/i.test(aside.rest) ||
      /^\s*of\s+(?:the|those)\s/i.test(after) ||
      /\b(?:including|among them|among whom|of whom)\s*["“]?$/i.test(before);
    const refersBack =
      /\b(?:put|puts|putting|gave|gives|estimated?)\s+(?:the|its|their)\s+(?:figure|number|toll|count|total)\s+at\s*["“]?\s*$/i.test(
        text.slice(ctx.start, n.start),
      );
    const claim: ClaimCandidate = { number: n, metric: resolved, via, partOf, refersBack };
    claims.push(claim);
    lastInSentence = claim;
  }
  return { claims, scope, scopeAt };
}

/**
 * Skips what stands between a counted noun and its verb: an aside set off by commas ("11 villagers, including two
 * teenagers, were killed"; "several hundred people, many of them women, had marched") or a relative pronoun
 * ("nine miners who were killed").
 */
function skipAside(rest: string): { rest: string; relative: boolean } {
  const aside =
    /^\s*,\s*(?:including|among them|among whom|many of them|most of them|some of them|all of them|half of them|[a-z-]+ of them|of whom|mostly|mainly|mostly|among those|among the dead)\b[^,;.]*,/i.exec(
      rest,
    );
  if (aside) return { rest: rest.slice(aside[0].length), relative: false };
  const relative = /^\s*(?:who|that)\s+(?=(?:were|was|had|have|has)\b)/i.exec(rest);
  if (relative) return { rest: rest.slice(relative[0].length), relative: true };
  return { rest, relative: false };
}

function cut(s: string, re: RegExp): string {
  const m = re.exec(s);
  return m ? s.slice(0, m.index) : s;
}

function lastIndexOf(s: string, re: RegExp): number {
  const m = re.exec(s);
  return m ? m.index + m[0].length : 0;
}
