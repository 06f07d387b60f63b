/**
 * The part of verify's scope that reaches beyond the owned schemas' tables and functions:
 * publications, event triggers, default privileges, object owners and languages the migrations set, and
 * which file defines each of them (for "defined in ..."). Works on parsed statements; pure.
 */
import type { ParsedStatementLike } from "./types.js";

type Node = Record<string, unknown>;

export interface ExtraScope {
  /** Publications the migrations create (compared whole, with every table in them). */
  publications: string[];
  /** `[publication, schema, table]` the migrations add explicitly (e.g. to supabase_realtime). */
  publicationTables: [string, string, string][];
  /** `[publication, schema]` the migrations add whole (`ALTER PUBLICATION p ADD TABLES IN SCHEMA s`, Postgres 15+). */
  publicationSchemas: [string, string][];
  /** Event triggers the migrations create (they live in no schema). */
  eventTriggers: string[];
  /** Roles named in `ALTER DEFAULT PRIVILEGES FOR ROLE ...`. */
  defaultPrivilegeRoles: string[];
  /** Objects whose owner the migrations set, as catalog keys without arguments (`table public.t`). */
  owners: string[];
  /** Procedural languages the migrations create, grant or revoke on, or give an owner (their privileges are compared). */
  languages?: string[];
}

/** Unwraps `{ RangeVar: {...} }` and bare RangeVars alike. */
const unwrap = (node: unknown, type: string): Node => (((node as Node | undefined)?.[type] as Node | undefined) ?? (node as Node | undefined) ?? {});
const strings = (items: unknown): string[] => ((items as Node[] | undefined) ?? []).map((item) => String(unwrap(item, "String").sval ?? ""));
const qualify = (relation: Node): string => `${(relation.schemaname as string | undefined) ?? "public"}.${String(relation.relname)}`;
const qualifyList = (names: string[]): string => (names.length > 1 ? names.join(".") : `public.${names[0] ?? ""}`);

const OWNER_KINDS: Record<string, string> = {
  OBJECT_TABLE: "table",
  OBJECT_VIEW: "view",
  OBJECT_MATVIEW: "view",
  OBJECT_SEQUENCE: "sequence",
  OBJECT_FOREIGN_TABLE: "table",
  OBJECT_FUNCTION: "function",
  OBJECT_PROCEDURE: "function",
  OBJECT_ROUTINE: "function",
  OBJECT_TYPE: "type",
  OBJECT_DOMAIN: "type",
  OBJECT_SCHEMA: "schema",
};

/** The tables a CREATE/ALTER PUBLICATION statement names, as `schema.table`. */
function publicationTablesOf(node: Node): string[] {
  return ((node.pubobjects as Node[] | undefined) ?? [])
    .map((object) => unwrap(object, "PublicationObjSpec"))
    .filter((spec) => spec.pubobjtype === "PUBLICATIONOBJ_TABLE")
    .map((spec) => qualify(unwrap(unwrap(spec.pubtable, "PublicationTable").relation, "RangeVar")));
}

/** The schemas a CREATE/ALTER PUBLICATION statement names with TABLES IN SCHEMA (CURRENT_SCHEMA read as public). */
function publicationSchemasOf(node: Node): string[] {
  return ((node.pubobjects as Node[] | undefined) ?? [])
    .map((object) => unwrap(object, "PublicationObjSpec"))
    .filter((spec) => spec.pubobjtype === "PUBLICATIONOBJ_TABLES_IN_SCHEMA" || spec.pubobjtype === "PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA")
    .map((spec) => (spec.pubobjtype === "PUBLICATIONOBJ_TABLES_IN_SCHEMA" ? String(spec.name) : "public"));
}

export function extraScope(statements: readonly ParsedStatementLike[]): ExtraScope {
  const scope: Required<ExtraScope> = { publications: [], publicationTables: [], publicationSchemas: [], eventTriggers: [], defaultPrivilegeRoles: [], owners: [], languages: [] };
  for (const { kind, node } of statements) {
    if (kind === "CreatePublicationStmt") scope.publications.push(String(node.pubname));
    if (kind === "AlterPublicationStmt" && node.action === "AP_AddObjects") {
      for (const table of publicationTablesOf(node)) scope.publicationTables.push([String(node.pubname), ...(table.split(/\.(.*)/s).slice(0, 2) as [string, string])]);
      for (const schema of publicationSchemasOf(node)) scope.publicationSchemas.push([String(node.pubname), schema]);
    }
    if (kind === "CreateEventTrigStmt") scope.eventTriggers.push(String(node.trigname));
    if (kind === "AlterDefaultPrivilegesStmt") {
      for (const option of (node.options as Node[] | undefined) ?? []) {
        const def = unwrap(option, "DefElem");
        if (def.defname !== "roles") continue;
        for (const role of (unwrap(def.arg, "List").items as Node[] | undefined) ?? []) scope.defaultPrivilegeRoles.push(String(unwrap(role, "RoleSpec").rolename));
      }
    }
    const owned = ownerKey(kind, node);
    if (owned) scope.owners.push(owned);
    scope.languages.push(...languagesOf(kind, node));
  }
  const unique = <T>(values: T[]) => [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];
  return {
    publications: unique(scope.publications),
    publicationTables: unique(scope.publicationTables),
    publicationSchemas: unique(scope.publicationSchemas),
    eventTriggers: unique(scope.eventTriggers),
    defaultPrivilegeRoles: unique(scope.defaultPrivilegeRoles),
    owners: unique(scope.owners),
    languages: unique(scope.languages),
  };
}

/** The languages `CREATE LANGUAGE`, `GRANT/REVOKE ... ON LANGUAGE` and `ALTER LANGUAGE ... OWNER TO` name. */
function languagesOf(kind: string, node: Node): string[] {
  if (kind === "CreatePLangStmt") return [String(node.plname)];
  if (kind === "GrantStmt" && node.objtype === "OBJECT_LANGUAGE") return strings(node.objects);
  if (kind === "AlterOwnerStmt" && node.objectType === "OBJECT_LANGUAGE") return [String(unwrap(node.object, "String").sval)];
  return [];
}

/** `ALTER ... OWNER TO`: the object's key without arguments, or undefined. */
function ownerKey(kind: string, node: Node): string | undefined {
  if (kind === "AlterTableStmt") {
    const cmds = ((node.cmds as Node[] | undefined) ?? []).map((cmd) => unwrap(cmd, "AlterTableCmd"));
    const noun = OWNER_KINDS[String(node.objtype)];
    return noun && cmds.some((cmd) => cmd.subtype === "AT_ChangeOwner") ? `${noun} ${qualify(unwrap(node.relation, "RangeVar"))}` : undefined;
  }
  if (kind !== "AlterOwnerStmt") return undefined;
  const noun = OWNER_KINDS[String(node.objectType)];
  if (!noun) return undefined;
  const object = node.object as Node;
  if (noun === "schema") return `schema ${String(unwrap(object, "String").sval)}`;
  if (noun === "function") return `function ${qualifyList(strings(unwrap(object, "ObjectWithArgs").objname))}`;
  return `${noun} ${qualifyList(strings(unwrap(object, "List").items ?? (object.TypeName as Node | undefined)?.names))}`;
}

const COMMENT_NOUNS: Record<string, string> = {
  OBJECT_TABLE: "table",
  OBJECT_COLUMN: "column",
  OBJECT_VIEW: "view",
  OBJECT_MATVIEW: "materialized view",
  OBJECT_SEQUENCE: "sequence",
  OBJECT_INDEX: "index",
  OBJECT_FUNCTION: "function",
  OBJECT_PROCEDURE: "procedure",
  OBJECT_TYPE: "type",
  OBJECT_DOMAIN: "type",
  OBJECT_SCHEMA: "schema",
  OBJECT_TRIGGER: "trigger",
  OBJECT_POLICY: "policy",
  OBJECT_RULE: "rule",
  OBJECT_TABCONSTRAINT: "constraint",
  OBJECT_EVENT_TRIGGER: "event trigger",
  OBJECT_PUBLICATION: "publication",
  OBJECT_EXTENSION: "extension",
};

/**
 * The file that last defines each object of the kinds this module adds, keyed like their catalog
 * keys (without function arguments): `publication p table public.t`, `publication p schema s`, `event trigger e`,
 * `rule public.t.r`, `comment on column public.t.c`, `privilege column public.t.c to anon`,
 * `default privileges in schema public on tables to anon`, `extension pgcrypto`, and the owner
 * statements as `owner table public.t`.
 */
export function extraDefinitionSites(files: readonly { path: string; statements: readonly ParsedStatementLike[] }[]): Map<string, string> {
  const sites = new Map<string, string>();
  for (const file of files) {
    for (const { kind, node } of file.statements) {
      const set = (key: string) => sites.set(key, file.path);
      if (kind === "CreatePublicationStmt") {
        set(`publication ${String(node.pubname)}`);
        for (const table of publicationTablesOf(node)) set(`publication ${String(node.pubname)} table ${table}`);
        for (const schema of publicationSchemasOf(node)) set(`publication ${String(node.pubname)} schema ${schema}`);
      }
      if (kind === "AlterPublicationStmt") {
        for (const table of publicationTablesOf(node)) set(`publication ${String(node.pubname)} table ${table}`);
        for (const schema of publicationSchemasOf(node)) set(`publication ${String(node.pubname)} schema ${schema}`);
      }
      if (kind === "CreateEventTrigStmt") set(`event trigger ${String(node.trigname)}`);
      if (kind === "RuleStmt") set(`rule ${qualify(unwrap(node.relation, "RangeVar"))}.${String(node.rulename)}`);
      if (kind === "CreateExtensionStmt") set(`extension ${String(node.extname)}`);
      if (kind === "CommentStmt") {
        const noun = COMMENT_NOUNS[String(node.objtype)];
        const object = node.object as Node;
        const names = object.ObjectWithArgs ? strings((object.ObjectWithArgs as Node).objname) : object.String ? [String((object.String as Node).sval)] : strings(unwrap(object, "List").items ?? (object.TypeName as Node | undefined)?.names);
        const bare = noun === "schema" || noun === "event trigger" || noun === "publication" || noun === "extension";
        const name = bare ? names.join(".") : noun === "column" || noun === "trigger" || noun === "policy" || noun === "rule" || noun === "constraint" ? (names.length >= 3 ? names.join(".") : `public.${names.join(".")}`) : qualifyList(names);
        if (noun) set(`comment on ${noun} ${name}`);
      }
      if (kind === "GrantStmt" && node.objtype === "OBJECT_TABLE" && node.targtype === "ACL_TARGET_OBJECT") {
        const columns = ((node.privileges as Node[] | undefined) ?? []).flatMap((p) => strings(unwrap(p, "AccessPriv").cols));
        for (const relation of (node.objects as Node[] | undefined) ?? []) {
          for (const column of columns) for (const grantee of granteeNames(node)) set(`privilege column ${qualify(unwrap(relation, "RangeVar"))}.${column} to ${grantee}`);
        }
      }
      if (kind === "AlterDefaultPrivilegesStmt") {
        const action = node.action as Node;
        const objects = DEFAULT_OBJECTS[String(action.objtype)] ?? "objects";
        const schemas = ((node.options as Node[] | undefined) ?? []).map((o) => unwrap(o, "DefElem")).filter((d) => d.defname === "schemas").flatMap((d) => strings(unwrap(d.arg, "List").items));
        for (const grantee of granteeNames(action)) {
          for (const schema of schemas.length > 0 ? schemas : [undefined]) set(`default privileges${schema ? ` in schema ${schema}` : ""} on ${objects} to ${grantee}`);
        }
      }
      const owned = ownerKey(kind, node);
      if (owned) set(`owner ${owned}`);
    }
  }
  return sites;
}

export const DEFAULT_OBJECTS: Record<string, string> = { OBJECT_TABLE: "tables", OBJECT_SEQUENCE: "sequences", OBJECT_FUNCTION: "functions", OBJECT_ROUTINE: "functions", OBJECT_TYPE: "types", OBJECT_SCHEMA: "schemas" };

function granteeNames(grant: Node): string[] {
  return ((grant.grantees as Node[] | undefined) ?? []).map((g) => unwrap(g, "RoleSpec")).map((role) => (role.roletype === "ROLESPEC_PUBLIC" ? "PUBLIC" : String(role.rolename)));
}

/** The file defining one of this module's kinds, from its catalog key; undefined when not one of them. */
export function extraSiteOf(key: string, sites: ReadonlyMap<string, string>): string | undefined {
  if (sites.has(key)) return sites.get(key);
  // `comment on function public.f(integer)`, `default privileges for role x in schema ...`
  const withoutArgs = key.replace(/\(.*\)$/s, "");
  if (sites.has(withoutArgs)) return sites.get(withoutArgs);
  const withoutRole = key.replace(/^default privileges for role \S+/, "default privileges");
  return sites.get(withoutRole);
}
