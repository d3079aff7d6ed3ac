/** The reporter's screens in English and Persian: the same placeholders in both, and Persian digits read. */
import { describe, expect, it } from "vitest";
import { IncidentRecord } from "../../src/core/records.js";
import { asciiDigits } from "../../web/src/lib/digits.js";
import { MESSAGE_KEYS, placeholders, translator } from "../../web/src/lib/messages.js";

describe("reporter screens in two languages", () => {
  it("gives every message the same placeholders in English and Persian", () => {
    expect(MESSAGE_KEYS.length).toBeGreaterThan(50);
    for (const k of MESSAGE_KEYS) {
      expect(placeholders("fa", k), k).toEqual(placeholders("en", k));
      expect(translator("fa")(k), k).not.toBe("");
    }
    expect(translator("fa")("saved", { id: "ab12" })).toBe("گزارش ab12 ذخیره شد. وضعیتش را در پایین ببینید.");
    expect(translator("en")("reasonLater", { status: 503 })).toBe("the server could not take it yet (503)");
  });

  it("reads Persian and Arabic-Indic digits as the shared schema's digits", () => {
    expect(asciiDigits("۱۲")).toBe("12");
    expect(asciiDigits("۱٬۲۰۰-۱٬۵۰۰")).toBe("1,200-1,500");
    expect(asciiDigits("٤٥")).toBe("45");
    expect(asciiDigits("۰۹ and 7")).toBe("09 and 7");
    const parsed = IncidentRecord.safeParse({
      date: "2026-01-05",
      place: "Tehran",
      type: "arrests",
      arrested: asciiDigits("۱٬۰۰۰-۱٬۵۰۰"),
    });
    expect(parsed.success && parsed.data.arrested).toEqual({ low: 1000, high: 1500 });
  });
});
