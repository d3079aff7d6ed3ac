/**
 * PDF metadata removal. Authoring tools write who made a document, with what and when: the Info dictionary
 * (Author, Creator, Producer, Title, Subject, Keywords, CreationDate, ModDate, and any custom key), an XMP
 * stream (/Metadata, on the catalog and on pages, images or forms), /PieceInfo private data with its
 * /LastModified date, the author and dates of annotations, and the EXIF (GPS, camera) of embedded JPEG
 * photos. Incremental updates keep earlier revisions in the file, so a value edited or removed in a later
 * revision can still be read in the bytes.
 *
 * The document is parsed with pdf-lib and written again as a single revision: only objects reachable from the
 * catalog are written (pdf-lib keeps every parsed object, referenced or not, so the unreachable ones are
 * deleted from its context first), with no Info dictionary and no file ID. Encrypted or unreadable PDFs are
 * refused: what cannot be read cannot be vouched for.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFInvalidObject,
  PDFName,
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
 * Scrubs every object reachable from the catalog, then deletes the objects that are not reachable (an old
 * Info dictionary, an XMP stream no longer referenced, objects of earlier revisions). Says whether anything
 * was removed. Iterative, with a visited set: a reference cycle or a deep nesting cannot hang or overflow it.
 */
function scrubDocument(doc: PDFDocument): boolean {
  const ctx = doc.context;
  let changed = false;
  const reachable = new Set<string>();
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
      for (const [, value] of obj.entries()) stack.push(value);
    } else if (obj instanceof PDFArray) {
      for (let i = 0; i < obj.size(); i++) stack.push(obj.get(i));
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
  } catch (e) {
    if (e instanceof AttachmentRejected) throw e;
    throw unreadable(`it could not be rewritten: ${(e as Error).message}`);
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}
