/**
 * More of Supabase's database advisor, read on lint's scratch database before and after the
 * pending files: the row-level security policies of the project's schemas (judged in
 * core/lint-policies), and, on a Supabase project, what the API exposes: views that run with
 * their owner's rights (no security_invoker, Postgres 15+), materialized views the API roles can
 * read (no RLS covers them), and extensions installed in the exposed `public` schema.
 */
import { policyFindings, type PolicyFacts } from "../core/lint-policies.js";
import type { SecurityFinding } from "../core/security-checks.js";
import type { Sql } from "./session.js";

const POLICIES_SQL = `
select format('%I.%I', n.nspname, c.relname) as "table", format('%I', p.polname) as name, p.polpermissive as permissive,
  case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE' when 'd' then 'DELETE' else 'ALL' end as command,
  coalesce((select json_agg(case when r = 0 then 'public' else pg_get_userbyid(r) end) from unnest(p.polroles) r), '[]') as roles,
  pg_get_expr(p.polqual, p.polrelid) as using, pg_get_expr(p.polwithcheck, p.polrelid) as with_check, c.relrowsecurity as rls
from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
where n.nspname in (select json_array_elements_text(($1::text)::json))
order by p.oid`;

/** Not part of an extension, and readable by anon or authenticated (where those roles exist). */
const EXPOSED_SQL = `
with api as (select rolname from pg_roles where rolname in ('anon', 'authenticated'))
select 'view-without-security-invoker' as code, format('view %I.%I', n.nspname, c.relname) as object
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'v' and n.nspname in (select json_array_elements_text(($1::text)::json))
  and current_setting('server_version_num')::int >= 150000
  and not exists (select 1 from unnest(coalesce(c.reloptions, '{}')) o where lower(o) in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes'))
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  and exists (select 1 from api where has_table_privilege(api.rolname, c.oid, 'select'))
union all
select 'materialized-view-in-api', format('materialized view %I.%I', n.nspname, c.relname)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'm' and n.nspname in (select json_array_elements_text(($1::text)::json))
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  and exists (select 1 from api where has_table_privilege(api.rolname, c.oid, 'select'))
union all
select 'extension-in-public', format('extension %I', e.extname)
from pg_extension e join pg_namespace n on n.oid = e.extnamespace
where n.nspname = 'public'`;

/** The texts of these checks, by code (the README lists every code). */
export const EXPOSED_TEXT: Record<string, Omit<SecurityFinding, "code" | "object">> = {
  "view-without-security-invoker": {
    level: "error",
    message: "runs with its owner's rights (no security_invoker): the API roles read through it past the row-level security of the tables it selects from",
    hint: "create view ... with (security_invoker = true) as ... (Postgres 15+), or revoke select on it from anon, authenticated",
  },
  "materialized-view-in-api": {
    level: "warn",
    message: "is readable by the API roles and row-level security does not apply to materialized views: every row is served",
    hint: "create it in a schema the API does not expose, or revoke select on it from anon, authenticated",
  },
  "extension-in-public": {
    level: "warn",
    message: "is installed in the public schema, which the API exposes: its functions and tables are reachable through it",
    hint: "create extension ... schema extensions (or alter extension ... set schema extensions)",
  },
};

/** The policy checks in `schemas`; on a Supabase project also what the API exposes in `exposed`. */
export async function readApiAdvisorFindings(sql: Sql, options: { schemas: string[]; exposed: string[]; supabase: boolean }): Promise<SecurityFinding[]> {
  const policies = await sql.unsafe<{ table: string; name: string; permissive: boolean; command: string; roles: string[]; using: string | null; with_check: string | null; rls: boolean }[]>(POLICIES_SQL, [JSON.stringify(options.schemas)]);
  const facts: PolicyFacts[] = policies.map((p) => ({ table: p.table, name: p.name, permissive: p.permissive, command: p.command, roles: p.roles, using: p.using, withCheck: p.with_check, rls: p.rls }));
  const findings = policyFindings(facts);
  if (!options.supabase) return findings;
  const exposed = await sql.unsafe<{ code: string; object: string }[]>(EXPOSED_SQL, [JSON.stringify(options.exposed)]);
  return [...findings, ...exposed.map((row) => ({ code: row.code, object: row.object, ...EXPOSED_TEXT[row.code]! }))];
}
