/**
 * Materialised tallies. Two aggregate tables hold the sums that tallies read, so that a dashboard view or a
 * province × month tally reads thousands of cells instead of scanning every incident:
 * - `province_cells`: per country, province, day, type, status and grade;
 * - `city_cells`: per country, province, place, month, type, status and grade.
 * Every write of incidents applies its deltas to them in the same transaction (repositories/cells.ts), once
 * per batch and cell. (Row triggers did the same job at a tenth of the import speed, and PostgreSQL's row
 * versions made repeated updates of one cell inside a long import ever slower.) Merged incidents count only
 * through their survivor.
 *
 * Key columns hold '' instead of NULL, because a NULL never conflicts in a unique index.
 */
import { type Kysely, sql } from "kysely";
import { METRICS } from "../../core/vocabulary.js";
import type { Dialect } from "../dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not as typed today.
type AnyDb = Kysely<any>;

export interface CellTable {
  name: string;
  /** key column → expression over the incident row (ROW stands for NEW or OLD). */
  keys: [string, string][];
  /** non-key columns that follow from the key (names of the place), refreshed on every write. */
  labels: [string, string][];
}

const PROVINCE: CellTable = {
  name: "province_cells",
  keys: [
    ["country", "coalesce(ROW.country, '')"],
    ["province_id", "coalesce(ROW.province_id, '')"],
    ["date", "ROW.date"],
    ["type", "ROW.type"],
    ["status", "ROW.status"],
    ["grade", "coalesce(ROW.grade, '')"],
  ],
  labels: [
    ["province", "ROW.province"],
    ["week", "ROW.week"],
    ["month", "ROW.month"],
  ],
};

const CITY: CellTable = {
  name: "city_cells",
  keys: [
    ["country", "coalesce(ROW.country, '')"],
    ["province_id", "coalesce(ROW.province_id, '')"],
    ["place_id", "coalesce(ROW.place_id, '')"],
    ["month", "ROW.month"],
    ["type", "ROW.type"],
    ["status", "ROW.status"],
    ["grade", "coalesce(ROW.grade, '')"],
  ],
  labels: [
    ["province", "ROW.province"],
    ["place_name", "ROW.place_name"],
    ["place_level", "ROW.place_level"],
  ],
};

export const VALUE_COLUMNS = ["incidents", ...METRICS.flatMap((m) => [`${m}_low`, `${m}_high`, `${m}_n`])];

function values(row: string, sign: string): string[] {
  return [
    sign,
    ...METRICS.flatMap((m) => [
      `${sign} * coalesce(${row}.${m}_low, 0)`,
      `${sign} * coalesce(${row}.${m}_high, 0)`,
      `${sign} * (case when ${row}.${m}_low is null then 0 else 1 end)`,
    ]),
  ];
}

async function createCellTable(db: AnyDb, t: CellTable): Promise<void> {
  let table = db.schema.createTable(t.name);
  for (const [k] of t.keys) table = table.addColumn(k, "text", (c) => c.notNull());
  for (const [l] of t.labels) table = table.addColumn(l, "text");
  for (const v of VALUE_COLUMNS) table = table.addColumn(v, "bigint", (c) => c.notNull().defaultTo(0));
  await table.addPrimaryKeyConstraint(`${t.name}_pk`, t.keys.map((k) => k[0]) as never).execute();
}

export function tallyCells(_dialect: Dialect) {
  return {
    async up(db: AnyDb): Promise<void> {
      await createCellTable(db, PROVINCE);
      await createCellTable(db, CITY);
      await db.schema.createIndex("city_cells_place").on("city_cells").columns(["place_id"]).execute();

      // Cells for what the ledger already holds (empty on a new ledger).
      await sql.raw(rebuildSql(PROVINCE)).execute(db);
      await sql.raw(rebuildSql(CITY)).execute(db);
    },
  };
}

/** The cells hold published incidents only (migration 0010 added the column; see core/publication.ts). */
export const PUBLISHED_ONLY = "i.published = 1";

/**
 * Recomputes a cell table from the incidents: used by the migrations and by `tally audit`-style checks.
 * `also` narrows the incidents counted (this migration ran before incidents had a `published` column).
 */
export function rebuildSql(t: CellTable, also?: string): string {
  const keys = t.keys.map(([c, e]) => `${e.replaceAll("ROW", "i")} as ${c}`);
  const labels = t.labels.map(([c, e]) => `max(${e.replaceAll("ROW", "i")}) as ${c}`);
  const vals = values("i", "1").map((v, j) => `sum(${v}) as ${VALUE_COLUMNS[j]}`);
  return (
    `insert into ${t.name} (${[...t.keys.map((k) => k[0]), ...t.labels.map((l) => l[0]), ...VALUE_COLUMNS].join(", ")}) ` +
    `select ${[...keys, ...labels, ...vals].join(", ")} from incidents i where i.merged_into is null${also ? ` and ${also}` : ""} ` +
    `group by ${t.keys.map(([, e]) => e.replaceAll("ROW", "i")).join(", ")}`
  );
}

export const CELL_TABLES = { province: PROVINCE, city: CITY };
