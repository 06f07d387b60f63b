/**
 * Which object another belongs to (a column to its table, a grant or comment to its object), and
 * the parts that need no statement of their own: a column of a table created whole (it is in the
 * CREATE TABLE), anything of an object dropped whole, a constraint's own index, what a partition
 * inherits from its parent, a view's columns (the view's differ writes those).
 */
import type { DiffContext, ObjectFacts, SchemaModel } from "./types.js";

const RELATION_NOUNS: Record<string, string[]> = {
  table: ["table"],
  "foreign table": ["table"],
  view: ["view"],
  "materialized view": ["view"],
  sequence: ["sequence"],
  function: ["function", "procedure"],
  procedure: ["procedure", "function"],
  schema: ["schema"],
  type: ["type"],
  index: ["index"],
  column: ["column"],
  constraint: ["constraint"],
  trigger: ["trigger"],
  policy: ["policy"],
  rule: ["rule"],
};

/** The catalog key of the object `key` belongs to in `model`, if it belongs to one. */
export function partOf(key: string, model: SchemaModel): string | undefined {
  const facts = model.facts[key];
  if (facts?.table) return facts.table;
  // The code kinds' facts name what a grant or comment is on.
  const target = facts?.extra?.target;
  if (typeof target === "string" && target !== key && target in model.facts) return target;
  const grant = /^privilege (foreign table|materialized view|table|view|sequence|function|procedure|schema|type|column) (.*) to (?:[^ ]*)$/s.exec(key);
  const comment = /^comment on (foreign table|materialized view|table|view|sequence|function|procedure|schema|type|index|column|constraint|trigger|policy|rule) (.*)$/s.exec(key);
  const [, noun = "", name = ""] = grant ?? comment ?? [];
  for (const candidate of RELATION_NOUNS[noun] ?? []) {
    const owner = `${candidate} ${name}`;
    if (owner in model.facts) return owner;
  }
  return undefined;
}

/** True when the change of `key` needs no statement of its own (see the file's comment). */
export function skippedPart(key: string, facts: ObjectFacts, model: SchemaModel, context: DiffContext, isDrop: boolean): boolean {
  const extra = facts.extra ?? {};
  if (extra.inherited === true || typeof extra.constraint === "string" || typeof extra.partitionOf === "string") return true;
  if (key.startsWith("column ") && facts.table?.startsWith("view ")) return true;
  if (typeof extra.identityOf === "string" && (!(key in context.from.facts) || !(key in context.to.facts))) return true;
  if (key.startsWith("column ") && facts.table && !isDrop && context.createdWhole(facts.table)) return true;
  if (!isDrop) return false;
  for (let owner = partOf(key, model); owner !== undefined; owner = partOf(owner, model)) {
    if (context.droppedWhole(owner)) return true;
  }
  return false;
}
