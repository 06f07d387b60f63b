/**
 * Rows a migration or a seed inserted into a table the project does not own (`storage.buckets`,
 * a seed's `auth.users`), removed by reset. A row counts as theirs only when the file's own
 * transaction created it: its xmin is the xmin of a journal row (a file and its row commit together).
 * A row that was there before (`insert ... on conflict do nothing` kept it), or was changed since,
 * is left alone and said so; a row still referenced is left alone too, never a failed reset.
 */
import type postgres from "postgres";
import { isUnknownValue, type ForeignObject } from "../core/foreign-objects.js";
import type { ResetResult } from "../engine/ports.js";
import { journalTable, quoteIdent } from "./journal-sql.js";

type Tx = postgres.TransactionSql;

export async function removeInsertedRows(tx: Tx, object: Extract<ForeignObject, { kind: "rows" }>, journalSchema: string, result: ResetResult): Promise<void> {
  const table = `${quoteIdent(object.schema)}.${quoteIdent(object.table)}`;
  const keys = (await tx.unsafe<{ attname: string }[]>(
    `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey) where i.indrelid = to_regclass($1) and i.indisprimary`,
    [table],
  )).map((row) => row.attname);
  const where = `${object.schema}.${object.table}`;
  if (keys.length === 0 || !keys.every((key) => object.columns.includes(key))) {
    result.skipped.push(`rows inserted into ${where}: the insert does not give its primary key, so they cannot be told apart`);
    return;
  }
  const journal = journalTable(journalSchema);
  const [{ ok } = { ok: false }] = await tx.unsafe<{ ok: boolean }[]>(`select to_regclass($1) is not null as ok`, [journal]);
  let removed = 0;
  for (const row of object.rows) {
    const values = keys.map((key) => row[object.columns.indexOf(key)] ?? null);
    if (values.some((value) => value === null || isUnknownValue(value))) {
      result.skipped.push(`a row inserted into ${where}: its primary key is not a literal`);
      continue;
    }
    const condition = keys.map((key, i) => `t.${quoteIdent(key)}::text = $${i + 1}`).join(" and ");
    const shown = `${where} (${keys.map((key, i) => `${key} = ${values[i]}`).join(", ")})`;
    const [found] = await tx.unsafe<{ ours: boolean }[]>(
      `select ${ok ? `exists (select from ${journal} j where j.kind in ('migration', 'seed') and j.xmin = t.xmin)` : "false"} as ours from ${table} t where ${condition}`,
      values as string[],
    );
    if (!found) continue;
    if (!found.ours) {
      result.skipped.push(`row ${shown}: not created by a migration's own transaction (it was there before, or changed since)`);
      continue;
    }
    try {
      removed += await tx.savepoint((sp) => sp.unsafe(`delete from ${table} t where ${condition}`, values as string[]).then((r) => r.count));
    } catch (error) {
      const e = error as { code?: string; detail?: string };
      if (e.code !== "23503") throw error;
      result.skipped.push(`row ${shown}: still referenced${e.detail ? ` (${e.detail})` : ""}`);
    }
  }
  if (removed > 0) result.removed.push(`${removed} row(s) in ${where}`);
}

/**
 * Another dbkit project's journal in the same database (another journal schema): reset drops whole
 * schemas (public among them) that the other project may use too, so it refuses.
 */
export async function otherJournals(tx: Tx, journalSchema: string): Promise<string[]> {
  return (await tx.unsafe<{ schema: string }[]>(
    `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relname = 'migrations' and c.relkind in ('r', 'p') and n.nspname <> $1
        and obj_description(c.oid, 'pg_class') like 'dbkit migration journal%' order by 1`,
    [journalSchema],
  )).map((row) => row.schema);
}
