/**
 * Places: every capitalised name that the gazetteer resolves, read with its neighbours.
 *
 * Candidates are runs of capitalised words ("Razavi Khorasan", "Shahr-e Kord", "Sistan and Baluchestan") with a
 * parenthetical qualifier kept when one follows ("Sarbandar (Mahshahr)"). A run that does not resolve as a whole
 * is split at "and". Runs that name an organisation or a facility ("Tehran University", "Ghezel Hesar prison"),
 * a person (after a title, or a first name before a surname) or a demonym are dropped. Each distinct mention is
 * resolved once, with the article's country and the other names of the same list as context.
 */
import type { PlaceMatch } from "../core/place.js";
import { countryCode } from "./countries.js";
import {
  DEMONYM,
  FACILITY_AFTER,
  NOT_PLACE_WORDS,
  ORG_WORD,
  PERSON_TITLE_BEFORE,
  PLACE_QUALIFIER_AFTER,
} from "./lexicon.js";
import type { Sentence } from "./sentences.js";
import type { PlaceResolver } from "./types.js";

export interface PlaceHit {
  /** View offsets of the mention as written. */
  start: number;
  end: number;
  mention: string;
  match: PlaceMatch | null;
}

const CAP = String.raw`[A-Z\u00C0-\u00DE][\p{L}'’]*(?:-[\p{L}'’]+)*`;
/** Capitalised words joined by spaces, "and", "of", "-e" (Persian ezafe) and hyphens. */
const RUN = new RegExp(
  String.raw`${CAP}(?:\s+(?:and|of|al|el|e|ol|-e)\s+${CAP}|\s+${CAP})*(?:\s*\(${CAP}(?:\s+${CAP})*\))?`,
  "gu",
);

/** Endings of English words, not of the names of places in this genre ("Organisers", "Funerals", "Nightly"). */
const ENGLISH_SUFFIX = /(?:ers|ings?|ions|als|ives|ness|ments?|ly|ed|ies|ists|ors)$/;

/** A direction alone is no place, though it begins many ("West Azerbaijan"). */
const DIRECTION =
  /^(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Upper|Lower|Greater|Old|New)$/;

/** What follows the city of a dateline: ", Month D, YYYY—". */
const DATELINE_AFTER = /^,\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4})\s*[—–-]/;

const LIST_SEPARATOR = /^\s*(?:,|,?\s+and|,?\s+or)\s*$/;

/** A word usually a given name, before a surname that may look like a city ("Hamid Kermani"). */
const PERSONISH_NEXT = /^\s+[A-Z][a-z]+(?:i|ian|zadeh|pour|nejad|far|vand|loo|lou|ani|ari)\b/;

interface Candidate {
  start: number;
  end: number;
  mention: string;
  /** The mention must resolve strongly: it starts a sentence or sits in a title-case headline. */
  initial: boolean;
  levelHint: "province" | "county" | "city" | null;
  /** Index of the comma-separated list this candidate belongs to (or -1). */
  list: number;
  /** The city of a dateline ("Beirut, August 30, 2023—"). */
  dateline: boolean;
  /** Followed by a facility noun ("Mahabad prison", "Ghezel Hesar prison"): a place only if it is a town. */
  facility: boolean;
}

export function findPlaces(
  text: string,
  sentences: readonly Sentence[],
  resolver: PlaceResolver | undefined,
  country: string | undefined,
): PlaceHit[] {
  const candidates: Candidate[] = [];
  let listId = 0;
  for (const s of sentences) {
    const part = text.slice(s.start, s.end);
    const titleCase = isTitleCase(part);
    RUN.lastIndex = 0;
    let prevEnd = -1;
    let prevList = -1;
    for (let m = RUN.exec(part); m !== null; m = RUN.exec(part)) {
      const at = s.start + m.index;
      const raw = m[0];
      for (const c of splitRun(raw, at)) {
        const before = text.slice(Math.max(s.start, c.start - 40), c.start);
        const after = text.slice(c.end, Math.min(s.end, c.end + 40));
        const initial = titleCase || c.start === s.start || /^["“'(‘]\s*$/.test(text.slice(s.start, c.start));
        if (rejected(c.mention, before, after)) {
          prevEnd = -1;
          continue;
        }
        const facility = FACILITY_AFTER.test(after);
        const between = prevEnd >= 0 ? text.slice(prevEnd, c.start) : "";
        let list = -1;
        if (prevEnd >= 0 && LIST_SEPARATOR.test(between)) list = prevList >= 0 ? prevList : listId++;
        if (list >= 0 && prevList < 0) {
          // The previous candidate opens the list.
          const prev = candidates[candidates.length - 1];
          if (prev) prev.list = list;
        }
        const hint = PLACE_QUALIFIER_AFTER.exec(after);
        candidates.push({
          start: c.start,
          end: c.end,
          mention: c.mention,
          initial,
          levelHint: hint ? levelOf(hint[1] ?? "") : null,
          list,
          facility,
          dateline: DATELINE_AFTER.test(after),
        });
        prevEnd = c.end;
        prevList = list;
      }
    }
  }
  if (candidates.length === 0) return [];

  const lowerWords = new Set(text.match(/\b[a-z][a-z'-]+\b/g) ?? []);
  // Mentions seen away from a sentence start count as names even where they open a sentence.
  const seenInside = new Set(candidates.filter((c) => !c.initial).map((c) => c.mention));
  const lists = new Map<number, string[]>();
  for (const c of candidates) if (c.list >= 0) lists.set(c.list, [...(lists.get(c.list) ?? []), c.mention]);

  // Each distinct mention is resolved once, with every list it appears in as its context.
  const contexts = new Map<string, Set<string>>();
  for (const c of candidates) {
    if (c.list < 0) continue;
    const set = contexts.get(c.mention) ?? new Set<string>();
    for (const other of lists.get(c.list) ?? []) if (other !== c.mention && set.size < 12) set.add(other);
    contexts.set(c.mention, set);
  }
  const cache = new Map<string, PlaceMatch | null>();
  const resolved = candidates.map((c) => {
    // A capitalised word that the text also uses in lower case ("According", "Organisers") is a word.
    if (
      c.initial &&
      !seenInside.has(c.mention) &&
      !c.mention.includes(" ") &&
      (lowerWords.has(c.mention.toLowerCase()) || ENGLISH_SUFFIX.test(c.mention))
    )
      return null;
    const key = `${c.mention}\u0000${c.levelHint ?? ""}`;
    let match = cache.get(key);
    if (match === undefined) {
      const context = [...(contexts.get(c.mention) ?? [])];
      match = resolver ? resolve(resolver, c, context, country) : countryOnly(c.mention);
      cache.set(key, match);
    }
    return match;
  });
  // A name of two or more words that is no place is a person's ("Ahmad Kermani"); the surname alone later in
  // the text ("Kermani had been convicted") is the same person.
  const surnames = new Set<string>();
  candidates.forEach((c, i) => {
    const words = c.mention.split(/\s+/);
    if (resolved[i] === null && words.length >= 2 && !/\(|\band\b|\bof\b/.test(c.mention))
      surnames.add(words[words.length - 1] ?? "");
  });
  const listCountries = new Map<number, Set<string>>();
  candidates.forEach((c, i) => {
    const m = resolved[i];
    if (c.list >= 0 && m) listCountries.set(c.list, (listCountries.get(c.list) ?? new Set()).add(m.country));
  });

  const out: PlaceHit[] = [];
  candidates.forEach((c, i) => {
    const match = resolved[i] ?? null;
    if (surnames.has(c.mention)) return;
    if (resolver) {
      if (match === null) return;
      if (c.initial && !seenInside.has(c.mention) && !strong(match, c.list >= 0)) return;
      if (
        c.facility &&
        !(match.level === "province" || ((match.population ?? 0) >= 20_000 && match.precision === "exact"))
      )
        return;
      if (country && match.country !== country && match.level !== "country") {
        // A place abroad needs more than a capitalised word: an exact, sizeable town, or a list of its country.
        const listed =
          c.list >= 0 &&
          (listCountries.get(c.list)?.has(match.country) ?? false) &&
          (listCountries.get(c.list)?.size ?? 0) === 1;
        const sizeable =
          match.precision === "exact" && match.score >= 0.95 && (match.population ?? 0) >= 100_000;
        if ((c.initial && !c.dateline) || !(listed || sizeable)) return;
      }
    } else if (match === null && c.initial && !seenInside.has(c.mention)) return;
    out.push({ start: c.start, end: c.end, mention: c.mention, match });
  });
  return out;
}

/** Without a gazetteer, countries are still known by name. */
function countryOnly(mention: string): PlaceMatch | null {
  const code = countryCode(mention);
  return code === null ? null : countryMatch(mention, code);
}

function countryMatch(mention: string, code: string): PlaceMatch {
  return {
    id: `country:${code}`,
    name: mention,
    level: "country",
    province: null,
    country: code,
    lat: Number.NaN,
    lon: Number.NaN,
    population: null,
    precision: "exact",
    score: 1,
  };
}

function resolve(
  resolver: PlaceResolver,
  c: Candidate,
  context: readonly string[],
  country: string | undefined,
): PlaceMatch | null {
  const code = countryCode(c.mention);
  if (code !== null) {
    // A country is named as a country: the gazetteer's fuzzy matching could otherwise read "Iraq" as Arak.
    const r = resolver.resolve(c.mention, { country: code });
    const hit = r.candidates.find((m) => m.level === "country" && m.country === code);
    return hit ?? countryMatch(c.mention, code);
  }
  const options = country ? { country, context } : { context };
  let r = resolver.resolve(c.mention, options);
  if (context.length > 0 && r.match && (r.match.population ?? 0) < 10_000) {
    // The list pulled the mention toward a village near its neighbours; a large town of that exact name is
    // the likelier reading ("Tehran, Tabriz, Rasht and Shiraz").
    const alone = resolver.resolve(c.mention, country ? { country } : {});
    if (alone.match && alone.match.precision === "exact" && (alone.match.population ?? 0) >= 100_000)
      r = alone;
  }
  // A mention of another country (an Iraqi city in an Iranian article) is still a place: retry worldwide.
  if (r.match === null && country) r = resolver.resolve(c.mention, { context });
  if (r.match === null) return null;
  if (c.levelHint !== null) {
    const same = r.candidates.find((m) => m.level === c.levelHint);
    if (same) return same;
  }
  // "Minsk" names the city more often than the region around it, when both carry the name.
  if (r.match.level === "province") {
    const city = r.candidates.find(
      (m) => m.level === "city" && m.name === r.match?.name && m.country === r.match.country,
    );
    if (city) return city;
  }
  return r.match;
}

/** Enough to accept a capitalised word that could be an ordinary word opening a sentence. */
function strong(m: PlaceMatch, inList: boolean): boolean {
  if (inList) return true;
  if (m.level === "country" || m.level === "province") return true;
  return m.precision === "exact" && (m.population ?? 0) >= 100_000;
}

function levelOf(word: string): Candidate["levelHint"] {
  const w = word.toLowerCase();
  if (w === "province" || w === "governorate" || w === "region" || w === "state") return "province";
  if (w === "county" || w === "district") return "county";
  return "city";
}

function isTitleCase(s: string): boolean {
  const ws = s.split(/\s+/).filter((w) => /^[A-Za-z]/.test(w) && w.length > 3);
  if (ws.length < 3) return false;
  const caps = ws.filter((w) => /^[A-Z]/.test(w)).length;
  return caps / ws.length >= 0.7;
}

/** Splits a run at its joining words when its parts are separate names ("Shiraz and Behbahan"). */
function splitRun(raw: string, at: number): Array<{ start: number; end: number; mention: string }> {
  // "Tehran's Evin prison": a possessive ends one name and the next begins.
  const poss = /['’]s\s+(?=[A-Z])/.exec(raw);
  if (poss) {
    const cut = poss.index + poss[0].length;
    return [...splitRun(raw.slice(0, poss.index + 2), at), ...splitRun(raw.slice(cut), at + cut)];
  }
  const whole = trimRun(raw, at);
  if (whole === null) return [];
  const out: Array<{ start: number; end: number; mention: string }> = [];
  // Province names with "and" stay whole; other "X and Y" are two names.
  if (
    /\sand\s/.test(whole.mention) &&
    !/^(?:Sistan and Baluchestan|Kohgiluyeh and Boyer-Ahmad|Chaharmahal and Bakhtiari|Trinidad and Tobago|Bosnia and Herzegovina|Antigua and Barbuda)/i.test(
      whole.mention,
    )
  ) {
    let offset = 0;
    for (const piece of whole.mention.split(/(\s+and\s+)/)) {
      if (/^\s+and\s+$/.test(piece)) {
        offset += piece.length;
        continue;
      }
      const sub = trimRun(piece, whole.start + offset);
      if (sub) out.push(sub);
      offset += piece.length;
    }
    return out;
  }
  // A run of words that are all non-place words plus a name ("Protests in Tehran" is not a run, but
  // "Friday Tehran" can be): drop leading words that are never places.
  return [whole];
}

function trimRun(raw: string, at: number): { start: number; end: number; mention: string } | null {
  let start = 0;
  let end = raw.length;
  let s = raw;
  // Leading words that are never places ("The", "On", "Friday").
  for (;;) {
    const m = /^([\p{L}'’-]+)\s+/u.exec(s);
    if (!m || !NOT_PLACE_WORDS.has((m[1] ?? "").toLowerCase())) break;
    start += m[0].length;
    s = s.slice(m[0].length);
  }
  // Possessive: "Tehran's" is "Tehran".
  const poss = /['’]s?$/.exec(s);
  if (poss && !s.includes("(")) {
    end -= poss[0].length;
    s = s.slice(0, s.length - poss[0].length);
  }
  // "Sagaing Region", "Kachin State": the generic word is not part of the mention (it still hints the level).
  const generic = /\s+(?:Region|Province|State|Governorate|Oblast|District|County)$/.exec(s);
  if (generic && !s.includes("(")) {
    end -= generic[0].length;
    s = s.slice(0, s.length - generic[0].length);
  }
  if (s.length < 2) return null;
  if (NOT_PLACE_WORDS.has(s.toLowerCase()) || DIRECTION.test(s)) return null;
  // "Forty-one": a number written out.
  if (
    /^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)(?:-[a-z]+)?$/i.test(
      s,
    )
  )
    return null;
  return { start: at + start, end: at + end, mention: raw.slice(start, end) };
}

function rejected(mention: string, before: string, after: string): boolean {
  const words = mention.replace(/\s*\(.*\)$/, "").split(/\s+/);
  const last = words[words.length - 1] ?? "";
  if (ORG_WORD.test(last) || words.some((w) => ORG_WORD.test(w) && w !== words[0])) return true;
  if (words.length === 1 && DEMONYM.test(mention)) return true;
  // "Tehran Times", "Isfahan University": the next capitalised word is an organisation word.
  if (
    /^\s+(?:[A-Z][a-z]+\s+)?(?:University|Times|News|Agency|Party|Company|Prison|Hospital|Airport|Square|Street|Stadium|Daily|Post|Council|Club|Group|Network|Television|Radio|Monitor|Observatory|International)\b/.test(
      after,
    )
  )
    return true;
  if (PERSON_TITLE_BEFORE.test(before)) return true;
  if (words.length === 1 && PERSONISH_NEXT.test(after) && !/^\s*,/.test(after)) return true;
  // "Mahsa Amini": a run of two words where the second is not a place qualifier reads as a person's name.
  return false;
}
