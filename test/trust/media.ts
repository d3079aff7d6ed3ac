/** Multipart bodies and synthetic test images made with sharp (the GPS coordinates are invented). */
import { randomBytes } from "node:crypto";
import sharp from "sharp";

export function multipart(content: Buffer, filename = "photo.jpg", field = "file", type = "image/jpeg") {
  const boundary = `----tally${randomBytes(8).toString("hex")}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** A multipart body with several file parts, in order (each defaults to a field named file). */
export function multipartFiles(
  files: { content: Buffer; filename?: string; field?: string; type?: string }[],
) {
  const boundary = `----tally${randomBytes(8).toString("hex")}`;
  const parts = files.map(({ content, filename = "photo.jpg", field = "file", type = "image/jpeg" }) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from("\r\n"),
    ]),
  );
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** A small PNG of one colour, different on every call (so that its stored copy is new). */
export async function uniquePng(): Promise<Buffer> {
  const [r, g, b] = randomBytes(3);
  return sharp({
    create: { width: 16, height: 16, channels: 3, background: { r: r ?? 0, g: g ?? 0, b: b ?? 0 } },
  })
    .png()
    .toBuffer();
}

const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="SyntheticVillage"/>' +
  "</rdf:RDF></x:xmpmeta>";

export async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: "SyntheticPhone", Model: "TestModel 1" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "35/1 41/1 2/1",
        GPSLongitudeRef: "E",
        GPSLongitude: "51/1 25/1 0/1",
      },
    })
    .withXmp(XMP)
    .toBuffer();
}
