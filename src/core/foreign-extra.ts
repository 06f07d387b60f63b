/**
 * What a project's migrations set outside its schemas that dropping those schemas leaves behind
 * and the next `migrate` would trip over or silently keep: tables of other schemas added to a
 * publication (whole or a table at a time), event triggers (they live in no schema), and default privileges granted outside
 * the owned schemas (for every schema, or in a platform schema). Pure: works on parsed
 * statements; `reset` removes what this finds.
 */
import type { ParsedStatementLike } from "./types.js";

type Node = Record<string, unknown>;

export type ExtraForeignObject =
  | { kind: "publication table"; publication: string; schema: string; table: string }
  /** A schema of another owner added whole (`ADD TABLES IN SCHEMA`, Postgres 15+). */
  | { kind: "publication schema"; publication: string; schema: string }
  | { kind: "event trigger"; name: string }
  /** The REVOKE undoing an ALTER DEFAULT PRIVILEGES ... GRANT, and a readable label. */
  | { kind: "default privileges"; revoke: string; label: string; roles: string[] };

const unwrap = (node: unknown, type: string): Node => (((node as Node | undefined)?.[type] as Node | undefined) ?? (node as Node | undefined) ?? {});
const strings = (items: unknown): string[] => ((items as Node[] | undefined) ?? []).map((item) => String(unwrap(item, "String").sval ?? ""));
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const role = (spec: unknown) => {
  const r = unwrap(spec, "RoleSpec");
  return r.roletype === "ROLESPEC_PUBLIC" ? "public" : ident(String(r.rolename));
};
const DEFAULT_OBJECTS: Record<string, string> = { OBJECT_TABLE: "tables", OBJECT_SEQUENCE: "sequences", OBJECT_FUNCTION: "functions", OBJECT_ROUTINE: "routines", OBJECT_TYPE: "types", OBJECT_SCHEMA: "schemas" };

export function extraForeignObjects(statements: readonly ParsedStatementLike[], owned: readonly string[]): ExtraForeignObject[] {
  const found: ExtraForeignObject[] = [];
  for (const { kind, node } of statements) {
    if (kind === "AlterPublicationStmt" && node.action === "AP_AddObjects") {
      for (const object of (node.pubobjects as Node[] | undefined) ?? []) {
        const spec = unwrap(object, "PublicationObjSpec");
        const relation = unwrap(unwrap(spec.pubtable, "PublicationTable").relation, "RangeVar");
        const schema = relation.schemaname as string | undefined;
        if (spec.pubobjtype === "PUBLICATIONOBJ_TABLE" && schema && !owned.includes(schema)) {
          found.push({ kind: "publication table", publication: String(node.pubname), schema, table: String(relation.relname) });
        }
        // An owned schema leaves the publication when reset drops it; another schema stays in it.
        if (spec.pubobjtype === "PUBLICATIONOBJ_TABLES_IN_SCHEMA" && !owned.includes(String(spec.name))) {
          found.push({ kind: "publication schema", publication: String(node.pubname), schema: String(spec.name) });
        }
      }
    }
    if (kind === "CreateEventTrigStmt") found.push({ kind: "event trigger", name: String(node.trigname) });
    if (kind === "AlterDefaultPrivilegesStmt") {
      const revoke = revokeOf(node, owned);
      const roles = [...rolesOf(node), ...((((node.action as Node).grantees as Node[] | undefined) ?? []).map((g) => unwrap(g, "RoleSpec")).filter((r) => r.roletype !== "ROLESPEC_PUBLIC").map((r) => String(r.rolename)))];
      if (revoke) found.push({ kind: "default privileges", revoke, roles, label: revoke.replace(/^alter default privileges /, "").replace(/(?:^| )revoke .* on (\w+) from (.*)$/, (_, objects: string, grantees: string) => ` on ${objects} to ${grantees}`).trim() });
    }
  }
  return found;
}

function rolesOf(node: Node): string[] {
  return ((node.options as Node[] | undefined) ?? [])
    .map((o) => unwrap(o, "DefElem"))
    .filter((d) => d.defname === "roles")
    .flatMap((d) => (unwrap(d.arg, "List").items as Node[] | undefined) ?? [])
    .map((r) => String(unwrap(r, "RoleSpec").rolename));
}

/** The REVOKE that undoes a GRANT of default privileges outside the owned schemas, if it is one. */
function revokeOf(node: Node, owned: readonly string[]): string | undefined {
  const action = node.action as Node;
  if (!action?.is_grant) return undefined; // undoing a REVOKE would grant: never by inference
  const options = ((node.options as Node[] | undefined) ?? []).map((o) => unwrap(o, "DefElem"));
  const roles = options.filter((d) => d.defname === "roles").flatMap((d) => (unwrap(d.arg, "List").items as Node[] | undefined) ?? []).map(role);
  const named = options.filter((d) => d.defname === "schemas").flatMap((d) => strings(unwrap(d.arg, "List").items));
  const schemas = named.filter((schema) => !owned.includes(schema));
  if (named.length > 0 && schemas.length === 0) return undefined; // dropped, or restored, with the owned schemas
  const objects = DEFAULT_OBJECTS[String(action.objtype)];
  if (!objects) return undefined;
  const privileges = ((action.privileges as Node[] | undefined) ?? []).map((p) => String(unwrap(p, "AccessPriv").priv_name));
  const grantees = ((action.grantees as Node[] | undefined) ?? []).map(role);
  return [
    "alter default privileges",
    roles.length > 0 ? `for role ${roles.join(", ")}` : "",
    schemas.length > 0 ? `in schema ${schemas.map(ident).join(", ")}` : "",
    `revoke ${privileges.length > 0 ? privileges.join(", ") : "all"} on ${objects} from ${grantees.join(", ")}`,
  ].filter(Boolean).join(" ");
}
