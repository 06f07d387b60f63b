/**
 * What a project's migrations create outside the schemas it owns (a trigger on auth.users, a
 * policy on storage.objects, a function in auth, rows in storage.buckets). `reset` drops whole
 * owned schemas, so these must be found from the migrations themselves and removed one by one,
 * or the next `migrate` fails with "already exists". Works on parsed statements; pure.
 */
import { extraForeignObjects, type ExtraForeignObject } from "./foreign-extra.js";
import type { ParsedStatementLike } from "./types.js";

export type ForeignObject =
  | { kind: "trigger"; schema: string; table: string; name: string }
  | { kind: "policy"; schema: string; table: string; name: string }
  | { kind: "function"; schema: string; name: string }
  | { kind: "index"; schema: string; name: string }
  | { kind: "table" | "view" | "sequence" | "type"; schema: string; name: string }
  | { kind: "rows"; schema: string; table: string; columns: string[]; rows: (string | null)[][] }
  | { kind: "publication"; name: string }
  | ExtraForeignObject;

/** Schemas that belong to the platform (Supabase): never dropped or emptied by reset. */
export const PLATFORM_SCHEMAS = [
  "auth",
  "storage",
  "realtime",
  "extensions",
  "graphql",
  "graphql_public",
  "vault",
  "pgsodium",
  "pgsodium_masks",
  "supabase_functions",
  "supabase_migrations",
  "net",
  "cron",
  "pgbouncer",
] as const;

const SYSTEM_SCHEMAS = new Set(["pg_catalog", "information_schema", "pg_toast"]);

type Node = Record<string, unknown>;
interface RangeVar {
  schemaname?: string;
  relname: string;
}

/** Schemas the migrations create (`CREATE SCHEMA`), in order of first appearance. */
export function schemasCreated(statements: readonly ParsedStatementLike[]): string[] {
  const names = statements.filter((s) => s.kind === "CreateSchemaStmt").map((s) => String(s.node.schemaname ?? ""));
  return [...new Set(names.filter((name) => name !== ""))];
}

/**
 * The project's schemas: configured, or `public` plus those its migrations create. A schema named
 * like a platform one (`auth`, `storage`) is the project's when its migrations create it: always
 * outside a Supabase project, and in one only with a plain CREATE SCHEMA (which would fail on
 * the platform, where the schema exists), not `create schema if not exists extensions`.
 */
export function ownedSchemas(configured: readonly string[] | undefined, statements: readonly ParsedStatementLike[], supabase = false): string[] {
  const created = new Set(
    statements
      .filter((s) => s.kind === "CreateSchemaStmt" && (!supabase || !s.node.if_not_exists))
      .map((s) => String(s.node.schemaname ?? "")),
  );
  const candidates = configured ?? ["public", ...schemasCreated(statements)];
  const platform = (name: string) => (PLATFORM_SCHEMAS as readonly string[]).includes(name) && !created.has(name);
  return [...new Set(candidates)].filter((name) => !platform(name) && !SYSTEM_SCHEMAS.has(name));
}

/** Objects the statements create in schemas outside `owned` (schema-qualified names only). */
export function foreignObjects(statements: readonly ParsedStatementLike[], owned: readonly string[]): ForeignObject[] {
  const outside = (schema: string | undefined): schema is string => schema !== undefined && !owned.includes(schema) && !SYSTEM_SCHEMAS.has(schema);
  const found: ForeignObject[] = [];
  for (const { kind, node } of statements) {
    switch (kind) {
      case "CreateTrigStmt": {
        const table = node.relation as RangeVar;
        if (outside(table.schemaname)) found.push({ kind: "trigger", schema: table.schemaname, table: table.relname, name: String(node.trigname) });
        break;
      }
      case "CreatePolicyStmt": {
        const table = node.table as RangeVar;
        if (outside(table.schemaname)) found.push({ kind: "policy", schema: table.schemaname, table: table.relname, name: String(node.policy_name) });
        break;
      }
      case "CreateFunctionStmt": {
        const [schema, name] = qualifiedName(node.funcname);
        if (outside(schema)) found.push({ kind: "function", schema, name });
        break;
      }
      case "IndexStmt": {
        const table = node.relation as RangeVar;
        if (outside(table.schemaname) && node.idxname) found.push({ kind: "index", schema: table.schemaname, name: String(node.idxname) });
        break;
      }
      case "CreateStmt":
      case "ViewStmt":
      case "CreateSeqStmt":
      case "CreateTableAsStmt": {
        const relation = (node.relation ?? node.view ?? node.sequence ?? (node.into as Node | undefined)?.rel) as RangeVar | undefined;
        const type = kind === "ViewStmt" ? "view" : kind === "CreateSeqStmt" ? "sequence" : kind === "CreateTableAsStmt" && node.objtype === "OBJECT_MATVIEW" ? "view" : "table";
        if (relation && outside(relation.schemaname)) found.push({ kind: type, schema: relation.schemaname, name: relation.relname });
        break;
      }
      case "CreateEnumStmt":
      case "CreateRangeStmt":
      case "CreateDomainStmt":
      case "CompositeTypeStmt": {
        // A domain's typeName is its base type; its own name is domainname.
        const [schema, name] =
          kind === "CompositeTypeStmt" ? [(node.typevar as RangeVar).schemaname, (node.typevar as RangeVar).relname] : qualifiedName(kind === "CreateDomainStmt" ? node.domainname : node.typeName);
        if (outside(schema)) found.push({ kind: "type", schema, name });
        break;
      }
      case "InsertStmt": {
        const table = node.relation as RangeVar;
        if (!outside(table.schemaname)) break;
        const columns = ((node.cols as Node[] | undefined) ?? []).map((col) => String((col.ResTarget as Node).name));
        const lists = (((node.selectStmt as Node | undefined)?.SelectStmt as Node | undefined)?.valuesLists as Node[] | undefined) ?? [];
        const rows = lists.map((list) => ((list.List as Node).items as Node[]).map(constantText));
        if (columns.length > 0 && rows.length > 0) found.push({ kind: "rows", schema: table.schemaname, table: table.relname, columns, rows });
        break;
      }
      case "CreatePublicationStmt":
        found.push({ kind: "publication", name: String(node.pubname) });
        break;
    }
  }
  return [...found, ...extraForeignObjects(statements, owned)];
}

function qualifiedName(parts: unknown): [string | undefined, string] {
  const names = ((parts as Node[] | undefined) ?? []).map((part) => String((part.String as Node).sval));
  return names.length >= 2 ? [names[names.length - 2], names[names.length - 1]!] : [undefined, names[0] ?? ""];
}

/** A literal's text as Postgres prints it (`true`, `42`, `avatars`), null for NULL. */
function constantText(item: Node): string | null {
  const constant = item.A_Const as Node | undefined;
  if (!constant) return NOT_A_CONSTANT;
  if (constant.isnull) return null;
  // libpg_query omits zero values: `false` is `{ boolval: {} }`, 0 is `{ ival: {} }`.
  for (const [key, empty] of [["sval", ""], ["ival", "0"], ["fval", "0"], ["boolval", "false"], ["bsval", ""]] as const) {
    const value = constant[key] as Node | undefined;
    if (value !== undefined) return Object.values(value).length > 0 ? String(Object.values(value)[0]) : empty;
  }
  return NOT_A_CONSTANT;
}

const NOT_A_CONSTANT = "\u0000not-a-constant";

/** True for a value that came from an expression, not a literal: such rows cannot be matched. */
export function isUnknownValue(value: string | null): boolean {
  return value === NOT_A_CONSTANT;
}
