import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../scripts/openapi.js";

describe("docs/openapi.json", () => {
  it("is the description the server generates from its schemas (run `npm run docs:openapi` after changing a route)", async () => {
    expect(JSON.parse(readFileSync("docs/openapi.json", "utf8"))).toEqual(
      JSON.parse(await openApiDocument()),
    );
  });
});
