/**
 * Evidence: uploads are judged by their content, images lose their metadata (a JPEG with GPS EXIF comes back
 * without it), originals can be sealed with AES-256-GCM, and downloads carry headers a browser will not run.
 * Test images are made here with sharp; the coordinates in them are synthetic.
 */
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../src/server/app.js";
import { type AttachmentRow, readSealedOriginal } from "../../src/services/attachments.js";
import { verifyAudit } from "../../src/services/audit.js";
import { createToken } from "../../src/services/tokens.js";
import { BACKENDS, openTestLedger, type TestLedger } from "../helpers/backends.js";
import { jpegWithGps, multipart, multipartFiles, uniquePng } from "./media.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

describe.each(BACKENDS)("attachments on %s", (backend) => {
  let t: TestLedger;
  let app: FastifyInstance;
  let media: string;
  const tokens: Record<string, string> = {};
  const auth = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });
  beforeAll(async () => {
    media = mkdtempSync(join(tmpdir(), "tally-media-"));
    process.env.TALLY_MEDIA_DIR = media;
    process.env.TALLY_MAX_UPLOAD_BYTES = String(2 * 1024 * 1024);
    process.env.TALLY_SEAL_KEY = randomBytes(32).toString("hex");
    t = await openTestLedger(backend);
    app = await buildServer({ ledger: t.ledger });
    for (const role of ["reporter", "reviewer", "admin"] as const)
      tokens[role] = (await createToken(t.ledger, `${role}-bot`, role)).token;
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
    delete process.env.TALLY_MEDIA_DIR;
    delete process.env.TALLY_MAX_UPLOAD_BYTES;
    delete process.env.TALLY_SEAL_KEY;
  });
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((n) =>
      statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [relative(media, join(d, n))],
    );
  /** The attachment rows and the files in the media folder: what an upload may have stored. */
  const stored = async () => ({
    rows: (
      await t.ledger.store.db
        .withTables<{ attachments: AttachmentRow }>()
        .selectFrom("attachments")
        .select("id")
        .execute()
    ).length,
    files: walk(media).sort(),
  });
  const upload = (content: Buffer, role = "reporter", filename = "photo.jpg", field = "file") => {
    const m = multipart(content, filename, field);
    return app.inject({
      method: "POST",
      url: "/api/v1/attachments",
      headers: { ...m.headers, ...auth(role) },
      payload: m.payload,
    });
  };

  it("strips GPS EXIF and XMP from a JPEG and keeps the original's hash", async () => {
    const original = await jpegWithGps();
    const before = await sharp(original).metadata();
    expect(before.exif?.toString("latin1")).toContain("SyntheticPhone");
    expect(before.xmp?.toString()).toContain("SyntheticVillage");
    // The GPS IFD pointer (tag 0x8825) is in the original's EXIF.
    const exif = before.exif as Buffer;
    expect(exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]))).toBe(true);
    const res = await upload(original);
    expect(res.statusCode).toBe(201);
    const body = res.json() as {
      id: number;
      sha256: string;
      originalSha256: string;
      type: string;
      bytes: number;
    };
    expect(Object.keys(body).sort()).toEqual(["bytes", "id", "originalSha256", "sha256", "type"]);
    expect(body.originalSha256).toBe(sha(original));
    expect(body.type).toBe("image/jpeg");

    const got = await app.inject({
      method: "GET",
      url: `/api/v1/attachments/${body.id}`,
      headers: auth("reviewer"),
    });
    expect(got.statusCode).toBe(200);
    const stored = got.rawPayload;
    expect(sha(stored)).toBe(body.sha256);
    expect(stored.length).toBe(body.bytes);
    const after = await sharp(stored).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(stored.toString("latin1")).not.toMatch(/SyntheticPhone|SyntheticVillage|GPS/);
    expect(after.width).toBe(64);
    expect(got.headers["content-type"]).toBe("image/jpeg");
    expect(got.headers["content-disposition"]).toBe(`attachment; filename="attachment-${body.id}.jpg"`);
    expect(got.headers["x-content-type-options"]).toBe("nosniff");
    expect(got.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(got.headers["content-security-policy"]).toContain("sandbox");
    // Content-addressed: the same photo again is the same attachment.
    expect((await upload(original)).json()).toEqual(body);
  });

  it("strips PNG and WebP metadata too, and accepts a PDF", async () => {
    for (const fmt of ["png", "webp"] as const) {
      const img = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#0a0" } })
        [fmt]()
        .withExif({ IFD0: { Make: "SyntheticPhone" } })
        .toBuffer();
      const res = await upload(img, "reporter", `x.${fmt}`);
      expect(res.statusCode).toBe(201);
      const got = await app.inject({
        method: "GET",
        url: `/api/v1/attachments/${res.json().id}`,
        headers: auth("reviewer"),
      });
      expect((await sharp(got.rawPayload).metadata()).exif).toBeUndefined();
      expect(res.json().type).toBe(`image/${fmt}`);
    }
    const pdf = await upload(PDF, "reporter", "report.pdf");
    expect(pdf.statusCode).toBe(201);
    // Every PDF is written again without metadata: the stored copy differs, the original's hash is kept.
    expect(pdf.json()).toMatchObject({ type: "application/pdf", originalSha256: sha(PDF) });
    expect(pdf.json().sha256).not.toBe(sha(PDF));
  });

  it("judges the type by content, not by name, and refuses what is not allowed", async () => {
    const html = Buffer.from("<html><script>alert(1)</script></html>");
    const res = await upload(html, "reporter", "innocent.jpg");
    expect(res.statusCode).toBe(415);
    expect(res.headers["content-type"]).toContain("application/problem+json");
    const exe = Buffer.concat([Buffer.from("MZ"), randomBytes(200)]);
    expect((await upload(exe, "reporter", "photo.png")).statusCode).toBe(415);
    // A truncated JPEG: the right magic, but it does not decode.
    const broken = (await jpegWithGps()).subarray(0, 300);
    expect((await upload(broken)).statusCode).toBe(415);
    expect((await upload(Buffer.alloc(0))).statusCode).toBe(400);
  });

  it("refuses oversized files, wrong fields, anonymous and under-privileged callers", async () => {
    const big = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(3 * 1024 * 1024, 32)]);
    const res = await upload(big, "reporter", "big.pdf");
    expect(res.statusCode).toBe(413);
    expect((await upload(PDF, "reporter", "r.pdf", "document")).statusCode).toBe(400);
    const m = multipart(PDF);
    expect((await app.inject({ method: "POST", url: "/api/v1/attachments", ...m })).statusCode).toBe(401);
    const json = await app.inject({
      method: "POST",
      url: "/api/v1/attachments",
      headers: auth("reporter"),
      payload: { file: "x" },
    });
    expect(json.statusCode).toBe(415);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/attachments/1", headers: auth("reporter") }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: "GET", url: "/api/v1/attachments/999", headers: auth("reviewer") }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await app.inject({
          method: "GET",
          url: "/api/v1/attachments/..%2f..%2fetc%2fpasswd",
          headers: auth("reviewer"),
        })
      ).statusCode,
    ).toBe(400);
  });

  it("refuses two files in one upload with 400, asking for one file, and stores neither", async () => {
    const before = await stored();
    for (const second of ["file", "other"]) {
      const m = multipartFiles([
        { content: await uniquePng(), filename: "a.png", type: "image/png" },
        { content: await uniquePng(), filename: "b.png", type: "image/png", field: second },
      ]);
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/attachments",
        headers: { ...m.headers, ...auth("reporter") },
        payload: m.payload,
      });
      expect(res.statusCode, second).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().detail).toBe("send exactly one file, in a field named file");
    }
    expect(await stored()).toEqual(before);
  });

  it("logs an upload the client aborts as aborted, not as an error, and stores nothing", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    // A server of its own on a real port, logging as in production: inject() cannot drop a connection.
    const server = await buildServer({ ledger: t.ledger, logger: { level: "info", stream } });
    await server.listen({ port: 0, host: "127.0.0.1" });
    try {
      const before = await stored();
      const address = server.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const m = multipart(await uniquePng(), "photo.png", "file", "image/png");
      const socket = connect(port, "127.0.0.1");
      await once(socket, "connect");
      socket.write(
        "POST /api/v1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
          `Authorization: Bearer ${tokens.reporter}\r\nContent-Type: ${m.headers["content-type"]}\r\n` +
          `Content-Length: ${m.payload.length}\r\n\r\n`,
      );
      // Half the body, then the client goes away once the server is reading it.
      socket.write(m.payload.subarray(0, Math.floor(m.payload.length / 2)));
      const until = async (done: () => boolean) => {
        for (let i = 0; i < 100 && !done(); i++) await sleep(20);
      };
      await until(() => lines.some((l) => l.includes("incoming request")));
      await sleep(100);
      socket.destroy();
      await until(() => lines.some((l) => /request completed|abort/i.test(l) && !l.includes("incoming")));
      await sleep(200);
      const entries = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(entries.filter((e) => e.level >= 50)).toEqual([]);
      expect(lines.join("\n")).not.toContain("unhandled error");
      const aborted = entries.filter((e) => /abort/i.test(e.msg));
      expect(aborted.length).toBeGreaterThan(0);
      for (const e of aborted) expect(e.level).toBeLessThanOrEqual(40);
      expect(await stored()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it("never lets a file name choose where bytes go", async () => {
    const res = await upload(PDF.subarray(0, PDF.length - 1), "reporter", "../../../../tmp/evil.pdf");
    expect(res.statusCode).toBe(201);
    for (const f of walk(media)) expect(f).toMatch(/^(?:[0-9a-f]{2}\/[0-9a-f]{64}|sealed\/[0-9a-f]{64})$/);
  });

  it("seals originals with AES-256-GCM when an admin turns it on", async () => {
    const set = (role: string, on: boolean) =>
      app.inject({
        method: "PUT",
        url: "/api/v1/attachments/settings",
        headers: auth(role),
        payload: { sealedOriginals: on },
      });
    expect((await set("reviewer", true)).statusCode).toBe(403);
    expect((await set("admin", true)).statusCode).toBe(200);
    const original = await sharp(await jpegWithGps())
      .resize(60)
      .withExif({ IFD0: { Make: "SyntheticPhone" } })
      .toBuffer();
    const res = await upload(original);
    expect(res.statusCode).toBe(201);
    const { id, originalSha256 } = res.json() as { id: number; originalSha256: string };
    const sealedFile = readFileSync(join(media, "sealed", originalSha256));
    expect(sealedFile.includes(Buffer.from("SyntheticPhone"))).toBe(false);
    const plain = await readSealedOriginal(t.ledger, id);
    expect(plain && sha(plain)).toBe(originalSha256);
    // Tampering with the sealed file is caught by GCM's tag.
    sealedFile[sealedFile.length - 20] = (sealedFile[sealedFile.length - 20] as number) ^ 1;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(media, "sealed", originalSha256), sealedFile);
    await expect(readSealedOriginal(t.ledger, id)).rejects.toThrow();
    expect((await set("admin", false)).statusCode).toBe(200);
    // Every upload and the setting changes are in the audit chain, which still verifies, files included.
    const report = await verifyAudit(t.ledger, { mediaDir: media });
    expect(report.problems).toEqual([]);
    // A stored copy edited on disk is named by the verifier, and not served.
    const { storedPath } = await import("../../src/services/attachments.js");
    const sha256 = (res.json() as { sha256: string }).sha256;
    writeFileSync(storedPath(media, sha256), Buffer.from("not the photo"));
    const after = await verifyAudit(t.ledger, { mediaDir: media });
    expect(after.problems.map((p) => p.message)).toContain(`attachment ${id}: its stored file was changed`);
    const served = await app.inject({
      method: "GET",
      url: `/api/v1/attachments/${id}`,
      headers: auth("reviewer"),
    });
    expect(served.statusCode).toBe(500);
  });
});
