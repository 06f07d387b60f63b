/**
 * Derives the access matrix by trying: for each table of the exposed schemas, in a transaction
 * rolled back at the end, a row is made as the owner (its owner column set to user A, parent rows
 * made first), then each command is tried as anon, as A, as another user B and as service_role,
 * each in a savepoint, with the role and JWT claims PostgREST would set. The row every role tries
 * is A's, so for `other` an INSERT is one in A's name.
 */
import { randomUUID } from "node:crypto";
import { MATRIX_COMMANDS, MATRIX_ROLES, ownerColumnOf, type AccessMatrix, type MatrixRole } from "../core/access-matrix.js";
import type { Sql, TxSql } from "./session.js";

interface Column {
  name: string;
  type: string;
  category: string;
  notNull: boolean;
  filled: boolean;
}
interface TableInfo {
  name: string;
  columns: Column[];
  foreign: { columns: string[]; table: string; refColumns: string[] }[];
  checks: string[];
  policies: string;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function readTables(sql: Sql, schemas: readonly string[]): Promise<TableInfo[]> {
  return sql.unsafe<TableInfo[]>(
    `select format('%I.%I', n.nspname, c.relname) as name,
       coalesce((select json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'category', t.typcategory,
                 'notNull', a.attnotnull, 'filled', a.atthasdef or a.attidentity <> '' or a.attgenerated <> '') order by a.attnum)
          from pg_attribute a join pg_type t on t.oid = a.atttypid where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as columns,
       coalesce((select json_agg(json_build_object(
            'columns', (select array_agg(a.attname order by i) from unnest(k.conkey) with ordinality u(num, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num),
            'table', (select format('%I.%I', fn.nspname, fc.relname) from pg_class fc join pg_namespace fn on fn.oid = fc.relnamespace where fc.oid = k.confrelid),
            'refColumns', (select array_agg(a.attname order by i) from unnest(k.confkey) with ordinality u(num, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num)))
          from pg_constraint k where k.conrelid = c.oid and k.contype = 'f'), '[]') as foreign,
       coalesce((select json_agg(pg_get_constraintdef(k.oid)) from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'), '[]') as checks,
       coalesce((select string_agg(coalesce(p.qual, '') || ' ' || coalesce(p.with_check, ''), ' ') from pg_policies p
          where p.schemaname = n.nspname and p.tablename = c.relname), '') as policies
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in (${schemas.map((s) => `'${s.replace(/'/g, "''")}'`).join(", ")}) and c.relkind in ('r', 'p') order by 1`,
  );
}

/** A value a column can take: the first literal of a CHECK naming it, else one by type. */
function valueFor(column: Column, checks: readonly string[]): string {
  const check = checks.find((c) => new RegExp(`(^|[^\\w"])(${column.name}|"${column.name}")([^\\w"]|$)`).test(c));
  const literal = check ? /'((?:[^']|'')*)'/.exec(check)?.[1] : undefined;
  if (literal !== undefined) return `'${literal}'::${column.type}`;
  if (column.type === "uuid") return "gen_random_uuid()";
  if (/^jsonb?$/.test(column.type)) return `'{}'::${column.type}`;
  const byCategory: Record<string, string> = { S: "left(md5(random()::text), 8)", N: "floor(random() * 1000)", B: "false", D: "now()", A: "'{}'", I: "'127.0.0.1'" };
  return `${byCategory[column.category] ?? "null"}::${column.type}`;
}

/** The INSERT of a row of `table` owned by `owner`, making (as the current role) the parents it needs. */
async function insertFor(tx: TxSql, tables: Map<string, TableInfo>, table: TableInfo, owner: string, depth = 0): Promise<string> {
  const ownerColumn = ownerColumnOf(table.policies, table.columns.map((c) => c.name));
  const assigned = new Map<string, string>();
  const typeOf = new Map(table.columns.map((c) => [c.name, c.type]));
  // Parent rows first (as A), for each foreign key with a NOT NULL column; auth.users is A or B itself.
  for (const foreign of table.foreign) {
    if (!foreign.columns.some((name) => table.columns.find((c) => c.name === name)?.notNull)) continue;
    if (foreign.table === "auth.users") {
      for (const name of foreign.columns) assigned.set(name, `'${owner}'::${typeOf.get(name) ?? "uuid"}`);
      continue;
    }
    const parent = tables.get(foreign.table);
    if (!parent || depth >= 4) continue;
    const returning = foreign.refColumns.map((c, i) => `${q(c)}::text as v${i}`).join(", ");
    const [row] = await tx.unsafe(`${await insertFor(tx, tables, parent, owner, depth + 1)} returning ${returning}`);
    foreign.columns.forEach((name, i) => assigned.set(name, `'${String(row?.[`v${i}`]).replace(/'/g, "''")}'::${typeOf.get(name) ?? "text"}`));
  }
  const names: string[] = [];
  const values: string[] = [];
  for (const column of table.columns) {
    let value = assigned.get(column.name);
    if (column.name === ownerColumn) value = `'${owner}'::${column.type}`;
    else if (value === undefined && column.notNull && !column.filled) value = valueFor(column, table.checks);
    if (value !== undefined) {
      names.push(q(column.name));
      values.push(value);
    }
  }
  return names.length ? `insert into ${table.name} (${names.join(", ")}) values (${values.join(", ")})` : `insert into ${table.name} default values`;
}

function actAs(role: MatrixRole, users: { a: string; b: string }): string {
  if (role === "anon" || role === "service_role") return `set local role ${role}; select set_config('request.jwt.claims', '{"role": "${role}"}', true)`;
  const sub = role === "owner" ? users.a : users.b;
  return `set local role authenticated; select set_config('request.jwt.claims', '{"sub": "${sub}", "role": "authenticated", "aud": "authenticated"}', true)`;
}

/** Tries every command as every role on every table of `schemas`; notes say why a `?` could not be tried. */
export async function probeAccess(sql: Sql, schemas: readonly string[]): Promise<{ matrix: AccessMatrix; notes: string[] }> {
  const list = await readTables(sql, schemas);
  const tables = new Map(list.map((t) => [t.name, t]));
  const matrix: AccessMatrix = {};
  const notes: string[] = [];
  for (const table of list) {
    await sql
      .begin(async (tx) => {
        const users = { a: randomUUID(), b: randomUUID() };
        await tx.unsafe(`insert into auth.users (id, aud, role, email) values ($1, 'authenticated', 'authenticated', 'matrix-a@test.com'), ($2, 'authenticated', 'authenticated', 'matrix-b@test.com')`, [users.a, users.b]);
        let rowId: string;
        try {
          const [row] = await tx.unsafe(`${await insertFor(tx, tables, table, users.a)} returning ctid::text as id`);
          rowId = String(row?.id);
        } catch (error) {
          notes.push(`${table.name}: no row could be made to try on (${(error as Error).message}): every access left as ?`);
          matrix[table.name] = Object.fromEntries(MATRIX_ROLES.map((r) => [r, "????"])) as Record<MatrixRole, string>;
          throw new RolledBack();
        }
        const updated = table.columns.find((c) => !c.filled) ?? table.columns.at(-1);
        const first = q(updated?.name ?? "ctid");
        const cells = {} as Record<MatrixRole, string>;
        for (const role of MATRIX_ROLES) {
          let cell = "";
          for (const command of MATRIX_COMMANDS) {
            await tx.unsafe("savepoint matrix_try");
            try {
              const statement =
                command === "insert" ? await insertFor(tx, tables, table, users.a) :
                command === "select" ? `select from ${table.name} where ctid = '${rowId}'` :
                command === "update" ? `update ${table.name} set ${first} = ${first} where ctid = '${rowId}'` :
                `delete from ${table.name} where ctid = '${rowId}'`;
              await tx.unsafe(actAs(role, users)).simple();
              const result = await tx.unsafe(statement);
              cell += result.count > 0 ? command[0]!.toUpperCase() : "-";
            } catch (error) {
              const e = error as { code?: string; message?: string };
              if (e.code === "42501") cell += "-";
              else {
                cell += "?";
                notes.push(`${table.name}: ${command} as ${role} could not be tried: ${e.message ?? String(error)}`);
              }
            }
            await tx.unsafe("rollback to savepoint matrix_try");
          }
          cells[role] = cell;
        }
        matrix[table.name] = cells;
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
  }
  return { matrix, notes };
}

class RolledBack extends Error {}
