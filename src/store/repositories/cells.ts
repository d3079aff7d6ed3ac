/**
 * Keeping the tally cells (migration 0002) equal to the incidents. Writers describe what changed as rows
 * before and after; the deltas are summed per cell in memory and written once per cell and batch.
 */
import { type Kysely, sql } from "kysely";
import { METRICS } from "../../core/vocabulary.js";
import type { Store } from "../db.js";
import { CELL_TABLES, type CellTable, rebuildSql, VALUE_COLUMNS } from "../migrations/0002_tally_cells.js";
import type { Database } from "../schema.js";
import type { Executor } from "./rows.js";

/** The incident columns a cell reads. */
export type CellSourceRow = Record<string, unknown> & { merged_into?: number | null };

interface Delta {
  keys: string[];
  labels: (string | null)[];
  values: number[];
}

const str = (v: unknown): string => (v === null || v === undefined ? "" : String(v));
const label = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function keyOf(t: CellTable, row: CellSourceRow): string[] {
  return t.keys.map(([col]) => str(row[col]));
}

function labelsOf(t: CellTable, row: CellSourceRow): (string | null)[] {
  return t.labels.map(([col]) => label(row[col]));
}

/** Deltas for both cell tables, summed per cell. */
export class CellDeltas {
  private readonly byTable = new Map<CellTable, Map<string, Delta>>([
    [CELL_TABLES.province, new Map()],
    [CELL_TABLES.city, new Map()],
  ]);

  /** A row that stopped counting (deleted, merged away, or the old version of an update). */
  remove(row: CellSourceRow | null | undefined): void {
    if (row && (row.merged_into === null || row.merged_into === undefined)) this.add(row, -1);
  }

  /** A row that started counting (inserted, unmerged, or the new version of an update). */
  insert(row: CellSourceRow | null | undefined): void {
    if (row && (row.merged_into === null || row.merged_into === undefined)) this.add(row, 1);
  }

  change(before: CellSourceRow | null | undefined, after: CellSourceRow | null | undefined): void {
    this.remove(before);
    this.insert(after);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byTable.values()) n += m.size;
    return n;
  }

  private add(row: CellSourceRow, sign: 1 | -1): void {
    for (const [table, deltas] of this.byTable) {
      const keys = keyOf(table, row);
      const id = keys.join("\u001f");
      let d = deltas.get(id);
      if (!d) {
        d = { keys, labels: labelsOf(table, row), values: new Array(VALUE_COLUMNS.length).fill(0) };
        deltas.set(id, d);
      }
      const v = d.values;
      v[0] = (v[0] as number) + sign;
      let j = 1;
      for (const m of METRICS) {
        const low = row[`${m}_low`] as number | null | undefined;
        const high = row[`${m}_high`] as number | null | undefined;
        v[j] = (v[j] as number) + sign * (low ?? 0);
        v[j + 1] = (v[j + 1] as number) + sign * (high ?? 0);
        v[j + 2] = (v[j + 2] as number) + (low === null || low === undefined ? 0 : sign);
        j += 3;
      }
    }
  }

  entries(): [CellTable, Delta[]][] {
    return [...this.byTable].map(([t, m]) => [
      t,
      [...m.values()].filter((d) => d.values.some((x) => x !== 0)),
    ]);
  }

  clear(): void {
    for (const m of this.byTable.values()) m.clear();
  }
}

const sqliteUpserts = new WeakMap<object, Map<string, import("better-sqlite3").Statement>>();

function upsertHead(t: CellTable): string {
  const cols = [...t.keys.map((k) => k[0]), ...t.labels.map((l) => l[0]), ...VALUE_COLUMNS];
  return `insert into ${t.name} (${cols.join(", ")})`;
}

function upsertTail(t: CellTable): string {
  const set = [
    ...t.labels.map(([c]) => `${c} = excluded.${c}`),
    ...VALUE_COLUMNS.map((c) => `${c} = ${t.name}.${c} + excluded.${c}`),
  ];
  return `on conflict (${t.keys.map((k) => k[0]).join(", ")}) do update set ${set.join(", ")}`;
}

export async function applyCellDeltas(store: Store, db: Executor, deltas: CellDeltas): Promise<void> {
  for (const [table, list] of deltas.entries()) {
    if (list.length === 0) continue;
    if (store.sqlite) {
      let stmts = sqliteUpserts.get(store.sqlite);
      if (!stmts) {
        stmts = new Map();
        sqliteUpserts.set(store.sqlite, stmts);
      }
      let stmt = stmts.get(table.name);
      if (!stmt) {
        const n = table.keys.length + table.labels.length + VALUE_COLUMNS.length;
        stmt = store.sqlite.prepare(
          `${upsertHead(table)} values (${new Array(n).fill("?").join(", ")}) ${upsertTail(table)}`,
        );
        stmts.set(table.name, stmt);
      }
      for (const d of list) stmt.run([...d.keys, ...d.labels, ...d.values]);
      continue;
    }
    // PostgreSQL: one statement per table and batch; each cell appears once, as ON CONFLICT requires.
    const arrays = [
      ...table.keys.map((_, i) => sql`${list.map((d) => d.keys[i])}::text[]`),
      ...table.labels.map((_, i) => sql`${list.map((d) => d.labels[i])}::text[]`),
      ...VALUE_COLUMNS.map((_, i) => sql`${list.map((d) => d.values[i])}::int8[]`),
    ];
    await sql`${sql.raw(upsertHead(table))} select * from unnest(${sql.join(arrays)}) ${sql.raw(upsertTail(table))}`.execute(
      db,
    );
  }
  deltas.clear();
}

/** Recomputes both cell tables from the incidents (after a restore, or to repair edits made outside Tally). */
export async function rebuildCells(db: Kysely<Database> | Executor): Promise<void> {
  for (const t of Object.values(CELL_TABLES)) {
    await sql`delete from ${sql.table(t.name)}`.execute(db);
    await sql.raw(rebuildSql(t)).execute(db);
  }
}
