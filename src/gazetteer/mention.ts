/**
 * Splits a place mention as reporters write it into the name, its parenthetical qualifiers and the level
 * its wording implies: "the city of Izeh (Khuzestan)" → name "Izeh", qualifier "Khuzestan", hint city.
 */

export type LevelHint = "province" | "county" | "city" | null;

export interface Qualifier {
  name: string;
  hint: LevelHint;
  /**
   * From a comma ("Sanandaj, Kurdistan") rather than brackets: a preference only, since a comma may also
   * join two places.
   */
  soft?: boolean;
}

export interface ParsedMention {
  /** The name itself, without noise words. */
  name: string;
  /** The name as written, noise words and all: "Sadr City" and "The Hague" are names too. */
  written: string;
  hint: LevelHint;
  /** Bracketed parts in order, then comma-separated ones: the last is the broadest. */
  qualifiers: Qualifier[];
}

const PROVINCE_WORDS = "province|ostan|ostān|governorate|region|state";
const COUNTY_WORDS = "county|shahrestan|shahrestān|district|bakhsh|township";
const CITY_WORDS = "city|town|village|port|neighbourhood|neighborhood|suburb|shahr";

const LEADING = new RegExp(
  `^(?:(?:in|at|near|from)\\s+)?(?:the\\s+)?(?:(${PROVINCE_WORDS})|(${COUNTY_WORDS})|(${CITY_WORDS}))\\s+of\\s+`,
  "iu",
);
/** Persian-style leading words: "Ostan-e Fars", "Shahrestan-e Izeh". */
const LEADING_EZAFE = /^(?:(ost[aā]n)|(shahrest[aā]n))(?:-e|-ye|\s+e|\s+ye)?\s+/iu;
const TRAILING = new RegExp(`\\s+(?:(${PROVINCE_WORDS})|(${COUNTY_WORDS})|(city|town|village))\\.?$`, "iu");
/** Facilities and features named after their town: "Zahedan prison" is in Zahedan, "Kish Island" is Kish. */
const TRAILING_FEATURE =
  /\s+(?:island|prison|jail|airport|university|square|street|hospital|bazaar|refinery|industrial (?:zone|park)|border crossing)\.?$/iu;
const LEADING_ARTICLE = /^(?:(?:in|at|near|from)\s+)?the\s+/iu;

function hintOf(groups: (string | undefined)[]): LevelHint {
  if (groups[0]) return "province";
  if (groups[1]) return "county";
  if (groups[2]) return "city";
  return null;
}

/** Removes noise words once at each end; a name that is nothing but a noise word is kept. */
export function cleanName(raw: string): { name: string; hint: LevelHint } {
  let name = raw.replace(/\s+/gu, " ").trim();
  name = name.replace(/^[\s,;:.\-–—"'“”‘’]+|[\s,;:.\-–—"'“”‘’]+$/gu, "");
  let hint: LevelHint = null;
  const lead = LEADING.exec(name);
  if (lead && lead[0].length < name.length) {
    hint = hintOf([lead[1], lead[2], lead[3]]);
    name = name.slice(lead[0].length);
  } else {
    const ezafe = LEADING_EZAFE.exec(name);
    if (ezafe && ezafe[0].length < name.length) {
      hint = ezafe[1] ? "province" : "county";
      name = name.slice(ezafe[0].length);
    } else {
      const article = LEADING_ARTICLE.exec(name);
      if (article && article[0].length < name.length) name = name.slice(article[0].length);
    }
  }
  const feature = TRAILING_FEATURE.exec(name);
  if (feature && feature.index > 0) name = name.slice(0, feature.index);
  const trail = TRAILING.exec(name);
  if (trail && trail.index > 0) {
    hint = hintOf([trail[1], trail[2], trail[3]]) ?? hint;
    name = name.slice(0, trail.index);
  }
  return { name: name.trim(), hint };
}

export function parseMention(mention: string): ParsedMention {
  const qualifiers: Qualifier[] = [];
  // Bracketed parts qualify the name; nested brackets are flattened into their outer part.
  let main = "";
  let depth = 0;
  let current = "";
  for (const ch of mention) {
    if (ch === "(" || ch === "[") {
      if (depth === 0) current = "";
      else current += " ";
      depth++;
    } else if ((ch === ")" || ch === "]") && depth > 0) {
      depth--;
      if (depth === 0) {
        const q = cleanName(current);
        if (q.name) qualifiers.push(q);
        main += " ";
      } else current += " ";
    } else if (depth > 0) current += ch;
    else main += ch;
  }
  if (depth > 0) {
    // An unclosed bracket: treat its text as a qualifier all the same.
    const q = cleanName(current);
    if (q.name) qualifiers.push(q);
  }
  const [head = "", ...commaParts] = main.split(/[,،]/u);
  for (const part of commaParts) {
    const q = cleanName(part);
    if (q.name) qualifiers.push({ ...q, soft: true });
  }
  const cleaned = cleanName(head);
  if (!cleaned.name && qualifiers.length > 0) {
    const first = qualifiers.shift() as Qualifier;
    return { name: first.name, written: first.name, hint: first.hint, qualifiers };
  }
  return { name: cleaned.name, written: head.replace(/\s+/gu, " ").trim(), hint: cleaned.hint, qualifiers };
}
