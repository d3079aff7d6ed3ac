/**
 * Sources: who asserts a figure. Attributions are read from reporting verbs and their subjects ("Reuters
 * reported", "the interior minister said on Saturday"), inverted attributions (", said one of the organisers"),
 * "according to X", agent phrases ("as announced by the health ministry"), and chanted slogans (the chanting
 * crowd). Generic noun phrases ("the network", "the same ministry", "It") are resolved to the last named source
 * with the same head noun, so that a figure carries the name a reviewer can look up.
 */
import type { SourceKind } from "../core/vocabulary.js";
import { displayName, kindOf } from "./source-kinds.js";

export interface Attribution {
  /** View offsets of the noun phrase naming the source. */
  start: number;
  end: number;
  /** View offset of the reporting verb (or of "according to"). */
  verbAt: number;
  /** The source's name as it will be printed. */
  name: string;
  kind: SourceKind;
  /** True when the verb precedes the content (X said that ...), false for trailing attributions (..., X said). */
  leading: boolean;
  /** A slogan chanted by a crowd: the figure is the crowd's. */
  chant: boolean;
}

const VERB =
  "(?:said|says|say|reported|reports|announced|announces|declared|declares|confirmed|confirms|stated|told|tells|estimated|estimate|estimates|recorded|documented|verified|verifies|counted|tallied|wrote|writes|added|adds|claimed|insisted|insists|acknowledged|acknowledges|admitted|admits|revealed|reveals|noted|tweeted|posted|registered|listed|updated|raised|revised|compiled|warned|put|puts|gave|gives|show|shows|showed|indicate|indicates|indicated)";

const SUBJECT_VERB = new RegExp(String.raw`\b${VERB}\b`, "gi");
const INVERTED = new RegExp(
  String.raw`(?:[,"”’]\s*|^)(${VERB})\s+(?!that\b|it\b|on\b|in\b|at\b|the number\b|the toll\b)`,
  "gi",
);
const ACCORDING = /\baccording to\s+/gi;
const AGENT =
  /\b(?:(?:as\s+)?(?:announced|released|reported|published|compiled|tallied|collected|gathered|issued|provided|cited|documented|recorded|verified|confirmed|given)\s+by|by the (?:count|tally|estimate|reckoning|figures) of|by(?=\s+[^,.;]{1,60}['’]s\s+(?:count|tally|estimate|reckoning|figures))|quoted(?!\s+by\b))\s+/gi;
const CHANT =
  /\b(?:chant(?:ed|ing|s)?|shout(?:ed|ing)?|slogans?|sang|singing|chorus|placards? reading|banners? reading)\b/gi;

const NP_STOP =
  /^(?:that|which|who|whom|whose|while|whereas|but|and|or|as|when|where|if|because|after|before|since|although|though|despite|until|with|without|than|so|then|on|at|to|from|for|by|into|over|in)$/i;

/** Pronouns that point back to the last source. */
const PRONOUN = /^(?:it|he|she|they|its|his|her|their|this|we)$/i;

/** Heads of generic noun phrases that name a source already met ("the network", "the same ministry"). */
const GENERIC =
  /^(?:the\s+|this\s+|that\s+|its\s+)?(?:same\s+|said\s+)?((?:rights\s+|human rights\s+|field\s+|news\s+|monitoring\s+)?(?:network|group|ministry|agency|organi[sz]ation|monitor|observatory|centre|center|committee|council|site|outlet|newspaper|daily|channel|broadcaster|body|watchdog|ngo|mission|office|department|movement|union|coalition|campaign|association|platform|party|syndicate))$/i;

/** "the Nightwatch field network", "a youth network", "the rights group Justice Ledger". */
const DESCRIBED =
  /\b(?:the|a|an)\s+((?:[A-Z][\p{L}'’-]+\s+|[a-z-]+\s+){0,3}(network|group|ministry|agency|organi[sz]ation|observatory|monitor|centre|center|committee|council|mission)(?:\s+[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)*)?)/gu;

interface Word {
  text: string;
  start: number;
  end: number;
}

const WORD_RE = /[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[,;:()"“”—–]/gu;

function words(text: string, start: number, end: number): Word[] {
  const out: Word[] = [];
  const part = text.slice(start, end);
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(part); m !== null; m = WORD_RE.exec(part)) {
    let w = m[0];
    // A word ending a sentence carries its stop: "Rasht." is "Rasht".
    while (w.length > 1 && w.endsWith(".") && !/^(?:[A-Z]\.)+$/.test(w)) w = w.slice(0, -1);
    out.push({ text: w, start: start + m.index, end: start + m.index + w.length });
  }
  return out;
}

/** Verbs met while reading a subject leftwards: the subject ends there ("Amnesty International said it ..."). */
const VERB_WORD = new RegExp(
  `^(?:${VERB}|were|was|is|are|been|being|did|do|does|say|bringing|brought|which|who|that)$`,
  "i",
);

/**
 * The noun phrase that ends at `end` (exclusive), read leftwards: skips one parenthetical set off by commas
 * ("X, speaking on condition of anonymity, said") or a relative clause ("a lawyers' association that represents
 * the detainees said"), and stops at a clause word, a verb or punctuation.
 */
function subjectBefore(
  text: string,
  from: number,
  end: number,
): { start: number; end: number; aside: string } | null {
  const ws = words(text, from, end);
  let i = ws.length - 1;
  let aside = "";
  // Skip auxiliaries and adverbs directly before the verb.
  while (i >= 0 && AUXILIARY.test(ws[i]?.text ?? "")) i--;
  // "The junta, which says ...": the relative pronoun stands for the noun phrase before its comma.
  if (i >= 1 && /^(?:which|who)$/i.test(ws[i]?.text ?? "") && ws[i - 1]?.text === ",") i -= 2;
  // "the Assistance Association for Political Prisoners (AAPP) said": the acronym in brackets is set aside.
  if (i >= 2 && ws[i]?.text === ")" && ws[i - 2]?.text === "(" && /^[A-Z]{2,10}$/.test(ws[i - 1]?.text ?? ""))
    i -= 3;
  // A pronoun right before the verb is the whole subject.
  if (i >= 0 && PRONOUN.test(ws[i]?.text ?? "")) {
    const w = ws[i] as Word;
    return { start: w.start, end: w.end, aside };
  }
  // A parenthetical between subject and verb: ", an independent monitoring group," / ", which documents ...,".
  if (ws[i]?.text === ",") {
    let k = i - 1;
    // The aside opens at a comma followed by a relative or appositive word; commas inside it (a list) are skipped.
    let open = -1;
    for (let j = i - 1; j >= 0 && i - j <= 24; j--) {
      if (ws[j]?.text === ";" || ws[j]?.text === "(") break;
      if (
        ws[j]?.text === "," &&
        /^(?:which|who|whose|an?|the|one|speaking|citing|based|itself|whom|its|their|himself|herself)$/i.test(
          ws[j + 1]?.text ?? "",
        )
      ) {
        open = j;
        break;
      }
    }
    if (open >= 0) k = open;
    else while (k >= 0 && ws[k]?.text !== "," && ws[k]?.text !== "(" && ws[k]?.text !== ";") k--;
    if (k >= 0 && ws[k]?.text === "," && i - k <= 24) {
      aside = text.slice((ws[k + 1] as Word).start, (ws[i - 1] as Word).end);
      i = k - 1;
    } else return null;
  } else {
    // A relative clause: "a women's platform that organised the event said".
    for (let k = i - 1; k >= 0 && i - k <= 8; k--) {
      const t = ws[k]?.text ?? "";
      if (/^[,;:()"“”—–]$/.test(t)) break;
      if (
        /^(?:that|which|who)$/i.test(t) &&
        k > 0 &&
        !/^(?:said|says|say|told|reported|announced)$/i.test(ws[k - 1]?.text ?? "")
      ) {
        aside = text.slice((ws[k + 1] as Word).start, (ws[i] as Word).end);
        i = k - 1;
        break;
      }
    }
  }
  const last = i;
  let first = i + 1;
  let n = 0;
  while (i >= 0 && n < 9) {
    const w = ws[i] as Word;
    if (/^[,;:()"“”—–]$/.test(w.text)) break;
    if (VERB_WORD.test(w.text) && !(i === last && /^(?:reports|records|documents)$/i.test(w.text))) break;
    if (NP_STOP.test(w.text)) {
      // Prepositions inside a noun phrase ("Doctors at the city's hospital", "officials in Rasht") are kept
      // when a noun phrase continues to their left.
      const prev = ws[i - 1]?.text ?? "";
      if (/^(?:at|in|of|for|from|on)$/i.test(w.text) && i > 0 && !/^[,;:()"“”—–]$/.test(prev)) {
        if (
          !NP_STOP.test(prev) &&
          !VERB_WORD.test(prev) &&
          !/^(?:killed|detained|arrested|executed)$/i.test(prev)
        ) {
          first = i;
          i--;
          n++;
          continue;
        }
      }
      // "Survivors and families": two nouns joined.
      if (
        /^and$/i.test(w.text) &&
        i > 0 &&
        /^(?:[A-Z]|\p{L}+s$)/u.test(prev) &&
        !VERB_WORD.test(prev) &&
        !NP_STOP.test(prev)
      ) {
        first = i;
        i--;
        n++;
        continue;
      }
      break;
    }
    first = i;
    i--;
    n++;
  }
  if (first > last) return null;
  // Prepositional tails at the left edge are not part of the subject: "In Herat, ..." was cut at the comma.
  while (first <= last && /^(?:at|in|of|for|from|on|and)$/i.test(ws[first]?.text ?? "")) first++;
  if (first > last) return null;
  return { start: (ws[first] as Word).start, end: (ws[last] as Word).end, aside };
}

const AUXILIARY =
  /^(?:has|have|had|also|later|earlier|previously|since|separately|now|then|further|officially|publicly|would|will|could|may|might|did|does|do|not|never|still|already|first|repeatedly|today|yesterday)$/i;

/**
 * The noun phrase that starts at `start`, read rightwards (after "according to", "by", an inverted verb). With
 * `whole`, the phrase must end its clause: an inverted "..., said the ministry." names a source, but
 * "said three detainees had died" does not.
 */
function phraseAfter(
  text: string,
  start: number,
  limit: number,
  whole = false,
): { start: number; end: number; aside: string } | null {
  const ws = words(text, start, limit);
  let last = -1;
  let n = 0;
  let i = 0;
  for (; i < ws.length && n < 12; i++, n++) {
    const w = ws[i] as Word;
    if (w.text === "(") {
      // A parenthetical qualifier of a place: "a teacher from Gosht (Saravan)".
      const close = ws.findIndex((x, k) => k > i && x.text === ")");
      if (close > i && close - i <= 4) {
        last = close;
        i = close;
        continue;
      }
      break;
    }
    if (/^[,;:()"“”—–]$/.test(w.text)) break;
    if (PHRASE_STOP.test(w.text)) break;
    if (/^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/.test(w.text)) break;
    if (/^(?:in|at|of|for|from)$/i.test(w.text) && i === 0) break;
    if (whole && /^(?:were|was|is|are|had|has|have|been|did|would|will)$/i.test(w.text)) return null;
    last = i;
  }
  if (last < 0) return null;
  if (
    whole &&
    i < ws.length &&
    !/^[,;:.)"”—–]$/.test(ws[i]?.text ?? "") &&
    !/^(?:who|which|on|in|at|as)$/i.test(ws[i]?.text ?? "")
  )
    return null;
  // Drop a trailing preposition with nothing after it.
  while (last >= 0 && /^(?:in|at|of|for|from|and|the|a|an)$/i.test(ws[last]?.text ?? "")) last--;
  if (last < 0) return null;
  let aside = "";
  const after = ws[last + 1];
  if (after && after.text === ",") {
    // ", a spokesman for the network who lives outside the country": an appositive tells who speaks.
    const rest = ws.slice(last + 2, last + 14);
    const stop = rest.findIndex((w) => /^[,;:()"“”—–]$/.test(w.text));
    const piece = stop < 0 ? rest : rest.slice(0, stop);
    if (piece.length > 0) aside = text.slice((piece[0] as Word).start, (piece[piece.length - 1] as Word).end);
  }
  return { start: (ws[0] as Word).start, end: (ws[last] as Word).end, aside };
}

const PHRASE_STOP =
  /^(?:released|published|compiled|tallied|collected|gathered|issued|who|which|that|as|on|said|says|say|reported|told|citing|when|while|after|before|since|last|yesterday|today|to|with|put|puts|estimated|estimates|confirmed|announced|show|shows|showed|indicate|indicates|were|was|is|are|have|has|had|based|drawn|using|covering|including)$/i;

/** The noun phrase that opens a sentence, up to its verb: "The opposition party disputed ..." */
function sentenceSubject(
  text: string,
  start: number,
  end: number,
): { start: number; end: number; aside: string } | null {
  const ws = words(text, start, end);
  let last = -1;
  for (let i = 0; i < ws.length && i < 8; i++) {
    const t = ws[i]?.text ?? "";
    if (/^[,;:()"“”—–]$/.test(t)) return null;
    if (
      VERB_WORD.test(t) ||
      /^(?:has|have|had|disputed|denied|rejected|blamed|dismissed|accused|insisted)$/i.test(t) ||
      (i > 0 && /^[a-z]+ed$/.test(t))
    )
      break;
    last = i;
  }
  if (last < 0) return null;
  return { start: (ws[0] as Word).start, end: (ws[last] as Word).end, aside: "" };
}

/** Finds the attributions of one sentence. `known` is the article's list of named sources so far (updated). */
export function findAttributions(
  text: string,
  start: number,
  end: number,
  known: KnownSources,
): Attribution[] {
  const s = text.slice(start, end);
  const out: Attribution[] = [];
  const add = (
    np: { start: number; end: number; aside: string },
    verbAt: number,
    leading: boolean,
    chant = false,
  ): void => {
    let raw = text.slice(np.start, np.end);
    // "The government has not given a figure since November, when it said ...": "it" is the sentence's subject.
    if (/^(?:it|they)$/i.test(raw) && np.start > start) {
      const subj = sentenceSubject(text, start, np.start);
      const subjText = subj ? text.slice(subj.start, subj.end) : "";
      if (
        /^(?:the\s+)?(?:[\w'-]+\s+){0,3}(?:government|ministry|police|authorities|group|network|monitor|council|agency|army|judiciary|organi[sz]ation|committee|union|association|party)$/i.test(
          subjText,
        )
      )
        raw = subjText;
    }
    const named = nameOf(raw, np.aside, known);
    if (named === null) return;
    if (out.some((a) => a.start === np.start && a.end === np.end)) return;
    out.push({ start: np.start, end: np.end, verbAt, name: named.name, kind: named.kind, leading, chant });
    // Noted at once, so that "it" later in the same sentence points back to this source.
    if (!chant) known.note(named.name, named.kind, raw);
  };

  ACCORDING.lastIndex = 0;
  for (let m = ACCORDING.exec(s); m !== null; m = ACCORDING.exec(s)) {
    const at = start + m.index + m[0].length;
    let np = phraseAfter(text, at, end);
    if (np) {
      const inner =
        /^(?:(?:reports?|figures?|data|statistics|counts?|tallies|information|records?|documents?|lists?|a count|a tally|a list)\s+(?:tallied|compiled|gathered|collected|released|published|issued|provided|verified|kept)\s+by\s+)/i.exec(
          text.slice(at, end),
        );
      if (inner) np = phraseAfter(text, at + inner[0].length, end) ?? np;
      if (np) {
        // "according to a local news outlet and a prisoners' rights group": the last named is the closest.
        const both = /\s+and\s+(?=(?:a|an|the)\s)/i.exec(text.slice(np.start, np.end));
        if (both) np = { ...np, start: np.start + both.index + both[0].length };
        add(np, start + m.index, false);
      }
    }
  }
  AGENT.lastIndex = 0;
  for (let m = AGENT.exec(s); m !== null; m = AGENT.exec(s)) {
    const np = phraseAfter(text, start + m.index + m[0].length, end);
    if (np) add(np, start + m.index, false);
  }
  SUBJECT_VERB.lastIndex = 0;
  for (let m = SUBJECT_VERB.exec(s); m !== null; m = SUBJECT_VERB.exec(s)) {
    const verb = m[0].toLowerCase();
    const rest = s.slice(m.index + m[0].length);
    if (
      (verb === "put" || verb === "puts" || verb === "gave" || verb === "gives") &&
      !/^\s+(?:the|its|their|his|her)\s+(?:[\w-]+\s+){0,3}?(?:number|toll|figure|crowd|count|total|tally|death toll|turnout)\b/i.test(
        rest,
      )
    )
      continue;
    // "reports" is a noun as often as a verb: "which gathers reports from hospitals".
    // "The unrest has claimed 300 lives", "claimed responsibility": no statement of a figure.
    if (
      /^claim(?:ed|s)?$/.test(verb) &&
      /^\s+(?:the\s+)?(?:lives|[\d,]+\s+(?:\w+\s+)?lives|\w+\s+lives|responsibility)\b/i.test(rest)
    )
      continue;
    // Words that are nouns as often as verbs count only before what they report: "Amnesty estimates that".
    if (
      /^(?:reports|estimates|show|shows|showed|indicates?|indicated)$/.test(verb) &&
      !/^\s+(?:that|\d|more|at least|about|nearly|over|on|a|an|some)\b/i.test(rest) &&
      // "..., Reuters tally shows": the verb closing a headline or a clause.
      !/^\s*(?:[.,;:]|$)/.test(rest)
    )
      continue;
    // "X said" with X before the verb; an inverted "..., said X" is read below.
    const before = s.slice(0, m.index);
    if (/[,"”’]\s*$/.test(before) && !/\)\s*$/.test(before)) {
      // Could be inverted ("..., said the ministry") or a subject with an aside; try the aside form first.
      const subj = subjectBefore(text, start, start + m.index);
      if (subj && /,\s*$/.test(before) && subj.aside) {
        add(subj, start + m.index, true);
        continue;
      }
      continue;
    }
    const subj = subjectBefore(text, start, start + m.index);
    if (!subj) continue;
    add(
      subj,
      start + m.index,
      /^\s*(?:that\b|on\b|in\b|to\b|at\b|\w+\s+that\b)|^\s*\S/.test(rest) && !/^\s*[.]/.test(rest),
    );
  }
  INVERTED.lastIndex = 0;
  for (let m = INVERTED.exec(s); m !== null; m = INVERTED.exec(s)) {
    const verbStart = m.index + m[0].indexOf(m[1] ?? "");
    const np = phraseAfter(text, start + m.index + m[0].length, end, true);
    if (np) add(np, start + verbStart, false);
  }
  // "The opposition party disputed the official toll, saying that ...": the sentence's subject speaks.
  const participle = /,\s*(?:saying|adding|claiming|insisting|noting|stating|estimating|reporting)\b/i.exec(
    s,
  );
  if (participle) {
    const subj = sentenceSubject(text, start, start + participle.index);
    if (subj) add(subj, start + participle.index, true);
  }
  CHANT.lastIndex = 0;
  for (let m = CHANT.exec(s); m !== null; m = CHANT.exec(s)) {
    const left = s.slice(0, m.index);
    const crowd =
      /\b((?:the\s+)?(?:\w+\s+)?(?:mourners|protesters|demonstrators|crowds?|students|workers|marchers|pensioners|women|people|fans|residents|strikers|mothers|families|youths|worshippers|prisoners|inmates|relatives|retirees|teachers|supporters))\b(?![\s\S]*\b(?:mourners|protesters|demonstrators|crowds?|students|workers|marchers|pensioners|women|people|fans|residents|strikers|mothers|families|youths|worshippers|prisoners|inmates|relatives|retirees|teachers|supporters)\b)/i.exec(
        left,
      );
    if (crowd) {
      const word = /(\S+)$/.exec(crowd[1] ?? "");
      const w = word?.[1] ?? "";
      const at = start + (crowd.index ?? 0) + (crowd[0].length - w.length);
      out.push({
        start: at,
        end: at + w.length,
        verbAt: start + m.index,
        name: w,
        kind: "group",
        leading: true,
        chant: true,
      });
    }
  }
  return out.sort((a, b) => a.verbAt - b.verbAt);
}

/** Named sources met so far in the article, for resolving "the network", "the same ministry", "It". */
export class KnownSources {
  private readonly names: Array<{ name: string; kind: SourceKind; description?: string }> = [];
  last: { name: string; kind: SourceKind } | null = null;
  /** Whose report "the report" is, once the article said "its weekly report". */
  reportOwner: { name: string; kind: SourceKind } | null = null;

  /** `description` is the phrase as written, when it says more than the printed name (its head noun). */
  note(name: string, kind: SourceKind, description?: string): void {
    this.names.push(description ? { name, kind, description } : { name, kind });
    this.last = { name, kind };
  }

  private readonly described: Array<{ name: string; kind: SourceKind; head: string }> = [];

  /** The latest named source whose name or description shares the head noun. */
  byHead(head: string): { name: string; kind: SourceKind } | null {
    const phrase = head
      .toLowerCase()
      .replace(/^(?:(?:the|this|that|its|same|said)\s+)+/, "")
      .trim();
    const h = (phrase.split(/\s+/).pop() ?? phrase).replace(/[^a-z]/g, "");
    if (h === "") return null;
    const re = new RegExp(`\\b${h}\\b`, "i");
    for (let i = this.names.length - 1; i >= 0; i--) {
      const n = this.names[i];
      // A name that says more than the phrase being resolved ("rights monitor" for "the monitor").
      const name = n?.name.toLowerCase() ?? "";
      if (n && name !== phrase && name !== h && re.test(n.description ?? n.name)) return n;
    }
    const d = this.described.find((x) => x.head === h);
    return d ? { name: d.name, kind: d.kind } : null;
  }

  /**
   * Registers the organisations the article describes anywhere ("members of a youth network", "the Nightwatch
   * field network"), so that "the network" in a headline resolves to a name given only further down.
   */
  describeAll(text: string): void {
    DESCRIBED.lastIndex = 0;
    for (let m = DESCRIBED.exec(text); m !== null; m = DESCRIBED.exec(text)) {
      const phrase = m[1] ?? "";
      const head = (m[2] ?? "").toLowerCase();
      if (/^(?:(?:the|this|that|its|same|said)\s+)*\S+$/i.test(phrase)) continue;
      if (this.described.some((d) => d.head === head)) continue;
      this.described.push({ name: displayName(phrase), kind: kindOf(phrase), head });
    }
  }
}

function nameOf(raw: string, aside: string, known: KnownSources): { name: string; kind: SourceKind } | null {
  let np = raw
    .replace(/\s+/g, " ")
    // "Iran's health ministry on Monday reported": the day is the statement's, not part of the name.
    .replace(
      /\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?|yesterday|today|last week|this week)\b.*$/,
      "",
    )
    .trim()
    .replace(/^(?:also|that|and|but|while)\s+/i, "")
    .replace(/[,.;:]+$/, "");
  if (np.length === 0 || np.length > 90) return null;
  if (/\d/.test(np)) return null;
  // Possessive: "The network's province-by-province breakdown", "the group's annual report".
  const poss =
    /^(.*?)['’]s?\s+(?:[\w-]+\s+){0,3}?(?:breakdown|report|reports|figures?|count|tally|data|statistics|correspondents|statement|estimate|spokes(?:man|woman|person)|list|records?|own count|annual report|survey|investigation)\b/i.exec(
      np,
    );
  if (poss?.[1]) np = poss[1];
  if (PRONOUN.test(np)) return known.last;
  // "its weekly report", "according to its records": the source met last.
  if (
    /^(?:its|their|his|her)\s+(?:[\w-]+\s+){0,2}?(?:report|reports|records|count|tally|figures|data|statement|list|lists)$/i.test(
      np,
    )
  ) {
    known.reportOwner = known.last;
    return known.last;
  }
  // "The inquiry's organisers, a coalition of survivors' associations, say": the appositive names the body.
  if (
    /^(?:a|an)\s+.*\b(?:coalition|group|network|organi[sz]ation|association|union|committee|council|ngo|agency|alliance|federation)\b/i.test(
      aside,
    ) &&
    !/^(?:the\s+)?[A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)*$/u.test(np)
  )
    return { name: displayName(aside), kind: kindOf(aside) };
  // "Ali Tabrizi, a spokesman for the network": the organisation speaks.
  const spokesAside =
    /^(?:an?\s+|the\s+)?spokes(?:man|woman|person)\s+(?:for|of)\s+(.+?)(?:\s+(?:who|which|that)\b.*)?$/i.exec(
      aside,
    );
  if (spokesAside?.[1]) {
    const org = nameOf(spokesAside[1], "", known);
    if (org) return org;
  }
  const generic = GENERIC.exec(np);
  if (generic) {
    const hit = known.byHead(np);
    if (hit) return hit;
    // "its network", "their group": the body named last.
    if (/^(?:its|their)\s/i.test(np) && known.last) return known.last;
  }
  // "the report said", "according to the statement": the document of the source met last.
  if (
    /^(?:the|this|that)\s+(?:(?:weekly|annual|monthly|latest|new)\s+)?(?:report|statement|count|tally|figures|data|survey|bulletin|list)$/i.test(
      np,
    ) &&
    known.last
  )
    return known.reportOwner ?? known.last;
  // "a Reuters tally", "an Amnesty report": the named body's.
  const named =
    /^(?:(?:a|an|the)\s+)?([A-Z][\p{L}'’.-]*(?:\s+[A-Z][\p{L}'’.-]*)*)\s+(?:tally|count|figures|data|report|estimate|statement|investigation|survey)$/u.exec(
      np,
    );
  if (named?.[1]) return { name: named[1], kind: kindOf(named[1]) };
  // "a tally by the Oslo-based group Iran Human Rights", "figures from the health ministry": whose they are.
  const owner =
    /^(?:(?:a|an|the|its|their|official|latest|new|own)\s+)*(?:tally|count|report|reports|figures?|data|statistics|estimates?|list|lists|records?|survey|census|statement|bulletin|communiqu[eé]|announcement|press release)\s+(?:(?:compiled|released|published|issued|gathered|kept|provided)\s+)?(?:by|from|of)\s+(.+)$/i.exec(
      np,
    );
  if (owner?.[1] && !/^\d/.test(owner[1])) {
    const org = nameOf(owner[1], "", known);
    if (org) return org;
  }
  // "local correspondents of the Nightwatch network": the network speaks through them.
  const members =
    /^(?:(?:local|its|their)\s+)?(?:correspondents|reporters|members|volunteers|activists|sources|monitors)\s+(?:of|from|for|with)\s+((?:the|a)\s+.*\b(?:network|group|organi[sz]ation|movement|campaign))$/i.exec(
      np,
    );
  if (members?.[1]) {
    const org = nameOf(members[1], "", known);
    if (org) return org;
  }
  // "a spokesman for the network": the organisation speaks.
  const spokes = /^(?:an?\s+|the\s+)?spokes(?:man|woman|person)\s+(?:for|of)\s+(.+)$/i.exec(np);
  if (spokes?.[1]) {
    const org = nameOf(spokes[1], "", known);
    if (org) return org;
  }
  if (/^(?:spokes(?:man|woman|person)|official|source)$/i.test(np)) return null;
  // Events are no speakers: "The new hangings raised the number ...", "The clashes left ...".
  if (
    /\b(?:hangings|executions|deaths|killings|arrests|detentions|attacks|clashes|protests|raids|shootings|bombings|unrest|violence|crackdown|strikes?)$/i.test(
      np,
    )
  )
    return null;
  // A bare document noun names nobody ("Figures compiled by HRANA show ..." is HRANA's).
  if (
    /^(?:the\s+)?(?:figures?|reports?|data|statistics|records?|lists?|estimates?|tallies|counts?)$/i.test(np)
  )
    return null;
  if (!/[A-Za-z]/.test(np) || /^(?:the|a|an|it|this|that|there|what|which)$/i.test(np)) return null;
  const kind = kindOf(np, aside);
  return { name: displayName(np), kind };
}
