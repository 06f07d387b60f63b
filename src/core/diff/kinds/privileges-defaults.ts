/**
 * What a new object is granted without a GRANT: the default privileges in effect when it is
 * created (ALTER DEFAULT PRIVILEGES, globally and in its schema) and PUBLIC's EXECUTE on a
 * function or USAGE on a type. The plan creates objects before it changes default privileges, so
 * `from`'s defaults are the ones that apply. Grants are then written against these, not nothing:
 * a grant the defaults give and `to` lacks is revoked.
 */
import type { DiffContext, DiffStatement, ObjectChange, SchemaModel } from "../types.js";
import { extraText, roleSql, statementOf } from "./code-sql.js";
import { grantSql, grantTarget } from "./grant-sql.js";

export type DefaultObjects = "tables" | "sequences" | "functions" | "types" | "schemas";

const OBJECT_KINDS: Record<string, DefaultObjects> = { table: "tables", view: "tables", sequence: "sequences", function: "functions", procedure: "functions", schema: "schemas", type: "types" };

/** The kind of default privileges and the schema that apply to an object, by its catalog key. */
export function defaultsScope(objectKey: string): { objects: DefaultObjects; schema: string | undefined } | undefined {
  const [noun = "", name = ""] = objectKey.split(/ (.*)/s);
  const objects = OBJECT_KINDS[noun];
  if (!objects) return undefined;
  return { objects, schema: objects === "schemas" ? undefined : /^(?:"(?:[^"]|"")*"|[^.]+)/.exec(name)?.[0] };
}

/** The privilege letters `grantee` ("" for PUBLIC) gets on a new object of this kind in this schema. */
export function defaultLetters(model: SchemaModel, objects: DefaultObjects, schema: string | undefined, grantee: string): string {
  const who = grantee === "" ? "PUBLIC" : grantee;
  const pattern = /^default privileges(?: for role (?:\S+|"(?:[^"]|"")*"))?(?: in schema (\S+|"(?:[^"]|"")*"))? on (\S+) to (.*)$/s;
  let letters = "";
  let publicRevoked = false;
  for (const object of model.catalog.objects) {
    const [, inSchema, on, to] = pattern.exec(object.key) ?? [];
    if (on !== objects || to !== who || (inSchema !== undefined && inSchema !== schema)) continue;
    if (object.props.privileges === "" && inSchema === undefined) publicRevoked = true;
    letters += String(object.props.privileges ?? "").replace(/\*/g, "");
  }
  if (who === "PUBLIC" && !publicRevoked) letters += objects === "functions" ? "X" : objects === "types" ? "U" : "";
  return [...new Set(letters)].sort().join("");
}

/** Grantees the defaults give something on a new object of this kind in this schema. */
function defaultGrantees(model: SchemaModel, objects: DefaultObjects, schema: string | undefined): string[] {
  const grantees = new Set<string>();
  for (const object of model.catalog.objects) {
    const [, inSchema, on, to = ""] = /^default privileges(?: for role (?:\S+|"(?:[^"]|"")*"))?(?: in schema (\S+|"(?:[^"]|"")*"))? on (\S+) to (.*)$/s.exec(object.key) ?? [];
    if (on === objects && (inSchema === undefined || inSchema === schema) && object.props.privileges) grantees.add(to === "PUBLIC" ? "" : to);
  }
  return [...grantees];
}

/**
 * For an object this plan creates (or drops and creates again): REVOKE what the defaults give a
 * grantee that `to` gives nothing on it. Grantees `to` lists are the privilege differ's (or
 * regrant's) to settle. `on` is the object as GRANT names it (`TABLE public.t`).
 */
export function revokeDefaultGrants(context: DiffContext, change: Pick<ObjectChange, "key" | "category">, on: string): DiffStatement[] {
  const scope = defaultsScope(change.key);
  if (!scope) return [];
  const listed = new Set(
    context.to.catalog.objects
      .filter((object) => object.category === "privileges" && extraText(context.to.facts[object.key], "target") === change.key)
      .map((object) => grantTarget(object.key, context.to.facts[object.key])?.grantee),
  );
  return defaultGrantees(context.from, scope.objects, scope.schema)
    .filter((grantee) => !listed.has(roleSql(grantee)))
    .map((grantee) => statementOf(change, grantSql({ on, grantee: roleSql(grantee) }, defaultLetters(context.from, scope.objects, scope.schema, grantee), true), "alter", ["changes-security"]));
}
