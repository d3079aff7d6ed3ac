/**
 * The place-name normaliser: pure string functions shared by the gazetteer, extraction and record linkage.
 *
 * Reporters romanise Persian names in many ways (Qaemshahr/Ghaemshahr, Dezful/Dezfoul, Shahr-e Kord/Shahrekord).
 * Rather than listing spellings, we reduce every name to keys that the usual variants share:
 *
 * - `fold`: the name without case, diacritics, punctuation, spaces or ezafe ("Qā’em Shahr" → "qaemshahr").
 * - `phonetic`: the fold with the romanisation choices merged: q/gh, kh/khv, v/w, y/i, ou/oo/u, ow/o,
 *   doubled letters, the ezafe "-e"/"-ye" and a final silent "h" dropped, and each run of vowels reduced to
 *   its class (a/e/i → "a", o/u → "u"), because unstressed e/i/a are written every which way.
 * - `skeleton`: the phonetic key without vowels (but an initial one) and without a plain "h": it joins glued
 *   and separated ezafe forms (Shahrekord/Shahr-e Kord) and is only trusted with a similarity check.
 *
 * Keys are compared, never shown. Bump NORMALISER_VERSION whenever a key changes for some input: built
 * gazetteer data stores keys and is rejected when its version differs.
 */

export const NORMALISER_VERSION = 2;

/** Letters that NFKD does not decompose into a base letter plus marks. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŧ: "t",
  ŀ: "l",
  ς: "σ",
  // Arabic letter forms that Persian writes differently: fold to the Persian letter.
  ي: "ی",
  ى: "ی",
  ك: "ک",
  ة: "ه",
  ۀ: "ه",
  أ: "ا",
  إ: "ا",
  آ: "ا",
  ٱ: "ا",
  ؤ: "و",
  ئ: "ی",
};

const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join("")}]`, "gu");
const MARKS_RE = /\p{M}+/gu;
/** Apostrophe-like signs (ayn, hamza, primes) vanish inside words: Qa'emshahr = Qaemshahr. */
const APOSTROPHES_RE = /['’‘ʼʻʿʾ`´′‛ʹ"“”]/gu;
/** Zero-width joiners and the Arabic tatweel carry no letter. */
const INVISIBLE_RE = /[\u200b-\u200f\u2060\ufeff\u0640]/gu;
const NON_WORD_RE = /[^\p{L}\p{N}]+/gu;

function fold(s: string): string {
  return s.normalize("NFKD").replace(MARKS_RE, "").toLowerCase();
}

/**
 * Lower case, no diacritics, apostrophes dropped, punctuation and hyphens turned into single spaces,
 * Arabic letter forms folded to Persian ones. Idempotent.
 */
const PRINTABLE_ASCII_RE = /^[\x20-\x7e]*$/;

export function normalisePlaceName(input: string): string {
  // Most mentions are plain ASCII: no marks to strip, no special letters, nothing to decompose.
  if (PRINTABLE_ASCII_RE.test(input)) {
    return input.toLowerCase().replace(APOSTROPHES_RE, "").replace(NON_WORD_RE, " ").trim();
  }
  // Folding twice catches letters whose lower case or special replacement decomposes again.
  let s = fold(fold(input).replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c));
  s = s.replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c);
  return s.replace(APOSTROPHES_RE, "").replace(INVISIBLE_RE, "").replace(NON_WORD_RE, " ").trim();
}

/** Tokens that join words rather than name anything: the ezafe and "and". */
const CONNECTORS = new Set(["e", "ye", "ie", "y", "i", "o", "va", "and", "&"]);

/** Leading words that everyday usage drops: "Bandar-e Mahshahr" is "Mahshahr" to most writers. */
export const GENERIC_PREFIXES: ReadonlySet<string> = new Set(["bandar", "shahrak", "shahr"]);

const VOWELS = new Set(["a", "e", "i", "o", "u"]);

function isLatinLower(c: string): boolean {
  return c >= "a" && c <= "z";
}

/** Maps one token's Latin letters to phonetic classes; other scripts pass through unchanged. */
function phoneticToken(token: string): string {
  let out = "";
  const n = token.length;
  for (let i = 0; i < n; i++) {
    const c = token[i] as string;
    const next = token[i + 1];
    if (!isLatinLower(c)) {
      out += c;
      continue;
    }
    if (c === "k" && next === "h") {
      // "khv"/"khw" before a vowel is the Persian خوا: the v is silent (Khvoy = Khoy).
      const after = token[i + 2];
      const afterNext = token[i + 3];
      if ((after === "v" || after === "w") && afterNext !== undefined && VOWELS.has(afterNext)) i++;
      out += "x";
      i++;
      continue;
    }
    if (c === "g" && next === "h") {
      out += "q";
      i++;
      continue;
    }
    if (c === "s" && next === "h") {
      out += "$";
      i++;
      continue;
    }
    if (c === "c" && next === "h") {
      out += "c";
      i++;
      continue;
    }
    if (c === "z" && next === "h") {
      out += "%";
      i++;
      continue;
    }
    if (c === "o" && next === "w") {
      const after = token[i + 2];
      if (after === undefined || !VOWELS.has(after)) {
        // "ow" before a consonant is a diphthong written o as often (Nowshahr/Noshahr).
        out += "u";
        i++;
        continue;
      }
    }
    if (c === "w") {
      out += "v";
      continue;
    }
    if (c === "y") {
      out += "i";
      continue;
    }
    out += c;
  }
  // A final "h" after a vowel is silent (Saveh/Save, Izeh/Ize).
  if (out.length > 2 && out.endsWith("h") && VOWELS.has(out[out.length - 2] as string))
    out = out.slice(0, -1);
  return out;
}

/** Vowel runs to their class, doubled letters to one. */
function collapse(s: string): string {
  let out = "";
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (VOWELS.has(c)) {
      let back = false;
      while (i < s.length && VOWELS.has(s[i] as string)) {
        if (s[i] === "o" || s[i] === "u") back = true;
        i++;
      }
      out += back ? "u" : "a";
      continue;
    }
    if (out[out.length - 1] !== c) out += c;
    i++;
  }
  return out;
}

function skeletonOf(phonetic: string): string {
  let out = "";
  for (let i = 0; i < phonetic.length; i++) {
    const c = phonetic[i] as string;
    if (i === 0 && (c === "a" || c === "u")) {
      out += "a";
      continue;
    }
    if (c === "a" || c === "u" || c === "h") continue;
    if (out[out.length - 1] !== c) out += c;
  }
  return out;
}

export interface PlaceNameKeys {
  fold: string;
  phonetic: string;
  skeleton: string;
  /** The phonetic key without a generic leading word ("Bandar-e"), when the name has one. */
  stripped: string | null;
}

function phoneticOfTokens(tokens: readonly string[]): string {
  const kept: string[] = [];
  tokens.forEach((t, i) => {
    // A connector names nothing unless it is the whole name or its first word.
    if (i > 0 && CONNECTORS.has(t)) return;
    kept.push(phoneticToken(t));
  });
  return collapse(kept.join(""));
}

/** All match keys of a name. Accepts raw or already normalised input. */
export function placeNameKeys(input: string): PlaceNameKeys {
  const normal = normalisePlaceName(input);
  const tokens = normal.length === 0 ? [] : normal.split(" ");
  const phonetic = phoneticOfTokens(tokens);
  let stripped: string | null = null;
  if (tokens.length > 1 && GENERIC_PREFIXES.has(tokens[0] as string)) {
    const rest = tokens.slice(1);
    while (rest.length > 1 && CONNECTORS.has(rest[0] as string)) rest.shift();
    const s = phoneticOfTokens(rest);
    if (s.length >= 3) stripped = s;
  }
  // The fold drops the ezafe too: "Bāgh-e Malek" and "Baghmalek" are one name written two ways.
  const fold = tokens.filter((t, i) => i === 0 || !CONNECTORS.has(t)).join("");
  return { fold, phonetic, skeleton: skeletonOf(phonetic), stripped };
}

/** Rows of the edit-distance table, reused across calls: similarity runs per candidate on a hot path. */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Similarity of two strings in 0..1 (1 − Levenshtein distance / longer length). */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (rowA.length <= lb) {
    rowA = new Int32Array(2 * lb + 1);
    rowB = new Int32Array(2 * lb + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      const del = (prev[j] as number) + 1;
      const ins = (cur[j - 1] as number) + 1;
      const sub = (prev[j - 1] as number) + cost;
      cur[j] = Math.min(del, ins, sub);
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return 1 - (prev[lb] as number) / Math.max(la, lb);
}
