/**
 * GRANT and REVOKE as SQL, and what a privilege key is on: the object as GRANT names it, the
 * column, the grantee, or the ALTER DEFAULT PRIVILEGES prefix for default privileges.
 */
import type { ObjectFacts } from "../types.js";
import { extraText, ident, roleSql } from "./code-sql.js";

const PRIVILEGE_WORDS: Record<string, string> = {
  r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", D: "TRUNCATE", x: "REFERENCES", t: "TRIGGER",
  X: "EXECUTE", U: "USAGE", C: "CREATE", c: "CONNECT", T: "TEMPORARY", m: "MAINTAIN",
};

const OBJECT_NOUNS: Record<string, string> = { table: "TABLE", view: "TABLE", "materialized view": "TABLE", "foreign table": "TABLE", sequence: "SEQUENCE", schema: "SCHEMA", function: "FUNCTION", type: "TYPE", language: "LANGUAGE" };

/** Where a privilege applies, as SQL: `ON TABLE public.t`, with the column for a column grant. */
export interface GrantTarget {
  /** `TABLE public.t`, `FUNCTION public.f(integer)`, `SCHEMA app`, `DOMAIN public.email`, or for default privileges `TABLES`. */
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
  const order = Object.keys(PRIVILEGE_WORDS);
  const sorted = [...letters].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const words = sorted.map((letter) => PRIVILEGE_WORDS[letter] ?? letter).map((word) => (target.column ? `${word} (${target.column})` : word));
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
  const plain = /^privilege (table|view|materialized view|foreign table|sequence|schema|function|type|language|column) (.*) to (.*)$/s.exec(key);
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
