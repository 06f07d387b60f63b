/** Row estimates and sizes of the tables lint's findings touch, read from the target (read only, no table is scanned). */
import type { TableSize } from "../core/lint-sizing.js";
import type { Sql } from "./session.js";

export async function readTableSizes(sql: Sql, tables: string[]): Promise<Map<string, TableSize>> {
  if (tables.length === 0) return new Map();
  const rows = await sql.unsafe<{ name: string; rows: number | null; pages: number; bytes: string }[]>(
    `select n as name, case when c.reltuples < 0 then null else c.reltuples::float8 end as rows, c.relpages as pages, pg_total_relation_size(c.oid)::int8 as bytes
     from json_array_elements_text(($1::text)::json) n join pg_class c on c.oid = to_regclass(n)`,
    [JSON.stringify(tables)],
  );
  return new Map(rows.map((row) => [row.name, { rows: row.rows, pages: row.pages, bytes: Number(row.bytes) }]));
}
