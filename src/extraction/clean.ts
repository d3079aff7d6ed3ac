/**
 * Cleaning: turns the stored text into a plain-text *view* that the rest of the pipeline reads, and keeps, for
 * every character of the view, the offset of the character of the stored text it came from.
 *
 * The decision: spans always index the stored text exactly as received (for HTML, the markup itself), because a
 * document keeps its text as received and its SHA-256 is computed over it. The view only exists during extraction:
 * tags become nothing or a line break, entities become their character, whitespace runs become one space, and
 * noise (see noise.ts) is blanked out with spaces so that offsets within a line do not move.
 */

export interface View {
  /** What the extractors read. */
  text: string;
  /**
   * `map[i]` is the offset in the stored text of `text[i]`; null when the view is the stored text itself
   * (plain text), which saves a copy on the common path.
   */
  map: Int32Array | null;
  /** Title from <title> or the first <h1>, for HTML. */
  title: string | null;
}

/** Maps a view span `[start, end)` to a span of the stored text. */
export function toStored(view: View, start: number, end: number): [number, number] {
  const map = view.map;
  if (map === null) return [start, end];
  if (end <= start) {
    const at = start < map.length ? (map[start] ?? 0) : lastOffset(map);
    return [at, at];
  }
  const s = map[start] ?? 0;
  const e = (map[end - 1] ?? s) + 1;
  return [s, Math.max(s, e)];
}

function lastOffset(map: Int32Array): number {
  return map.length === 0 ? 0 : (map[map.length - 1] ?? 0) + 1;
}

/** Elements whose whole content is page furniture or code, never article text. */
const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "nav",
  "footer",
  "aside",
  "form",
  "iframe",
  "svg",
  "template",
  "button",
  "select",
]);

/** Elements that start a new line of text. */
const BLOCK = new Set([
  "p",
  "div",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "ul",
  "ol",
  "tr",
  "td",
  "th",
  "table",
  "section",
  "article",
  "header",
  "main",
  "blockquote",
  "figure",
  "figcaption",
  "dd",
  "dt",
  "dl",
  "pre",
  "title",
  "address",
  "caption",
]);

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  copy: "©",
  reg: "®",
  times: "×",
  middot: "·",
  bull: "•",
  zwnj: "\u200c",
  zwj: "\u200d",
  shy: "",
  eacute: "é",
  egrave: "è",
  aacute: "á",
  uuml: "ü",
  ouml: "ö",
  auml: "ä",
};

const TAG_NAME = /^<\/?\s*([a-zA-Z][a-zA-Z0-9-]*)/;

/** True when the input looks like HTML rather than plain text. */
export function looksLikeHtml(input: string): boolean {
  return /<(?:!doctype|html|head|body|p|div|article|br|span|h[1-6]|a\s)[\s>/]/i.test(input.slice(0, 4096));
}

export function plainView(input: string): View {
  return { text: input, map: null, title: null };
}

/**
 * HTML to a view. A small hand-written scanner, not a DOM: article pages are tag soup, and the only structure
 * needed is which runs of text are content and where lines break.
 */
export function htmlView(input: string): View {
  const out: string[] = [];
  const map: number[] = [];
  let title: string | null = null;
  let h1: string | null = null;
  let skipUntil: string | null = null;
  let inTitle = false;
  let inH1 = false;
  let titleBuf = "";
  let pendingSpace = false;
  let lastWasNewline = true;

  const emit = (ch: string, at: number): void => {
    if (ch === "\n") {
      if (!lastWasNewline) {
        out.push("\n");
        map.push(at);
        lastWasNewline = true;
      }
      pendingSpace = false;
      return;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\u00a0") {
      pendingSpace = true;
      return;
    }
    if (pendingSpace && !lastWasNewline) {
      out.push(" ");
      map.push(at - 1 >= 0 ? at - 1 : at);
    }
    pendingSpace = false;
    out.push(ch);
    map.push(at);
    lastWasNewline = false;
  };

  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === 60 /* < */) {
      if (input.startsWith("<!--", i)) {
        const end = input.indexOf("-->", i + 4);
        i = end < 0 ? n : end + 3;
        continue;
      }
      const close = input.indexOf(">", i + 1);
      if (close < 0) {
        // A lone "<" in text: keep it as a character.
        if (skipUntil === null) emit("<", i);
        i++;
        continue;
      }
      const raw = input.slice(i, close + 1);
      const m = TAG_NAME.exec(raw);
      if (!m) {
        if (raw.startsWith("<!") || raw.startsWith("<?")) {
          i = close + 1;
          continue;
        }
        if (skipUntil === null) emit("<", i);
        i++;
        continue;
      }
      const name = (m[1] ?? "").toLowerCase();
      const closing = raw.charCodeAt(1) === 47 || /^<\s*\//.test(raw);
      if (skipUntil !== null) {
        if (closing && name === skipUntil) skipUntil = null;
        i = close + 1;
        continue;
      }
      if (name === "title") {
        inTitle = !closing;
        if (closing && title === null) title = titleBuf.replace(/\s+/g, " ").trim() || null;
        titleBuf = "";
        i = close + 1;
        continue;
      }
      if (name === "h1") {
        inH1 = !closing;
        if (!closing) titleBuf = "";
        else if (h1 === null) h1 = titleBuf.replace(/\s+/g, " ").trim() || null;
      }
      if (!closing && SKIPPED.has(name) && !raw.endsWith("/>")) {
        skipUntil = name;
        i = close + 1;
        continue;
      }
      if (BLOCK.has(name)) emit("\n", i);
      i = close + 1;
      continue;
    }
    if (skipUntil !== null) {
      i++;
      continue;
    }
    let ch: string;
    let len = 1;
    if (c === 38 /* & */) {
      const semi = input.indexOf(";", i + 1);
      if (semi > i && semi - i <= 10) {
        const decoded = decodeEntity(input.slice(i + 1, semi));
        if (decoded !== null) {
          ch = decoded;
          len = semi - i + 1;
        } else ch = "&";
      } else ch = "&";
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      ch = input.slice(i, i + 2);
      len = 2;
    } else {
      ch = input[i] ?? "";
    }
    if (inTitle) titleBuf += ch;
    else {
      if (inH1) titleBuf += ch;
      if (ch === "\n") emit(" ", i);
      else if (ch.length === 2) {
        // A surrogate pair: two view characters, two stored ones.
        emit(ch[0] ?? "", i);
        out.push(ch[1] ?? "");
        map.push(i + 1);
      } else if (ch.length > 0) emit(ch, i);
    }
    i += len;
  }
  const text = out.join("");
  return { text, map: Int32Array.from(map), title: h1 ?? title };
}

function decodeEntity(name: string): string | null {
  if (name.startsWith("#")) {
    const code =
      name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff) return null;
    const s = String.fromCodePoint(code);
    // The view keeps one character per stored entity so the map stays one-to-one.
    return s.length === 1 ? s : "\ufffd";
  }
  return NAMED_ENTITIES[name] ?? null;
}
