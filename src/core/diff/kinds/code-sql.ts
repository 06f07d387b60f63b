/**
 * Small helpers the code and security differs share: quoting, building a statement for a
 * change, and reading facts with a fallback when the reader gave none.
 */
import type { DiffStatement, Hazard, ObjectChange, ObjectFacts } from "../types.js";

/** A name as Postgres's quote_ident prints it: bare when it is a plain lower-case word, quoted otherwise. */
export function ident(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A string literal read the same whatever standard_conforming_strings says. */
export function literal(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes("\\") ? `E'${quoted.replace(/\\/g, "\\\\")}'` : `'${quoted}'`;
}

/** A role as a grantee or policy role: PUBLIC, or its quoted name. */
export function roleSql(role: string): string {
  return role === "" || role === "PUBLIC" || role === "public" ? "PUBLIC" : ident(role);
}

/** Key words that quote_ident quotes (the reserved ones a role, column or object name might use). */
const RESERVED = new Set(
  "all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column concurrently constraint create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user using variadic verbose when where window with".split(" "),
);

/** The statement of a change, in the transaction phase. */
export function statementOf(change: Pick<ObjectChange, "key" | "category">, sql: string, action: DiffStatement["action"], hazards: Hazard[] = []): DiffStatement {
  return { sql: sql.trimEnd().endsWith(";") ? sql.trimEnd() : `${sql.trimEnd()};`, key: change.key, category: change.category, action, hazards: [...new Set(hazards)], phase: "transaction" };
}

/** The object's name as SQL: from the facts, or the key's name part when the reader gave none. */
export function nameSql(facts: ObjectFacts | undefined, key: string): string {
  return facts?.sql ?? key.slice(key.indexOf(" ") + 1);
}

/** A string fact from `extra`, or undefined. */
export function extraText(facts: ObjectFacts | undefined, name: string): string | undefined {
  const value = facts?.extra?.[name];
  return typeof value === "string" ? value : undefined;
}

/** A string-list fact from `extra` (empty when absent). */
export function extraList(facts: ObjectFacts | undefined, name: string): string[] {
  const value = facts?.extra?.[name];
  return Array.isArray(value) ? value : [];
}

/** The name of an object that belongs to a table (trigger, policy, rule), as SQL: from the facts, or the key's last part. */
export function partName(facts: ObjectFacts | undefined, key: string): string {
  return facts?.sql ?? ident(key.slice(key.lastIndexOf(".") + 1));
}

/** The table an object belongs to, as SQL: from the facts, or its table's key. */
export function tableSql(facts: ObjectFacts | undefined): string {
  const table = facts?.table ?? "";
  return extraText(facts, "tableSql") ?? table.slice(table.indexOf(" ") + 1);
}
