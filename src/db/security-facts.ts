/** The catalog facts the security checks need, in one round trip (inside verify's read-only transaction). */
import type postgres from "postgres";
import type { SecurityFacts } from "../core/security-checks.js";
import { quoteLiteral } from "./journal-sql.js";

export async function readSecurityFacts(sql: postgres.Sql | postgres.TransactionSql, exposed: readonly string[], journalSchema: string): Promise<SecurityFacts> {
  const schemas = `array[${exposed.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  const apiRoles = "(select rolname from pg_roles where rolname in ('anon', 'authenticated'))";
  const queries = [
    `select n.nspname || '.' || c.relname as name, format('%I.%I', n.nspname, c.relname) as quoted, c.relrowsecurity as rls, (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any(${schemas}) and c.relkind in ('r', 'p')
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`,
    `select schemaname || '.' || tablename as table, policyname as name, cmd as command, to_json(roles::text[]) as roles, qual as using, with_check from pg_policies where schemaname = any(${schemas})`,
    `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
            format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) as quoted,
            exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%') as fixed_search_path,
            exists (select 1 from pg_roles where rolname = 'anon') and has_function_privilege('anon', p.oid, 'execute') as anon_can_execute
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prosecdef and n.nspname = any(${schemas})
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
    `select distinct n.nspname || '.' || v.relname as name
       from pg_class v join pg_namespace n on n.oid = v.relnamespace
       join pg_rewrite r on r.ev_class = v.oid join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
      where v.relkind in ('v', 'm') and n.nspname = any(${schemas}) and d.refobjid = to_regclass('auth.users')`,
    `select r.rolname as role from ${apiRoles} r(rolname)
      where to_regnamespace(${quoteLiteral(journalSchema)}) is not null and has_schema_privilege(r.rolname, ${quoteLiteral(journalSchema)}, 'usage')`,
  ];
  const [tables = [], policies = [], functions = [], views = [], journal = []] = (await sql.unsafe(queries.join(";\n")).simple()) as unknown as Record<string, unknown>[][];
  return {
    tables: tables.map((r) => ({ name: String(r.name), quoted: String(r.quoted), rls: Boolean(r.rls), policies: Number(r.policies) })),
    policies: policies.map((r) => ({ table: String(r.table), name: String(r.name), command: String(r.command), roles: (r.roles as string[]) ?? [], using: (r.using as string | null) ?? null, withCheck: (r.with_check as string | null) ?? null })),
    definerFunctions: functions.map((r) => ({ signature: String(r.signature), quoted: String(r.quoted), fixedSearchPath: Boolean(r.fixed_search_path), anonCanExecute: Boolean(r.anon_can_execute) })),
    viewsOnAuthUsers: views.map((r) => String(r.name)),
    journalReachableBy: journal.map((r) => String(r.role)),
    journalSchema,
  };
}
