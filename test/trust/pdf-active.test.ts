/**
 * Stored PDFs keep no active content: no JavaScript (document scripts, open and additional actions, /JS
 * anywhere), no actions that leave the document (URI, Launch, SubmitForm, ImportData, GoToR, GoToE), no
 * embedded files and no XFA. The fixtures are made here with pdf-lib; every payload carries a marker word, so
 * that the test can look for it in the stored bytes and in every decoded object. Names and addresses are
 * invented.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  type PDFRef,
  PDFStream,
  PDFString,
  StandardFonts,
} from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAttachment, storeAttachment, storedPath } from "../../src/services/attachments.js";
import { stripPdf } from "../../src/services/media/pdf.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const ascii = (s: string) => Buffer.from(s, "latin1");

const PAGE_ONE = "Casualty list, page one";
const PAGE_TWO = "Casualty list, page two";
/** One marker word per payload that must not survive. */
const MARKERS = [
  "js-open-action",
  "js-catalog-aa",
  "js-page-aa-stream",
  "js-names-tree",
  "js-next-chain",
  "js-field-aa",
  "js-annot-aa",
  "js-orphan-victor",
  "tracker.example",
  "launch-november",
  "gotor-other",
  "gotoe-oscar",
  "collect.example",
  "import-data-romeo",
  "attached-papa",
  "af-tango",
  "names-file-whiskey",
  "xfa-sierra",
  "base.example",
];
/** Names whose presence anywhere in the stored bytes would mean active content or an embedded file. */
const FORBIDDEN_NAMES = [
  "JavaScript",
  "JS",
  "URI",
  "Launch",
  "EmbeddedFile",
  "EmbeddedFiles",
  "OpenAction",
  "AA",
  "AF",
  "EF",
  "XFA",
  "SubmitForm",
  "ImportData",
  "GoToR",
  "GoToE",
  "FileAttachment",
];

/** Whether a text is in the bytes: plainly, as UTF-16BE, or in hex (as pdf-lib writes some strings). */
function inBytes(bytes: Buffer, text: string): boolean {
  const utf16 = Buffer.from(text, "utf16le").swap16();
  const hex = [ascii(text), utf16].map((x) => x.toString("hex")).flatMap((h) => [h, h.toUpperCase()]);
  return [ascii(text), utf16, ...hex.map(ascii)].some((f) => bytes.includes(f));
}

/** A PDF name written out, ended by a delimiter or whitespace (so /AA does not match /AAx). */
const nameIn = (text: string, name: string) => new RegExp(`/${name}(?=[\\s/<>\\[\\]()%{}]|$)`).test(text);

/** A document with every kind of active content and embedded file, each one carrying a marker. */
async function activePdf(useObjectStreams: boolean): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const p1 = doc.addPage([300, 200]);
  p1.drawText(PAGE_ONE, { x: 20, y: 100, size: 12, font });
  const p2 = doc.addPage([300, 200]);
  p2.drawText(PAGE_TWO, { x: 20, y: 100, size: 12, font });
  const ctx = doc.context;
  const js = (code: string) => ctx.obj({ Type: "Action", S: "JavaScript", JS: PDFString.of(code) });
  const rect = [10, 10, 60, 30];

  // Document-level: an open action and catalog additional actions, a script in the Names tree (pdf-lib writes
  // it on save), an embedded file in the Names tree and in /AF (doc.attach), a base URI.
  doc.catalog.set(PDFName.of("OpenAction"), ctx.register(js("app.alert('js-open-action')")));
  doc.catalog.set(PDFName.of("AA"), ctx.obj({ WC: js("js-catalog-aa") }));
  doc.addJavaScript("main", "app.alert('js-names-tree')");
  await doc.attach(ascii("names-file-whiskey"), "names-file-whiskey.txt", { mimeType: "text/plain" });
  doc.catalog.set(PDFName.of("URI"), ctx.obj({ Base: PDFString.of("https://base.example/") }));
  // An associated file whose stream is not compressed, so its content would show in the bytes.
  const afStream = ctx.register(ctx.stream("af-tango content", { Type: "EmbeddedFile" }));
  const afSpec = ctx.register(
    ctx.obj({ Type: "Filespec", F: PDFString.of("af-tango.txt"), EF: { F: afStream } }),
  );
  p2.node.set(PDFName.of("AF"), ctx.obj([afSpec]));

  // A page open action whose script is a stream.
  const pageScript = ctx.register(ctx.stream("app.alert('js-page-aa-stream')"));
  p1.node.set(PDFName.of("AA"), ctx.obj({ O: { S: "JavaScript", JS: pageScript } }));

  const link = (action: Record<string, unknown>) =>
    ctx.register(
      ctx.obj({ Type: "Annot", Subtype: "Link", Rect: rect, Border: [0, 0, 1], A: ctx.obj(action as never) }),
    );
  const uriLink = link({ S: "URI", URI: PDFString.of("https://tracker.example/uri-mike") });
  const launchLink = link({
    S: "Launch",
    F: PDFString.of("launch-november.exe"),
    Win: { F: PDFString.of("launch-november.exe"), P: PDFString.of("/c calc") },
  });
  // A jump inside the document stays; the script chained after it does not.
  const gotoLink = link({
    S: "GoTo",
    D: [p2.ref, "Fit"],
    Next: [js("js-next-chain"), ctx.obj({ S: "GoTo", D: [p1.ref, "Fit"] })],
  });
  const gotoRLink = link({ S: "GoToR", F: PDFString.of("gotor-other.pdf"), D: [0, "Fit"] });
  const gotoELink = link({ S: "GoToE", T: { R: "C", N: PDFString.of("gotoe-oscar.pdf") } });
  // A link whose script runs on mouse-over.
  const aaLink = ctx.register(
    ctx.obj({ Type: "Annot", Subtype: "Link", Rect: rect, AA: { E: js("js-annot-aa") } }),
  );
  // Form buttons that send the form away or read data in.
  const submit = ctx.register(
    ctx.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Btn",
      Ff: 65536,
      T: PDFString.of("send"),
      Rect: rect,
      A: {
        S: "SubmitForm",
        F: { FS: "URL", F: PDFString.of("https://collect.example/submit") },
      },
      AA: { K: js("js-field-aa") },
    }),
  );
  const importer = ctx.register(
    ctx.obj({
      Type: "Annot",
      Subtype: "Widget",
      FT: "Btn",
      Ff: 65536,
      T: PDFString.of("load"),
      Rect: rect,
      A: { S: "ImportData", F: PDFString.of("import-data-romeo.fdf") },
    }),
  );
  const note = ctx.register(
    ctx.obj({ Type: "Annot", Subtype: "Text", Rect: rect, Contents: PDFString.of("note text stays") }),
  );
  // A file attachment annotation, with a popup that points back at it.
  const attachedFile = ctx.register(ctx.stream("attached-papa content", { Type: "EmbeddedFile" }));
  const attachment = ctx.register(
    ctx.obj({
      Type: "Annot",
      Subtype: "FileAttachment",
      Rect: rect,
      Contents: PDFString.of("attached-papa.txt"),
      FS: { Type: "Filespec", F: PDFString.of("attached-papa.txt"), EF: { F: attachedFile } },
    }),
  );
  const popup = ctx.register(ctx.obj({ Type: "Annot", Subtype: "Popup", Rect: rect, Parent: attachment }));
  p1.node.set(
    PDFName.of("Annots"),
    ctx.obj([
      uriLink,
      launchLink,
      gotoLink,
      gotoRLink,
      gotoELink,
      aaLink,
      submit,
      importer,
      note,
      attachment,
      popup,
    ]),
  );
  // An AcroForm with an XFA form (which carries its own scripts).
  const xfa = ctx.register(
    ctx.stream(
      '<xdp:xdp><template><script contentType="application/x-javascript">xfa-sierra</script></template></xdp:xdp>',
    ),
  );
  doc.catalog.set(PDFName.of("AcroForm"), ctx.obj({ Fields: [submit, importer], XFA: xfa }));
  doc.catalog.set(PDFName.of("NeedsRendering"), ctx.obj(true));
  // An outline entry that opens a web page instead of going to its page.
  const outlines = ctx.nextRef();
  const item = ctx.register(
    ctx.obj({
      Title: PDFString.of("Section one"),
      Parent: outlines,
      A: { S: "URI", URI: PDFString.of("https://tracker.example/outline") },
    }),
  );
  ctx.assign(outlines, ctx.obj({ Type: "Outlines", First: item, Last: item, Count: 1 }));
  doc.catalog.set(PDFName.of("Outlines"), outlines);
  // A script nothing refers to: pdf-lib would write it out all the same.
  ctx.register(js("js-orphan-victor"));
  return Buffer.from(await doc.save({ useObjectStreams, updateFieldAppearances: false }));
}

/** Every object in a document, indirect or nested, with stream dictionaries; each stream's decoded bytes. */
function everything(doc: PDFDocument): { dicts: PDFDict[]; strings: string[]; streams: Buffer[] } {
  const dicts: PDFDict[] = [];
  const strings: string[] = [];
  const streams: Buffer[] = [];
  const stack: PDFObject[] = [
    doc.context.trailerInfo.Root,
    ...doc.context.enumerateIndirectObjects().map(([, o]) => o),
  ].filter((o): o is PDFObject => o !== undefined);
  for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
    if (o instanceof PDFStream) {
      stack.push(o.dict);
      if (o instanceof PDFRawStream) streams.push(Buffer.from(decodePDFRawStream(o).decode()));
    } else if (o instanceof PDFDict) {
      dicts.push(o);
      for (const [, v] of o.entries()) stack.push(v);
    } else if (o instanceof PDFArray) stack.push(...o.asArray());
    else if (o instanceof PDFString || o instanceof PDFHexString) strings.push(o.decodeText());
  }
  return { dicts, strings, streams };
}

const ACTION_TYPES = ["JavaScript", "URI", "Launch", "SubmitForm", "ImportData", "GoToR", "GoToE"];

/** What of the forbidden content a stored PDF still holds: an empty list when it is clean. */
async function activeContentIn(stored: Buffer): Promise<string[]> {
  const found: string[] = [];
  const text = stored.toString("latin1");
  for (const name of FORBIDDEN_NAMES) if (nameIn(text, name)) found.push(`bytes: /${name}`);
  for (const m of MARKERS) if (inBytes(stored, m)) found.push(`bytes: ${m}`);
  // The same, after decompression: parsed back (object streams included), every object walked.
  const doc = await PDFDocument.load(stored, { updateMetadata: false });
  const { dicts, strings, streams } = everything(doc);
  for (const d of dicts) {
    for (const [k] of d.entries())
      if (FORBIDDEN_NAMES.includes(k.decodeText())) found.push(`key: /${k.decodeText()}`);
    for (const key of ["S", "Subtype", "Type"]) {
      const v = d.get(PDFName.of(key));
      if (
        v instanceof PDFName &&
        [...ACTION_TYPES, "FileAttachment", "EmbeddedFile"].includes(v.decodeText())
      )
        found.push(`/${key} /${v.decodeText()}`);
    }
  }
  for (const s of [...strings, ...streams.map((b) => b.toString("latin1"))])
    for (const m of MARKERS) if (s.includes(m)) found.push(`decoded: ${m}`);
  return found;
}

const pageText = async (doc: PDFDocument, page: number) => {
  const contents = doc.getPage(page).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  return streams
    .map((s) => doc.context.lookup(s as PDFRef) as PDFRawStream)
    .map((s) => Buffer.from(decodePDFRawStream(s).decode()).toString("latin1"))
    .join("");
};

/** The page count, the pages' content and the harmless parts kept. */
async function expectContentKept(original: Buffer, stored: Buffer) {
  const before = await PDFDocument.load(original, { updateMetadata: false });
  const after = await PDFDocument.load(stored, { updateMetadata: false });
  expect(after.getPageCount()).toBe(2);
  for (const page of [0, 1]) {
    expect(await pageText(after, page)).toBe(await pageText(before, page));
    expect(after.getPage(page).getSize()).toEqual({ width: 300, height: 200 });
  }
  // The text note stays; so do the links' boxes, the in-document jump and the form fields, without actions.
  const annots = (after.getPage(0).node.Annots()?.asArray() ?? []).map((a) =>
    after.context.lookup(a, PDFDict),
  );
  const subtypes = annots.map((a) => a.get(PDFName.of("Subtype"))?.toString());
  expect(subtypes).not.toContain("/FileAttachment");
  expect(subtypes.filter((s) => s === "/Link")).toHaveLength(6);
  expect(subtypes.filter((s) => s === "/Widget")).toHaveLength(2);
  const note = annots.find((a) => a.get(PDFName.of("Subtype")) === PDFName.of("Text"));
  expect(note?.lookup(PDFName.of("Contents"), PDFString).asString()).toBe("note text stays");
  const jumps = annots
    .map((a) => a.lookupMaybe(PDFName.of("A"), PDFDict))
    .filter((a): a is PDFDict => a !== undefined);
  expect(jumps).toHaveLength(1);
  expect(jumps[0]?.get(PDFName.of("S"))).toBe(PDFName.of("GoTo"));
  expect(jumps[0]?.lookup(PDFName.of("D"), PDFArray).get(0)).toBe(after.getPage(1).ref);
  // The outline entry stays, with its title.
  const outlines = after.catalog.lookup(PDFName.of("Outlines"), PDFDict);
  const first = outlines.lookup(PDFName.of("First"), PDFDict);
  expect(first.lookup(PDFName.of("Title"), PDFString).asString()).toBe("Section one");
  const form = after.catalog.lookup(PDFName.of("AcroForm"), PDFDict);
  expect(form.lookup(PDFName.of("Fields"), PDFArray).size()).toBe(2);
  expect(after.catalog.has(PDFName.of("NeedsRendering"))).toBe(false);
}

describe("PDF active content", () => {
  it("the fixtures carry scripts, outward actions, embedded files and XFA", async () => {
    const plain = await activePdf(false);
    const found = await activeContentIn(plain);
    for (const name of FORBIDDEN_NAMES) expect(found, name).toContain(`bytes: /${name}`);
    for (const m of MARKERS) expect(found, m).toContain(`bytes: ${m}`);
    for (const m of MARKERS) expect(found, m).toContain(`decoded: ${m}`);
    // With object streams most of it is compressed out of sight of a byte scan, but not of the parser.
    const compressed = await activePdf(true);
    expect(compressed.includes(ascii("/ObjStm"))).toBe(true);
    expect(compressed.includes(ascii("js-open-action"))).toBe(false);
    expect(await activeContentIn(compressed)).toContain("decoded: js-open-action");
  });

  for (const useObjectStreams of [false, true])
    it(`removes all of it and keeps the pages (${useObjectStreams ? "object streams" : "plain objects"})`, async () => {
      const original = await activePdf(useObjectStreams);
      const stored = await stripPdf(original);
      expect(await activeContentIn(stored)).toEqual([]);
      await expectContentKept(original, stored);
      // Stripping again changes nothing more.
      const again = await stripPdf(stored);
      expect(again.toString("latin1").replace(/\/Size \d+/, "")).toBe(
        stored.toString("latin1").replace(/\/Size \d+/, ""),
      );
    });

  it("finds actions and keys hidden behind name escapes and in action chains", async () => {
    // /J#53 is /JS, /Java#53cript is /JavaScript, /#55RI is /URI, /Op#65nAction is /OpenAction.
    const hidden = ascii(
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/Op#65nAction 4 0 R>>endobj\n" +
        "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]/Annots[5 0 R]>>endobj\n" +
        "4 0 obj<</S/Java#53cript/J#53(js-open-action)>>endobj\n" +
        "5 0 obj<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/GoTo/D[3 0 R/Fit]/Next 6 0 R>>>>endobj\n" +
        "6 0 obj<</S/#55RI/#55RI(https://tracker.example/escaped)>>endobj\n" +
        "trailer<</Root 1 0 R>>\n%%EOF\n",
    );
    const found = await activeContentIn(hidden);
    expect(found).toContain("decoded: js-open-action");
    expect(found).toContain("decoded: tracker.example");
    const stored = await stripPdf(hidden);
    expect(await activeContentIn(stored)).toEqual([]);
    const doc = await PDFDocument.load(stored);
    expect(doc.getPageCount()).toBe(1);
    const link = doc.context.lookup(doc.getPage(0).node.Annots()?.get(0), PDFDict);
    const action = link.lookup(PDFName.of("A"), PDFDict);
    expect([action.get(PDFName.of("S")), action.has(PDFName.of("Next"))]).toEqual([
      PDFName.of("GoTo"),
      false,
    ]);
  });
});

describe.each(BACKENDS)("stored PDFs keep no active content on %s", (backend) => {
  let t: TestLedger;
  let media: string;
  beforeAll(async () => {
    media = mkdtempSync(join(tmpdir(), "tally-media-"));
    process.env.TALLY_MEDIA_DIR = media;
    t = await openTestLedger(backend);
  });
  afterAll(async () => {
    await t.cleanup();
    delete process.env.TALLY_MEDIA_DIR;
    rmSync(media, { recursive: true, force: true });
  });

  it("stores a PDF without its scripts, outward actions and embedded files", async () => {
    const original = await activePdf(true);
    const info = await storeAttachment(t.ledger, original, "reporter-bot");
    expect(info).toMatchObject({ type: "application/pdf", originalSha256: sha(original) });
    const onDisk = readFileSync(storedPath(media, info.sha256));
    expect(sha(onDisk)).toBe(info.sha256);
    expect(await activeContentIn(onDisk)).toEqual([]);
    await expectContentKept(original, onDisk);
    expect((await readAttachment(t.ledger, info.id))?.bytes.equals(onDisk)).toBe(true);
  });
});
