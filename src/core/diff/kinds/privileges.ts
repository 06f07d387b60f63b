/**
 * Grants: GRANT/REVOKE per privilege letter, on an object (`privilege table public.t to anon`),
 * a column (`privilege column public.t.c to anon`: `GRANT SELECT (c) ON public.t`), or as
 * default privileges (`default privileges in schema public on tables to anon`: ALTER DEFAULT
 * PRIVILEGES). Grants on an object this plan drops go with it; on one it creates, they are written
 * against what the default privileges give it.
 */
import type { DiffContext, DiffStatement, Differ, ObjectChange, Unsupported } from "../types.js";
import { extraText, statementOf } from "./code-sql.js";
import { grantSql, grantTarget } from "./grant-sql.js";
import { grantsOn, hasObject } from "./code-index.js";
import { defaultLetters, defaultsScope, revokeDefaultGrants } from "./privileges-defaults.js";

/** Privileges nobody granted that an object has anyway: PUBLIC's EXECUTE on functions and USAGE on types, by default. */
function implicitPrivileges(key: string): string {
  if (/^default privileges.* on functions to PUBLIC$/s.test(key)) return "X";
  if (/^default privileges.* on types to PUBLIC$/s.test(key)) return "U";
  return "";
}


export const diffPrivilege: Differ = (change: ObjectChange, context: DiffContext) => {
  const facts = change.to?.facts ?? change.from?.facts;
  const target = grantTarget(change.key, facts);
  if (!target) return { statements: [], unsupported: [{ key: change.key, reason: "a grant on a kind of object dbkit cannot name" }] };
  if (target.objectKey && !hasObject(context.to, target.objectKey)) return { statements: [] }; // dropped with its object
  const extension = extraText(facts, "extension");
  if (extension && hasObject(context.from, extension) && !hasObject(context.to, extension)) return { statements: [] }; // a language dropped with its extension
  const implicit = implicitPrivileges(change.key);
  // New, or dropped and created again by the planner: it starts with the default privileges.
  const created = target.objectKey !== undefined && (!hasObject(context.from, target.objectKey) || context.createdWhole(target.objectKey));
  const before = change.from ? String(change.from.object.props.privileges ?? "") : created ? grantedByDefault(context, target.objectKey!, change.key) : (newLanguageLetters(change, context) ?? implicit);
  const after = change.to ? String(change.to.object.props.privileges ?? "") : implicit;
  const unsupported: Unsupported[] = [];
  if ((before.includes("*") || after.includes("*")) && before !== after) unsupported.push({ key: change.key, reason: "a change to a privilege held WITH GRANT OPTION" });
  const revoke = [...before].filter((letter) => letter !== "*" && !after.includes(letter)).join("");
  const grant = [...after].filter((letter) => letter !== "*" && !before.includes(letter)).join("");
  const statements: DiffStatement[] = [];
  if (revoke) statements.push(statementOf(change, grantSql(target, revoke, true), "alter", ["changes-security"]));
  if (grant) statements.push(statementOf(change, grantSql(target, grant, false), change.from ? "alter" : "create", ["changes-security"]));
  return { statements, unsupported };
};

/**
 * What a grantee has on a new object before any GRANT: the default privileges (none on a column),
 * and for the role that creates it, its owner's (the catalog reads ACLs as Postgres applies them,
 * so `to` lists the owner's implicit privileges wherever the migrations name the owner).
 */
function grantedByDefault(context: DiffContext, objectKey: string, privilegeKey: string): string {
  const scope = objectKey.startsWith("column ") ? undefined : defaultsScope(objectKey);
  const grantee = privilegeKey.slice(privilegeKey.lastIndexOf(" to ") + 4);
  const defaults = scope ? defaultLetters(context.from, scope.objects, scope.schema, grantee === "PUBLIC" ? "" : grantee) : "";
  const owned = grantee === context.from.role ? ownerLetters(objectKey, context.from.serverVersion ?? 170000) : "";
  return [...new Set(defaults + owned)].join("");
}

/**
 * What a grantee has on a language an extension this plan creates brings (its ACL is NULL, so
 * acldefault's): USAGE for PUBLIC and for its owner, the role that creates it; undefined when the
 * grant is not on such a language.
 */
function newLanguageLetters(change: ObjectChange, context: DiffContext): string | undefined {
  const extension = extraText(change.to?.facts, "extension");
  if (!change.key.startsWith("privilege language ") || !extension || hasObject(context.from, extension) || !hasObject(context.to, extension)) return undefined;
  const grantee = change.key.slice(change.key.lastIndexOf(" to ") + 4);
  return grantee === "PUBLIC" || grantee === context.from.role ? "U" : "";
}

/** acldefault's letters for an object's owner, by the object's catalog key. */
function ownerLetters(objectKey: string, serverVersion: number): string {
  const noun = objectKey.slice(0, objectKey.indexOf(" "));
  if (noun === "table" || noun === "view") return serverVersion >= 170000 ? "arwdDxtm" : "arwdDxt";
  return { sequence: "rwU", function: "X", procedure: "X", schema: "UC", type: "U" }[noun] ?? "";
}

/**
 * The grants an object dropped and created again has in `to`, as statements: what `to` gives
 * each grantee, against what the defaults give the new object; and the defaults' grants to
 * others revoked (`on` is the object as GRANT names it).
 */
export function regrant(context: DiffContext, objectKey: string, change: Pick<ObjectChange, "key" | "category">, on: string): DiffStatement[] {
  const statements = grantsOn(context.to, objectKey)
    .flatMap((object) => {
      const facts = context.to.facts[object.key];
      const target = grantTarget(object.key, facts);
      if (!target || (target.objectKey !== objectKey && extraText(facts, "relation") !== objectKey)) return [];
      const after = String(object.props.privileges ?? "").replace(/\*/g, "");
      const before = target.objectKey === objectKey ? grantedByDefault(context, objectKey, object.key) : "";
      const revoke = [...before].filter((letter) => !after.includes(letter)).join("");
      const grant = [...after].filter((letter) => !before.includes(letter)).join("");
      return [
        ...(revoke ? [statementOf(change, grantSql(target, revoke, true), "alter", ["changes-security"])] : []),
        ...(grant ? [statementOf(change, grantSql(target, grant, false), "create", ["changes-security"])] : []),
      ];
    });
  return [...revokeDefaultGrants(context, change, on), ...statements];
}

export const privilegeDiffers = { privileges: diffPrivilege };
