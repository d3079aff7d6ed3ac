/**
 * Seals must stay verifiable across versions: the fast row hash is the plain definition's hash for any row,
 * whatever its values (strings needing escapes, numbers of every kind, nulls, booleans, buffers, dates).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/core/hash.js";
import { canonicalValue, rowHash, SEALED_TABLES } from "../../src/store/repositories/audit.js";

/** The plain definition of a row's hash, which the fast one must equal. */
function rowHashByDefinition(table: string, row: Record<string, unknown>): string {
  const exclude = SEALED_TABLES[table]?.exclude ?? [];
  const cols = Object.keys(row)
    .filter((c) => !exclude.includes(c))
    .sort();
  return sha256Hex(JSON.stringify([table, ...cols.map((c) => [c, canonicalValue(row[c])])]));
}

const value = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
  fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)),
  fc.date({ noInvalidDate: true }),
);

describe("row hash", () => {
  it("equals the plain definition for any row of any sealed table", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("incidents", "claims", "users", "meta"),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value, { maxKeys: 30 }),
        (table, row) => {
          expect(rowHash(table, row)).toBe(rowHashByDefinition(table, row));
          // The shape cache must not confuse rows of the same columns in another order.
          const reversed = Object.fromEntries(Object.entries(row).reverse());
          expect(rowHash(table, reversed)).toBe(rowHashByDefinition(table, row));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("leaves a user's bookkeeping columns out", () => {
    const user = { id: 1, username: "a", failed_signins: 0, updated_at: "x" };
    expect(rowHash("users", user)).toBe(rowHash("users", { ...user, failed_signins: 3, updated_at: "y" }));
  });
});
