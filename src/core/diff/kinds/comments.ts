/**
 * Comments: COMMENT ON ... IS '...' when one is added or changed, IS NULL when one is taken away
 * from an object that stays (a dropped object takes its comment with it).
 */
import type { DiffContext, Differ, ObjectFacts } from "../types.js";
import { extraText, literal, statementOf } from "./code-sql.js";
import { hasObject } from "./code-index.js";

const TABLE_PARTS = new Set(["trigger", "policy", "rule", "constraint"]);
const TARGET_NOUNS: Record<string, string> = { "materialized view": "view", "foreign table": "table" };

/** `TRIGGER name ON public.t`, `COLUMN public.t.c`: what follows COMMENT ON, from the facts or the key. */
function commentTarget(key: string, facts: ObjectFacts | undefined): string {
  if (facts?.sql && extraText(facts, "target")) return facts.sql; // the reader's own; a fallback name is the key's
  const [, type = "", name = ""] = /^comment on (materialized view|foreign table|event trigger|\S+) (.*)$/s.exec(key) ?? [];
  if (TABLE_PARTS.has(type)) {
    const dot = name.lastIndexOf(".");
    return `${type.toUpperCase()} ${name.slice(dot + 1)} ON ${name.slice(0, dot)}`;
  }
  return `${type.toUpperCase()} ${name}`;
}

/** The catalog key of the commented object. */
export function commentedKey(key: string, facts: ObjectFacts | undefined): string {
  const known = extraText(facts, "target");
  if (known) return known;
  const [, type = "", name = ""] = /^comment on (materialized view|foreign table|event trigger|\S+) (.*)$/s.exec(key) ?? [];
  return `${TARGET_NOUNS[type] ?? type} ${name}`;
}

export function commentSql(key: string, facts: ObjectFacts | undefined, text: unknown): string {
  return `COMMENT ON ${commentTarget(key, facts)} IS ${typeof text === "string" ? literal(text) : "NULL"};`;
}

function present(context: DiffContext, key: string): boolean {
  return hasObject(context.to, key);
}

export const diffComment: Differ = (change, context) => {
  if (change.to) return { statements: [statementOf(change, commentSql(change.key, change.to.facts, change.to.object.props.text), change.from ? "alter" : "create")] };
  if (!change.from || !present(context, commentedKey(change.key, change.from.facts))) return { statements: [] };
  return { statements: [statementOf(change, commentSql(change.key, change.from.facts, null), "drop")] };
};

export const commentDiffers = { comments: diffComment };
