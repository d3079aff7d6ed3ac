/**
 * Person-name keys that know Persian romanisation.
 *
 * Persian names reach Latin script through several habits at once (English, French and German
 * transcriptions, ad-hoc spellings): Mohammad/Mohammed/Muhammad, Hossein/Hosein/Hussein,
 * Zahra/Zahraa, Rezaei/Rezaee/Rezaie, -zadeh/-zade, -pour/-pur/-poor, Kh-/Gh-/Sh-. `romanKey` folds
 * these into one spelling per word, so that exact agreement on keys means "same name, any
 * transcription"; remaining differences (typos) are graded with Jaro–Winkler on the keys. The rules
 * are ours, tuned on the variants listed above; they are not a transliteration standard.
 *
 * Digraphs become single symbols so that one sound is one character: x = kh, q = gh/q, S = sh,
 * C = ch; zh becomes j, as many transcriptions write it (Nezhad/Nejad). Vowels fold to three: a (a, e, â), i (i, ee, y at the end), u (o, u, ou, oo).
 */
import { hasPersianScript, normalizePersian, persianSkeleton } from "./persian.js";
import { editDistance, foldLatin, jaroWinkler } from "./strings.js";

const DIGRAPHS: Array<[RegExp, string]> = [
  [/'|’|‘|`|ʿ|ʾ/g, ""], // ayn/hamza apostrophes: Ja'far = Jafar
  [/tch/g, "C"],
  [/kh/g, "x"],
  [/gh/g, "q"],
  [/sh/g, "S"],
  [/ch/g, "C"],
  [/zh/g, "j"], // ژ: Nezhad = Nejad
  [/dj/g, "j"],
  [/ph/g, "f"],
  [/th/g, "s"],
  [/ow$/, "u"], // Khosrow = Khosro
  [/w/g, "v"],
  [/ou|oo/g, "u"],
  [/o/g, "u"],
  [/ee|ie$|iy/g, "i"], // Rezaee, Alie, Rezaiyan
  [/ei|ey|ai|ay/g, "ay"], // Hossein, Hussain, Hosseyn
  [/e/g, "a"],
  [/^i(?=[^aiu])/, "a"], // an initial short vowel: Isfahan = Esfahan, Ismail = Esmail
  [/y$/g, "i"], // Aly = Ali
  [/c(?![aiu])/g, "k"], // a lone Latin c (rare in these names) sounds k
  [/([a-zA-Z])\1+/g, "$1"], // doubled letters: Mohammad = Mohamad, Zahraa = Zahra
  [/([aiu])h$/, "$1"], // silent final h: Fatemeh = Fatema, -zadeh = -zade
];

const keyMemo = new Map<string, string>();

/** The canonical spelling of one Latin-script word (already split from its neighbours). */
export function romanKey(word: string): string {
  let k = keyMemo.get(word);
  if (k === undefined) {
    k = computeRomanKey(word);
    if (keyMemo.size > 200_000) keyMemo.clear();
    keyMemo.set(word, k);
  }
  return k;
}

function computeRomanKey(word: string): string {
  let s = foldLatin(word).replace(/[^a-z'’‘`ʿʾ]/g, "");
  for (const [re, to] of DIGRAPHS) s = s.replace(re, to);
  return s;
}

const skeletonMemo = new Map<string, string>();

/** The consonant skeleton of a romanised key, comparable with `persianSkeleton`. */
export function latinSkeleton(key: string): string {
  let s = skeletonMemo.get(key);
  if (s === undefined) {
    s = computeSkeleton(key);
    // Names come from a limited vocabulary; the bound only guards against pathological input.
    if (skeletonMemo.size > 200_000) skeletonMemo.clear();
    skeletonMemo.set(key, s);
  }
  return s;
}

function computeSkeleton(key: string): string {
  let out = "";
  for (const ch of key) {
    if (ch === "a" || ch === "i" || ch === "u" || ch === "y" || ch === "v") continue;
    if (ch !== out[out.length - 1]) out += ch;
  }
  return out;
}

/** Honorifics and particles that one list writes and another leaves out. */
const PARTICLES = new Set(["sayad", "sayid", "sid", "mir", "haj", "haji", "mula", "shaykh", "Sayx", "Sax"]);

export interface PreparedName {
  /** Romanised word keys in written order (particles removed). */
  tokens: string[];
  /** Keys concatenated in order: "Hossein Zadeh" and "Hosseinzadeh" agree. */
  joined: string;
  /** Keys sorted then concatenated: given and family names swapped agree. */
  sorted: string;
  /** Consonant skeletons of the words in order, then sorted, for comparison with Persian script. */
  skeleton: string;
  skeletonSorted: string;
  /** Normalised Persian script: words in order without spaces, and sorted words; "" if none. */
  persian: string;
  persianSorted: string;
  /** Skeleton from the Persian script, in order and sorted; "" if none. */
  persianSkeleton: string;
  persianSkeletonSorted: string;
  /** Skeleton of each word, from the Persian script when there is one, else from the romanised words. */
  skeletonWords: string[];
  /**
   * The words, and the words with one adjacent pair written together ("Tavakol Nejad" →
   * "Tavakolnejad"): compound family names are split in some lists and not in others.
   */
  variants: string[][];
  /** Each variant's words sorted and concatenated: equal forms mean the same name. */
  forms: string[];
  /** The same for the skeleton words (`skeletonWords`), for comparison across scripts. */
  skeletonForms: string[];
}

export function prepareName(name: string | null | undefined, nameFa?: string | null): PreparedName {
  let latin = "";
  let fa = nameFa ? normalizePersian(nameFa) : "";
  const raw = (name ?? "").trim();
  if (hasPersianScript(raw)) {
    // A Persian-script name in the Latin field: treat it as the Persian name.
    if (!fa) fa = normalizePersian(raw);
  } else latin = raw;
  const words = foldLatin(latin)
    .split(/[\s\-_.,;/()]+/)
    .map(romanKey)
    .filter((w) => w.length > 0);
  const tokens = words.filter((w) => !PARTICLES.has(w));
  const use = tokens.length > 0 ? tokens : words;
  const sortedTokens = [...use].sort();
  const faWords = fa ? fa.split(" ").filter((w) => w.length > 0) : [];
  const faKept = faWords.filter((w) => !FA_PARTICLES.has(w));
  const faUse = faKept.length > 0 ? faKept : faWords;
  const faSkel = faUse.map(persianSkeleton).filter((w) => w.length > 0);
  const skel = use.map(latinSkeleton);
  const variants = mergeVariants(use);
  return {
    tokens: use,
    joined: joinWords(use),
    sorted: joinWords(sortedTokens),
    skeleton: joinWords(skel),
    skeletonSorted: joinWords([...skel].sort()),
    persian: faUse.join(""),
    persianSorted: [...faUse].sort().join(" "),
    persianSkeleton: joinWords(faSkel),
    persianSkeletonSorted: joinWords([...faSkel].sort()),
    skeletonWords: faSkel.length > 0 ? faSkel : skel.filter((w) => w.length > 0),
    variants,
    forms: sortedForms(variants),
    skeletonForms: sortedForms(mergeVariants(faSkel.length > 0 ? faSkel : skel.filter((w) => w.length > 0))),
  };
}

export function mergeVariants(words: string[]): string[][] {
  const out: string[][] = [words];
  for (let i = 0; i + 1 < words.length; i++) {
    out.push([
      ...words.slice(0, i),
      joinWords([words[i] as string, words[i + 1] as string]),
      ...words.slice(i + 2),
    ]);
  }
  return out;
}

/**
 * Words written together, with a doubled letter at the seam collapsed as the keys collapse it
 * within a word: "Kashan Nejad" joins to the key of "Kashannejad".
 */
export function joinWords(words: string[]): string {
  let out = "";
  for (const w of words) out += out.length > 0 && out[out.length - 1] === w[0] ? w.slice(1) : w;
  return out;
}

function sortedForms(variants: string[][]): string[] {
  return [...new Set(variants.map((v) => joinWords([...v].sort())))];
}

const FA_PARTICLES = new Set(["سید", "میر", "حاج", "حاجی", "ملا", "شیخ"]);

/**
 * Agreement levels of a name comparison, ordered by strength of evidence (EM learns how strong):
 * - 6 EXACT: same romanised key (any order, any compound split) or same Persian script;
 * - 5 VERY_CLOSE: every word equal or one typo away (Fatemeh/Fatima too); see `wordSimilarity`;
 * - 4 CROSS_EXACT: one name only in Persian script, the other only in Latin, same consonant skeleton.
 *   Kept apart from EXACT because the skeleton drops vowels: Hassan and Hossein share "hsn";
 * - 3 CLOSE: every word at similarity ≥ 0.9 (two typos in a long word); 2 WEAK: ≥ 0.8;
 * - 1 CROSS_CLOSE: across scripts, skeletons within 0.9; 0 DIFFERENT.
 */
export const NAME_LEVEL = {
  DIFFERENT: 0,
  CROSS_CLOSE: 1,
  WEAK: 2,
  CLOSE: 3,
  CROSS_EXACT: 4,
  VERY_CLOSE: 5,
  EXACT: 6,
} as const;
export const NAME_LEVELS = 7;

export interface NameComparison {
  /** One of NAME_LEVEL, or null when either name is missing. */
  level: number | null;
  similarity: number;
}

/**
 * Compares two prepared names using everything both have: romanised keys (in order, sorted, word
 * by word), Persian script, and across scripts the consonant skeleton. Symmetric in a and b.
 */
export function compareNames(a: PreparedName, b: PreparedName): NameComparison {
  const latin = a.joined !== "" && b.joined !== "";
  const persian = a.persian !== "" && b.persian !== "";
  if (latin && (a.joined === b.joined || shareAny(a.forms, b.forms))) {
    return { level: NAME_LEVEL.EXACT, similarity: 1 };
  }
  if (persian && (a.persian === b.persian || a.persianSorted === b.persianSorted)) {
    return { level: NAME_LEVEL.EXACT, similarity: 1 };
  }
  if (!latin && !persian) {
    const s = skeletonScore(a, b);
    if (s === null) return { level: null, similarity: 0 };
    const level = s >= 1 ? NAME_LEVEL.CROSS_EXACT : s >= 0.9 ? NAME_LEVEL.CROSS_CLOSE : NAME_LEVEL.DIFFERENT;
    return { level, similarity: s };
  }
  let best = 0;
  if (latin) {
    // Word by word, over the variants with as many words on both sides; when none match in count
    // (a word added or dropped), the whole strings, capped below the close levels.
    const va0 = a.variants[0] as string[];
    const vb0 = b.variants[0] as string[];
    // The words as written first; the merged variants only when the counts differ or the words as
    // written fall short of a typo-level match.
    if (va0.length === vb0.length) best = tokenScore(va0, vb0, 0);
    if (best < 0.95) {
      for (const va of a.variants) {
        for (const vb of b.variants) {
          if (va.length !== vb.length || (va === va0 && vb === vb0)) continue;
          // Joined on both sides (split at different places), the joined words hold whole names:
          // two edits there are not "two typos in a long word".
          const strict = va !== va0 && vb !== vb0;
          best = Math.max(best, tokenScore(va, vb, best, strict));
        }
      }
    }
    if (best < 0.8) best = Math.max(best, 0.85 * jaroWinkler(a.joined, b.joined));
  }
  if (persian && best < 0.95) {
    const pa = a.persianSorted.split(" ");
    const pb = b.persianSorted.split(" ");
    if (pa.length === pb.length) best = Math.max(best, persianWordsScore(pa, pb));
    else best = Math.max(best, 0.85 * jaroWinkler(a.persian, b.persian));
  }
  return { level: levelOf(best), similarity: best };
}

function levelOf(similarity: number): number {
  if (similarity >= 0.95) return NAME_LEVEL.VERY_CLOSE;
  if (similarity >= 0.9) return NAME_LEVEL.CLOSE;
  if (similarity >= 0.8) return NAME_LEVEL.WEAK;
  return NAME_LEVEL.DIFFERENT;
}

function shareAny(x: string[], y: string[]): boolean {
  for (const f of x) for (const g of y) if (f === g) return true;
  return false;
}

/** Best skeleton similarity, in written order or sorted; 1 only for identical skeletons. */
function skeletonScore(a: PreparedName, b: PreparedName): number | null {
  const sa = a.persianSkeleton || a.skeleton;
  const sb = b.persianSkeleton || b.skeleton;
  if (!sa || !sb) return null;
  const ta = a.persianSkeletonSorted || a.skeletonSorted;
  const tb = b.persianSkeletonSorted || b.skeletonSorted;
  if (sa === sb || ta === tb || a.skeletonForms.some((f) => b.skeletonForms.includes(f))) return 1;
  return 0.97 * Math.max(jaroWinkler(sa, sb), jaroWinkler(ta, tb));
}

/**
 * Similarity of two romanised words, on the scale the name levels use. Edit distance rather than
 * Jaro–Winkler alone decides the top levels: Jaro–Winkler rewards a shared beginning, and Persian
 * family names that share a root but differ in the suffix (Yazdi, Yazdani; Bagheri, Bagherpour)
 * are different families.
 * 1 equal; 0.95 one typo (words of 4+ letters; this covers Fatemeh/Fatima); 0.9 two typos in long
 * words (8+, unless `strict`); 0 more than three edits apart; otherwise 0.9 × Jaro–Winkler. Equal consonants alone
 * are not enough: Hassan/Hossein and Mohammad/Mahmoud share theirs.
 */
export function wordSimilarity(a: string, b: string, strict = false): number {
  if (a === b) return 1;
  const minLen = Math.min(a.length, b.length);
  const d = editDistance(a, b, 3);
  // Words more than three edits apart are different words; this also spares most comparisons the
  // cost of Jaro–Winkler.
  if (d > 3) return 0;
  if (d <= 1 && minLen >= 4) return 0.95;
  if (d <= 2 && minLen >= 8 && !strict) return 0.9;
  return 0.9 * jaroWinkler(a, b);
}

/**
 * Persian words are short (short vowels are not written), so one letter matters more than in a
 * romanisation: حسن and حسین differ by one letter and are different names. One edit counts as a
 * typo only in words of five letters or more.
 */
function persianWordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const d = editDistance(a, b, 2);
  if (d <= 1 && Math.min(a.length, b.length) >= 5) return 0.95;
  if (d > 2) return 0;
  return 0.85 * jaroWinkler(a, b);
}

function persianWordsScore(a: string[], b: string[]): number {
  let worst = 1;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const t of x) {
      let m = 0;
      for (const u of y) m = Math.max(m, persianWordSimilarity(t, u));
      worst = Math.min(worst, m);
    }
  }
  return worst;
}

/**
 * Word alignment: each word is paired with its best match in the other name, and the weakest pair
 * decides, so that an identical given name does not rescue a different family name.
 * Taken both ways, so it is symmetric and order-free ("Hosseini Mohammad" = "Mohammad Hosseini").
 * Stops early once the score cannot exceed `floor`.
 */
function tokenScore(a: string[], b: string[], floor: number, strict = false): number {
  if (a.length === 0 || b.length === 0) return 0;
  const w1 = weakestBestMatch(a, b, floor, strict);
  if (w1 <= floor) return w1;
  return Math.min(w1, weakestBestMatch(b, a, floor, strict));
}

function weakestBestMatch(x: string[], y: string[], floor: number, strict: boolean): number {
  let worst = 1;
  for (const t of x) {
    let m = 0;
    for (const u of y) {
      const s = wordSimilarity(t, u, strict);
      if (s > m) m = s;
      if (m === 1) break;
    }
    if (m < worst) worst = m;
    if (worst <= floor) return worst;
  }
  return worst;
}
