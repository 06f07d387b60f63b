/**
 * The facts diff needs for the structural kinds (schemas, extensions, types, tables, columns,
 * constraints, indexes, sequences): each object's name as SQL, a column's place and table, which
 * index a constraint owns, which sequence an identity column owns, and what is inherited from a
 * partitioned parent (created with it, never on its own). Keys are built like the catalog reader's.
 */
import type { ObjectFacts } from "../core/diff/types.js";
import type { FactRow, FactSource } from "./diff-fact-source.js";

/** `schema.name` as catalog keys print it, and the same with the name quoted for SQL. */
const keyName = (namespace: string, name: string) => `${namespace}::regnamespace::text || '.' || ${name}`;
const sqlName = (namespace: string, name: string) => `${namespace}::regnamespace::text || '.' || quote_ident(${name})`;
const RELATION_NOUN = `case c.relkind when 'v' then 'view' when 'm' then 'view' when 'S' then 'sequence' when 'c' then 'type' when 'i' then 'index' when 'I' then 'index' else 'table' end`;

export const structureFacts: FactSource = {
  queries: (_scope, owned) => [
    `select nspname as name, quote_ident(nspname) as sql from pg_namespace where oid in ${owned}`,
    `select extname as name, quote_ident(extname) as sql from pg_extension`,
    `select ${keyName("t.typnamespace", "t.typname")} as name, ${sqlName("t.typnamespace", "t.typname")} as sql,
            (select json_agg(c.conname order by c.conname) from pg_constraint c where c.contypid = t.oid) as check_names from pg_type t
      where t.typnamespace in ${owned} and (t.typtype in ('e', 'd', 'r') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))`,
    `select ${RELATION_NOUN} as noun, ${keyName("c.relnamespace", "c.relname")} as name, ${sqlName("c.relnamespace", "c.relname")} as sql,
            (select case when t.relkind in ('v', 'm') then 'view ' else 'table ' end || ${keyName("t.relnamespace", "t.relname")} from pg_index i join pg_class t on t.oid = i.indrelid where i.indexrelid = c.oid) as index_table,
            con.name as index_constraint,
            (select ${keyName("p.relnamespace", "p.relname")} from pg_inherits h join pg_class p on p.oid = h.inhparent where h.inhrelid = c.oid and c.relkind in ('i', 'I')) as index_parent,
            case when c.relkind = 'S' then (select ${keyName("t.relnamespace", "t.relname")} || '.' || a.attname from pg_depend d join pg_class t on t.oid = d.refobjid join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
              where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.objsubid = 0 and d.refclassid = 'pg_class'::regclass and d.deptype = 'i') end as identity_of
       from pg_class c
       left join (select co.conindid as index, ${keyName("t.relnamespace", "t.relname")} || '.' || co.conname as name
                    from pg_constraint co join pg_class t on t.oid = co.conrelid where co.contype in ('p', 'u', 'x')) con on con.index = c.oid
      where c.relnamespace in ${owned} and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S', 'c', 'i', 'I')`,
    `select ${RELATION_NOUN} as noun, ${keyName("c.relnamespace", "c.relname")} as table, a.attname as name, quote_ident(a.attname) as sql, a.attnum as position, not a.attislocal as inherited
       from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relnamespace in ${owned} and c.relkind in ('r', 'p', 'f', 'v', 'm', 'c') and a.attnum > 0 and not a.attisdropped`,
    `select ${keyName("c.relnamespace", "c.relname")} as table, co.conname as name, quote_ident(co.conname) as sql, co.contype::text as type, co.conparentid <> 0 as inherited, not co.conislocal as inherited_check
       from pg_constraint co join pg_class c on c.oid = co.conrelid where c.relnamespace in ${owned}`,
  ],
  add(results, facts) {
    const [schemas = [], extensions = [], types = [], relations = [], columns = [], constraints = []] = results;
    const put = (key: string, value: Omit<ObjectFacts, "dependsOn">) => {
      facts[key] = { ...value, dependsOn: facts[key]?.dependsOn ?? [] };
    };
    const s = (value: unknown) => String(value);
    for (const r of schemas) put(`schema ${s(r.name)}`, { sql: s(r.sql) });
    for (const r of extensions) put(`extension ${s(r.name)}`, { sql: s(r.sql) });
    // A domain's check constraints by name, in the order the catalog lists their definitions.
    for (const r of types) put(`type ${s(r.name)}`, { sql: s(r.sql), ...(r.check_names ? { extra: { checkNames: r.check_names as string[] } } : {}) });
    for (const r of relations) {
      const extra: NonNullable<ObjectFacts["extra"]> = {};
      if (r.index_constraint) extra.constraint = `constraint ${s(r.index_constraint)}`;
      if (r.index_parent) extra.partitionOf = `index ${s(r.index_parent)}`;
      if (r.identity_of) extra.identityOf = `column ${s(r.identity_of)}`;
      put(`${s(r.noun)} ${s(r.name)}`, { sql: s(r.sql), ...(r.index_table ? { table: s(r.index_table) } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) });
    }
    for (const r of columns) {
      put(`column ${s(r.table)}.${s(r.name)}`, { sql: s(r.sql), table: `${s(r.noun)} ${s(r.table)}`, position: Number(r.position), ...(r.inherited ? { extra: { inherited: true } } : {}) });
    }
    for (const r of constraints) {
      const inherited = Boolean(r.inherited) || Boolean(r.inherited_check);
      put(`constraint ${s(r.table)}.${s(r.name)}`, { sql: s(r.sql), table: `table ${s(r.table)}`, extra: { type: s(r.type), ...(inherited ? { inherited: true } : {}) } });
    }
    linkIdentitySequences(facts);
  },
};

/** An identity column names its sequence, so CREATE TABLE can give the sequence's options. */
function linkIdentitySequences(facts: Record<string, ObjectFacts>): void {
  for (const [key, fact] of Object.entries(facts)) {
    const column = fact.extra?.identityOf;
    if (typeof column !== "string") continue;
    const columnFacts = facts[column];
    if (columnFacts) columnFacts.extra = { ...columnFacts.extra, identitySequence: key };
  }
}

/** The catalog key of the object at (class, oid, sub-id), as a SQL expression; null for kinds diff does not order. */
function keyOf(classid: string, objid: string, subid: string): string {
  const relation = (oid: string) => `(select ${keyName("r.relnamespace", "r.relname")} from pg_class r where r.oid = ${oid})`;
  return `coalesce(
    (select 'extension ' || x.extname from pg_depend e join pg_extension x on x.oid = e.refobjid where e.classid = ${classid} and e.objid = ${objid} and e.deptype = 'e'),
    case ${classid}
      when 'pg_class'::regclass then (select case when ${subid} > 0 and c.relkind in ('r', 'p', 'f', 'v', 'm', 'c') then 'column ' || ${keyName("c.relnamespace", "c.relname")} || '.' || (select attname from pg_attribute where attrelid = c.oid and attnum = ${subid})
          else ${RELATION_NOUN} || ' ' || ${keyName("c.relnamespace", "c.relname")} end from pg_class c where c.oid = ${objid})
      when 'pg_type'::regclass then (select 'type ' || ${keyName("t.typnamespace", "t.typname")} from pg_type t where t.oid = ${objid} and t.typtype in ('e', 'd', 'c', 'r')
          union all select 'type ' || ${keyName("t.typnamespace", "t.typname")} from pg_type t where t.typarray = ${objid} and t.typtype in ('e', 'd', 'c', 'r')
          union all select 'type ' || ${keyName("t.typnamespace", "t.typname")} from pg_range r join pg_type t on t.oid = r.rngtypid
            where (to_jsonb(r) ->> 'rngmultitypid')::oid in (${objid}, (select m.oid from pg_type m where m.typarray = ${objid})) limit 1)
      when 'pg_proc'::regclass then (select case p.prokind when 'p' then 'procedure ' else 'function ' end || ${keyName("p.pronamespace", "p.proname")} || '(' || pg_get_function_identity_arguments(p.oid) || ')' from pg_proc p where p.oid = ${objid})
      when 'pg_constraint'::regclass then (select case when co.conrelid <> 0 then 'constraint ' || ${relation("co.conrelid")} || '.' || co.conname
          else (select 'type ' || ${keyName("t.typnamespace", "t.typname")} from pg_type t where t.oid = co.contypid) end from pg_constraint co where co.oid = ${objid})
      when 'pg_attrdef'::regclass then (select 'column ' || ${relation("ad.adrelid")} || '.' || (select attname from pg_attribute where attrelid = ad.adrelid and attnum = ad.adnum) from pg_attrdef ad where ad.oid = ${objid})
      when 'pg_rewrite'::regclass then (select case when rw.rulename = '_RETURN' then 'view ' || ${relation("rw.ev_class")} else 'rule ' || ${relation("rw.ev_class")} || '.' || rw.rulename end from pg_rewrite rw where rw.oid = ${objid})
      when 'pg_trigger'::regclass then (select 'trigger ' || ${relation("tg.tgrelid")} || '.' || tg.tgname from pg_trigger tg where tg.oid = ${objid})
      when 'pg_policy'::regclass then (select 'policy ' || ${relation("po.polrelid")} || '.' || po.polname from pg_policy po where po.oid = ${objid})
      when 'pg_namespace'::regclass then (select 'schema ' || nspname from pg_namespace where oid = ${objid})
      when 'pg_extension'::regclass then (select 'extension ' || extname from pg_extension where oid = ${objid})
      when 'pg_event_trigger'::regclass then (select 'event trigger ' || evtname from pg_event_trigger where oid = ${objid})
    end)`;
}

/**
 * What each object depends on, from pg_depend's normal and automatic rows between user objects
 * (oid 16384 and up), both ends named by catalog key: a view on the tables and columns it reads
 * (through its rewrite rule), a default on its function or sequence, a foreign key on the index
 * it references, a column on its enum, domain or range type (or the range's multirange), a
 * partition on its parent. Applied by db/diff-reader.ts after every source has added its objects.
 */
export const dependencyFacts: FactSource = {
  queries: () => [
    `select distinct ${keyOf("d.classid", "d.objid", "d.objsubid")} as key, ${keyOf("d.refclassid", "d.refobjid", "d.refobjsubid")} as ref,
            d.deptype = 'a' and d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
              and (select relkind from pg_class where oid = d.objid) = 'S' as owned_by
       from pg_depend d where d.deptype in ('n', 'a') and d.objid >= 16384 and d.refobjid >= 16384`,
  ],
  add(results, facts) {
    addDependencies(results[0] ?? [], facts);
  },
};

function addDependencies(rows: FactRow[], facts: Record<string, ObjectFacts>): void {
  // A dependency on a constraint's index is one on the constraint: the index is created with it.
  const owner = (key: string) => {
    const constraint = facts[key]?.extra?.constraint;
    return typeof constraint === "string" ? constraint : key;
  };
  for (const r of rows) {
    // A sequence OWNED BY a column is not needed before it: the column's default needs the sequence first.
    if (r.key === null || r.ref === null || r.owned_by) continue;
    const key = owner(String(r.key));
    const ref = owner(String(r.ref));
    const fact = facts[key];
    if (key === ref || !fact || !facts[ref]) continue;
    // On a column is also on its table or view (a view reading another view's column).
    for (const target of [ref, facts[ref]!.table]) if (target && target !== key && !fact.dependsOn.includes(target)) fact.dependsOn.push(target);
  }
  // Whatever belongs to a table needs the table first.
  for (const fact of Object.values(facts)) if (fact.table && facts[fact.table] && !fact.dependsOn.includes(fact.table)) fact.dependsOn.push(fact.table);
}
