/** Finding other migration tools' history tables by their columns (core/history-tables.ts says which). */
import { ANY_HISTORY_COLUMN, historyToolOf } from "../core/history-tables.js";
import type { Tool } from "../core/other-tools.js";
import { quoteLiteral } from "./journal-sql.js";
import type { Sql, TxSql } from "./session.js";

export interface HistoryTable {
  tool: Tool;
  /** `schema.name`. */
  table: string;
}

/**
 * Every table outside the system schemas whose columns are all ones another tool's history table
 * has, and that has that tool's signature. One round trip; as JSON text, since the connection
 * does not fetch array types.
 */
export async function findHistoryTables(sql: Sql | TxSql): Promise<HistoryTable[]> {
  const [row] = await sql.unsafe<{ tables: string }[]>(
    `select coalesce(json_agg(json_build_object('table', t.name, 'columns', t.columns)), '[]')::text as tables from (
       select n.nspname || '.' || c.relname as name, json_agg(a.attname::text) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_'
       group by n.nspname, c.relname
       having bool_and(a.attname::text = any (array[${ANY_HISTORY_COLUMN.map(quoteLiteral).join(", ")}]))
     ) t`,
  );
  const found: HistoryTable[] = [];
  for (const { table, columns } of JSON.parse(row?.tables ?? "[]") as { table: string; columns: string[] }[]) {
    const tool = historyToolOf(table, columns);
    if (tool) found.push({ tool, table });
  }
  return found;
}
