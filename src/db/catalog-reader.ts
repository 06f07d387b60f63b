/**
 * Reads a database's schema as a Catalog in one round trip: a fixed set of catalog queries sent
 * as one simple-protocol string, whatever the number of objects. Only reads: it runs inside the
 * caller's (read-only) transaction and needs no session state, so it works through poolers.
 */
import type postgres from "postgres";
import { privilegeObjects, type Catalog, type CatalogObject } from "../core/catalog.js";
import type { VerifyScope } from "../core/verify-scope.js";
import { addExtraObjects, COLUMN_EXTRAS, extraCatalogQueries } from "./catalog-sql-extra.js";
import { EFFECTIVE_ACL } from "./effective-acl.js";
import { quoteLiteral } from "./journal-sql.js";

type Row = Record<string, unknown>;

/** Objects an extension created are the extension's, not the project's. */
const NOT_EXTENSION_MEMBER = (oid: string, catalog: string) => `not exists (select 1 from pg_depend d where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

/**
 * pg_get_expr, format_type and friends qualify a name unless its schema is on the search_path,
 * and print constants (a timestamptz default) in the session's TimeZone and DateStyle. So both
 * sides are read under the same settings, never the session's (a database whose search_path
 * includes `extensions` would print `uuid_generate_v4()` where the scratch build prints
 * `extensions.uuid_generate_v4()`). Set for the transaction only (the statements of one simple
 * query share one), and put back after, for the reads that follow in the caller's transaction.
 */
const FIXED_SETTINGS: [string, string][] = [
  ["search_path", "pg_catalog"],
  ["TimeZone", "UTC"],
  ["DateStyle", "ISO, MDY"],
  ["IntervalStyle", "postgres"],
  ["extra_float_digits", "1"],
];
export const FIX_SETTINGS = `select ${FIXED_SETTINGS.map(([name, value]) => `set_config('dbkit.saved_${name.toLowerCase()}', current_setting('${name}'), true), set_config('${name}', '${value}', true)`).join(", ")}`;
export const RESTORE_SETTINGS = `select ${FIXED_SETTINGS.map(([name]) => `set_config('${name}', current_setting('dbkit.saved_${name.toLowerCase()}'), true)`).join(", ")}`;

/**
 * A range type's definition, as columns of the types query (alias r: its pg_range row): what
 * CREATE TYPE ... AS RANGE set, each null where it is the default (the subtype's default operator
 * class and collation, no canonical or subtype_diff function). The multirange type (Postgres 14+;
 * read through to_jsonb, so 13 reads null) is named because CREATE TYPE can name it.
 */
const RANGE_COLUMNS = `format_type(r.rngsubtype, null) as subtype,
            (select case when o.opcnamespace = 'pg_catalog'::regnamespace then o.opcname else o.opcnamespace::regnamespace::text || '.' || o.opcname end
               from pg_opclass o where o.oid = r.rngsubopc and not o.opcdefault) as opclass,
            (select case when co.collnamespace = 'pg_catalog'::regnamespace then co.collname else co.collnamespace::regnamespace::text || '.' || co.collname end
               from pg_collation co where co.oid = r.rngcollation and r.rngcollation <> (select s.typcollation from pg_type s where s.oid = r.rngsubtype)) as collation,
            case when r.rngcanonical <> 0 then r.rngcanonical::regproc::text end as canonical, case when r.rngsubdiff <> 0 then r.rngsubdiff::regproc::text end as subtype_diff,
            (to_jsonb(r) ->> 'rngmultitypid')::oid::regtype::text as multirange`;

/**
 * The functions Postgres makes with a range type (its constructors, and its multirange's) depend
 * on the type internally: they are the type's, created and dropped with it, never on their own.
 */
const NOT_TYPE_CONSTRUCTOR = `not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.refclassid = 'pg_type'::regclass and d.deptype = 'i')`;

export async function readCatalog(sql: postgres.Sql | postgres.TransactionSql, scope: VerifyScope): Promise<Catalog> {
  const queries = catalogQueries(scope);
  const results = (await sql.unsafe([FIX_SETTINGS, ...queries, RESTORE_SETTINGS].join(";\n")).simple()) as unknown as Row[][];
  return catalogFromResults(results.slice(1, -1), scope);
}

/** `(select oid from pg_namespace where ...)`: the oids of the schemas the project owns. */
export function ownedSchemasSql(scope: VerifyScope): string {
  return `(select oid from pg_namespace where nspname = any(array[${scope.schemas.map(quoteLiteral).join(", ") || "''"}]::text[]))`;
}

/** The catalog read's statements, to send under FIX_SETTINGS (with others, in one round trip). */
export function catalogQueries(scope: VerifyScope): string[] {
  const schemas = `array[${scope.schemas.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  const foreignTriggers = literalPairs(scope.foreign.filter((f) => f.kind === "trigger").map((f) => [`${f.schema}.${"table" in f ? f.table : ""}`, f.name]));
  const foreignPolicies = literalPairs(scope.foreign.filter((f) => f.kind === "policy").map((f) => [`${f.schema}.${"table" in f ? f.table : ""}`, f.name]));
  const foreignFunctions = literalPairs(scope.foreign.filter((f) => f.kind === "function").map((f) => [f.schema, "name" in f ? f.name : ""]));
  const extensions = `array[${scope.extensions.map(quoteLiteral).join(", ") || "''"}]::text[]`;
  const owned = ownedSchemasSql(scope);
  return [
    `select nspname as name, ${EFFECTIVE_ACL.schema}::text as acl from pg_namespace where nspname = any(${schemas})`,
    `select extname as name, extnamespace::regnamespace::text as schema from pg_extension where extname = any(${extensions}) or extnamespace in ${owned}`,
    `select t.typnamespace::regnamespace::text as schema, t.typname as name, t.typtype as type,
            (select json_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) as labels,
            case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod) end as base, t.typnotnull as notnull, t.typdefault as default,
            (select json_agg(pg_get_constraintdef(c.oid) order by c.conname) from pg_constraint c where c.contypid = t.oid) as checks, ${RANGE_COLUMNS}
       from pg_type t left join pg_range r on r.rngtypid = t.oid where t.typnamespace in ${owned} and t.typtype in ('e', 'd', 'r') and ${NOT_EXTENSION_MEMBER("t.oid", "pg_type")}`,
    `select c.relnamespace::regnamespace::text as schema, c.relname as name, c.relkind::text as kind, c.relpersistence::text as persistence,
            c.relrowsecurity as rls, c.relforcerowsecurity as force_rls, ${EFFECTIVE_ACL.relation}::text as acl,
            case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid) end as definition
       from pg_class c where c.relnamespace in ${owned} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c') and ${NOT_EXTENSION_MEMBER("c.oid", "pg_class")}`,
    `select c.relnamespace::regnamespace::text as schema, c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as notnull,
            pg_get_expr(d.adbin, d.adrelid) as default, a.attidentity::text as identity, a.attgenerated::text as generated, ${COLUMN_EXTRAS}
       from pg_attribute a join pg_class c on c.oid = a.attrelid left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relnamespace in ${owned} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'c') and a.attnum > 0 and not a.attisdropped and ${NOT_EXTENSION_MEMBER("c.oid", "pg_class")}`,
    `select c.relnamespace::regnamespace::text as schema, c.relname as table, co.conname as name, co.contype::text as type, pg_get_constraintdef(co.oid) as definition,
            co.condeferrable as deferrable, co.condeferred as deferred, co.convalidated as validated
       from pg_constraint co join pg_class c on c.oid = co.conrelid where c.relnamespace in ${owned}`,
    `select c.relnamespace::regnamespace::text as schema, c.relname as name, t.relname as table, pg_get_indexdef(i.indexrelid) as definition, i.indisvalid as valid, i.indisunique as unique
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid where c.relnamespace in ${owned} and ${NOT_EXTENSION_MEMBER("t.oid", "pg_class")}`,
    `select c.relnamespace::regnamespace::text as schema, c.relname as name, format_type(s.seqtypid, null) as type, s.seqstart::text as start, s.seqincrement::text as increment,
            s.seqmin::text as min, s.seqmax::text as max, s.seqcycle as cycle
       from pg_sequence s join pg_class c on c.oid = s.seqrelid where c.relnamespace in ${owned}`,
    `select p.pronamespace::regnamespace::text as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as args, p.prokind::text as kind,
            pg_get_function_result(p.oid) as returns, l.lanname as language, p.prosrc as body, p.provolatile::text as volatility, p.prosecdef as security_definer,
            to_json(p.proconfig) as config, ${EFFECTIVE_ACL.function}::text as acl
       from pg_proc p join pg_language l on l.oid = p.prolang
      where (p.pronamespace in ${owned} or (p.pronamespace::regnamespace::text, p.proname) in (${foreignFunctions}))
        and p.prokind in ('f', 'p') and ${NOT_EXTENSION_MEMBER("p.oid", "pg_proc")} and ${NOT_TYPE_CONSTRUCTOR}`,
    `select c.relnamespace::regnamespace::text as schema, c.relname as table, t.tgname as name, pg_get_triggerdef(t.oid) as definition, t.tgenabled::text as enabled
       from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where not t.tgisinternal and (c.relnamespace in ${owned} or (c.relnamespace::regnamespace::text || '.' || c.relname, t.tgname) in (${foreignTriggers}))`,
    `select schemaname as schema, tablename as table, policyname as name, permissive, to_json(roles::text[]) as roles, cmd as command, qual as using, with_check
       from pg_policies where schemaname = any(${schemas}) or (schemaname || '.' || tablename, policyname) in (${foreignPolicies})`,
    ...extraCatalogQueries(scope, owned),
  ];
}

/** The Catalog from the result sets of catalogQueries, in order. */
export function catalogFromResults(read: Row[][], scope: VerifyScope): Catalog {
  const objects = toObjects(read, new Set(scope.roles));
  addExtraObjects(objects, read.slice(BASE_QUERY_COUNT), scope, read[4] ?? []);
  return { objects };
}

/** The result sets before those of extraCatalogQueries. */
const BASE_QUERY_COUNT = 11;

/** `('a', 'b'), ('c', 'd')`, or a row that matches nothing, for `(x, y) in (...)`. */
function literalPairs(pairs: [string, string][]): string {
  return pairs.length > 0 ? pairs.map(([a, b]) => `(${quoteLiteral(a)}, ${quoteLiteral(b)})`).join(", ") : "(null, null)";
}

const RELATION_KINDS: Record<string, { category: "tables" | "views" | "sequences" | "types"; noun: string }> = {
  r: { category: "tables", noun: "table" },
  p: { category: "tables", noun: "table" },
  f: { category: "tables", noun: "foreign table" },
  v: { category: "views", noun: "view" },
  m: { category: "views", noun: "materialized view" },
  S: { category: "sequences", noun: "sequence" },
  c: { category: "types", noun: "type" },
};

const VOLATILITY: Record<string, string> = { i: "immutable", s: "stable", v: "volatile" };

function toObjects(results: Row[][], roles: ReadonlySet<string>): CatalogObject[] {
  const [schemas = [], extensions = [], types = [], relations = [], columns = [], constraints = [], indexes = [], sequences = [], functions = [], triggers = [], policies = []] = results;
  const objects: CatalogObject[] = [];
  const add = (category: CatalogObject["category"], key: string, props: CatalogObject["props"]) => objects.push({ category, key, props });
  const s = (value: unknown) => (value === null || value === undefined ? null : String(value));

  for (const r of schemas) {
    add("schemas", `schema ${r.name}`, {});
    objects.push(...privilegeObjects("schema", String(r.name), s(r.acl), roles));
  }
  for (const r of extensions) add("extensions", `extension ${r.name}`, { schema: s(r.schema) });
  for (const r of types) {
    const key = `type ${r.schema}.${r.name}`;
    if (r.type === "e") add("types", key, { kind: "enum", labels: (r.labels as string[]) ?? [] });
    else if (r.type === "r") add("types", key, { kind: "range", subtype: s(r.subtype), opclass: s(r.opclass), collation: s(r.collation), canonical: s(r.canonical), subtypeDiff: s(r.subtype_diff), multirange: s(r.multirange) });
    else add("types", key, { kind: "domain", base: s(r.base), notnull: Boolean(r.notnull), default: s(r.default), checks: (r.checks as string[]) ?? [] });
  }
  for (const r of relations) {
    const kind = RELATION_KINDS[String(r.kind)]!;
    const name = `${r.schema}.${r.name}`;
    if (kind.category === "sequences") continue; // described by the sequences query
    if (kind.category === "views") add("views", `view ${name}`, { kind: kind.noun, definition: s(r.definition) });
    else if (kind.category === "types") add("types", `type ${name}`, { kind: "composite" });
    else add("tables", `table ${name}`, { kind: kind.noun, unlogged: r.persistence === "u" });
    if (r.kind === "r" || r.kind === "p") add("rls", `rls ${name}`, { enabled: Boolean(r.rls), forced: Boolean(r.force_rls) });
    if (kind.category !== "types") objects.push(...privilegeObjects(kind.noun, name, s(r.acl), roles));
  }
  for (const r of columns) {
    add("columns", `column ${r.schema}.${r.table}.${r.name}`, { type: s(r.type), notnull: Boolean(r.notnull), default: s(r.default), identity: s(r.identity) || null, generated: s(r.generated) || null });
  }
  for (const r of constraints) {
    add("constraints", `constraint ${r.schema}.${r.table}.${r.name}`, { type: s(r.type), definition: s(r.definition), deferrable: Boolean(r.deferrable), deferred: Boolean(r.deferred), validated: Boolean(r.validated) });
  }
  for (const r of indexes) add("indexes", `index ${r.schema}.${r.name}`, { table: `${r.schema}.${r.table}`, definition: s(r.definition), valid: Boolean(r.valid), unique: Boolean(r.unique) });
  for (const r of sequences) add("sequences", `sequence ${r.schema}.${r.name}`, { type: s(r.type), start: s(r.start), increment: s(r.increment), min: s(r.min), max: s(r.max), cycle: Boolean(r.cycle) });
  for (const r of functions) {
    const name = `${r.schema}.${r.name}(${r.args})`;
    add("functions", `${r.kind === "p" ? "procedure" : "function"} ${name}`, {
      returns: s(r.returns),
      language: s(r.language),
      body: s(r.body),
      volatility: VOLATILITY[String(r.volatility)] ?? s(r.volatility),
      securityDefiner: Boolean(r.security_definer),
      config: (r.config as string[] | null) ?? [],
    });
    objects.push(...privilegeObjects("function", name, s(r.acl), roles));
  }
  for (const r of triggers) add("triggers", `trigger ${r.schema}.${r.table}.${r.name}`, { definition: s(r.definition), enabled: r.enabled === "D" ? "disabled" : r.enabled === "O" ? "enabled" : s(r.enabled) });
  for (const r of policies) {
    add("policies", `policy ${r.schema}.${r.table}.${r.name}`, { permissive: s(r.permissive), roles: (r.roles as string[]) ?? [], command: s(r.command), using: s(r.using), withCheck: s(r.with_check) });
  }
  return objects;
}
