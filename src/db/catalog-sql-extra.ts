/**
 * The catalog queries for the kinds verify compares beyond tables, columns and functions: table
 * and view options, replica identity, partitions, inheritance parents (INHERITS, in order), owners
 * the migrations set, column collations and column privileges, sequence ownership, extension
 * versions, publications and their tables and schemas,
 * default privileges, event triggers, rules, comments and privileges on types and languages. They are sent in the same string as the
 * rest of the catalog read (one round trip); each returns only the rows that say something (a
 * table without options or partitioning returns none), so a large schema costs little more.
 */
import { privilegeObjects, type CatalogObject, type PropValue } from "../core/catalog.js";
import type { VerifyScope } from "../core/verify-scope.js";
import { comparedLanguagesSql, EFFECTIVE_ACL, TYPES_WITH_OWN_ACL } from "./effective-acl.js";
import { quoteIdent, quoteLiteral } from "./journal-sql.js";

type Row = Record<string, unknown>;

const textArray = (values: readonly string[]) => `array[${values.map(quoteLiteral).join(", ") || "''"}]::text[]`;
const tuples = (rows: readonly string[][], width: number) =>
  rows.length > 0 ? rows.map((row) => `(${row.map(quoteLiteral).join(", ")})`).join(", ") : `(${Array.from({ length: width }, () => "null").join(", ")})`;
const notMember = (oid: string, catalog: string) => `not exists (select 1 from pg_depend x where x.classid = '${catalog}'::regclass and x.objid = ${oid} and x.deptype = 'e')`;
/** `schema.name` as the other catalog keys print it (the schema quoted where needed). */
const qualified = (namespace: string, name: string) => `${namespace}::regnamespace::text || '.' || ${name}`;

/** Tracked owners, split by where they live in the catalog: `[[schema, name], ...]` per kind. */
function trackedOwners(scope: VerifyScope) {
  const pairs = (nouns: string[]) =>
    (scope.extra?.owners ?? [])
      .filter((key) => nouns.includes(key.split(" ")[0]!))
      .map((key) => key.slice(key.indexOf(" ") + 1).split(/\.(.*)/s).slice(0, 2));
  return {
    relations: pairs(["table", "view", "sequence"]),
    functions: pairs(["function"]),
    types: pairs(["type"]),
    schemas: (scope.extra?.owners ?? []).filter((key) => key.startsWith("schema ")).map((key) => key.slice(7)),
  };
}

export function extraCatalogQueries(scope: VerifyScope, owned: string): string[] {
  const extra = scope.extra;
  const owners = trackedOwners(scope);
  const migrator = scope.journal ? `(select relowner from pg_class where oid = to_regclass(${quoteLiteral(`${quoteIdent(scope.journal)}.migrations`)}))` : "null::oid";
  const trackedRelation = `(c.relnamespace::regnamespace::text, c.relname) in (${tuples(owners.relations, 2)})`;
  return [
    `select ${qualified("c.relnamespace", "c.relname")} as name, c.relkind::text as kind,
            (select json_agg(o order by o) from unnest(c.reloptions) o) as options,
            case when c.relkind in ('r', 'p') and c.relreplident <> 'd' then c.relreplident::text end as replident,
            (select ic.relname from pg_index i join pg_class ic on ic.oid = i.indexrelid where i.indrelid = c.oid and i.indisreplident) as replindex,
            (select ${qualified("p.relnamespace", "p.relname")} from pg_inherits h join pg_class p on p.oid = h.inhparent where c.relispartition and h.inhrelid = c.oid) as parent,
            case when c.relispartition then pg_get_expr(c.relpartbound, c.oid) end as bound,
            case when not c.relispartition then (select json_agg(${qualified("p.relnamespace", "p.relname")} order by h.inhseqno) from pg_inherits h join pg_class p on p.oid = h.inhparent where h.inhrelid = c.oid) end as inherits,
            case when c.relkind = 'p' then pg_get_partkeydef(c.oid) end as partkey,
            case when ${trackedRelation} then c.relowner::regrole::text end as owner
       from pg_class c where c.relnamespace in ${owned} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
        and (c.reloptions is not null or (c.relkind in ('r', 'p') and c.relreplident <> 'd') or c.relispartition or c.relkind = 'p' or ${trackedRelation}
             or (c.relkind in ('r', 'f') and exists (select 1 from pg_inherits h where h.inhrelid = c.oid)))`,
    `select ${qualified("c.relnamespace", "c.relname")} as name, ${qualified("t.relnamespace", "t.relname")} || '.' || a.attname as owned_by
       from pg_class c join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = c.oid and d.refclassid = 'pg_class'::regclass and d.deptype = 'a'
       join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
      where c.relkind = 'S' and c.relnamespace in ${owned}`,
    `select extname as name, extversion as version from pg_extension where extname = any(${textArray(scope.extensions)}) or extnamespace in ${owned}`,
    `select pubname as name, puballtables as all_tables, pubinsert as insert, pubupdate as update, pubdelete as delete, pubtruncate as truncate, pubviaroot as via_root
       from pg_publication where pubname = any(${textArray(extra?.publications ?? [])})`,
    // Column lists and row filters exist from Postgres 15: read through to_jsonb, so 14 reads null.
    `select p.pubname as publication, ${qualified("c.relnamespace", "c.relname")} as table,
            case when jsonb_typeof(to_jsonb(r) -> 'prattrs') = 'array' then (select json_agg(a.attname order by a.attnum) from pg_attribute a
              where a.attrelid = r.prrelid and a.attnum in (select jsonb_array_elements_text(to_jsonb(r) -> 'prattrs')::int)) end as columns,
            case when to_jsonb(r) ->> 'prqual' is not null then (select to_jsonb(pt) ->> 'rowfilter' from pg_publication_tables pt
              where pt.pubname = p.pubname and pt.schemaname = (select nspname from pg_namespace where oid = c.relnamespace) and pt.tablename = c.relname) end as row_filter
       from pg_publication_rel r join pg_publication p on p.oid = r.prpubid join pg_class c on c.oid = r.prrelid
      where c.relnamespace in ${owned} or p.pubname = any(${textArray(extra?.publications ?? [])})
         or (p.pubname, c.relnamespace::regnamespace::text, c.relname) in (${tuples(extra?.publicationTables ?? [], 3)})`,
    // Schema membership (FOR TABLES IN SCHEMA) lives in pg_publication_namespace, which Postgres 14
    // lacks: read it through the two pg_depend rows each membership records (on its publication and
    // its schema), keyed by to_regclass, which is null on 14, so the statement runs on every major.
    `select p.pubname as publication, n.nspname as schema
       from pg_depend dp join pg_depend dn on dn.classid = dp.classid and dn.objid = dp.objid and dn.refclassid = 'pg_namespace'::regclass
       join pg_publication p on p.oid = dp.refobjid join pg_namespace n on n.oid = dn.refobjid
      where dp.classid = to_regclass('pg_catalog.pg_publication_namespace') and dp.refclassid = 'pg_publication'::regclass
        and (n.oid in ${owned} or p.pubname = any(${textArray(extra?.publications ?? [])}) or (p.pubname, n.nspname) in (${tuples(extra?.publicationSchemas ?? [], 2)}))`,
    `select d.defaclrole::regrole::text as role, d.defaclrole = ${migrator} as by_migrator, d.defaclrole::regrole::text = any(${textArray(extra?.defaultPrivilegeRoles ?? [])}) as named,
            case when d.defaclnamespace <> 0 then d.defaclnamespace::regnamespace::text end as schema, d.defaclobjtype::text as objtype, d.defaclacl::text as acl
       from pg_default_acl d where d.defaclnamespace = 0 or d.defaclnamespace in ${owned}`,
    // WHEN TAG IN (...) is a set: Postgres keeps the tags in the order written, which says nothing.
    `select e.evtname as name, e.evtevent as event, (select json_agg(t order by t) from unnest(e.evttags) t) as tags, ${qualified("p.pronamespace", "p.proname")} as function, e.evtenabled::text as enabled
       from pg_event_trigger e join pg_proc p on p.oid = e.evtfoid
      where (p.pronamespace in ${owned} or e.evtname = any(${textArray(extra?.eventTriggers ?? [])})) and ${notMember("e.oid", "pg_event_trigger")}`,
    `select ${qualified("c.relnamespace", "c.relname")} || '.' || r.rulename as name, pg_get_ruledef(r.oid) as definition, r.ev_enabled::text as enabled
       from pg_rewrite r join pg_class c on c.oid = r.ev_class where c.relnamespace in ${owned} and r.rulename <> '_RETURN'`,
    `select i.type, i.schema, i.identity, d.description as text
       from pg_description d cross join lateral pg_identify_object(d.classoid, d.objoid, d.objsubid) i
      where (d.objoid >= 16384 or d.classoid = 'pg_namespace'::regclass) and not exists (select 1 from pg_depend x where x.classid = d.classoid and x.objid = d.objoid and x.deptype = 'e')`,
    `select 'function' as kind, ${qualified("p.pronamespace", "p.proname")} as name, p.prokind::text as prokind, pg_get_function_identity_arguments(p.oid) as args, p.proowner::regrole::text as owner
       from pg_proc p where (p.pronamespace::regnamespace::text, p.proname) in (${tuples(owners.functions, 2)})
     union all select 'type', ${qualified("t.typnamespace", "t.typname")}, null, null, t.typowner::regrole::text from pg_type t where (t.typnamespace::regnamespace::text, t.typname) in (${tuples(owners.types, 2)})
     union all select 'schema', nspname, null, null, nspowner::regrole::text from pg_namespace where nspname = any(${textArray(owners.schemas)})`,
    `select ${qualified("t.typnamespace", "t.typname")} as name, ${EFFECTIVE_ACL.type}::text as acl
       from pg_type t where t.typnamespace in ${owned} and ${TYPES_WITH_OWN_ACL} and ${notMember("t.oid", "pg_type")}`,
    `select l.lanname as name, ${EFFECTIVE_ACL.language}::text as acl from pg_language l where ${comparedLanguagesSql(scope)}`,
  ];
}

/**
 * Column privileges and collations, as extra columns of the catalog read's own column query (one
 * pass over pg_attribute). 0 is "not collatable" and 100 the database default: only other
 * collations need the type's looked up.
 */
export const COLUMN_EXTRAS = `a.attacl::text as acl,
            case when a.attcollation not in (0, 100) and a.attcollation <> (select t.typcollation from pg_type t where t.oid = a.atttypid) then
              (select case when co.collnamespace = 'pg_catalog'::regnamespace then co.collname else ${qualified("co.collnamespace", "co.collname")} end from pg_collation co where co.oid = a.attcollation) end as collation`;

const REPLICA_IDENTITY: Record<string, string> = { n: "nothing", f: "full", i: "index" };
const DEFAULT_ACL_OBJECTS: Record<string, string> = { r: "tables", S: "sequences", f: "functions", T: "types", n: "schemas" };
const COMMENT_TYPES: Record<string, string> = { "table column": "column", "table constraint": "constraint", "domain constraint": "constraint", domain: "type", "composite type": "type" };

/** Adds the extra kinds to `objects`: new objects, and properties of the objects already there. */
export function addExtraObjects(objects: CatalogObject[], results: Row[][], scope: VerifyScope, columns: Row[]): void {
  const [relations = [], sequences = [], extensions = [], publications = [], members = [], schemaMembers = [], defaults = [], eventTriggers = [], rules = [], comments = [], owners = [], typeAcls = [], languageAcls = []] = results;
  const roles = new Set(scope.roles);
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const setProps = (key: string, props: Record<string, PropValue>) => {
    const object = byKey.get(key);
    if (object) Object.assign(object.props, props);
  };
  const add = (category: CatalogObject["category"], key: string, props: CatalogObject["props"]) => {
    const object = { category, key, props };
    objects.push(object);
    byKey.set(key, object);
  };
  const s = (value: unknown) => (value === null || value === undefined ? null : String(value));

  for (const r of relations) {
    const noun = r.kind === "v" || r.kind === "m" ? "view" : r.kind === "S" ? "sequence" : "table";
    const props: Record<string, PropValue> = { options: (r.options as string[] | null) ?? null };
    if (noun === "table") {
      Object.assign(props, { replicaIdentity: r.replident ? `${REPLICA_IDENTITY[String(r.replident)] ?? r.replident}${r.replindex ? ` ${r.replindex}` : ""}` : null, partitionOf: s(r.parent), partitionBound: s(r.bound), partitionKey: s(r.partkey) });
      if (r.inherits) props.inherits = r.inherits as string[];
    }
    if (r.owner) props.owner = s(r.owner);
    setProps(`${noun} ${r.name}`, props);
  }
  for (const r of columns) {
    const name = `${r.schema}.${r.table}.${r.name}`;
    if (r.collation) setProps(`column ${name}`, { collation: s(r.collation) });
    if (r.acl) objects.push(...privilegeObjects("column", name, s(r.acl), roles));
  }
  for (const r of sequences) setProps(`sequence ${r.name}`, { ownedBy: s(r.owned_by) });
  for (const r of extensions) setProps(`extension ${r.name}`, { version: s(r.version) });
  for (const r of publications) {
    add("publications", `publication ${r.name}`, { allTables: Boolean(r.all_tables), insert: Boolean(r.insert), update: Boolean(r.update), delete: Boolean(r.delete), truncate: Boolean(r.truncate), viaRoot: Boolean(r.via_root) });
  }
  for (const r of members) add("publications", `publication ${r.publication} table ${r.table}`, { columns: (r.columns as string[] | null) ?? null, rowFilter: s(r.row_filter) });
  for (const r of schemaMembers) add("publications", `publication ${r.publication} schema ${r.schema}`, {});
  for (const r of defaults) {
    if (!r.by_migrator && !r.named) continue; // another role's defaults (a platform's own)
    const objectsNoun = DEFAULT_ACL_OBJECTS[String(r.objtype)] ?? String(r.objtype);
    const where = `${r.named ? ` for role ${r.role}` : ""}${r.schema ? ` in schema ${r.schema}` : ""} on ${objectsNoun}`;
    const found = privilegeObjects("default", where, s(r.acl), roles).map((o) => ({ ...o, key: o.key.replace(/^privilege default /, "default privileges") }));
    // Revoking PUBLIC's EXECUTE or USAGE leaves no PUBLIC entry: that absence is the revoke.
    if ((r.objtype === "f" || r.objtype === "T") && !found.some((o) => o.key.endsWith(" to PUBLIC"))) found.push({ category: "privileges", key: `default privileges${where} to PUBLIC`, props: { privileges: "" } });
    objects.push(...found);
  }
  for (const r of eventTriggers) {
    add("eventTriggers", `event trigger ${r.name}`, { event: s(r.event), tags: (r.tags as string[] | null) ?? [], function: s(r.function), enabled: r.enabled === "D" ? "disabled" : r.enabled === "O" ? "enabled" : s(r.enabled) });
  }
  for (const r of rules) add("rules", `rule ${r.name}`, { definition: s(r.definition), enabled: r.enabled === "D" ? "disabled" : r.enabled === "O" ? "enabled" : s(r.enabled) });
  // Types' privileges, as functions' are (USAGE, which PUBLIC holds until it is revoked).
  for (const r of typeAcls) objects.push(...privilegeObjects("type", String(r.name), s(r.acl), roles));
  for (const r of languageAcls) objects.push(...privilegeObjects("language", String(r.name), s(r.acl), roles));
  for (const r of owners) {
    const key = r.kind === "function" ? `${r.prokind === "p" ? "procedure" : "function"} ${r.name}(${r.args})` : `${r.kind} ${r.name}`;
    setProps(key, { owner: s(r.owner) });
  }
  const events = new Set(eventTriggers.map((r) => String(r.name)));
  for (const r of comments) {
    const key = commentKey(r, scope, events);
    if (key) add("comments", key, { text: s(r.text) });
  }
}

/** `comment on column public.t.c`, or undefined for a comment outside verify's scope. */
function commentKey(r: Row, scope: VerifyScope, eventTriggers: ReadonlySet<string>): string | undefined {
  const type = COMMENT_TYPES[String(r.type)] ?? String(r.type);
  const identity = String(r.identity);
  const owned = (schema: string) => scope.schemas.includes(schema.replace(/^"|"$/g, ""));
  if (type === "schema") return owned(identity) ? `comment on schema ${identity}` : undefined;
  if (type === "event trigger") return eventTriggers.has(identity) ? `comment on event trigger ${identity}` : undefined;
  if (type === "publication") return scope.extra?.publications.includes(identity) ? `comment on publication ${identity}` : undefined;
  // `name on schema.table` for the objects that belong to a table.
  const onTable = /^(.*) on ((?:"(?:[^"]|"")*"|[^."]+)\.(.*))$/s.exec(identity);
  if (onTable && ["trigger", "policy", "rule", "constraint"].includes(type)) {
    const [, name = "", table = "", tableName = ""] = onTable;
    const tableSchema = table.slice(0, table.length - tableName.length - 1);
    const foreign = scope.foreign.some((f) => (f.kind === "trigger" || f.kind === "policy") && f.kind === type && f.schema === tableSchema && f.table === tableName && f.name === name);
    return owned(tableSchema) || foreign ? `comment on ${type} ${table}.${name}` : undefined;
  }
  if (r.schema === null || r.schema === undefined) return undefined;
  const foreignFunction = scope.foreign.some((f) => f.kind === "function" && `${f.schema}.${f.name}` === identity.replace(/\(.*$/s, ""));
  return owned(String(r.schema)) || foreignFunction ? `comment on ${type} ${identity}` : undefined;
}
