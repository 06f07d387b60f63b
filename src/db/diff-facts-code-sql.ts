/**
 * The queries behind the code and security kinds' facts (db/diff-facts-code.ts): for each object,
 * its name as SQL (quote_ident), the definition Postgres prints whole, and what grants, comments
 * and publication members are on. Read under the catalog read's fixed settings (search_path =
 * pg_catalog), so every name inside a definition is schema-qualified.
 */
import type { VerifyScope } from "../core/verify-scope.js";
import { comparedLanguagesSql, EFFECTIVE_ACL, TYPES_WITH_OWN_ACL } from "./effective-acl.js";
import { quoteLiteral } from "./journal-sql.js";

const notMember = (oid: string, catalog: string) => `not exists (select 1 from pg_depend x where x.classid = '${catalog}'::regclass and x.objid = ${oid} and x.deptype = 'e')`;
const keyName = (namespace: string, name: string) => `${namespace}::regnamespace::text || '.' || ${name}`;
const sqlName = (namespace: string, name: string) => `${namespace}::regnamespace::text || '.' || quote_ident(${name})`;
/** Schemas whose triggers and policies are the platform's or the system's, never the project's. */
const SYSTEM = `('pg_catalog', 'information_schema', 'pg_toast')`;

/** The catalog key of a commented object (names unquoted, as the catalog prints them), where one is known. */
const COMMENT_TARGET = `case d.classoid
  when 'pg_class'::regclass then (select case when d.objsubid > 0 then 'column ' || ${keyName("c.relnamespace", "c.relname")} || '.' || (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = d.objsubid)
      else case when c.relkind in ('v', 'm') then 'view ' when c.relkind = 'S' then 'sequence ' when c.relkind in ('i', 'I') then 'index ' when c.relkind = 'c' then 'type ' else 'table ' end || ${keyName("c.relnamespace", "c.relname")} end
    from pg_class c where c.oid = d.objoid)
  when 'pg_proc'::regclass then (select case when p.prokind = 'p' then 'procedure ' else 'function ' end || ${keyName("p.pronamespace", "p.proname")} || '(' || pg_get_function_identity_arguments(p.oid) || ')' from pg_proc p where p.oid = d.objoid)
  when 'pg_namespace'::regclass then (select 'schema ' || nspname from pg_namespace where oid = d.objoid)
  when 'pg_trigger'::regclass then (select 'trigger ' || ${keyName("c.relnamespace", "c.relname")} || '.' || t.tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.oid = d.objoid)
  when 'pg_policy'::regclass then (select 'policy ' || n.nspname || '.' || c.relname || '.' || p.polname from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace where p.oid = d.objoid)
  when 'pg_rewrite'::regclass then (select 'rule ' || ${keyName("c.relnamespace", "c.relname")} || '.' || r.rulename from pg_rewrite r join pg_class c on c.oid = r.ev_class where r.oid = d.objoid)
  when 'pg_constraint'::regclass then (select 'constraint ' || ${keyName("c.relnamespace", "c.relname")} || '.' || co.conname from pg_constraint co join pg_class c on c.oid = co.conrelid where co.oid = d.objoid)
  when 'pg_type'::regclass then (select 'type ' || ${keyName("t.typnamespace", "t.typname")} from pg_type t where t.oid = d.objoid)
  when 'pg_event_trigger'::regclass then (select 'event trigger ' || evtname from pg_event_trigger where oid = d.objoid)
  when 'pg_publication'::regclass then (select 'publication ' || pubname from pg_publication where oid = d.objoid)
end`;

function pairs(values: [string, string][]): string {
  return values.length > 0 ? values.map(([a, b]) => `(${quoteLiteral(a)}, ${quoteLiteral(b)})`).join(", ") : "(null, null)";
}

/** The result sets, in this order: relations, column grants, functions, schemas, triggers, policies, rules, publications, publication tables, publication schemas, event triggers, comments, default privileges, type privileges, language privileges. */
export function codeFactQueries(scope: VerifyScope, owned: string): string[] {
  const foreignFunctions = pairs(scope.foreign.flatMap((f) => (f.kind === "function" ? [[f.schema, f.name] as [string, string]] : [])));
  const schemas = `array[${scope.schemas.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  const roles = `array[${scope.roles.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  return [
    `select ${keyName("c.relnamespace", "c.relname")} as name, c.relkind::text as kind, ${sqlName("c.relnamespace", "c.relname")} as sql, ${EFFECTIVE_ACL.relation}::text as acl,
            (select nspname from pg_namespace where oid = c.relnamespace) as schema, c.relname as bare,
            case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as definition,
            case when c.relkind in ('v', 'm') then (select json_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) order by a.attnum)
              from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) end as columns
       from pg_class c where c.relnamespace in ${owned} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and ${notMember("c.oid", "pg_class")}`,
    `select ${keyName("c.relnamespace", "c.relname")} as relation, c.relkind::text as kind, a.attname as column, quote_ident(a.attname) as column_sql,
            ${sqlName("c.relnamespace", "c.relname")} as table_sql, a.attacl::text as acl
       from pg_attribute a join pg_class c on c.oid = a.attrelid where c.relnamespace in ${owned} and a.attacl is not null and a.attnum > 0 and not a.attisdropped`,
    `select ${keyName("p.pronamespace", "p.proname")} || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name, p.prokind::text as kind,
            ${sqlName("p.pronamespace", "p.proname")} || '(' || pg_get_function_identity_arguments(p.oid) || ')' as sql,
            pg_get_functiondef(p.oid) as definition, pg_get_function_arguments(p.oid) as arguments, ${EFFECTIVE_ACL.function}::text as acl,
            (select nspname from pg_namespace where oid = p.pronamespace) as schema, p.proname as bare,
            case when p.prolang = (select oid from pg_language where lanname = 'sql') then p.prosrc end as sql_body
       from pg_proc p
      where (p.pronamespace in ${owned} or (p.pronamespace::regnamespace::text, p.proname) in (${foreignFunctions}))
        and p.prokind in ('f', 'p') and ${notMember("p.oid", "pg_proc")}`,
    `select nspname as name, quote_ident(nspname) as sql, ${EFFECTIVE_ACL.schema}::text as acl from pg_namespace where nspname = any(${schemas})`,
    `select ${keyName("c.relnamespace", "c.relname")} as table, c.relkind::text as kind, t.tgname as name, quote_ident(t.tgname) as sql,
            ${sqlName("c.relnamespace", "c.relname")} as table_sql, pg_get_triggerdef(t.oid) as definition
       from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal and c.relnamespace::regnamespace::text not in ${SYSTEM}`,
    `select n.nspname || '.' || c.relname as key_table, ${keyName("c.relnamespace", "c.relname")} as table, p.polname as name, quote_ident(p.polname) as sql,
            ${sqlName("c.relnamespace", "c.relname")} as table_sql
       from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ${SYSTEM}`,
    `select ${keyName("c.relnamespace", "c.relname")} as table, c.relkind::text as kind, r.rulename as name, quote_ident(r.rulename) as sql,
            ${sqlName("c.relnamespace", "c.relname")} as table_sql, pg_get_ruledef(r.oid) as definition
       from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace in ${owned} and r.rulename <> '_RETURN'`,
    `select pubname as name, quote_ident(pubname) as sql from pg_publication`,
    `select p.pubname as publication, quote_ident(p.pubname) as publication_sql, ${keyName("c.relnamespace", "c.relname")} as table, ${sqlName("c.relnamespace", "c.relname")} as table_sql
       from pg_publication_rel r join pg_publication p on p.oid = r.prpubid join pg_class c on c.oid = r.prrelid`,
    // pg_publication_namespace is absent before Postgres 15: read through pg_depend, as the catalog does.
    `select p.pubname as publication, quote_ident(p.pubname) as publication_sql, n.nspname as schema, quote_ident(n.nspname) as schema_sql
       from pg_depend dp join pg_depend dn on dn.classid = dp.classid and dn.objid = dp.objid and dn.refclassid = 'pg_namespace'::regclass
       join pg_publication p on p.oid = dp.refobjid join pg_namespace n on n.oid = dn.refobjid
      where dp.classid = to_regclass('pg_catalog.pg_publication_namespace') and dp.refclassid = 'pg_publication'::regclass`,
    `select e.evtname as name, quote_ident(e.evtname) as sql, ${keyName("p.pronamespace", "p.proname")} as function, ${sqlName("p.pronamespace", "p.proname")} as function_sql
       from pg_event_trigger e join pg_proc p on p.oid = e.evtfoid`,
    `select i.type, i.schema, i.identity, ${COMMENT_TARGET} as target, case when d.classoid = 'pg_class'::regclass and d.objsubid > 0 then
              (select case when c.relkind in ('v', 'm') then 'view ' else 'table ' end || ${keyName("c.relnamespace", "c.relname")} from pg_class c where c.oid = d.objoid) end as relation
       from pg_description d cross join lateral pg_identify_object(d.classoid, d.objoid, d.objsubid) i
      where (d.objoid >= 16384 or d.classoid = 'pg_namespace'::regclass) and not exists (select 1 from pg_depend x where x.classid = d.classoid and x.objid = d.objoid and x.deptype = 'e')`,
    // The default privileges of the role that reads (the one that builds and applies): what a new object gets, for the roles verify compares.
    `select d.defaclobjtype::text as objtype, case when d.defaclnamespace <> 0 then (select nspname from pg_namespace where oid = d.defaclnamespace) end as schema,
            exists (select 1 from aclexplode(d.defaclacl) a where a.grantee = 0) as public,
            (select json_agg(json_build_array(coalesce(r.rolname, ''), a.privilege_type)) from aclexplode(d.defaclacl) a left join pg_roles r on r.oid = a.grantee
              where a.grantee <> d.defaclrole and coalesce(r.rolname, '') = any(${roles})) as grants
       from pg_default_acl d where d.defaclrole = (select oid from pg_roles where rolname = current_user)`,
    `select ${keyName("t.typnamespace", "t.typname")} as name, ${sqlName("t.typnamespace", "t.typname")} as sql, t.typtype::text as type, ${EFFECTIVE_ACL.type}::text as acl
       from pg_type t where t.typnamespace in ${owned} and ${TYPES_WITH_OWN_ACL} and ${notMember("t.oid", "pg_type")}`,
    `select l.lanname as name, quote_ident(l.lanname) as sql, ${EFFECTIVE_ACL.language}::text as acl,
            (select x.extname from pg_depend d join pg_extension x on x.oid = d.refobjid where d.classid = 'pg_language'::regclass and d.objid = l.oid and d.deptype = 'e') as extension
       from pg_language l where ${comparedLanguagesSql(scope)}`,
  ];
}
