/**
 * The streaming JSON array reader (core/json-array.ts): any array of objects, with any whitespace and cut into
 * chunks anywhere, reads back item by item with the line each starts on; bad text fails naming the item and its
 * line; nesting is refused past a fixed depth before JSON.parse, without recursion.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  JsonArrayError,
  type JsonArrayItem,
  JsonArrayReader,
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
} from "../../src/core/json-array.js";

function readAll(chunks: readonly string[]): JsonArrayItem[] {
  const reader = new JsonArrayReader();
  const out: JsonArrayItem[] = [];
  for (const c of chunks) reader.push(c, out);
  reader.end(out);
  return out;
}

/** The text cut at the given offsets. */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((a) => a % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const p of points) {
    out.push(text.slice(from, p));
    from = p;
  }
  out.push(text.slice(from));
  return out;
}

const lines = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;

/** Nested `depth` levels deep: objects around a 1. */
const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"a":1}${"}".repeat(depth - 1)}`;

const text = fc.string({
  unit: fc.constantFrom("a", " ", '"', "\\", "[", "]", "{", "}", ",", "é", "😀", "\n", "\t"),
});
const object = fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
const ws = fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r\n", "\r"), maxLength: 3 });

describe("JSON array reader", () => {
  it("reads any array of objects back item by item, whatever the whitespace and wherever the text is cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: object, indent: fc.constantFrom(0, 1, 2, "\t"), before: ws, after: ws })),
        ws,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        (items, end, bom, cuts) => {
          let s = `${bom ? "\uFEFF" : ""}${end}[`;
          const starts: number[] = [];
          items.forEach((it, i) => {
            if (i > 0) s += ",";
            s += it.before;
            starts.push(1 + lines(s));
            s += JSON.stringify(it.value, null, it.indent) + it.after;
          });
          s += `]${end}`;
          const got = readAll(cut(s, cuts));
          // Through JSON text and back, as JSON.parse of the whole would give it (-0 becomes 0, and so on).
          expect(got.map((g) => g.value)).toEqual(items.map((it) => JSON.parse(JSON.stringify(it.value))));
          expect(got.map((g) => g.item)).toEqual(items.map((_, i) => i + 1));
          expect(got.map((g) => g.line)).toEqual(starts);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("hands out each item as soon as it is complete", () => {
    const reader = new JsonArrayReader();
    const out: JsonArrayItem[] = [];
    reader.push('[{"a":1},{"b"', out);
    expect(out.map((o) => o.value)).toEqual([{ a: 1 }]);
    reader.push(':"}"}', out);
    expect(out.map((o) => o.value)).toEqual([{ a: 1 }, { b: "}" }]);
    reader.push("]", out);
    reader.end(out);
    expect(out).toHaveLength(2);
  });

  it("keeps a key named __proto__ as a property, not the item's prototype", () => {
    const [item] = readAll(['[{"__proto__":{"admin":true}}]']);
    expect(Object.getPrototypeOf(item?.value)).toBe(Object.prototype);
    expect(Object.keys(item?.value ?? {})).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("reads an item of many megabytes cut into small chunks in linear time", () => {
    const big = "x".repeat(8_000_000);
    const s = `[{"note":"${big}"},{"n":2}]`;
    const chunks: string[] = [];
    for (let i = 0; i < s.length; i += 4096) chunks.push(s.slice(i, i + 4096));
    const got = readAll(chunks);
    expect(got).toHaveLength(2);
    expect(String(got[0]?.value.note).length).toBe(big.length);
    expect(got[1]).toEqual({ item: 2, line: 1, value: { n: 2 } });
  });

  it(`accepts an item nested ${MAX_JSON_DEPTH} levels deep and refuses one nested deeper`, () => {
    expect(readAll([`[${nested(MAX_JSON_DEPTH)}]`])).toHaveLength(1);
    expect(() => readAll([`[\n{"a":1},\n${nested(MAX_JSON_DEPTH + 1)}]`])).toThrow(
      new JsonArrayError(`item 2 is nested deeper than ${MAX_JSON_DEPTH} levels`, 3),
    );
  });

  it("refuses an item nested half a million levels deep quickly, without overflowing the stack", () => {
    const depth = 500_000;
    const s = `[${'{"a":'.repeat(depth)}1${"}".repeat(depth)}]`;
    const started = Date.now();
    expect(() => readAll([s])).toThrow(/item 1 is nested deeper than 64 levels/);
    expect(() => readAll(s.match(/[\s\S]{1,1000}/g) ?? [])).toThrow(/nested deeper/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  const bad: [string, string, number, RegExp][] = [
    ["an object instead of an array", '{"a":1}', 1, /must be an array of objects, and this starts with "\{"/],
    ["an item that is a number", '[\n{"a":1},\n 2]', 3, /^item 2 is not an object \(it is a number\)$/],
    ["an item that is an array", '[{"a":1},\n\n[]]', 3, /^item 2 is not an object \(it is an array\)$/],
    ["an item that is a string", '["x"]', 1, /^item 1 is not an object \(it is a string\)$/],
    ["an item that is not valid JSON", '[{"a":1},\r\n{"a":tru}]', 2, /^item 2 is not valid JSON: /],
    [
      "a line break inside a string",
      '[{"a":"one\ntwo"}]',
      1,
      /^item 1 is not valid JSON: a line break inside a string/,
    ],
    [
      "a bracket closing the wrong thing",
      '[{"a":[1}]',
      1,
      /^item 1 is not valid JSON: a "\}" on line 1 closes a "\["/,
    ],
    ["two items without a comma", '[{"a":1}\n{"b":2}]', 2, /expected "," or "\]" after item 1, found "\{"/],
    ["a comma before the closing bracket", '[{"a":1},\n]', 2, /a comma after item 1 with no item after it/],
    [
      "text after the closing bracket",
      '[{"a":1}]\n\n{"b":2}',
      3,
      /text after the closing bracket of the array: "\{/,
    ],
    ["an array never closed", '[{"a":1},\n{"b":2}\n', 3, /the array is not closed/],
    ["an item never closed", '[{"a":1},\n{"b":[2,\n3]', 2, /^item 2 is not closed/],
    ["a string never closed", '[{"a":"x', 1, /^item 1 is not closed: the file ends inside a string/],
    ["nothing but white space", " \n ", 2, /the text is empty/],
  ];
  for (const [what, s, line, message] of bad) {
    it(`fails on ${what}, naming its line`, () => {
      for (const chunks of [[s], s.split("")]) {
        let error: unknown;
        try {
          readAll(chunks);
        } catch (e) {
          error = e;
        }
        expect(error, what).toBeInstanceOf(JsonArrayError);
        expect((error as JsonArrayError).message).toMatch(message);
        expect((error as JsonArrayError).line).toBe(line);
      }
    });
  }
});

describe("jsonDepthExceeds", () => {
  /** The nesting depth of a parsed JSON value, by recursion (the values here are small). */
  const depthOf = (v: unknown): number =>
    v !== null && typeof v === "object"
      ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf))
      : 0;

  it("agrees with the depth of any JSON value, brackets inside strings not counted", () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 6 }),
        fc.dictionary(text, text),
        fc.nat({ max: 8 }),
        (value, strings, limit) => {
          const v = { strings, value };
          const s = JSON.stringify(v);
          expect(jsonDepthExceeds(s, limit)).toBe(depthOf(v) > limit);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("ignores brackets in strings, escaped quotes included", () => {
    expect(jsonDepthExceeds('{"a":"[[[{{{"}', 1)).toBe(false);
    expect(jsonDepthExceeds('{"a\\"[[[":"\\\\"}', 1)).toBe(false);
    expect(jsonDepthExceeds('{"a":"\\\\","b":[[]]}', 2)).toBe(true);
    expect(jsonDepthExceeds("[]", 0)).toBe(true);
    expect(jsonDepthExceeds("1", 0)).toBe(false);
  });

  it("answers for text nested half a million levels deep without overflowing the stack", () => {
    const deep = `${"[".repeat(500_000)}${"]".repeat(500_000)}`;
    expect(jsonDepthExceeds(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(deep, 500_000)).toBe(false);
  });
});
