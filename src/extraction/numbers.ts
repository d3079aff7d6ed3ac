/**
 * Quantities in running text: numerals with separators and scale words ("1.5 million"), number words ("two
 * hundred and fifty", "a dozen"), vague magnitudes ("tens of thousands"), ranges ("150-180", "between 150 and
 * 180") and qualifiers ("more than", "at least", "nearly", "up to", "or more"). Each becomes a quantity as
 * src/core/quantity.ts defines it. Whether a quantity is a claim is decided elsewhere (claims.ts).
 */
import { type Quantity, quantityOf, type VagueMagnitude, vagueQuantity } from "../core/quantity.js";
import type { Qualifier } from "../core/vocabulary.js";

export interface NumberMention {
  /** View offsets of the whole expression, qualifier included ("more than 1,500"). */
  start: number;
  end: number;
  /** View offsets of the first number itself ("1,500"). */
  numStart: number;
  numEnd: number;
  quantity: Quantity;
  /** How it was written: digits ("1,500"), words ("three"), or a vague magnitude ("hundreds"). */
  form: "digits" | "words" | "vague";
  /** The first number as written, e.g. for telling years (no separator, four digits) from counts. */
  raw: string;
  /** The number's value before qualifiers (the first number of a range). */
  value: number;
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
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
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = {
  hundred: 100,
  thousand: 1000,
  million: 1_000_000,
  billion: 1_000_000_000,
};

const WORD = `(?:${[...Object.keys(UNITS), ...Object.keys(SCALES)].join("|")})`;
const WORD_RUN = `(?:an?\\s+(?=hundred|thousand|million|dozen))?(?:${WORD}|dozen)(?:(?:\\s+and\\s+|[\\s-]+)(?:${WORD}))*`;
const NUMERAL = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SCALE_AFTER = String.raw`(?:\s*(?:million|billion|thousand)\b)?`;
const VAGUE =
  String.raw`(?:several\s+|many\s+)?(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|tens|dozens|scores|hundreds|thousands|millions)` +
  String.raw`|(?:several|a\s+few)\s+(?:dozen|hundred|thousand)(?!\s+(?:and|thousand|million))`;

/** One number, without qualifiers: the atoms that qualifiers and ranges are built from. */
const ATOM = new RegExp(
  `(?<![\\w.,/])(?<![\\p{L}]-)(?:(${NUMERAL})(${SCALE_AFTER})(?![\\w]|[.,]\\d)|(${VAGUE})\\b|(${WORD_RUN})\\b)`,
  "giu",
);

// Ordered so that the longer phrase wins: "no more than" is up_to before "more than" is over.
const QUALIFIER_BEFORE: ReadonlyArray<readonly [RegExp, Qualifier]> = [
  [/\b(?:at least|no fewer than|no less than|a minimum of|not less than|not fewer than)\s+$/i, "at_least"],
  [/\b(?:up to|as many as|a maximum of|no more than|not more than|at most)\s+$/i, "up_to"],
  [
    /\b(?:more than|over|above|in excess of|upwards of|exceeding|exceeds|exceeded|surpassing|surpassed|passed|pass|passes|past|topped|tops|topping|beyond)\s+$/i,
    "over",
  ],
  [/\b(?:less than|fewer than|under|below)\s+$/i, "less_than"],
  [
    /\b(?:about|around|approximately|roughly|some|an estimated|estimated|nearly|almost|close to|approx\.?|circa|perhaps|an approximate)\s+$/i,
    "about",
  ],
];

const RANGE_JOIN = /^\s*(?:-|–|—|to)\s*$|^\s+or\s+$/i;
const OR_MORE_AFTER = /^(?:\s*(?:or more|or over|and more|and above|plus)\b|\+)/i;

interface Atom {
  start: number;
  end: number;
  value: number;
  /** Set for vague magnitudes. */
  vague?: VagueMagnitude;
  form: NumberMention["form"];
  /** True when a scale word was written ("1.5 million"). */
  scaled: boolean;
  raw: string;
}

export function findNumbers(text: string): NumberMention[] {
  const atoms: Atom[] = [];
  ATOM.lastIndex = 0;
  for (let m = ATOM.exec(text); m !== null; m = ATOM.exec(text)) {
    const atom = toAtom(m);
    if (atom !== null) atoms.push(atom);
  }
  const out: NumberMention[] = [];
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i] as Atom;
    let start = a.start;
    let end = a.end;
    let quantity: Quantity;
    const next = atoms[i + 1];
    const before = text.slice(Math.max(0, a.start - 30), a.start);
    const between = next ? text.slice(a.end, next.start) : "";
    const isRange =
      next !== undefined &&
      a.vague === undefined &&
      next.vague === undefined &&
      ((RANGE_JOIN.test(between) && !/\bfrom\s+$/i.test(before)) ||
        (/^\s+and\s+$/i.test(between) && /\bbetween\s+$/i.test(before)));
    if (isRange && next) {
      let low = a.value;
      // "1.5 to 2 million": the scale written once applies to both ends.
      if (!a.scaled && next.scaled && low < 1000) low = Math.round(low * scaleOf(next.raw));
      const high = next.value;
      if (high > low && Number.isInteger(low) && Number.isInteger(high)) {
        quantity = quantityOf("range", low, high);
        const b = /\bbetween\s+$/i.exec(before);
        if (b) start = a.start - (before.length - b.index);
        end = next.end;
        i++;
        out.push(mention(start, end, a, quantity));
        continue;
      }
    }
    if (!Number.isInteger(a.value)) continue;
    if (a.vague !== undefined) {
      quantity = vagueQuantity(a.vague);
    } else {
      quantity = quantityOf("exact", a.value);
      for (const [re, q] of QUALIFIER_BEFORE) {
        const q1 = re.exec(before);
        if (q1) {
          quantity = quantityOf(q, a.value);
          start = a.start - (before.length - q1.index);
          break;
        }
      }
      const after = text.slice(a.end, a.end + 12);
      const more = OR_MORE_AFTER.exec(after);
      if (more && quantity.qualifier === "exact") {
        quantity = quantityOf(more[0].trim() === "+" ? "over" : "at_least", a.value);
        end = a.end + more[0].length;
      }
    }
    out.push(mention(start, end, a, quantity));
  }
  return out;
}

function mention(start: number, end: number, a: Atom, quantity: Quantity): NumberMention {
  return { start, end, numStart: a.start, numEnd: a.end, quantity, form: a.form, raw: a.raw, value: a.value };
}

function scaleOf(raw: string): number {
  const m = /(million|billion|thousand)/i.exec(raw);
  return m ? (SCALES[(m[1] ?? "").toLowerCase()] ?? 1) : 1;
}

function toAtom(m: RegExpExecArray): Atom | null {
  const start = m.index;
  const end = start + m[0].length;
  if (m[1] !== undefined) {
    const base = Number(m[1].replaceAll(",", ""));
    const scaleWord = (m[2] ?? "").trim().toLowerCase();
    const value = scaleWord ? Math.round(base * (SCALES[scaleWord] ?? 1)) : base;
    // Decimals stay atoms ("1.5 to 2 million") but never become quantities on their own.
    if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) return null;
    return { start, end, value, form: "digits", scaled: scaleWord !== "", raw: m[0] };
  }
  if (m[3] !== undefined) {
    const magnitude = vagueMagnitude(m[3]);
    const q = vagueQuantity(magnitude);
    return { start, end, value: q.low, vague: magnitude, form: "vague", scaled: false, raw: m[0] };
  }
  const words = m[4] ?? "";
  const value = parseNumberWords(words);
  if (value === null) return null;
  return {
    start,
    end,
    value,
    form: "words",
    scaled: /hundred|thousand|million|billion/i.test(words),
    raw: m[0],
  };
}

function vagueMagnitude(written: string): VagueMagnitude {
  const w = written
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^(?:several|many|a few) /, "");
  if (w === "tens of thousands") return "tens of thousands";
  if (w === "hundreds of thousands") return "hundreds of thousands";
  if (w === "dozen" || w === "dozens") return "dozens";
  if (w === "hundred" || w === "hundreds") return "hundreds";
  if (w === "thousand" || w === "thousands") return "thousands";
  if (w === "tens" || w === "scores" || w === "millions") return w;
  return "hundreds";
}

/**
 * "two hundred and fifty" -> 250, "a dozen" -> 12, "twenty-five thousand" -> 25000. Null when the words do not
 * form one number ("one two").
 */
export function parseNumberWords(written: string): number | null {
  const tokens = written
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((t) => t !== "" && t !== "and");
  if (tokens.length === 0) return null;
  if (tokens[0] === "a" || tokens[0] === "an") {
    tokens[0] = "one";
  }
  if (tokens.length === 1 && tokens[0] === "dozen") return 12;
  if (tokens.length === 2 && tokens[0] === "one" && tokens[1] === "dozen") return 12;
  let total = 0;
  let current = 0;
  let lastUnit: number | null = null;
  let lastScale = Number.POSITIVE_INFINITY;
  for (const t of tokens) {
    const unit = UNITS[t];
    if (unit !== undefined) {
      // Two units in a row only combine as tens then ones ("twenty five").
      if (lastUnit !== null && !(lastUnit >= 20 && lastUnit % 10 === 0 && unit < 10)) return null;
      current += unit;
      lastUnit = unit;
      continue;
    }
    const scale = SCALES[t];
    if (scale === undefined) return null;
    if (scale === 100) {
      if (current >= 100) return null;
      current = (current === 0 ? 1 : current) * 100;
    } else {
      if (scale >= lastScale) return null;
      total += (current === 0 ? 1 : current) * scale;
      current = 0;
      lastScale = scale;
    }
    lastUnit = null;
  }
  return total + current;
}

/** Writes a number in words, the inverse of parseNumberWords for 0..999,999,999 (used by property tests). */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1_000_000_000) throw new RangeError(`out of range: ${n}`);
  if (n === 0) return "zero";
  const names = Object.entries(UNITS).sort((a, b) => b[1] - a[1]);
  const below1000 = (k: number): string[] => {
    const parts: string[] = [];
    if (k >= 100) {
      parts.push(wordFor(names, Math.floor(k / 100)), "hundred");
      k %= 100;
    }
    if (k >= 20) {
      const tens = Math.floor(k / 10) * 10;
      const ones = k % 10;
      parts.push(ones ? `${wordFor(names, tens)}-${wordFor(names, ones)}` : wordFor(names, tens));
    } else if (k > 0) parts.push(wordFor(names, k));
    return parts;
  };
  const parts: string[] = [];
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor((n % 1_000_000) / 1000);
  const rest = n % 1000;
  if (millions) parts.push(...below1000(millions), "million");
  if (thousands) parts.push(...below1000(thousands), "thousand");
  if (rest) parts.push(...below1000(rest));
  return parts.join(" ");
}

function wordFor(names: Array<[string, number]>, v: number): string {
  const hit = names.find(([, k]) => k === v);
  if (!hit) throw new RangeError(String(v));
  return hit[0];
}
