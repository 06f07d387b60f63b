/**
 * Grants: GRANT/REVOKE per privilege letter, on an object (`privilege table public.t to anon`),
 * a column (`privilege column public.t.c to anon`: `GRANT SELECT (c) ON public.t`), or as
 * default privileges (`default privileges in schema public on tables to anon`: ALTER DEFAULT
 * PRIVILEGES). Grants on an object this plan drops go with it; on one it creates, all are granted.
 */
import type { CatalogObject } from "../../catalog.js";
import type { DiffContext, DiffStatement, Differ, ObjectChange, ObjectFacts, Unsupported } from "../types.js";
import { extraText, ident, roleSql, statementOf } from "./code-sql.js";

const PRIVILEGE_WORDS: Record<string, string> = {
  r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", D: "TRUNCATE", x: "REFERENCES", t: "TRIGGER",
  X: "EXECUTE", U: "USAGE", C: "CREATE", c: "CONNECT", T: "TEMPORARY", m: "MAINTAIN",
};

const OBJECT_NOUNS: Record<string, string> = { table: "TABLE", view: "TABLE", "materialized view": "TABLE", "foreign table": "TABLE", sequence: "SEQUENCE", schema: "SCHEMA", function: "FUNCTION" };

/** Where a privilege applies, as SQL: `ON TABLE public.t`, with the column for a column grant. */
export interface GrantTarget {
  /** `TABLE public.t`, `FUNCTION public.f(integer)`, `SCHEMA app`, or for default privileges `TABLES`. */
  on: string;
  column?: string;
  /** `ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s ` before GRANT/REVOKE, for default privileges. */
  defaults?: string;
  grantee: string;
  /** The catalog key of the object the grant is on (absent for default privileges). */
  objectKey?: string;
}

/** GRANT or REVOKE of `letters` (privilege letters as in an ACL) on the target. */
export function grantSql(target: GrantTarget, letters: string, revoke: boolean): string {
  const words = [...letters].map((letter) => PRIVILEGE_WORDS[letter] ?? letter).map((word) => (target.column ? `${word} (${target.column})` : word));
  const on = target.defaults ? `${target.defaults}${revoke ? "REVOKE" : "GRANT"}` : revoke ? "REVOKE" : "GRANT";
  return `${on} ${words.join(", ")} ON ${target.on} ${revoke ? "FROM" : "TO"} ${target.grantee};`;
}

/** The target of a privilege key, from the reader's facts, or read from the key itself. */
export function grantTarget(key: string, facts: ObjectFacts | undefined): GrantTarget | undefined {
  const on = extraText(facts, "on");
  const known = extraText(facts, "grantee");
  if (on && known !== undefined) return { on, column: extraText(facts, "column"), grantee: roleSql(known), objectKey: extraText(facts, "target") };
  const defaults = /^default privileges(?: for role (\S+|"(?:[^"]|"")*"))?(?: in schema (\S+|"(?:[^"]|"")*"))? on (tables|sequences|functions|types|schemas) to (.*)$/s.exec(key);
  if (defaults) {
    const [, role, schema, objects = "", grantee = ""] = defaults;
    return { on: objects.toUpperCase(), defaults: `ALTER DEFAULT PRIVILEGES${role ? ` FOR ROLE ${role}` : ""}${schema ? ` IN SCHEMA ${schema}` : ""} `, grantee: roleSql(grantee === "PUBLIC" ? "" : grantee) };
  }
  const plain = /^privilege (table|view|materialized view|foreign table|sequence|schema|function|column) (.*) to (.*)$/s.exec(key);
  if (!plain) return undefined;
  const [, noun = "", name = "", grantee = ""] = plain;
  const role = roleSql(grantee === "PUBLIC" ? "" : grantee);
  if (noun === "column") {
    const dot = name.lastIndexOf(".");
    return { on: `TABLE ${name.slice(0, dot)}`, column: ident(name.slice(dot + 1)), grantee: role, objectKey: `column ${name}` };
  }
  const objectKey = noun === "foreign table" || noun === "table" ? `table ${name}` : noun === "materialized view" ? `view ${name}` : `${noun} ${name}`;
  return { on: `${OBJECT_NOUNS[noun]} ${name}`, grantee: role, objectKey };
}

/** Privileges nobody granted that an object has anyway: PUBLIC's EXECUTE on functions and USAGE on types, by default. */
function implicitPrivileges(key: string): string {
  if (/^default privileges.* on functions to PUBLIC$/s.test(key)) return "X";
  if (/^default privileges.* on types to PUBLIC$/s.test(key)) return "U";
  return "";
}

function exists(catalogObjects: readonly CatalogObject[], key: string): boolean {
  return catalogObjects.some((object) => object.key === key);
}

export const diffPrivilege: Differ = (change: ObjectChange, context: DiffContext) => {
  const facts = change.to?.facts ?? change.from?.facts;
  const target = grantTarget(change.key, facts);
  if (!target) return { statements: [], unsupported: [{ key: change.key, reason: "a grant on a kind of object dbkit cannot name" }] };
  if (target.objectKey && !exists(context.to.catalog.objects, target.objectKey)) return { statements: [] }; // dropped with its object
  const implicit = implicitPrivileges(change.key);
  const before = change.from ? String(change.from.object.props.privileges ?? "") : target.objectKey && !exists(context.from.catalog.objects, target.objectKey) ? "" : implicit;
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

/** The grants an object has in `to`, as statements, for an object dropped and created again. */
export function regrant(context: DiffContext, objectKey: string, change: Pick<ObjectChange, "key" | "category">): DiffStatement[] {
  return context.to.catalog.objects
    .filter((object) => object.category === "privileges" && !object.key.startsWith("default privileges"))
    .flatMap((object) => {
      const facts = context.to.facts[object.key];
      const target = grantTarget(object.key, facts);
      const onObject = target?.objectKey === objectKey || extraText(facts, "relation") === objectKey;
      const letters = String(object.props.privileges ?? "").replace(/\*/g, "");
      return target && onObject && letters ? [statementOf(change, grantSql(target, letters, false), "create", ["changes-security"])] : [];
    });
}

export const privilegeDiffers = { privileges: diffPrivilege };
