/**
 * Sentence splitting over the view. Lines are paragraphs, except hard-wrapped prose (a long line that does not end
 * a sentence continues on the next one). Inside a paragraph a sentence ends at . ! or ? followed by a space and a
 * capital, a digit or an opening quote, unless the word before the stop is an abbreviation or an initial.
 */

export interface Sentence {
  /** View offsets, trimmed of surrounding whitespace. */
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set(
  [
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "prof",
    "rev",
    "jr",
    "sr",
    "no",
    "nos",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "u.s",
    "u.n",
    "u.k",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "inc",
    "co",
    "corp",
    "ltd",
    "approx",
    "est",
    "gov",
    "sen",
    "rep",
    "mt",
    "ft",
    "fig",
  ].map((s) => s.toLowerCase()),
);

/** A stop, closing quotes or brackets, then space, then what may start a sentence. */
const BOUNDARY = /[.!?]+["”’')\]]*(?=\s+["“‘'([]?[A-Z0-9\u0600-\u06ff])/g;

/** A line shorter than this that lacks a final stop is a heading or a list item, not wrapped prose. */
const WRAP_MIN = 50;

/**
 * `wrap` (plain text): a long line without a final stop continues on the next line. A page's view has no such
 * lines: its line breaks come from block elements and always end a paragraph.
 */
export function splitSentences(text: string, wrap = true): Sentence[] {
  const out: Sentence[] = [];
  let paraStart = 0;
  let pos = 0;
  const n = text.length;
  while (pos <= n) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = n;
    const line = text.slice(pos, nl);
    const trimmedLine = line.trimEnd();
    const endsSentence = /[.!?:"”’)\]]$/.test(trimmedLine);
    const nextNl = nl < n ? text.indexOf("\n", nl + 1) : -1;
    const nextLine = nl < n ? text.slice(nl + 1, nextNl < 0 ? n : nextNl) : "";
    // Hard-wrapped prose: a long line that does not end a sentence goes on in the next line, whatever that
    // line begins with ("... killed in\nTehran on Monday"). Headings stand alone: they are short or end a block.
    const wrapped =
      wrap &&
      // The first line is usually a headline; it continues only when it plainly breaks off mid-clause.
      (pos > 0 ||
        /(?:,|\b(?:of|the|in|to|and|a|an|for|with|by|on|at|from|that|as|were|was|had|have))\s*$/i.test(
          trimmedLine,
        )) &&
      nl < n &&
      !endsSentence &&
      trimmedLine.trim().length >= WRAP_MIN &&
      nextLine.trim().length > 0 &&
      !/^\s*(?:[-*•]|\d+[.)])\s/.test(nextLine);
    if (!wrapped) {
      splitParagraph(text, paraStart, nl, out);
      paraStart = nl + 1;
    }
    pos = nl + 1;
  }
  return out;
}

function splitParagraph(text: string, start: number, end: number, out: Sentence[]): void {
  const para = text.slice(start, end);
  let s = 0;
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(para); m !== null; m = BOUNDARY.exec(para)) {
    const stopAt = m.index;
    if (m[0].startsWith(".") && m[0].length === 1 && isAbbreviation(para, stopAt)) continue;
    push(text, start + s, start + stopAt + m[0].length, out);
    s = stopAt + m[0].length;
  }
  push(text, start + s, end, out);
}

function isAbbreviation(para: string, stopAt: number): boolean {
  let k = stopAt;
  while (k > 0 && /[A-Za-z.]/.test(para[k - 1] ?? "")) k--;
  const word = para.slice(k, stopAt);
  if (word.length === 0) return false;
  // An initial: "A. Khamenei", "J. Smith".
  if (/^[A-Z]$/.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase().replace(/\.$/, ""));
}

function push(text: string, start: number, end: number, out: Sentence[]): void {
  while (start < end && /\s/.test(text[start] ?? "")) start++;
  while (end > start && /\s/.test(text[end - 1] ?? "")) end--;
  if (end > start) out.push({ start, end });
}
