/**
 * Checks Supabase's database advisor makes that verify --security does not: tables without a
 * primary key, foreign keys without an index on their columns, duplicate indexes. Read on the
 * scratch database before and after the pending files (lint keeps only what the files introduce).
 */
import type { SecurityFinding } from "../core/security-checks.js";
import type { Sql } from "./session.js";

const ADVISOR_SQL = `
select 'table-without-primary-key' as code, format('table %I.%I', n.nspname, c.relname) as object, '' as detail
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not c.relispartition and n.nspname in (select json_array_elements_text(($1::text)::json))
  and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
  and c.oid::int8 not in (select json_array_elements_text(($2::text)::json)::int8)
union all
select 'foreign-key-without-index', format('table %I.%I (%s)', n.nspname, c.relname, k.conname), pg_get_constraintdef(k.oid)
from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
where k.contype = 'f' and n.nspname in (select json_array_elements_text(($1::text)::json))
  and not exists (
    select 1 from pg_index i where i.indrelid = k.conrelid
      and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] @> k.conkey
      and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(k.conkey)] <@ k.conkey)
union all
select 'duplicate-index', format('index %I.%I', n.nspname, ci.relname), format('same as %I', cj.relname)
from pg_index i join pg_class ci on ci.oid = i.indexrelid join pg_namespace n on n.oid = ci.relnamespace
join lateral (select j.indexrelid from pg_index j where j.indrelid = i.indrelid and j.indexrelid < i.indexrelid and j.indkey = i.indkey
  and j.indclass = i.indclass and coalesce(pg_get_expr(j.indexprs, j.indrelid), '') = coalesce(pg_get_expr(i.indexprs, i.indrelid), '')
  and coalesce(pg_get_expr(j.indpred, j.indrelid), '') = coalesce(pg_get_expr(i.indpred, i.indrelid), '') limit 1) d on true
join pg_class cj on cj.oid = d.indexrelid
where n.nspname in (select json_array_elements_text(($1::text)::json))`;

/** The texts of these checks, by code (the README lists every code). */
export const ADVISOR_TEXT: Record<string, { level: SecurityFinding["level"]; message: (detail: string) => string; hint: string }> = {
  "table-without-primary-key": {
    level: "info",
    message: () => "has no primary key: rows cannot be told apart (logical replication, the API's updates and deletes by key)",
    hint: "add a primary key (an identity column, or the natural key)",
  },
  "foreign-key-without-index": {
    level: "info",
    message: (detail) => `${detail} has no index on its columns: every delete or key update in the referenced table scans this one`,
    hint: "create an index on the foreign key's columns (CONCURRENTLY on a table with data)",
  },
  "duplicate-index": {
    level: "warn",
    message: (detail) => `duplicates another index (${detail}): every write maintains both`,
    hint: "drop one of them (DROP INDEX CONCURRENTLY)",
  },
};

/** `preexisting`: a table that existed before the deploy without a primary key is not the deploy's doing, even renamed. */
export async function readAdvisorFindings(sql: Sql, schemas: string[], preexisting: number[]): Promise<SecurityFinding[]> {
  const rows = await sql.unsafe<{ code: string; object: string; detail: string }[]>(ADVISOR_SQL, [JSON.stringify(schemas), JSON.stringify(preexisting)]);
  return rows.map((row) => {
    const text = ADVISOR_TEXT[row.code]!;
    return { level: text.level, code: row.code, object: row.object, message: text.message(row.detail), hint: text.hint };
  });
}
