/** SQL text for the journal table, with the schema name quoted once here. */
import { createHash } from "node:crypto";
import { OWNER_COLUMNS_SQL } from "./running-owner.js";

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal read the same whatever standard_conforming_strings says (E'...' when a backslash is in it). */
export function quoteLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes("\\") ? `E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/**
 * `body` as a dollar-quoted string whose tag does not occur in it: names pasted into the body
 * (file names, the journal schema) may contain any fixed tag such as `$dbkit$`.
 */
export function dollarQuote(body: string): string {
  let tag = "$dbkit$";
  for (let n = 1; body.includes(tag); n++) tag = `$dbkit${n}$`;
  return `${tag}${body}${tag}`;
}

/** The advisory-lock key of one journal: stable across processes and versions of dbkit. */
export function lockKeyFor(journalSchema: string): string {
  return createHash("sha256").update(`dbkit:${journalSchema}`).digest().readBigInt64BE(0).toString();
}

export function journalTable(schema: string): string {
  return `${quoteIdent(schema)}.migrations`;
}

/** Creates the journal; run under the migration lock so concurrent first runs do not race. */
export function createJournalSql(schema: string): string {
  const table = journalTable(schema);
  return `
create schema if not exists ${quoteIdent(schema)};
create table if not exists ${table} (
  name text primary key,
  version text not null,
  kind text not null default 'migration' check (kind in ('migration', 'seed')),
  checksum text not null,
  status text not null check (status in ('applied', 'running', 'failed')),
  applied_at timestamptz not null default now(),
  execution_ms integer,
  applied_by text not null default current_user,
  dbkit_version text not null,
  error text,
  resolved_by text,
  resolved_at timestamptz,
  resolution text check (resolution in ('applied', 'rolled-back', 'baselined', 'imported')),
  -- The runner of a no-transaction migration (see running-owner.ts).
  ${OWNER_COLUMNS_SQL}
);
comment on table ${table} is 'dbkit migration journal: do not edit by hand (use dbkit resolve)';
revoke all on schema ${quoteIdent(schema)} from public;
revoke all on all tables in schema ${quoteIdent(schema)} from public;
do ${dollarQuote(`
declare r text;
begin
  -- On Supabase the API roles must never reach the journal.
  foreach r in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = r) then
      execute format('revoke all on schema %I from %I', ${quoteLiteral(schema)}, r);
      execute format('revoke all on all tables in schema %I from %I', ${quoteLiteral(schema)}, r);
    end if;
  end loop;
end
`)};`;
}

/**
 * applied_at as whole epoch milliseconds (what a Date keeps), in int8 text: the driver parses
 * timestamptz text with `new Date(text)`, a third of the journal's decoding time in a no-op run at
 * 1000 migrations, and an integer is out of reach of extra_float_digits.
 */
const APPLIED_AT_MS = "trunc(extract(epoch from applied_at) * 1000)::int8";

/** The journal's columns as dbkit reads them, row by row. */
export const JOURNAL_COLUMNS = `name, version, kind, checksum, status, ${APPLIED_AT_MS} as applied_at_ms, execution_ms, error`;

/**
 * The whole journal as one row: every row's fields but `error` joined by the control character
 * U+001F in one text value, and the errors apart. Decoding a thousand rows of eight columns in the
 * driver cost a no-op run about 5 ms; one string and a split cost a fraction of that. Only a name
 * can contain the separator (the other fields are digits, hex and fixed words); the field count
 * then differs (see unpackJournal) and the rows are read one by one instead.
 */
export function packedJournalSql(table: string): string {
  return `select ${packedColumns()}
from ${table}`;
}

/**
 * What proves a journal in sync (see core/journal-digest.ts): the digest of the applied migration
 * rows, the count of migration rows left failed or running, and the seed rows whole, packed as by
 * packedJournalSql (a seed plan needs them). With `times` (status), also each applied migration's
 * name, time and duration, packed the same way in byte order of the names, and their errors apart.
 */
export function journalSummarySql(table: string, times = false): string {
  const applied = "kind = 'migration' and status = 'applied'";
  return `select
  encode(sha256(convert_to(coalesce(string_agg(length(name) || ':' || name || length(checksum) || ':' || checksum, '' order by name collate "C") filter (where ${applied}), ''), 'UTF8')), 'hex') as digest,
  count(*) filter (where kind = 'migration' and status <> 'applied')::int as unresolved,${
    times
      ? `
  count(*) filter (where ${applied})::int as applied_rows,
  string_agg(concat_ws(chr(31), name, ${APPLIED_AT_MS}, coalesce(execution_ms::text, '')), chr(31) order by name collate "C") filter (where ${applied}) as applied_times,
  json_object_agg(name, error) filter (where ${applied} and error is not null)::text as applied_errors,`
      : ""
  }
  ${packedColumns("kind = 'seed'")}
from ${table}`;
}

/** The columns of a PackedJournal (journal-rows.ts), of every row or of those `where` selects. */
function packedColumns(where?: string): string {
  const only = where === undefined ? "" : ` filter (where ${where})`;
  return `count(*)${only}::int as rows,
  string_agg(concat_ws(chr(31), name, version, kind, checksum, status, ${APPLIED_AT_MS}, coalesce(execution_ms::text, '')), chr(31) order by name)${only} as packed,
  json_object_agg(name, error) filter (where error is not null${where === undefined ? "" : ` and ${where}`})::text as errors`;
}
