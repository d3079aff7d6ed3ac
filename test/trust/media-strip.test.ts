/**
 * Videos and PDFs lose their metadata as photos do. The fixtures are made here: an MP4 box tree written by hand
 * (a phone's GPS position in udta/©xyz, QuickTime keys in meta, XMP in a uuid box, device clock times in
 * mvhd/tkhd/mdhd) and a PDF made with pdf-lib (Info dictionary, XMP, page PieceInfo, an annotation's author,
 * and an incremental update on top). The names and coordinates are invented.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  type PDFStream,
  PDFString,
  StandardFonts,
} from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AttachmentRejected,
  readAttachment,
  sniff,
  storeAttachment,
  storedPath,
} from "../../src/services/attachments.js";
import { type Mp4Box, parseMp4, stripMp4 } from "../../src/services/media/mp4.js";
import { stripPdf } from "../../src/services/media/pdf.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { jpegWithGps } from "./media.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

// ---------------------------------------------------------------------------------------------- MP4 fixture

const GPS = "+35.6892+051.3890/";
const XMP_TEXT =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="SyntheticVillage"/>' +
  "</rdf:RDF></x:xmpmeta>";
const XMP_UUID = Buffer.from("be7acfcb97a942e89c71999491e3afac", "hex");
/** 2024-05-01 in seconds since 1904, the MP4 epoch: what a phone's clock would write. */
const SHOT_AT = 3_797_452_800;
const SAMPLES = [Buffer.from("SAMPLE-ONE-frame-bytes"), Buffer.from("SAMPLE-TWO-frame-bytes!!")];
/** Two 16-byte samples of a GoPro-style telemetry track (handler "meta", sample entry "gpmd") with GPS fixes. */
const TELEMETRY = Buffer.from("GPS5+35.6892+051GPS5+35.6893+051");

const u8 = (...n: number[]) => Buffer.from(n);
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (...ns: number[]) => {
  const b = Buffer.alloc(4 * ns.length);
  ns.forEach((n, i) => {
    b.writeUInt32BE(n, 4 * i);
  });
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const ascii = (s: string) => Buffer.from(s, "latin1");

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(8 + body.length), ascii(type), body]);
}
/** A box with a 64-bit largesize (size field = 1). */
function largeBox(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  return Buffer.concat([u32(1), ascii(type), u64(16 + body.length), body]);
}
const fullBox = (type: string, version: number, ...payload: Buffer[]) =>
  box(type, u8(version, 0, 0, 0), ...payload);
const MATRIX = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);

function mp4Fixture(): Buffer {
  const ftyp = box("ftyp", ascii("isom"), u32(0x200), ascii("isomiso2avc1mp41"));
  const xmp = largeBox("uuid", XMP_UUID, ascii(XMP_TEXT));
  const mdatPayload = Buffer.concat([...SAMPLES, TELEMETRY]);
  const moov = (offsets: number[], telemetryAt: number) => {
    const mvhd = fullBox(
      "mvhd",
      0,
      u32(SHOT_AT, SHOT_AT + 60, 1000, 2000, 0x10000),
      u16(0x100),
      Buffer.alloc(10),
      MATRIX,
      Buffer.alloc(24),
      u32(2),
    );
    // Version 1: 64-bit times.
    const tkhd = fullBox(
      "tkhd",
      1,
      u64(SHOT_AT),
      u64(SHOT_AT + 60),
      u32(1, 0),
      u64(2000),
      Buffer.alloc(8),
      u16(0),
      u16(0),
      u16(0),
      u16(0),
      MATRIX,
      u32(320 << 16, 240 << 16),
    );
    const mdhd = fullBox("mdhd", 0, u32(SHOT_AT, SHOT_AT + 60, 1000, 2000), u16(0x55c4), u16(0));
    const hdlr = (handler: string) =>
      fullBox("hdlr", 0, u32(0), ascii(handler), Buffer.alloc(12), ascii("SyntheticHandler\0"));
    const stbl = box(
      "stbl",
      fullBox("stsd", 0, u32(0)),
      fullBox("stts", 0, u32(1, 2, 1000)),
      fullBox("stsc", 0, u32(1, 1, 1, 1)),
      fullBox("stsz", 0, u32(0, 2, SAMPLES[0]?.length ?? 0, SAMPLES[1]?.length ?? 0)),
      fullBox("stco", 0, u32(offsets.length, ...offsets)),
    );
    const minf = box(
      "minf",
      fullBox("vmhd", 0, u32(0, 0)),
      box("dinf", fullBox("dref", 0, u32(1), fullBox("url ", 0))),
      stbl,
    );
    // QuickTime-style meta (no version/flags) inside the track, as a phone's camera app writes it.
    const trakMeta = box("meta", hdlr("mdta"), box("keys", ascii("com.apple.quicktime.make SyntheticPhone")));
    const trak = box("trak", tkhd, box("mdia", mdhd, hdlr("vide"), minf), trakMeta);
    // The telemetry track: one chunk of two samples of a constant size, its offset in a 64-bit co64.
    const telemetry = box(
      "trak",
      tkhd,
      box(
        "mdia",
        mdhd,
        hdlr("meta"),
        box(
          "minf",
          fullBox("nmhd", 0),
          box(
            "stbl",
            fullBox("stsd", 0, u32(1), box("gpmd", Buffer.alloc(6), u16(1))),
            fullBox("stts", 0, u32(1, 2, 1000)),
            fullBox("stsc", 0, u32(1, 1, 2, 1)),
            fullBox("stsz", 0, u32(16, 2)),
            fullBox("co64", 0, u32(1), u64(telemetryAt)),
          ),
        ),
      ),
    );
    // ©xyz: 16-bit length, 16-bit language, the ISO 6709 position; ©mak: the phone; ended by QuickTime's 0.
    const udta = box(
      "udta",
      box("\xa9xyz", u16(GPS.length), u16(0x15c7), ascii(GPS)),
      box("\xa9mak", u16(14), u16(0x15c7), ascii("SyntheticPhone")),
      u32(0),
    );
    // ISO-style meta (a FullBox) at movie level with an Apple location key.
    const moovMeta = fullBox(
      "meta",
      0,
      hdlr("mdta"),
      box("keys", ascii("com.apple.quicktime.location.ISO6709")),
      box("ilst", box("data", ascii(`${GPS}+1200.000/`))),
    );
    return box("moov", mvhd, trak, telemetry, udta, moovMeta);
  };
  const before = ftyp.length + xmp.length + moov([0, 0], 0).length + 16; // + mdat's 64-bit header
  const offsets = [before, before + (SAMPLES[0]?.length ?? 0)];
  const telemetryAt = before + Buffer.concat(SAMPLES).length;
  const mdat = largeBox("mdat", mdatPayload);
  // A last box of size 0 runs to the end of the file.
  const tail = Buffer.concat([u32(0), ascii("free"), Buffer.alloc(12, 7)]);
  return Buffer.concat([ftyp, xmp, moov(offsets, telemetryAt), mdat, tail]);
}

function find(boxes: Mp4Box[], path: string[]): Mp4Box[] {
  const [head, ...rest] = path;
  const here = boxes.filter((b) => b.type === head);
  return rest.length === 0 ? here : here.flatMap((b) => find(b.children ?? [], rest));
}
const one = (boxes: Mp4Box[], path: string[]): Mp4Box => {
  const found = find(boxes, path);
  expect(found).toHaveLength(1);
  return found[0] as Mp4Box;
};
const payload = (bytes: Buffer, b: Mp4Box) => bytes.subarray(b.start + b.headerSize, b.end);

const rejected = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof AttachmentRejected && e.statusCode === 415 && e.message.startsWith("file: ");
  }
  return false;
};

describe("MP4 metadata", () => {
  const original = mp4Fixture();
  const tree = parseMp4(original);

  it("the fixture is an MP4 with the metadata in it, both meta forms parsed", async () => {
    expect(await sniff(original)).toBe("video/mp4");
    expect(tree.map((b) => b.type)).toEqual(["ftyp", "uuid", "moov", "mdat", "free"]);
    expect(one(tree, ["moov", "udta", "\xa9xyz"])).toBeDefined();
    // The ISO meta's children start after version/flags, the QuickTime one's at once: both find their hdlr.
    expect(one(tree, ["moov", "meta"]).children?.map((b) => b.type)).toEqual(["hdlr", "keys", "ilst"]);
    expect(one(tree, ["moov", "trak", "meta"]).children?.map((b) => b.type)).toEqual(["hdlr", "keys"]);
    for (const s of [GPS, "SyntheticVillage", "SyntheticPhone", "SyntheticHandler", "ISO6709", "GPS5"])
      expect(original.includes(ascii(s)), s).toBe(true);
  });

  it("overwrites udta, meta and the XMP uuid with free boxes and zeroes the times, moving nothing", () => {
    const stripped = stripMp4(original);
    expect(stripped.length).toBe(original.length);
    expect(original.equals(mp4Fixture())).toBe(true); // The input is not modified.
    for (const s of [GPS, "SyntheticVillage", "SyntheticPhone", "SyntheticHandler", "ISO6709", "xmpmeta"])
      expect(stripped.includes(ascii(s)), s).toBe(false);
    for (const s of ["\xa9xyz", "+35.689", "GPS5"]) expect(stripped.includes(ascii(s)), s).toBe(false);

    const after = parseMp4(stripped);
    expect(after.map((b) => b.type)).toEqual(["ftyp", "free", "moov", "mdat", "free"]);
    expect(one(after, ["moov"]).children?.map((b) => b.type)).toEqual([
      "mvhd",
      "trak",
      "trak",
      "free",
      "free",
    ]);
    const [video, telemetry] = find(after, ["moov", "trak"]) as [Mp4Box, Mp4Box];
    expect(video.children?.map((b) => b.type)).toEqual(["tkhd", "mdia", "free"]);
    // The XMP box kept its 64-bit header form and size; the payloads are zero.
    expect(after[1]).toEqual({ ...tree[1], type: "free" });
    for (const b of [after[1], ...find(after, ["moov", "free"]), ...find(after, ["moov", "trak", "free"])])
      expect(b && payload(stripped, b).every((x) => x === 0)).toBe(true);

    // The picture samples and the chunk offsets are untouched, and the offsets still point at the samples.
    const stcoPath = ["moov", "trak", "mdia", "minf", "stbl", "stco"];
    const stco = payload(stripped, one(after, stcoPath));
    expect(stco.equals(payload(original, one(tree, stcoPath)))).toBe(true);
    const offsets = [stco.readUInt32BE(8), stco.readUInt32BE(12)];
    SAMPLES.forEach((s, i) => {
      expect(stripped.subarray(offsets[i], (offsets[i] ?? 0) + s.length).equals(s)).toBe(true);
    });
    // The telemetry samples (GPS fixes) are zeroed where they were; co64 still points there.
    const co64Path = ["moov", "trak", "mdia", "minf", "stbl", "co64"];
    const co64 = payload(stripped, one(after, co64Path));
    expect(co64.equals(payload(original, one(tree, co64Path)))).toBe(true);
    const telemetryAt = Number(co64.readBigUInt64BE(8));
    expect(original.subarray(telemetryAt, telemetryAt + TELEMETRY.length).equals(TELEMETRY)).toBe(true);
    expect(stripped.subarray(telemetryAt, telemetryAt + TELEMETRY.length).every((x) => x === 0)).toBe(true);
    expect(one(after, ["mdat"])).toEqual(one(tree, ["mdat"]));

    // Creation and modification times are zero: 32-bit in mvhd and mdhd (version 0), 64-bit in tkhd (version 1).
    const mvhd = payload(stripped, one(after, ["moov", "mvhd"]));
    expect([mvhd.readUInt32BE(4), mvhd.readUInt32BE(8), mvhd.readUInt32BE(12)]).toEqual([0, 0, 1000]);
    for (const trak of [video, telemetry]) {
      const mdhd = payload(stripped, one([trak], ["trak", "mdia", "mdhd"]));
      expect([mdhd.readUInt32BE(4), mdhd.readUInt32BE(8), mdhd.readUInt32BE(12)]).toEqual([0, 0, 1000]);
      const tkhd = payload(stripped, one([trak], ["trak", "tkhd"]));
      expect([tkhd.readBigUInt64BE(4), tkhd.readBigUInt64BE(12), tkhd.readUInt32BE(20)]).toEqual([0n, 0n, 1]);
      // The handler type stays (players need it); its free-text name is emptied.
      const hdlr = payload(stripped, one([trak], ["trak", "mdia", "hdlr"]));
      expect(hdlr.toString("latin1", 8, 12)).toBe(trak === video ? "vide" : "meta");
      expect(hdlr.subarray(24).every((x) => x === 0)).toBe(true);
    }

    // Nothing else changed: every differing byte is inside a removed box, a time field, a handler name or a
    // telemetry sample.
    const span = (b: Mp4Box, from: number, to: number): [number, number] => [b.start + from, b.start + to];
    const allowed: [number, number][] = [
      span(tree[1] as Mp4Box, 4, (tree[1]?.end ?? 0) - (tree[1]?.start ?? 0)),
      ...[find(tree, ["moov", "udta"]), find(tree, ["moov", "meta"]), find(tree, ["moov", "trak", "meta"])]
        .flat()
        .map((b) => span(b, 4, b.end - b.start)),
      span(one(tree, ["moov", "mvhd"]), 12, 20),
      ...find(tree, ["moov", "trak", "mdia", "mdhd"]).map((b) => span(b, 12, 20)),
      ...find(tree, ["moov", "trak", "tkhd"]).map((b) => span(b, 12, 28)),
      ...find(tree, ["moov", "trak", "mdia", "hdlr"]).map((b) => span(b, 32, b.end - b.start)),
      [telemetryAt, telemetryAt + TELEMETRY.length],
    ];
    const changed = [...original.keys()].filter((i) => original[i] !== stripped[i]);
    expect(changed.length).toBeGreaterThan(0);
    for (const i of changed)
      expect(
        allowed.some(([s, e]) => i >= s && i < e),
        `byte ${i}`,
      ).toBe(true);

    // Stripping is idempotent.
    expect(stripMp4(stripped).equals(stripped)).toBe(true);
  });

  it("refuses box trees that do not add up", () => {
    const moov = (inner: Buffer) => box("moov", inner);
    const cases: [string, Buffer][] = [
      ["child runs past its parent", Buffer.concat([u32(16), ascii("moov"), u32(64), ascii("trak")])],
      ["truncated header", Buffer.concat([box("ftyp", ascii("isom")), u8(0, 0, 0)])],
      ["size smaller than header", Buffer.concat([u32(4), ascii("free")])],
      ["largesize smaller than header", Buffer.concat([u32(1), ascii("free"), u64(8)])],
      [
        "largesize beyond 2^53",
        Buffer.concat([u32(1), ascii("free"), Buffer.from("7fffffffffffffff", "hex"), u32(0)]),
      ],
      ["truncated 64-bit header", Buffer.concat([u32(1), ascii("free"), u32(0)])],
      ["uuid without user type", box("uuid", u32(0))],
      ["mvhd too short for its times", moov(fullBox("mvhd", 1, u32(1)))],
      ["nested too deep", Array.from({ length: 40 }).reduce<Buffer>((b) => moov(b), box("free"))],
      [
        "past end in the middle of the file",
        Buffer.concat([box("ftyp", ascii("isom")), u32(1000), ascii("mdat")]),
      ],
    ];
    // A metadata track whose chunk lies past the end of the file, or whose size table is shorter than counted.
    const stbl = one(find(tree, ["moov", "trak"])[1]?.children ?? [], ["mdia", "minf", "stbl"]);
    const co64 = one(stbl.children ?? [], ["co64"]);
    const farChunk = Buffer.from(original);
    farChunk.writeBigUInt64BE(BigInt(original.length - 8), co64.start + 16);
    cases.push(["chunk past the end of the file", farChunk]);
    const stsz = one(stbl.children ?? [], ["stsz"]);
    const shortTable = Buffer.from(original);
    shortTable.writeUInt32BE(0, stsz.start + 12); // sample_size 0: a table of 2 sizes that is not there
    cases.push(["sample size table shorter than counted", shortTable]);
    for (const [name, bytes] of cases) {
      expect(
        rejected(() => stripMp4(bytes)),
        name,
      ).toBe(true);
    }
    expect(() => stripMp4(cases[0]?.[1] as Buffer)).toThrow(/^file: the MP4 box structure is invalid/);
  });

  it("fuzz: random bytes and corrupted files give the same length or AttachmentRejected", () => {
    const outcome = (bytes: Buffer) => {
      try {
        return stripMp4(bytes).length === bytes.length;
      } catch (e) {
        return e instanceof AttachmentRejected && e.statusCode === 415 && e.message.startsWith("file: ");
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (a) => outcome(Buffer.from(a))),
      { numRuns: 1000 },
    );
    // Random boxes with plausible types and sizes reach deeper than pure noise does.
    const types = [
      "moov",
      "trak",
      "mdia",
      "minf",
      "stbl",
      "udta",
      "meta",
      "uuid",
      "mvhd",
      "tkhd",
      "mdhd",
      "free",
    ];
    const randomBox: fc.Arbitrary<Buffer> = fc.letrec<{ b: Buffer }>((tie) => ({
      b: fc.oneof(
        { depthSize: "small" },
        fc
          .tuple(fc.constantFrom(...types), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -3, max: 3 }))
          .map(([t, p, skew]) => {
            const b = box(t, Buffer.from(p));
            b.writeUInt32BE(Math.max(0, b.length + skew), 0);
            return b;
          }),
        fc
          .tuple(fc.constantFrom(...types), fc.array(tie("b"), { maxLength: 4 }), fc.boolean())
          .map(([t, kids, meta]) => box(t, meta ? u32(0) : Buffer.alloc(0), ...kids)),
      ),
    })).b;
    fc.assert(
      fc.property(fc.array(randomBox, { maxLength: 5 }), (boxes) => outcome(Buffer.concat(boxes))),
      { numRuns: 1000 },
    );
    // The valid fixture with bytes overwritten, 32-bit words replaced (sizes, mostly), or cut short.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 0xffffffff })), { maxLength: 3 }),
        fc.option(fc.nat()),
        (edits, words, cut) => {
          let bytes = Buffer.from(original);
          for (const [pos, v] of edits) bytes[pos % bytes.length] = v;
          for (const [pos, v] of words) bytes.writeUInt32BE(v, pos % (bytes.length - 4));
          if (cut !== null) bytes = bytes.subarray(0, cut % bytes.length);
          return outcome(bytes);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------------- PDF fixture

const PDF_SECRETS = [
  "Reporter Name",
  "Secret Title Alpha",
  "Subject Bravo",
  "keyword-charlie",
  "Creator Delta App",
  "Producer Echo Lib",
  "+98 912 000 0000",
  "SyntheticVillage",
  "page-xmp-golf",
  "piece-foxtrot",
  "Annotator Hotel",
  "Revision Two Title",
  "custom-juliet",
  "orphan-kilo",
  "SyntheticPhone",
  "D:2024",
];
const PAGE_TEXT = "Casualty list, page one";

/** Whether a text is in the bytes, written plainly, as UTF-16BE, or in hex (as pdf-lib writes Info values). */
function contains(bytes: Uint8Array, text: string): boolean {
  const b = Buffer.from(bytes);
  const utf16 = Buffer.from(text, "utf16le").swap16();
  const forms = [
    ascii(text),
    utf16,
    ...[ascii(text), utf16]
      .map((x) => x.toString("hex"))
      .flatMap((h) => [h, h.toUpperCase()])
      .map(ascii),
  ];
  return forms.some((f) => b.includes(f));
}

async function pdfFixture(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText(PAGE_TEXT, { x: 20, y: 100, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  // A phone photo placed on the second page: pdf-lib embeds the JPEG as it is, EXIF GPS and all.
  const photo = await doc.embedJpg(await jpegWithGps());
  doc.addPage([300, 200]).drawImage(photo, { x: 10, y: 10, width: 64, height: 48 });
  doc.setAuthor("Reporter Name");
  doc.setTitle("Secret Title Alpha");
  doc.setSubject("Subject Bravo");
  doc.setKeywords(["keyword-charlie"]);
  doc.setCreator("Creator Delta App");
  doc.setProducer("Producer Echo Lib");
  doc.setCreationDate(new Date("2024-05-01T10:00:00Z"));
  doc.setModificationDate(new Date("2024-05-02T10:00:00Z"));
  const ctx = doc.context;
  const info = ctx.lookup(ctx.trailerInfo.Info, PDFDict);
  info.set(PDFName.of("ReporterPhone"), PDFString.of("+98 912 000 0000"));
  const xmp = (text: string) => ctx.register(ctx.stream(text, { Type: "Metadata", Subtype: "XML" }));
  doc.catalog.set(PDFName.of("Metadata"), xmp(XMP_TEXT));
  page.node.set(PDFName.of("Metadata"), xmp("<x:xmpmeta>page-xmp-golf</x:xmpmeta>"));
  page.node.set(
    PDFName.of("PieceInfo"),
    ctx.obj({
      SyntheticApp: { LastModified: PDFString.of("D:20240501"), Private: PDFString.of("piece-foxtrot") },
    }),
  );
  page.node.set(PDFName.of("LastModified"), PDFString.of("D:20240501"));
  const note = ctx.obj({
    Type: "Annot",
    Subtype: "Text",
    Rect: [10, 10, 30, 30],
    Contents: PDFString.of("annotation text stays"),
    T: PDFString.of("Annotator Hotel"),
    M: PDFString.of("D:20240501"),
  });
  page.node.set(PDFName.of("Annots"), ctx.obj([ctx.register(note)]));
  const rev1 = Buffer.from(await doc.save({ useObjectStreams: false }));

  // An incremental update on top: the Info object replaced (the first revision's stays in the bytes), an XMP
  // stream no longer referenced by anything, and a file ID.
  const infoNum = (ctx.trailerInfo.Info as PDFRef).objectNumber;
  const rootNum = (ctx.trailerInfo.Root as PDFRef).objectNumber;
  const orphanNum = ctx.largestObjectNumber + 1;
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(rev1.toString("latin1"))?.[1]);
  const objects = [
    `${infoNum} 0 obj\n<< /Author (Reporter Name) /Title (Revision Two Title) /CustomRevisionKey (custom-juliet) >>\nendobj\n`,
    `${orphanNum} 0 obj\n<< /Type /Metadata /Subtype /XML /Length 36 >>\nstream\n<x:xmpmeta>orphan-kilo</x:xmpmeta>\nendstream\nendobj\n`,
  ];
  let at = rev1.length;
  const offsets = objects.map((o) => {
    const here = at;
    at += o.length;
    return here;
  });
  const entry = (n: number) => `${String(n).padStart(10, "0")} 00000 n \n`;
  const update =
    objects.join("") +
    `xref\n0 1\n0000000000 65535 f \n${infoNum} 1\n${entry(offsets[0] ?? 0)}${orphanNum} 1\n${entry(offsets[1] ?? 0)}` +
    `trailer\n<< /Size ${orphanNum + 1} /Root ${rootNum} 0 R /Info ${infoNum} 0 R /Prev ${prev} ` +
    `/ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n${at}\n%%EOF\n`;
  return Buffer.concat([rev1, ascii(update)]);
}

const contentsOf = (doc: PDFDocument, page: number) => {
  const contents = doc.getPage(page).node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
  return streams.map((s) => {
    const stream = (s instanceof PDFRef ? doc.context.lookup(s) : s) as PDFStream;
    expect(stream).toBeInstanceOf(PDFRawStream);
    return Buffer.from((stream as PDFRawStream).getContents());
  });
};

describe("PDF metadata", () => {
  let original: Buffer;
  let stripped: Buffer;
  beforeAll(async () => {
    original = await pdfFixture();
    stripped = await stripPdf(original);
  });

  it("the fixture carries every kind of metadata, in two revisions", async () => {
    expect(await sniff(original)).toBe("application/pdf");
    for (const s of PDF_SECRETS) expect(contains(original, s), s).toBe(true);
    expect(original.toString("latin1").match(/%%EOF/g)).toHaveLength(2);
    const doc = await PDFDocument.load(original, { updateMetadata: false });
    expect(doc.getTitle()).toBe("Revision Two Title");
  });

  it("removes Info, XMP, PieceInfo, annotation authors, old revisions and unreferenced objects", async () => {
    for (const s of PDF_SECRETS) expect(contains(stripped, s), s).toBe(false);
    // pdf-lib did not sign its own work either (it writes its name as Producer unless told not to).
    expect(contains(stripped, "pdf-lib")).toBe(false);
    const text = stripped.toString("latin1");
    for (const key of ["/Info", "/Metadata", "/PieceInfo", "/LastModified", "/ID", "/Author", "/Producer"])
      expect(text.includes(key), key).toBe(false);
    expect(text.match(/%%EOF/g)).toHaveLength(1);

    const doc = await PDFDocument.load(stripped, { updateMetadata: false });
    expect(doc.context.trailerInfo.Info).toBeUndefined();
    expect(doc.context.trailerInfo.ID).toBeUndefined();
    expect([doc.getAuthor(), doc.getTitle(), doc.getProducer(), doc.getCreator()]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(doc.catalog.has(PDFName.of("Metadata"))).toBe(false);
    // The pages, their text and the annotation's own text survive.
    expect(doc.getPageCount()).toBe(2);
    const before = await PDFDocument.load(original, { updateMetadata: false });
    expect(contentsOf(doc, 0)).toEqual(contentsOf(before, 0));
    expect(contentsOf(doc, 0).join("").length).toBeGreaterThan(0);
    const annots = doc.getPage(0).node.Annots();
    const note = doc.context.lookup(annots?.get(0), PDFDict);
    expect(note.lookup(PDFName.of("Contents"), PDFString).asString()).toBe("annotation text stays");
    expect(note.has(PDFName.of("T"))).toBe(false);
    expect(doc.getPage(0).getSize()).toEqual({ width: 300, height: 200 });
    // The photo is still a JPEG that decodes, without its EXIF and XMP.
    const images = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter(
        (o): o is PDFRawStream =>
          o instanceof PDFRawStream && o.dict.get(PDFName.of("Subtype")) === PDFName.of("Image"),
      );
    expect(images).toHaveLength(1);
    const photo = await sharp(Buffer.from(images[0]?.contents ?? [])).metadata();
    expect([photo.format, photo.width, photo.height, photo.exif, photo.xmp]).toEqual([
      "jpeg",
      64,
      48,
      undefined,
      undefined,
    ]);
    // Nothing is written that the document does not use.
    expect(doc.context.enumerateIndirectObjects().length).toBeLessThan(
      before.context.enumerateIndirectObjects().length,
    );
    // Stripping again finds nothing more to remove (only the trailer's /Size shrinks to the objects left).
    const again = await stripPdf(stripped);
    expect(again.toString("latin1").replace(/\/Size \d+/, "")).toBe(text.replace(/\/Size \d+/, ""));
  });

  it("rewrites every PDF, and finds an Info dictionary hidden behind name escapes", async () => {
    const bare = ascii(
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    );
    const rewritten = await stripPdf(bare);
    expect(rewritten.equals(bare)).toBe(false);
    expect((await PDFDocument.load(rewritten)).getPageCount()).toBe(0);
    // The same with an Info dictionary behind name escapes (/Inf#6f, /Auth#6fr): rewritten, author gone.
    const hidden = ascii(
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" +
        "3 0 obj<</Auth#6fr(Reporter Name)>>endobj\ntrailer<</Root 1 0 R/Inf#6f 3 0 R>>\n%%EOF\n",
    );
    const out = await stripPdf(hidden);
    expect(contains(out, "Reporter Name")).toBe(false);
    expect((await PDFDocument.load(out)).getPageCount()).toBe(0);
  });

  it("reads compressed object streams and cross-reference streams", async () => {
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.setAuthor("Reporter Name");
    const compressed = Buffer.from(await doc.save()); // pdf-lib writes object streams by default
    expect(compressed.includes(ascii("/ObjStm"))).toBe(true);
    expect((await PDFDocument.load(compressed, { updateMetadata: false })).getAuthor()).toBe("Reporter Name");
    const out = await stripPdf(compressed);
    expect(contains(out, "Reporter Name")).toBe(false);
    const again = await PDFDocument.load(out, { updateMetadata: false });
    expect([again.getAuthor(), again.getProducer(), again.getPageCount()]).toEqual([undefined, undefined, 1]);
  });

  it("refuses encrypted and unreadable PDFs with a 415 naming the file field", async () => {
    const rev1 = original.subarray(0, original.toString("latin1").indexOf("%%EOF") + 5);
    const encrypted = Buffer.concat([
      rev1,
      ascii(
        "99 0 obj\n<< /Filter /Standard /V 1 /R 2 /P -4 >>\nendobj\ntrailer\n<< /Root 1 0 R /Encrypt 99 0 R >>\n%%EOF\n",
      ),
    ]);
    await expect(stripPdf(encrypted)).rejects.toMatchObject({
      statusCode: 415,
      message: expect.stringMatching(/^file: the PDF is encrypted/),
    });
    for (const bad of [
      ascii("%PDF-1.7\n"),
      ascii("%PDF-1.7\nthis is not a document\n%%EOF\n"),
      original.subarray(0, 400),
    ])
      await expect(stripPdf(bad)).rejects.toMatchObject({
        statusCode: 415,
        message: expect.stringMatching(/^file: the PDF could not be read/),
      });
  });

  it("fuzz: corrupted PDFs are stripped or refused with AttachmentRejected", async () => {
    const rev1 = original.subarray(0, original.toString("latin1").indexOf("%%EOF") + 5);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.option(fc.nat()),
        async (edits, cut) => {
          let bytes = Buffer.from(rev1);
          for (const [pos, v] of edits) bytes[pos % bytes.length] = v;
          if (cut !== null) bytes = bytes.subarray(0, Math.max(9, cut % bytes.length));
          let out: Buffer;
          try {
            out = await stripPdf(bytes);
          } catch (e) {
            return e instanceof AttachmentRejected && e.statusCode === 415 && e.message.startsWith("file: ");
          }
          // Whatever came through has no Info dictionary and reads again.
          const again = await PDFDocument.load(out, { updateMetadata: false });
          return again.context.trailerInfo.Info === undefined && again.getAuthor() === undefined;
        },
      ),
      { numRuns: 60 },
    );
  });
});

// ---------------------------------------------------------------------------------------------- end to end

describe.each(BACKENDS)("storeAttachment strips MP4 and PDF on %s", (backend) => {
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

  it("stores an MP4 without its GPS and a PDF without its author, keeping the upload's hash", async () => {
    const mp4 = mp4Fixture();
    const pdf = await pdfFixture();
    for (const [upload, type, secrets] of [
      [mp4, "video/mp4", [GPS, "SyntheticVillage", "SyntheticPhone"]],
      [pdf, "application/pdf", PDF_SECRETS],
    ] as const) {
      const info = await storeAttachment(t.ledger, upload, "reporter-bot");
      expect(info.type).toBe(type);
      expect(info.originalSha256).toBe(sha(upload));
      expect(info.sha256).not.toBe(sha(upload));
      const onDisk = readFileSync(storedPath(media, info.sha256));
      expect(sha(onDisk)).toBe(info.sha256);
      expect(info.bytes).toBe(onDisk.length);
      for (const s of secrets) expect(contains(onDisk, s), s).toBe(false);
      const read = await readAttachment(t.ledger, info.id);
      expect(read?.bytes.equals(onDisk)).toBe(true);
      // The same upload again is the same attachment.
      expect(await storeAttachment(t.ledger, upload, "reporter-bot")).toEqual(info);
    }
  });

  it("refuses a malformed MP4 and an encrypted-or-broken PDF with 415", async () => {
    const mp4 = mp4Fixture();
    const broken = Buffer.from(mp4);
    const moov = parseMp4(mp4).find((b) => b.type === "moov") as Mp4Box;
    broken.writeUInt32BE(0x7fffffff, moov.start + 8); // mvhd's size, far past moov
    await expect(storeAttachment(t.ledger, broken, "reporter-bot")).rejects.toMatchObject({
      statusCode: 415,
    });
    await expect(
      storeAttachment(t.ledger, ascii("%PDF-1.7\nnothing here\n%%EOF\n"), "reporter-bot"),
    ).rejects.toBeInstanceOf(AttachmentRejected);
  });
});
