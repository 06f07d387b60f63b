/**
 * The facts the code and security differs need (core/diff/kinds/code.ts): names as SQL, whole
 * definitions, what each grant, comment and publication member is on, and the dependencies the
 * planner orders by (a grant after its object, a member after its publication and table).
 */
import { privilegeObjects } from "../core/catalog.js";
import type { ObjectFacts } from "../core/diff/types.js";
import type { FactRow, FactSource } from "./diff-fact-source.js";
import { codeFactQueries } from "./diff-facts-code-sql.js";
import { bodyDependencies, bodyTargets } from "./diff-facts-body.js";
import { addComments } from "./diff-facts-comments.js";

type Facts = Record<string, ObjectFacts>;

const s = (value: unknown) => (value === null || value === undefined ? "" : String(value));
/** Every grantee: the facts cover each grant the catalog may list, whichever roles verify compares. */
const ALL_ROLES: ReadonlySet<string> = { has: () => true } as unknown as ReadonlySet<string>;
const RELATION_NOUNS: Record<string, string> = { r: "table", p: "table", f: "foreign table", v: "view", m: "materialized view", S: "sequence" };
const relationKey = (kind: unknown, name: string) => `${kind === "v" || kind === "m" ? "view" : kind === "S" ? "sequence" : "table"} ${name}`;

/** Adds facts to a key, keeping what another source gave it (the dependencies it read from pg_depend). */
function merge(facts: Facts, key: string, found: ObjectFacts): void {
  const known = facts[key];
  facts[key] = known
    ? { ...known, ...found, extra: { ...known.extra, ...found.extra }, dependsOn: [...new Set([...known.dependsOn, ...found.dependsOn])] }
    : found;
}

/** Facts for each grant an ACL holds: what it is on, as SQL and (where diff knows the object) as a catalog key. */
function grantFacts(facts: Facts, noun: string, name: string, acl: unknown, target: Record<string, string>): void {
  const dependsOn = [target.target ?? target.extension].filter((key): key is string => key !== undefined);
  for (const grant of privilegeObjects(noun, name, acl === null || acl === undefined ? null : String(acl), ALL_ROLES)) {
    const grantee = grant.key.slice(grant.key.lastIndexOf(" to ") + 4);
    merge(facts, grant.key, { sql: target.on!, dependsOn, extra: { ...target, grantee: grantee === "PUBLIC" ? "" : grantee } });
  }
}

/** Types diff creates and changes (the others' grants are on no object diff knows: only GRANT and REVOKE are written). */
const MODELLED_TYPES = new Set(["e", "d", "c"]);

/** Languages diff does not create: their grants are on the language (after the extension that brings it, if one does). */
function addLanguages(facts: Facts, languages: FactRow[]): void {
  for (const r of languages) grantFacts(facts, "language", s(r.name), r.acl, { on: `LANGUAGE ${s(r.sql)}`, ...(r.extension ? { extension: `extension ${s(r.extension)}` } : {}) });
}

function addTypes(facts: Facts, types: FactRow[]): void {
  for (const r of types) {
    const on = `${r.type === "d" ? "DOMAIN" : "TYPE"} ${s(r.sql)}`;
    grantFacts(facts, "type", s(r.name), r.acl, MODELLED_TYPES.has(s(r.type)) ? { target: `type ${s(r.name)}`, on } : { on });
  }
}

function addRelations(facts: Facts, relations: FactRow[], columnGrants: FactRow[]): void {
  for (const r of relations) {
    const name = s(r.name);
    const key = relationKey(r.kind, name);
    if (r.kind === "v" || r.kind === "m") merge(facts, key, { sql: s(r.sql), definition: s(r.definition), dependsOn: [], extra: { columns: (r.columns as string[] | null) ?? [] } });
    if (r.kind === "r" || r.kind === "p") merge(facts, `rls ${name}`, { sql: s(r.sql), table: key, dependsOn: [key] });
    grantFacts(facts, RELATION_NOUNS[s(r.kind)] ?? "table", name, r.acl, { target: key, on: `${r.kind === "S" ? "SEQUENCE" : "TABLE"} ${s(r.sql)}` });
  }
  for (const r of columnGrants) {
    const relation = relationKey(r.kind, s(r.relation));
    const name = `${s(r.relation)}.${s(r.column)}`;
    grantFacts(facts, "column", name, r.acl, { target: `column ${name}`, relation, on: `TABLE ${s(r.table_sql)}`, column: s(r.column_sql) });
  }
}

function addFunctions(facts: Facts, functions: FactRow[], schemas: FactRow[], relations: FactRow[]): void {
  const keyOf = (r: FactRow) => `${r.kind === "p" ? "procedure" : "function"} ${s(r.name)}`;
  const bodies = functions.filter((r) => typeof r.sql_body === "string").map((r) => ({ key: keyOf(r), body: s(r.sql_body) }));
  const reads = bodyDependencies(bodies, bodyTargets(relations, functions, relationKey));
  for (const r of functions) {
    const key = keyOf(r);
    merge(facts, key, { sql: s(r.sql), definition: s(r.definition), dependsOn: reads.get(key) ?? [], extra: { arguments: s(r.arguments) } });
    grantFacts(facts, "function", s(r.name), r.acl, { target: key, on: `${r.kind === "p" ? "PROCEDURE" : "FUNCTION"} ${s(r.sql)}` });
  }
  for (const r of schemas) grantFacts(facts, "schema", s(r.name), r.acl, { target: `schema ${s(r.name)}`, on: `SCHEMA ${s(r.sql)}` });
}

function addTableParts(facts: Facts, triggers: FactRow[], policies: FactRow[], rules: FactRow[]): void {
  for (const r of triggers) {
    const table = relationKey(r.kind, s(r.table));
    merge(facts, `trigger ${s(r.table)}.${s(r.name)}`, { sql: s(r.sql), table, definition: `${s(r.definition)};`, dependsOn: [table], extra: { tableSql: s(r.table_sql) } });
  }
  for (const r of policies) {
    const table = `table ${s(r.table)}`;
    merge(facts, `policy ${s(r.key_table)}.${s(r.name)}`, { sql: s(r.sql), table, dependsOn: [table], extra: { tableSql: s(r.table_sql) } });
  }
  for (const r of rules) {
    const table = relationKey(r.kind, s(r.table));
    merge(facts, `rule ${s(r.table)}.${s(r.name)}`, { sql: s(r.sql), table, definition: s(r.definition), dependsOn: [table], extra: { tableSql: s(r.table_sql) } });
  }
}

function addPublications(facts: Facts, publications: FactRow[], tables: FactRow[], schemas: FactRow[], eventTriggers: FactRow[]): void {
  for (const r of publications) merge(facts, `publication ${s(r.name)}`, { sql: s(r.sql), dependsOn: [] });
  for (const r of tables) {
    const publication = `publication ${s(r.publication)}`;
    const table = `table ${s(r.table)}`;
    merge(facts, `${publication} table ${s(r.table)}`, { sql: s(r.table_sql), dependsOn: [publication, table], extra: { publicationSql: s(r.publication_sql), memberSql: s(r.table_sql), member: table } });
  }
  for (const r of schemas) {
    const publication = `publication ${s(r.publication)}`;
    const schema = `schema ${s(r.schema)}`;
    merge(facts, `${publication} schema ${s(r.schema)}`, { sql: s(r.schema_sql), dependsOn: [publication, schema], extra: { publicationSql: s(r.publication_sql), memberSql: s(r.schema_sql), member: schema } });
  }
  for (const r of eventTriggers) {
    const fn = `function ${s(r.function)}()`;
    merge(facts, `event trigger ${s(r.name)}`, { sql: s(r.sql), dependsOn: [fn], extra: { functionSql: s(r.function_sql) } });
  }
}

const PRIVILEGE_LETTERS: Record<string, string> = {
  SELECT: "r", INSERT: "a", UPDATE: "w", DELETE: "d", TRUNCATE: "D", REFERENCES: "x", TRIGGER: "t", EXECUTE: "X", USAGE: "U", CREATE: "C", MAINTAIN: "m",
};

/** Per schema, the default privileges a new object in it gets (its own and the global ones), for privileges-defaults.ts. */
function addDefaultPrivileges(facts: Facts, schemas: FactRow[], defaults: FactRow[]): void {
  for (const schema of schemas) {
    const rows = defaults
      .filter((r) => r.schema === null || r.schema === undefined || r.schema === schema.name)
      .map((r) => {
        const grants: Record<string, string> = {};
        for (const [grantee, privilege] of (r.grants as [string, string][] | null) ?? []) grants[grantee] = (grants[grantee] ?? "") + (PRIVILEGE_LETTERS[privilege] ?? "");
        return JSON.stringify({ objtype: s(r.objtype), global: r.schema === null || r.schema === undefined, public: Boolean(r.public), grants });
      });
    merge(facts, `schema ${s(schema.name)}`, { sql: s(schema.sql), dependsOn: [], extra: { newObjectAcl: rows } });
  }
}

export const codeFacts: FactSource = {
  queries: codeFactQueries,
  add(results, facts) {
    const [relations = [], columnGrants = [], functions = [], schemas = [], triggers = [], policies = [], rules = [], publications = [], members = [], schemaMembers = [], eventTriggers = [], comments = [], defaults = [], types = [], languages = []] = results;
    addRelations(facts, relations, columnGrants);
    addFunctions(facts, functions, schemas, relations);
    addTableParts(facts, triggers, policies, rules);
    addPublications(facts, publications, members, schemaMembers, eventTriggers);
    addComments(facts, comments);
    addDefaultPrivileges(facts, schemas, defaults);
    addTypes(facts, types);
    addLanguages(facts, languages);
  },
};
