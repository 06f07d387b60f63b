/**
 * A text fingerprint of a database's schema (no OIDs, stable order) to compare two databases:
 * the test stand-in for `pg_dump --schema-only`, whose Postgres 17 build is not installable here.
 */
import type postgres from "postgres";

const USER_SCHEMAS = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'";

export async function schemaFingerprint(sql: postgres.Sql): Promise<string[]> {
  const queries = [
    `select 'schema ' || n.nspname || ' owner=' || n.nspowner::regrole || ' acl=' || coalesce(n.nspacl::text, '-') || ' comment=' || coalesce(obj_description(n.oid, 'pg_namespace'), '-') as line from pg_namespace n where ${USER_SCHEMAS}`,
    `select 'relation ' || c.oid::regclass || ' kind=' || c.relkind::text || ' rls=' || c.relrowsecurity || '/' || c.relforcerowsecurity || ' acl=' || coalesce(c.relacl::text, '-') as line from pg_class c join pg_namespace n on n.oid = c.relnamespace where ${USER_SCHEMAS}`,
    `select 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-') as line
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attnum > 0 and not a.attisdropped and ${USER_SCHEMAS}`,
    `select 'constraint ' || co.conrelid::regclass || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid) as line from pg_constraint co join pg_namespace n on n.oid = co.connamespace where ${USER_SCHEMAS}`,
    `select 'index ' || pg_get_indexdef(i.indexrelid) as line from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where ${USER_SCHEMAS}`,
    `select 'function ' || pg_get_functiondef(p.oid) || ' acl=' || coalesce(p.proacl::text, '-') as line from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${USER_SCHEMAS} and p.prokind in ('f', 'p')`,
    `select 'trigger ' || pg_get_triggerdef(t.oid) || ' enabled=' || t.tgenabled::text as line from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where not t.tgisinternal and ${USER_SCHEMAS}`,
    `select 'policy ' || schemaname || '.' || tablename || ' ' || policyname || ' ' || permissive || ' ' || roles::text || ' ' || cmd || ' ' || coalesce(qual, '-') || ' ' || coalesce(with_check, '-') as line from pg_policies`,
    `select 'default-acl ' || d.defaclrole::regrole || ' ' || coalesce(n.nspname, '*') || ' ' || d.defaclobjtype::text || ' ' || d.defaclacl::text as line from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
    `select 'type ' || t.oid::regtype || ' ' || t.typtype::text as line from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typtype in ('e', 'd', 'c') and ${USER_SCHEMAS} and not exists (select 1 from pg_class c where c.reltype = t.oid and c.relkind <> 'c')`,
    `select 'publication ' || pubname as line from pg_publication`,
    `select 'extension ' || extname || ' in ' || extnamespace::regnamespace as line from pg_extension`,
  ];
  const lines: string[] = [];
  for (const query of queries) lines.push(...(await sql.unsafe<{ line: string }[]>(query)).map((row) => row.line));
  return lines.sort();
}
