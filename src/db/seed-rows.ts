/** Reading the rows `verify` checks: every row in a freshly built database, then the same keys live. */
import type postgres from "postgres";
import { chooseKey, isGeneratedColumn, type SeedFinding, type SeedTable } from "../core/seed-data.js";
import { quoteIdent, quoteLiteral } from "./journal-sql.js";

type Sql = postgres.Sql | postgres.TransactionSql;

interface TableInfo {
  schema: string;
  name: string;
  columns: { name: string; default: string | null; identity: string | null; generated: string | null }[];
  keys: string[][] | null;
}

/**
 * In the scratch database (built from the migrations and seeds, so every row in it came from
 * them): the rows of each table, with the key they can be matched by.
 */
export async function readExpectedRows(sql: Sql, schemas: readonly string[], maxRowsPerTable = 10_000): Promise<{ tables: SeedTable[]; findings: SeedFinding[] }> {
  const list = `array[${schemas.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  const tables = await sql.unsafe<TableInfo[]>(
    `select n.nspname as schema, c.relname as name,
            (select json_agg(json_build_object('name', a.attname, 'default', pg_get_expr(d.adbin, d.adrelid), 'identity', nullif(a.attidentity::text, ''), 'generated', nullif(a.attgenerated::text, '')) order by a.attnum)
               from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
              where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
            (select json_agg((select array_agg(a.attname order by k.ord) from unnest(i.indkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) order by i.indisprimary desc, i.indexrelid)
               from pg_index i where i.indrelid = c.oid and i.indisunique and i.indpred is null and i.indexprs is null) as keys
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any(${list}) and c.relkind in ('r', 'p') and not c.relispartition`,
  );
  const expected: SeedTable[] = [];
  const findings: SeedFinding[] = [];
  for (const table of tables) {
    const qualified = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
    const rows = (await sql.unsafe<{ row: Record<string, unknown> }[]>(`select to_jsonb(t) as row from ${qualified} t limit ${maxRowsPerTable + 1}`)).map((r) => r.row);
    if (rows.length === 0) continue;
    const label = `${table.schema}.${table.name}`;
    if (rows.length > maxRowsPerTable) {
      findings.push({ kind: "unverifiable", table: label, reason: `more than ${maxRowsPerTable} rows from the seeds; only the first ${maxRowsPerTable} are checked` });
      rows.length = maxRowsPerTable;
    }
    const generated = new Set(table.columns.filter(isGeneratedColumn).map((column) => column.name));
    const keyColumns = chooseKey(table.keys ?? [], generated);
    if (!keyColumns) {
      findings.push({ kind: "unverifiable", table: label, reason: "no primary key or unique constraint whose values the seed gives (generated ids cannot be matched)" });
      continue;
    }
    const compareColumns = table.columns.map((column) => column.name).filter((name) => !generated.has(name) && !keyColumns.includes(name));
    expected.push({ table: label, keyColumns, compareColumns, rows });
  }
  return { tables: expected, findings };
}

/** The live rows with the same keys, one query per table. */
export async function readLiveRows(sql: Sql, tables: readonly SeedTable[]): Promise<Map<string, Record<string, unknown>[]>> {
  const live = new Map<string, Record<string, unknown>[]>();
  for (const table of tables) {
    const [schema, name] = splitQualified(table.table);
    const exists = await sql.unsafe<{ ok: boolean }[]>(`select to_regclass($1) is not null as ok`, [`${quoteIdent(schema)}.${quoteIdent(name)}`]);
    if (!exists[0]?.ok) {
      live.set(table.table, []);
      continue;
    }
    const tuple = table.keyColumns.map((column) => `t.${quoteIdent(column)}::text`).join(", ");
    const wanted = table.keyColumns.map((column) => `k->>${quoteLiteral(column)}`).join(", ");
    const keys = JSON.stringify(table.rows.map((row) => Object.fromEntries(table.keyColumns.map((column) => [column, textOf(row[column])]))));
    const rows = await sql.unsafe<{ row: Record<string, unknown> }[]>(
      `select to_jsonb(t) as row from ${quoteIdent(schema)}.${quoteIdent(name)} t where (${tuple}) in (select ${wanted} from jsonb_array_elements(($1::text)::jsonb) k)`,
      [keys],
    );
    live.set(table.table, rows.map((r) => r.row));
  }
  return live;
}

/**
 * Seeded tables whose rows row-level security hides from the connecting role (RLS on, the role
 * neither owns the table nor has BYPASSRLS): a read-only role would see none of their rows, and
 * every seed row would look missing. They are reported as not checkable instead, saying why.
 */
export async function readRowSecurityHidden(sql: Sql, tables: readonly SeedTable[]): Promise<{ table: string; reason: string }[]> {
  if (tables.length === 0) return [];
  const names = tables.map((table) => {
    const [schema, name] = splitQualified(table.table);
    return `${quoteIdent(schema)}.${quoteIdent(name)}`;
  });
  const pairs = JSON.stringify(tables.map((table, i) => ({ label: table.table, qualified: names[i] })));
  const rows = await sql.unsafe<{ label: string; role: string }[]>(
    `select t->>'label' as label, current_user as role from jsonb_array_elements(($1::text)::jsonb) t
      where to_regclass(t->>'qualified') is not null and row_security_active(to_regclass(t->>'qualified'))`,
    [pairs],
  );
  return rows.map(({ label, role }) => ({
    table: label,
    reason:
      `row-level security hides this table's rows from role "${role}", so its seed rows cannot be checked: run verify as the table's owner ` +
      `or a role with BYPASSRLS (ALTER ROLE ${quoteIdent(role)} BYPASSRLS), or give "${role}" a SELECT policy on it`,
  }));
}

/** A JSON value as Postgres prints it with ::text (objects re-serialised by Postgres itself differ; keys are scalars). */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function splitQualified(table: string): [string, string] {
  const dot = table.indexOf(".");
  return [table.slice(0, dot), table.slice(dot + 1)];
}
