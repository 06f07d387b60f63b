/**
 * Runs pending migration files in a scratch database statement by statement, the way migrate
 * would (one transaction per file, or statement by statement for a no-transaction file), and after
 * each statement reads from its own backend what it did to the relations that existed before:
 * locks (pg_locks), rewrites (relfilenode), new validated constraints, NOT NULL columns, drops and
 * renames. Sees through DO blocks and functions, since it measures instead of reading the SQL.
 */
import type { LintSnapshot } from "../core/lint-facts.js";
import type { SqlStatement } from "../sql/parse-sql.js";
import { ALTERED_SETTING } from "./lint-ddl-capture.js";
import type { Sql, TxSql } from "./session.js";

type Runner = Sql | TxSql;

/**
 * Tables, indexes and enum types outside the system schemas and the journal's: what "existed
 * before this deploy" means. One list of oids (relations and types share the oid counter).
 */
export async function readPreexisting(sql: Sql, journalSchema: string): Promise<number[]> {
  const rows = await sql.unsafe<{ oid: string }[]>(
    `select c.oid::int8 as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r','p','m','i','I') and n.nspname not in ('pg_catalog','information_schema', $1)
       and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
     union all
     select t.oid::int8 from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where t.typtype = 'e' and n.nspname not in ('pg_catalog','information_schema', $1)`,
    [journalSchema],
  );
  return rows.map((row) => Number(row.oid));
}

const SNAPSHOT_SQL = `
with pre as (select unnest($1::oid[]) as oid)
select json_build_object(
  'relations', (select coalesce(json_agg(json_build_array(c.oid::int8, format('%I.%I', n.nspname, c.relname), c.relkind, c.relfilenode::int8)), '[]')
                from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.oid in (select oid from pre)),
  'columns', (select coalesce(json_agg(json_build_array(a.attrelid::int8, a.attnum, a.attname, a.attnotnull, a.attisdropped, a.atthasdef or a.attidentity <> '')), '[]')
              from pg_attribute a where a.attrelid in (select oid from pre) and a.attnum > 0),
  'constraints', (select coalesce(json_agg(json_build_array(k.oid::int8, k.conrelid::int8, k.conname, k.contype, k.convalidated, pg_get_constraintdef(k.oid), k.conindid::int8)), '[]')
                  from pg_constraint k where k.conrelid in (select oid from pre)),
  'indexes', (select coalesce(json_agg(json_build_array(i.indexrelid::int8, i.indrelid::int8)), '[]')
              from pg_index i where i.indrelid in (select oid from pre)),
  'enums', (select coalesce(json_agg(json_build_array(e.oid::int8, format_type(e.enumtypid, null), e.enumlabel)), '[]')
            from pg_enum e where e.enumtypid in (select oid from pre)),
  'locks', (select coalesce(json_agg(json_build_array(l.relation::int8, l.mode)), '[]')
            from pg_locks l where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted and l.relation in (select oid from pre)),
  'altered', coalesce(current_setting('${ALTERED_SETTING}', true), '')
) as snapshot`;

type Row<T extends unknown[]> = T[];
interface RawSnapshot {
  relations: Row<[number, string, string, number]>;
  columns: Row<[number, number, string, boolean, boolean, boolean]>;
  constraints: Row<[number, number, string, string, boolean, string, number]>;
  indexes: Row<[number, number]>;
  locks: Row<[number, string]>;
  enums: Row<[number, string, string]>;
  altered: string;
}

/** The pre-existing relations' state, read on `sql` (inside the migration's transaction: its locks are visible). */
export async function readSnapshot(sql: Runner, preexisting: number[]): Promise<LintSnapshot> {
  const [row] = await sql.unsafe<{ snapshot: RawSnapshot }[]>(SNAPSHOT_SQL, [`{${preexisting.join(",")}}`]);
  const raw = row!.snapshot;
  return {
    relations: new Map(raw.relations.map(([oid, name, kind, node]) => [oid, { name, kind, node }])),
    columns: new Map(raw.columns.map(([rel, num, name, notNull, dropped, hasDefault]) => [`${rel}:${num}`, { name, notNull, dropped, hasDefault }])),
    constraints: new Map(raw.constraints.map(([oid, table, name, type, validated, definition, index]) => [oid, { table, name, type, validated, definition, index }])),
    indexes: new Map(raw.indexes),
    locks: new Set(raw.locks.map(([oid, mode]) => `${oid}:${mode}`)),
    enumLabels: new Map(raw.enums.map(([oid, type, label]) => [oid, { type, label }])),
    altered: raw.altered.split("\n").filter((line) => line !== ""),
  };
}

/** One statement's snapshots: before it (in its transaction) and after it. */
export interface MeasuredStatement {
  statement: SqlStatement;
  before: LintSnapshot;
  after: LintSnapshot;
}

/** The statement failed in the scratch database: where, and the server's error. */
export class ProbeStatementError extends Error {
  constructor(
    readonly statement: SqlStatement,
    override readonly cause: unknown,
  ) {
    super((cause as Error).message);
  }
}

const SKIPPED = new Set(["TransactionStmt"]);

/**
 * Runs one file's statements and measures each. `inTransaction`: the whole file in one
 * transaction, as migrate runs it; otherwise each statement in its own (so its locks are
 * visible before they are released), or bare when Postgres refuses it in a transaction block.
 */
export async function measureFile(sql: Sql, statements: SqlStatement[], options: { inTransaction: boolean; preexisting: number[]; settings: Readonly<Record<string, string>> }): Promise<MeasuredStatement[]> {
  const measured: MeasuredStatement[] = [];
  const setUp = async (tx: Runner) => {
    for (const [name, value] of Object.entries(options.settings)) await tx.unsafe("select set_config($1, $2, true)", [name, value]);
  };
  const runOne = async (tx: Runner, statement: SqlStatement, before: LintSnapshot) => {
    try {
      await tx.unsafe(statement.text).simple();
    } catch (error) {
      throw new ProbeStatementError(statement, error);
    }
    const after = await readSnapshot(tx, options.preexisting);
    measured.push({ statement, before, after });
    return after;
  };
  const runnable = statements.filter((s) => !SKIPPED.has(s.kind));
  if (options.inTransaction) {
    await sql.begin(async (tx) => {
      await setUp(tx);
      let before = await readSnapshot(tx, options.preexisting);
      for (const statement of runnable) before = await runOne(tx, statement, before);
    });
    return measured;
  }
  for (const statement of runnable) {
    const before = await readSnapshot(sql, options.preexisting);
    const refused = await sql
      .begin(async (tx) => {
        await setUp(tx);
        await runOne(tx, statement, await readSnapshot(tx, options.preexisting));
        return false;
      })
      .catch((error: unknown) => {
        // 25001: CREATE INDEX CONCURRENTLY and the like cannot run in a transaction block.
        if (error instanceof ProbeStatementError && (error.cause as { code?: string }).code === "25001") return true;
        throw error;
      });
    if (refused) {
      for (const [name, value] of Object.entries(options.settings)) await sql.unsafe("select set_config($1, $2, false)", [name, value]);
      await runOne(sql, statement, before);
    }
  }
  return measured;
}
