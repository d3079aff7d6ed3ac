/**
 * MP4 (ISO BMFF) metadata removal. A phone writes where and when a video was shot into boxes beside the media:
 * `udta` (©xyz holds an ISO 6709 GPS position, ©day a date, ©mak/©mod the phone), `meta` (QuickTime keys such
 * as com.apple.quicktime.location.ISO6709, iTunes tags), Adobe's XMP in a `uuid` box, the wall-clock
 * creation and modification times of the movie, its tracks and their media, handler names that name the
 * device, and whole tracks of timed metadata (GoPro telemetry with GPS fixes, for one).
 *
 * Nothing is moved: sample data is addressed by absolute file offsets (`stco`/`co64`), so removing or resizing
 * a box would break playback unless every offset were rewritten. Instead each metadata box is overwritten in
 * place by a `free` box of the same size with a zeroed payload, times are set to zero (= unknown), and the
 * samples of metadata tracks are zeroed where they lie. The output always has the input's length. A box tree
 * that does not add up is refused, never guessed at.
 */
import { AttachmentRejected } from "../attachments.js";

export interface Mp4Box {
  /** The four-character code read as latin1 (so 0xA9 "©xyz" reads as "©xyz"). */
  type: string;
  start: number;
  /** 8, or 16 with a 64-bit largesize; a `uuid` box's 16-byte user type counts as payload here. */
  headerSize: number;
  end: number;
  children?: Mp4Box[];
}

/** Boxes that hold only boxes. `meta` is a container too, with or without a FullBox header (see metaOffset). */
const CONTAINERS = new Set([
  "moov",
  "trak",
  "mdia",
  "minf",
  "stbl",
  "edts",
  "dinf",
  "mvex",
  "moof",
  "traf",
  "mfra",
  "udta",
  "meta",
]);

/** Adobe's XMP box: `uuid` with user type BE7ACFCB-97A9-42E8-9C71-999491E3AFAC. */
const XMP_UUID = Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex");

/** Real files nest a handful of levels; a deeper tree is hostile and is refused before it exhausts the stack. */
const MAX_DEPTH = 16;

const reject = (why: string) =>
  new AttachmentRejected(415, `file: the MP4 box structure is invalid (${why})`);

/** Reads the box header at `at`, checking that the box lies within [at, end). */
function readBox(bytes: Buffer, at: number, end: number): Mp4Box {
  if (end - at < 8) throw reject(`truncated box header at byte ${at}`);
  const size32 = bytes.readUInt32BE(at);
  const type = bytes.toString("latin1", at + 4, at + 8);
  let headerSize = 8;
  let size: number;
  if (size32 === 1) {
    if (end - at < 16) throw reject(`truncated 64-bit box header at byte ${at}`);
    const large = bytes.readBigUInt64BE(at + 8);
    // Anything past the parent is refused below, so a value beyond 2^53 needs no exact conversion.
    size = large > BigInt(end - at) ? Number.POSITIVE_INFINITY : Number(large);
    headerSize = 16;
  } else if (size32 === 0) {
    size = end - at; // "to the end of the file" (of the enclosing box, when nested)
  } else {
    size = size32;
  }
  if (size < headerSize) throw reject(`box "${printable(type)}" at byte ${at} is smaller than its header`);
  if (size > end - at) throw reject(`box "${printable(type)}" at byte ${at} runs past its parent`);
  if (type === "uuid" && size < headerSize + 16) throw reject(`uuid box at byte ${at} has no user type`);
  return { type, start: at, headerSize, end: at + size };
}

const printable = (type: string) => type.replace(/[^\x20-\x7e©]/g, "?");

/**
 * Where a `meta` box's children start. ISO BMFF's `meta` is a FullBox (4 bytes of version and flags first);
 * QuickTime's has no such header. Its first child is a `hdlr`, so whichever offset finds "hdlr" is right.
 */
function metaOffset(bytes: Buffer, box: Mp4Box): number {
  const p = box.start + box.headerSize;
  if (box.end - p >= 8 && bytes.toString("latin1", p + 4, p + 8) === "hdlr") return p;
  if (box.end - p >= 12 && bytes.toString("latin1", p + 8, p + 12) === "hdlr") return p + 4;
  // No handler where either form puts it: version/flags of zero mean a FullBox, anything else a box size.
  return box.end - p >= 4 && bytes.readUInt32BE(p) === 0 ? p + 4 : p;
}

/** Where a container's children start. */
function childOffset(bytes: Buffer, box: Mp4Box): number {
  return box.type === "meta" ? metaOffset(bytes, box) : box.start + box.headerSize;
}

/** The boxes tiling [start, end) exactly; `descend` says which containers to open. */
function walk(
  bytes: Buffer,
  start: number,
  end: number,
  depth: number,
  descend: (box: Mp4Box) => boolean,
): Mp4Box[] {
  if (depth > MAX_DEPTH) throw reject(`boxes nested more than ${MAX_DEPTH} deep`);
  const boxes: Mp4Box[] = [];
  let at = start;
  while (at < end) {
    // QuickTime allows a user-data list to end with a 32-bit zero instead of another box.
    if (end - at === 4 && bytes.readUInt32BE(at) === 0 && depth > 0) break;
    const box = readBox(bytes, at, end);
    if (CONTAINERS.has(box.type) && descend(box))
      box.children = walk(bytes, childOffset(bytes, box), box.end, depth + 1, descend);
    boxes.push(box);
    at = box.end; // Every box is at least 8 bytes long, so this always moves forward.
  }
  return boxes;
}

/** The whole box tree, udta and meta opened too; throws AttachmentRejected(415) when it does not add up. */
export function parseMp4(bytes: Buffer): Mp4Box[] {
  return walk(bytes, 0, bytes.length, 0, () => true);
}

const isXmp = (bytes: Buffer, box: Mp4Box) =>
  box.type === "uuid" &&
  bytes.subarray(box.start + box.headerSize, box.start + box.headerSize + 16).equals(XMP_UUID);

/** Boxes that are nothing but metadata, wherever they are: their contents are not parsed, only erased. */
const isMetadata = (bytes: Buffer, box: Mp4Box) =>
  box.type === "udta" || box.type === "meta" || isXmp(bytes, box);

/** Turns a box into `free` of the same size (same header form, so size/largesize stay) with a zero payload. */
function overwriteWithFree(out: Buffer, box: Mp4Box): void {
  out.write("free", box.start + 4, "latin1");
  out.fill(0, box.start + box.headerSize, box.end);
}

/** Zeroes creation_time and modification_time of mvhd, tkhd and mdhd (FullBoxes, version 0 or 1). */
function zeroTimes(out: Buffer, box: Mp4Box): void {
  const p = box.start + box.headerSize;
  if (box.end - p < 4) throw reject(`${box.type} at byte ${box.start} is truncated`);
  const version = out.readUInt8(p);
  // version 1: two 64-bit times; version 0: two 32-bit times (seconds since 1904).
  const width = version === 1 ? 16 : 8;
  if (box.end - (p + 4) < width) throw reject(`${box.type} at byte ${box.start} is truncated`);
  out.fill(0, p + 4, p + 4 + width);
}

/** A handler's name is free text ("GoPro AVC", "Core Media Video"): it names the device, so it is emptied. */
function emptyHandlerName(out: Buffer, hdlr: Mp4Box): void {
  // version/flags, pre_defined, handler_type, 3 reserved words, then the name.
  const name = hdlr.start + hdlr.headerSize + 24;
  if (name < hdlr.end) out.fill(0, name, hdlr.end);
}

/**
 * Tracks whose samples are metadata rather than picture or sound: ISO timed metadata (`meta`: GoPro's GPMF
 * telemetry with GPS fixes, Apple's `mebx` location samples) and Google's camera motion metadata (`camm`).
 */
const METADATA_HANDLERS = new Set(["meta", "camm"]);

const childOf = (box: Mp4Box | undefined, type: string) => box?.children?.find((b) => b.type === type);

/** A sample table box's payload, checked to hold at least `min` bytes. */
function table(bytes: Buffer, stbl: Mp4Box, type: string, min: number): Buffer | undefined {
  const box = childOf(stbl, type);
  if (!box) return undefined;
  const p = bytes.subarray(box.start + box.headerSize, box.end);
  if (p.length < min) throw reject(`${type} at byte ${box.start} is truncated`);
  return p;
}

/** Entry count at `at`, checked so that `count` entries of `width` bytes fit after `first`. */
function entries(p: Buffer, at: number, first: number, width: number, type: string): number {
  const count = p.readUInt32BE(at);
  if (count > (p.length - first) / width) throw reject(`${type} holds fewer entries than it counts`);
  return count;
}

/**
 * The byte ranges of a track's samples, from its sample tables: chunk offsets (stco/co64), samples per chunk
 * (stsc) and sample sizes (stsz/stz2). Work is bounded by the tables' lengths, and a range outside the file
 * is refused.
 */
function sampleRanges(bytes: Buffer, stbl: Mp4Box): [number, number][] {
  const stco = table(bytes, stbl, "stco", 8);
  const co64 = table(bytes, stbl, "co64", 8);
  const offsets: number[] = [];
  if (stco) {
    const n = entries(stco, 4, 8, 4, "stco");
    for (let i = 0; i < n; i++) offsets.push(stco.readUInt32BE(8 + 4 * i));
  } else if (co64) {
    const n = entries(co64, 4, 8, 8, "co64");
    for (let i = 0; i < n; i++) offsets.push(Number(co64.readBigUInt64BE(8 + 8 * i)));
  }
  const stsc = table(bytes, stbl, "stsc", 8);
  const runs: { first: number; perChunk: number }[] = [];
  if (stsc) {
    const n = entries(stsc, 4, 8, 12, "stsc");
    for (let i = 0; i < n; i++)
      runs.push({ first: stsc.readUInt32BE(8 + 12 * i), perChunk: stsc.readUInt32BE(12 + 12 * i) });
  }
  const stsz = table(bytes, stbl, "stsz", 12);
  const stz2 = table(bytes, stbl, "stz2", 12);
  let count = 0;
  let constant = 0; // stsz's sample_size: the size of every sample, or 0 when each has its own
  let size: (i: number) => number = () => 0;
  if (stsz) {
    constant = stsz.readUInt32BE(4);
    count = constant ? stsz.readUInt32BE(8) : entries(stsz, 8, 12, 4, "stsz");
    size = (i) => stsz.readUInt32BE(12 + 4 * i);
  } else if (stz2) {
    const bits = stz2.readUInt8(7);
    if (bits !== 4 && bits !== 8 && bits !== 16) throw reject(`stz2 field size ${bits}`);
    count = entries(stz2, 8, 12, bits / 8, "stz2");
    size = (i) =>
      bits === 16
        ? stz2.readUInt16BE(12 + 2 * i)
        : bits === 8
          ? stz2.readUInt8(12 + i)
          : (stz2.readUInt8(12 + (i >> 1)) >> (i % 2 ? 0 : 4)) & 0xf;
  }
  const ranges: [number, number][] = [];
  let sample = 0;
  let run = -1;
  for (let chunk = 1; chunk <= offsets.length && sample < count; chunk++) {
    while (run + 1 < runs.length && (runs[run + 1]?.first ?? Number.POSITIVE_INFINITY) <= chunk) run++;
    const n = Math.min(runs[run]?.perChunk ?? 0, count - sample);
    let length = 0;
    if (constant) length = n * constant;
    else for (let i = sample; i < sample + n; i++) length += size(i);
    sample += n;
    const start = offsets[chunk - 1] ?? 0;
    if (start + length > bytes.length) throw reject(`a chunk at byte ${start} runs past the end of the file`);
    ranges.push([start, start + length]);
  }
  return ranges;
}

/**
 * A copy of an MP4 with its metadata boxes turned into zeroed `free` boxes, its timestamps and handler names
 * zeroed, and the samples of its metadata tracks zeroed; the same length, every other byte (picture and sound
 * samples, chunk offsets) unchanged. Metadata tracks of fragmented files (moof) keep their samples.
 */
export function stripMp4(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  // The tree is read from the input and fully checked before anything is written.
  const tree = walk(bytes, 0, bytes.length, 0, (box) => !isMetadata(bytes, box));
  const visit = (boxes: Mp4Box[]) => {
    for (const box of boxes) {
      if (isMetadata(bytes, box)) overwriteWithFree(out, box);
      else if (box.type === "mvhd" || box.type === "tkhd" || box.type === "mdhd") zeroTimes(out, box);
      else if (box.type === "hdlr") emptyHandlerName(out, box);
      else if (box.children) {
        if (box.type === "trak") zeroMetadataSamples(box);
        visit(box.children);
      }
    }
  };
  const zeroMetadataSamples = (trak: Mp4Box) => {
    const hdlr = childOf(childOf(trak, "mdia"), "hdlr");
    if (!hdlr || hdlr.end - hdlr.start - hdlr.headerSize < 12) return;
    const handler = bytes.toString(
      "latin1",
      hdlr.start + hdlr.headerSize + 8,
      hdlr.start + hdlr.headerSize + 12,
    );
    const stbl = childOf(childOf(childOf(trak, "mdia"), "minf"), "stbl");
    if (!METADATA_HANDLERS.has(handler) || !stbl) return;
    for (const [start, end] of sampleRanges(bytes, stbl)) out.fill(0, start, end);
  };
  visit(tree);
  return out;
}
