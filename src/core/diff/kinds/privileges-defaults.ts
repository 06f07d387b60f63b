/**
 * What a new object is granted without a GRANT: the default privileges of the role that creates
 * it (ALTER DEFAULT PRIVILEGES, globally and in its schema), and PUBLIC's EXECUTE on a function
 * or USAGE on a type unless those were revoked globally. The reader gives them per schema as
 * `newObjectAcl` facts (pg_default_acl of the role that reads, the one that builds and applies);
 * without those, the catalog's default privileges of the migrating role stand in. The plan creates
 * objects before it changes default privileges, so `from`'s apply. Grants are then written
 * against these: a grant the defaults give and `to` lacks is revoked.
 */
import type { DiffContext, DiffStatement, ObjectChange, SchemaModel } from "../types.js";
import { extraText, roleSql, statementOf } from "./code-sql.js";
import { grantSql, grantTarget } from "./grant-sql.js";
import { grantsOn } from "./code-index.js";

export type DefaultObjects = "tables" | "sequences" | "functions" | "types" | "schemas";

const OBJECT_KINDS: Record<string, DefaultObjects> = { table: "tables", view: "tables", sequence: "sequences", function: "functions", procedure: "functions", schema: "schemas", type: "types" };
const OBJTYPES: Record<string, DefaultObjects> = { r: "tables", S: "sequences", f: "functions", T: "types", n: "schemas" };

/** The kind of default privileges and the schema that apply to an object, by its catalog key. */
export function defaultsScope(objectKey: string): { objects: DefaultObjects; schema: string | undefined } | undefined {
  const [noun = "", name = ""] = objectKey.split(/ (.*)/s);
  const objects = OBJECT_KINDS[noun];
  if (!objects) return undefined;
  return { objects, schema: objects === "schemas" ? undefined : /^(?:"(?:[^"]|"")*"|[^.]+)/.exec(name)?.[0] };
}

/** One pg_default_acl row of the creating role, as the reader gives it in `newObjectAcl`. */
interface DefaultAclRow {
  /** pg_default_acl's objtype: r, S, f, T, n. */
  objtype: string;
  /** Not in one schema: the row applies everywhere, and only there can PUBLIC's default be revoked. */
  global: boolean;
  /** Whether the row keeps an entry for PUBLIC. */
  public: boolean;
  /** Grantee ("" for PUBLIC, only roles verify compares) → letters. */
  grants: Record<string, string>;
}

/** Grantee ("" for PUBLIC) → the privilege letters a new object of this kind in this schema gets. */
export function defaultGrants(model: SchemaModel, objects: DefaultObjects, schema: string | undefined): Map<string, string> {
  const grants = new Map<string, string>();
  const add = (grantee: string, letters: string) => grants.set(grantee, [...new Set((grants.get(grantee) ?? "") + letters)].sort().join(""));
  let publicRevoked = false;
  const facts = schema === undefined ? undefined : model.facts[`schema ${schema.replace(/^"|"$/g, "")}`]?.extra?.newObjectAcl;
  if (Array.isArray(facts)) {
    for (const entry of facts) {
      const row = JSON.parse(entry) as DefaultAclRow;
      if (OBJTYPES[row.objtype] !== objects) continue;
      if (row.global && !row.public) publicRevoked = true;
      for (const [grantee, letters] of Object.entries(row.grants)) add(grantee, letters);
    }
  } else {
    const pattern = /^default privileges(?: in schema (\S+|"(?:[^"]|"")*"))? on (\S+) to (.*)$/s;
    for (const object of model.catalog.objects) {
      const [, inSchema, on, to = ""] = pattern.exec(object.key) ?? [];
      if (on !== objects || (inSchema !== undefined && inSchema !== schema)) continue;
      if (object.props.privileges === "" && inSchema === undefined) publicRevoked = true;
      add(to === "PUBLIC" ? "" : to, String(object.props.privileges ?? "").replace(/\*/g, ""));
    }
  }
  if (!publicRevoked && (objects === "functions" || objects === "types")) add("", objects === "functions" ? "X" : "U");
  for (const [grantee, letters] of grants) if (!letters) grants.delete(grantee);
  return grants;
}

/** The privilege letters `grantee` ("" for PUBLIC) gets on a new object of this kind in this schema. */
export function defaultLetters(model: SchemaModel, objects: DefaultObjects, schema: string | undefined, grantee: string): string {
  return defaultGrants(model, objects, schema).get(grantee === "PUBLIC" ? "" : grantee) ?? "";
}

/**
 * For an object this plan creates (or drops and creates again): REVOKE what the defaults give a
 * grantee that `to` gives nothing on it (PUBLIC's EXECUTE on a function `to` revoked it on
 * too). Grantees `to` lists are the privilege differ's (or regrant's) to settle. `on` is the object as
 * GRANT names it (`TABLE public.t`).
 */
export function revokeDefaultGrants(context: DiffContext, change: Pick<ObjectChange, "key" | "category">, on: string): DiffStatement[] {
  const scope = defaultsScope(change.key);
  if (!scope) return [];
  const listed = new Set(
    grantsOn(context.to, change.key)
      .filter((object) => extraText(context.to.facts[object.key], "target") === change.key)
      .map((object) => grantTarget(object.key, context.to.facts[object.key])?.grantee),
  );
  return [...defaultGrants(context.from, scope.objects, scope.schema)]
    .filter(([grantee]) => !listed.has(roleSql(grantee)))
    .map(([grantee, letters]) => statementOf(change, grantSql({ on, grantee: roleSql(grantee) }, letters, true), "alter", ["changes-security"]));
}
