/**
 * The array literals of the bulk `unnest` statements must read back as exactly the values bound: the import
 * seals rows from memory on the strength of it. Checked against the real server, whatever the strings hold.
 */
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgArray } from "../../src/store/pg-array.js";
import { BACKENDS, PG_URL } from "../helpers/backends.js";

// PostgreSQL text cannot hold NUL; the ledger refuses it at validation.
const text = fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\u0000"));

describe.runIf(BACKENDS.includes("postgres"))("pgArray on PostgreSQL", () => {
  const client = new pg.Client({ connectionString: PG_URL });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it("reads back text, nulls and quotes exactly", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { maxLength: 20 }), async (values) => {
        const r = await client.query("select $1::text[] as a", [pgArray(values)]);
        expect(r.rows[0].a).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it("reads back integers and doubles exactly", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null })),
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })),
        async (ints, doubles) => {
          const r = await client.query("select $1::int4[] as i, $2::float8[] as d", [
            pgArray(ints),
            pgArray(doubles),
          ]);
          expect(r.rows[0].i).toEqual(ints);
          // -0 reads back as 0 in PostgreSQL's text output; every other double round-trips.
          expect(r.rows[0].d).toEqual(doubles.map((d) => (Object.is(d, -0) ? 0 : d)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses what PostgreSQL cannot store", () => {
    expect(() => pgArray([Number.NaN])).toThrow(/NaN/);
  });
});
