/**
 * Noise removal. Scraped pages carry furniture that must yield neither claims nor places: banner sizes, captions
 * printed twice, empty tag lists, copyright and sitemap footers, sharing buttons, video file names with time
 * codes, and menus. Noise is blanked with spaces rather than cut out, so every offset of the view still points at
 * the same character of the stored text.
 */

/** Inline furniture, blanked wherever it occurs. */
const INLINE_NOISE = new RegExp(
  [
    // Banner sizes: "300 x 250", "728×90".
    String.raw`\b\d{2,4}\s?[x×X]\s?\d{2,4}\b`,
    // File names of images and videos, with snapshot time codes: "clip.mp4_snapshot_00.03.120".
    String.raw`[^\s"'()]+\.(?:mp4|m4v|mov|avi|mkv|webm|wmv|flv|3gp|jpe?g|png|gif|webp)(?:[_-][^\s"'()]*)?`,
    String.raw`[^\s"'()]*_snapshot_[\d._]+`,
  ].join("|"),
  "gi",
);

/** A line that is furniture as a whole. */
const NOISE_LINE = new RegExp(
  [
    String.raw`^\s*(?:tags?|tagged(?: with)?|categories|category|filed under|keywords|topics)\s*:`,
    String.raw`©|\bcopyright\b|all rights reserved|\bxml sitemap\b|\bsitemap\b|privacy policy|terms of (?:use|service)|cookie (?:policy|settings)|powered by\b`,
    String.raw`^\s*(?:share(?: this(?: article| story| post)?| on| via)?|follow us|tweet|print(?: this)?|email(?: this)?|copy link|subscribe|sign up|log ?in|advertisement|sponsored|skip to (?:content|main)|read more|related(?: posts| articles| news)?|you may also like|recommended|more from|also read|read also|leave a (?:comment|reply)|comments?)\s*(?::|$|[|•·»]|\s+(?:on|to|via)\b)`,
    String.raw`^\s*(?:\d+\s+)?comments?\s*(?:\(\d+\))?\s*$`,
    String.raw`^\s*page\s+\d+\s+of\s+\d+\b`,
    String.raw`^\s*(?:next|previous|older posts|newer posts|load more)\s*[»›>]*\s*$`,
  ].join("|"),
  "i",
);

const SOCIAL_WORD =
  /\b(?:facebook|twitter|whatsapp|telegram|linkedin|pinterest|reddit|instagram|youtube|email|e-mail|print|tweet|share|messenger|viber|x\.com)\b/gi;

const MENU_WORD =
  /\b(?:home|about(?: us)?|contact(?: us)?|donate|subscribe|login|log in|sign up|search|menu|newsletter|archives?|categories|english|فارسی|español|français|deutsch)\b/gi;

/** Separators that menus and breadcrumbs use between items. */
const MENU_SEPARATORS = /\s[|•·»›]\s|\s\/\s/g;

/** Sentence-ending or clause punctuation: menus and button rows have none. */
const PROSE = /[.!?;:,"“”]\s|[.!?"”]$/;

export function removeNoise(text: string): string {
  const chars = text.split("");
  let changed = false;
  const blank = (start: number, end: number): void => {
    for (let k = start; k < end; k++) if (chars[k] !== "\n") chars[k] = " ";
    changed = true;
  };

  INLINE_NOISE.lastIndex = 0;
  for (let m = INLINE_NOISE.exec(text); m !== null; m = INLINE_NOISE.exec(text)) {
    if (isTimeOrScore(text, m.index, m[0])) continue;
    blank(m.index, m.index + m[0].length);
  }

  // Lines: furniture, and captions printed twice in a row (the second copy, and the first too).
  let prev: { start: number; end: number; key: string } | null = null;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const trimmed = line.trim();
    if (trimmed.length > 0) {
      const key = trimmed.replace(/\s+/g, " ").toLowerCase();
      if (isNoiseLine(trimmed)) blank(start, end);
      else if (prev !== null && prev.key === key && key.length >= 12) {
        blank(prev.start, prev.end);
        blank(start, end);
      } else {
        const half = doubledHalf(key);
        if (half !== null) blank(start, end);
      }
      prev = { start, end, key };
    }
    start = end + 1;
  }
  // Menus written as one item per line ("Home", "Syria", "Lebanon", ...): four or more short lines in a row.
  const lines: Array<{ start: number; end: number }> = [];
  let at = 0;
  while (at <= text.length) {
    let e = text.indexOf("\n", at);
    if (e < 0) e = text.length;
    lines.push({ start: at, end: e });
    at = e + 1;
  }
  let run: Array<{ start: number; end: number }> = [];
  const flush = (): void => {
    if (run.length >= 4) for (const l of run) blank(l.start, l.end);
    run = [];
  };
  for (const l of lines) {
    const t = text.slice(l.start, l.end).trim();
    if (t.length === 0) continue;
    if (t.length <= 25 && !/[.!?,;:"“”]/.test(t) && t.split(/\s+/).length <= 3) run.push(l);
    else flush();
  }
  flush();
  return changed ? chars.join("") : text;
}

function isNoiseLine(line: string): boolean {
  if (NOISE_LINE.test(line)) return true;
  if (line.length > 160) return false;
  const social = line.match(SOCIAL_WORD)?.length ?? 0;
  if (social >= 2 && !PROSE.test(line)) return true;
  if (line.length <= 140 && !PROSE.test(line)) {
    const menu = line.match(MENU_WORD)?.length ?? 0;
    if (menu >= 2) return true;
    const seps = line.match(MENU_SEPARATORS)?.length ?? 0;
    if (seps >= 3) return true;
  }
  return false;
}

/** "X X": a caption and its copy on one line. Returns X, or null. */
function doubledHalf(key: string): string | null {
  if (key.length < 25) return null;
  const n = key.length;
  // Try the split points around the middle: the two copies may be separated by one space or none.
  for (const mid of [(n - 1) / 2, n / 2]) {
    if (!Number.isInteger(mid)) continue;
    const a = key.slice(0, mid).trim();
    const b = key.slice(mid).trim();
    if (a.length >= 12 && a === b) return a;
  }
  return null;
}

/** "12 x 3" inside prose is arithmetic or a score, rarely a banner; banners come alone or beside their label. */
function isTimeOrScore(text: string, index: number, match: string): boolean {
  if (!/^\d/.test(match)) return false;
  const before = text.slice(Math.max(0, index - 20), index);
  return /\b(?:score|won|lost|beat)\b/i.test(before);
}
