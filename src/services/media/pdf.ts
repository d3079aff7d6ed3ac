/**
 * PDF metadata removal. Authoring tools write who made a document, with what and when: the Info dictionary
 * (Author, Creator, Producer, Title, Subject, Keywords, CreationDate, ModDate, and any custom key), an XMP
 * stream (/Metadata, on the catalog and on pages, images or forms), /PieceInfo private data with its
 * /LastModified date, the author and dates of annotations, and the EXIF (GPS, camera) of embedded JPEG
 * photos. Incremental updates keep earlier revisions in the file, so a value edited or removed in a later
 * revision can still be read in the bytes.
 *
 * Active content goes too, so that opening stored evidence runs nothing, calls nowhere and unpacks nothing:
 * JavaScript (the Names tree's scripts, /OpenAction, /AA additional actions, /JS anywhere), every action but a
 * plain jump inside the document (URI, Launch, SubmitForm, ImportData, GoToR, GoToE, ...), embedded files (the
 * Names tree's /EmbeddedFiles, /EF, /AF, and the annotations that carry or play files) and XFA forms.
 *
 * The document is parsed with pdf-lib and written again as a single revision: only objects reachable from the
 * catalog are written (pdf-lib keeps every parsed object, referenced or not, so the unreachable ones are
 * deleted from its context first, and a script left without a reference cannot survive as an orphan), with no
 * Info dictionary and no file ID. The written file is read back and checked for active content. Encrypted or
 * unreadable PDFs are refused: what cannot be read cannot be vouched for.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFInvalidObject,
  PDFName,
  PDFNull,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from "pdf-lib";
import { AttachmentRejected } from "../attachments.js";

/** Keys that are metadata wherever they appear (catalog, page, form XObject, image, font descriptor...). */
const METADATA_KEYS = ["Metadata", "PieceInfo", "LastModified"].map((k) => PDFName.of(k));
const TYPE = PDFName.of("Type");
const SUBTYPE = PDFName.of("Subtype");
const RECT = PDFName.of("Rect");
const ANNOT = PDFName.of("Annot");
const WIDGET = PDFName.of("Widget");
/** An annotation's /T is its author (a form field's /T is its name, and stays); /M and /CreationDate dates. */
const ANNOT_AUTHOR = PDFName.of("T");
const ANNOT_DATES = ["M", "CreationDate"].map((k) => PDFName.of(k));

/**
 * Keys deleted wherever they appear: scripts (/JS, the Names tree's /JavaScript), actions run on opening or on
 * events (/OpenAction, /AA), embedded files (the Names tree's /EmbeddedFiles, a file specification's /EF, /AF
 * associated files), XFA forms (with their own scripts) and the flag that asks a reader to render them, and
 * the catalog's base /URI (useless once URI actions are gone).
 */
const ACTIVE_KEYS = new Set(
  ["JS", "JavaScript", "OpenAction", "AA", "EmbeddedFiles", "EF", "AF", "XFA", "NeedsRendering", "URI"].map(
    (k) => PDFName.of(k),
  ),
);
/** Every action type (/S) of PDF 1.7 and 2.0; of these only a plain /GoTo, a jump inside the document, stays. */
const ACTION_TYPES = new Set(
  [
    "GoTo",
    "GoToR",
    "GoToE",
    "GoToDp",
    "GoTo3DView",
    "Launch",
    "Thread",
    "URI",
    "Sound",
    "Movie",
    "Hide",
    "Named",
    "SubmitForm",
    "ResetForm",
    "ImportData",
    "JavaScript",
    "SetOCGState",
    "Rendition",
    "Trans",
    "RichMediaExecute",
  ].map((k) => PDFName.of(k)),
);
const S = PDFName.of("S");
const GOTO = PDFName.of("GoTo");
const ACTION = PDFName.of("Action");
const EMBEDDED_FILE = PDFName.of("EmbeddedFile");
/** Annotations that carry a file or play one: FileAttachment, RichMedia (Flash and its assets), 3D (which
 * may hold scripts), Movie (a movie file, possibly fetched from elsewhere). */
const FILE_ANNOTS = new Set(["FileAttachment", "RichMedia", "3D", "Movie"].map((k) => PDFName.of(k)));
/** Name and number tree leaves: [key value key value ...], where dropping a value would shift the pairs. */
const PAIR_ARRAYS = [PDFName.of("Names"), PDFName.of("Nums")];

const unreadable = (why: string) =>
  new AttachmentRejected(415, `file: the PDF could not be read (${why.slice(0, 120)})`);

/** Removes metadata keys from one dictionary; says whether it removed any. */
function scrub(dict: PDFDict): boolean {
  let changed = false;
  const drop = (key: PDFName) => {
    if (dict.has(key)) {
      dict.delete(key);
      changed = true;
    }
  };
  for (const key of METADATA_KEYS) drop(key);
  const subtype = dict.get(SUBTYPE);
  const isAnnotation = dict.has(RECT) && subtype instanceof PDFName && (dict.get(TYPE) ?? ANNOT) === ANNOT;
  if (isAnnotation) {
    for (const key of ANNOT_DATES) drop(key);
    if (subtype !== WIDGET) drop(ANNOT_AUTHOR);
  }
  return changed;
}

/**
 * Whether an object is active content as a whole, to be unlinked wherever it is referenced: an action other
 * than a plain GoTo (whatever its /Type says, since readers go by /S), an annotation that carries a file, or
 * an embedded file stream.
 */
function isActive(obj: PDFObject | undefined): boolean {
  if (obj instanceof PDFStream) return obj.dict.get(TYPE) === EMBEDDED_FILE;
  if (!(obj instanceof PDFDict)) return false;
  const type = obj.get(TYPE);
  const s = obj.get(S);
  if (s !== GOTO && (type === ACTION || (s instanceof PDFName && ACTION_TYPES.has(s)))) return true;
  const subtype = obj.get(SUBTYPE);
  return subtype instanceof PDFName && FILE_ANNOTS.has(subtype) && (type === undefined || type === ANNOT);
}

/** What active content a document still holds (a description), or null: the check of the written file. */
function findActive(doc: PDFDocument): string | null {
  const ctx = doc.context;
  const stack: PDFObject[] = ctx.enumerateIndirectObjects().map(([, o]) => o);
  for (let obj = stack.pop(); obj !== undefined; obj = stack.pop()) {
    if (obj instanceof PDFStream) stack.push(obj.dict);
    else if (obj instanceof PDFArray) stack.push(...obj.asArray());
    if (!(obj instanceof PDFDict)) continue;
    if (isActive(obj)) return "an action or an embedded file";
    for (const [key, value] of obj.entries()) {
      if (ACTIVE_KEYS.has(key)) return key.toString();
      stack.push(value);
    }
  }
  return null;
}

const FILTER = PDFName.of("Filter");
const DCT = PDFName.of("DCTDecode");
/** JPEG segments that are metadata: APP1 (EXIF, with GPS and the camera; XMP), APP12, APP13 (IPTC), COM. */
const JPEG_METADATA = new Set([0xe1, 0xec, 0xed, 0xfe]);

/** An image stream that is a JPEG file as is (the only filter is DCTDecode). */
function isJpeg(stream: PDFRawStream): boolean {
  const filter = stream.dict.lookup(FILTER);
  return filter === DCT || (filter instanceof PDFArray && filter.size() === 1 && filter.lookup(0) === DCT);
}

/**
 * A photo placed in a PDF is usually the camera's JPEG byte for byte, EXIF GPS included. This drops the
 * metadata segments before the first scan (where cameras and editors write them) and keeps the rest, image
 * data included, as it is; null when there is nothing to drop.
 */
function stripJpeg(jpeg: Uint8Array): Buffer | null {
  const b = Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  const broken = () => unreadable("an embedded JPEG image is malformed");
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) throw broken();
  const keep: Buffer[] = [b.subarray(0, 2)];
  let at = 2;
  let dropped = false;
  for (;;) {
    if (at + 2 > b.length || b[at] !== 0xff) throw broken();
    const marker = b[at + 1] as number;
    if (marker === 0xff) {
      at += 1; // a fill byte before the marker
      continue;
    }
    if (marker === 0xda) break; // start of scan: entropy-coded image data follows
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      keep.push(b.subarray(at, at + 2)); // markers without a length
      at += 2;
      continue;
    }
    if (at + 4 > b.length) throw broken();
    const length = b.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > b.length || marker === 0xd8 || marker === 0xd9) throw broken();
    if (JPEG_METADATA.has(marker)) dropped = true;
    else keep.push(b.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  if (!dropped) return null;
  keep.push(b.subarray(at));
  return Buffer.concat(keep);
}

/**
 * Scrubs every object reachable from the catalog, unlinks active content (its keys deleted, references to it
 * deleted from dictionaries and arrays), then deletes the objects that are not reachable (an old Info
 * dictionary, an XMP stream or a script no longer referenced, objects of earlier revisions). Says whether
 * anything was removed. Iterative, with a visited set: a reference cycle or a deep nesting cannot hang or
 * overflow it. Active content is recognised before it is entered, so nothing inside it is ever kept.
 */
function scrubDocument(doc: PDFDocument): boolean {
  const ctx = doc.context;
  let changed = false;
  const reachable = new Set<string>();
  const pairs = new WeakSet<PDFArray>();
  const root = ctx.trailerInfo.Root;
  const stack: PDFObject[] = root ? [root] : [];
  for (let obj = stack.pop(); obj !== undefined; obj = stack.pop()) {
    if (obj instanceof PDFRef) {
      if (reachable.has(obj.tag)) continue;
      reachable.add(obj.tag);
      const target = ctx.lookup(obj);
      if (target instanceof PDFRawStream && isJpeg(target)) {
        const clean = stripJpeg(target.contents);
        if (clean) {
          ctx.assign(obj, PDFRawStream.of(target.dict, clean)); // /Length is set again on save
          changed = true;
        }
      }
      if (target) stack.push(target);
    } else if (obj instanceof PDFInvalidObject) {
      // pdf-lib would copy its bytes verbatim, metadata and all: refuse rather than pass it through unseen.
      throw unreadable("an object in use could not be parsed");
    } else if (obj instanceof PDFStream) {
      stack.push(obj.dict);
    } else if (obj instanceof PDFDict) {
      if (scrub(obj)) changed = true;
      for (const [key, value] of obj.entries()) {
        const target = value instanceof PDFRef ? ctx.lookup(value) : value;
        if (ACTIVE_KEYS.has(key) || isActive(target)) {
          obj.delete(key);
          changed = true;
          continue;
        }
        if (target instanceof PDFArray && PAIR_ARRAYS.includes(key)) pairs.add(target);
        stack.push(value);
      }
    } else if (obj instanceof PDFArray) {
      // From the end, so that removing an element does not move the ones still to be seen.
      for (let i = obj.size() - 1; i >= 0; i--) {
        const value = obj.get(i);
        if (isActive(value instanceof PDFRef ? ctx.lookup(value) : value)) {
          if (pairs.has(obj)) obj.set(i, PDFNull);
          else obj.remove(i);
          changed = true;
        } else stack.push(value);
      }
    }
  }
  for (const [ref] of ctx.enumerateIndirectObjects()) {
    if (!reachable.has(ref.tag)) {
      ctx.delete(ref);
      changed = true;
    }
  }
  return changed;
}

/**
 * A PDF without its metadata, written as one revision. Every PDF is rewritten, even one that seems to carry
 * nothing: deciding from the bytes that a file is clean is a judgement the stored copy should not depend on.
 */
export async function stripPdf(bytes: Buffer): Promise<Buffer> {
  let doc: PDFDocument;
  let pages: number;
  try {
    // updateMetadata: false, or pdf-lib would write its own Producer, Creator and dates into the Info dict.
    // Encryption is checked here rather than caught: pdf-lib's error classes do not survive `instanceof`.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
    if (doc.isEncrypted)
      throw new AttachmentRejected(
        415,
        "file: the PDF is encrypted; remove its password protection and upload it again",
      );
    if (!(doc.catalog instanceof PDFDict)) throw new Error("no document catalog");
    pages = doc.getPageCount();
    const ctx = doc.context;
    // The trailer's Info is the document information dictionary; ID is derived from the file's first save.
    ctx.trailerInfo.Info = undefined;
    ctx.trailerInfo.ID = undefined;
    scrubDocument(doc);
  } catch (e) {
    if (e instanceof AttachmentRejected) throw e;
    throw unreadable((e as Error).message);
  }
  let out: Uint8Array;
  try {
    // No default page for an empty document, no form appearance regeneration (it would add an AcroForm), and
    // no object streams, so that what is written stays plainly visible in the bytes.
    out = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
    const again = await PDFDocument.load(out, { updateMetadata: false });
    if (again.getPageCount() !== pages) throw new Error("the rewritten document lost pages");
    const left = findActive(again);
    if (left) throw new Error(`active content remained (${left})`);
  } catch (e) {
    if (e instanceof AttachmentRejected) throw e;
    throw unreadable(`it could not be rewritten: ${(e as Error).message}`);
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
