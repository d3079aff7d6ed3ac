/**
 * Persian script for comparison. Two steps:
 * - `normalizePersian` unifies the Arabic and Persian code points that keyboards mix (ي/ی, ك/ک,
 *   أ/إ/آ/ا, ة/ه), drops short-vowel marks and the kashida, and treats the zero-width non-joiner as a
 *   join, since "حسین‌زاده" and "Hosseinzadeh" are one word;
 * - `persianSkeleton` maps each consonant to the Latin letter used by `latinSkeleton` in names.ts.
 *
 * Persian script writes no short vowels and uses ا, و and ی both as vowels and as consonants, so the
 * only key both scripts share reliably is the consonant skeleton with those letters dropped:
 * محمد and Mohammad both give "mhmd"; حسین and Hossein both give "hsn".
 */

const UNIFY: Record<string, string> = {
  "\u064a": "\u06cc", // Arabic yeh → Persian yeh
  "\u0649": "\u06cc", // alef maksura
  "\u0643": "\u06a9", // Arabic kaf → keheh
  "\u0629": "\u0647", // teh marbuta → heh
  "\u0623": "\u0627",
  "\u0625": "\u0627",
  "\u0622": "\u0627",
  "\u0671": "\u0627",
  "\u0624": "\u0648", // waw with hamza
  "\u0626": "\u06cc", // yeh with hamza
  "\u06c0": "\u0647", // heh with yeh above (ezafe)
};

const PERSIAN_LETTERS = /[\u0600-\u06ff]/;

export function hasPersianScript(s: string): boolean {
  return PERSIAN_LETTERS.test(s);
}

export function normalizePersian(s: string): string {
  let out = "";
  for (const ch of s.normalize("NFC")) {
    const code = ch.charCodeAt(0);
    if ((code >= 0x064b && code <= 0x065f) || code === 0x0670 || code === 0x0640) continue; // harakat, kashida
    if (code === 0x200c || code === 0x200d) continue; // ZWNJ/ZWJ: keep compound parts together
    out += UNIFY[ch] ?? ch;
  }
  return out.replace(/[\s\u00a0\-_.,،؛]+/g, " ").trim();
}

// Consonants to the symbols of names.ts: x = kh, q = gh/q, S = sh, C = ch, and zh as j.
// Vowel carriers (ا و ی), ayn and hamza map to nothing.
const SKELETON: Record<string, string> = {
  "\u0628": "b",
  "\u067e": "p",
  "\u062a": "t",
  "\u062b": "s",
  "\u062c": "j",
  "\u0686": "C",
  "\u062d": "h",
  "\u062e": "x",
  "\u062f": "d",
  "\u0630": "z",
  "\u0631": "r",
  "\u0632": "z",
  "\u0698": "j",
  "\u0633": "s",
  "\u0634": "S",
  "\u0635": "s",
  "\u0636": "z",
  "\u0637": "t",
  "\u0638": "z",
  "\u063a": "q",
  "\u0641": "f",
  "\u0642": "q",
  "\u06a9": "k",
  "\u06af": "g",
  "\u0644": "l",
  "\u0645": "m",
  "\u0646": "n",
  "\u0647": "h",
};

/**
 * Consonant skeleton of one normalised Persian word. A final ه or ح is dropped: the romanised key
 * drops a final h after a vowel (Fatemeh = Fatema), and cannot tell a silent he from a sounded
 * one (Saleh, صالح).
 */
export function persianSkeleton(word: string): string {
  let out = "";
  const n = word.length;
  for (let i = 0; i < n; i++) {
    const ch = word[i] as string;
    if ((ch === "\u0647" || ch === "\u062d") && i === n - 1 && n > 1) continue;
    const s = SKELETON[ch];
    if (s !== undefined && s !== out[out.length - 1]) out += s;
  }
  return out;
}
