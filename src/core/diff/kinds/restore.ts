/**
 * What goes when an object is dropped and created again (a view whose columns change, a function
 * whose return type changes, a materialized view): its grants, its comments, and the indexes,
 * triggers and rules on it. Those unchanged between the two states get no statement of their own,
 * so the differ that recreates the object gives them again, as `to` has them.
 */
import type { CatalogObject } from "../../catalog.js";
import type { DiffContext, DiffStatement, ObjectChange } from "../types.js";
import { commentSql } from "./comments.js";
import { extraText, statementOf } from "./code-sql.js";
import { objectOf } from "./code-index.js";
import { regrant } from "./privileges.js";

function unchanged(context: DiffContext, object: CatalogObject): boolean {
  const before = objectOf(context.from, object.key);
  return before !== undefined && JSON.stringify(before.props) === JSON.stringify(object.props);
}

/** The statements that give a recreated object back its grants, comments, indexes, triggers and rules. */
export function restoreAttached(context: DiffContext, change: Pick<ObjectChange, "key" | "category">, on: string): DiffStatement[] {
  const key = change.key;
  const relation = key.startsWith("view ") ? key.slice("view ".length) : undefined;
  const statements = [...regrant(context, key, change, on)];
  for (const object of context.to.catalog.objects) {
    const facts = context.to.facts[object.key];
    if (object.category === "comments" && (extraText(facts, "target") === key || extraText(facts, "relation") === key)) {
      statements.push(statementOf(change, commentSql(object.key, facts, object.props.text ?? null), "create"));
    }
    if (!relation || !unchanged(context, object)) continue;
    if ((object.category === "triggers" || object.category === "rules") && facts?.table === key && facts.definition) statements.push(statementOf(change, facts.definition, "create", ["recreates"]));
  }
  return [...statements, ...restoreIndexes(context, change)];
}

/** The indexes of a materialized view created again, where unchanged (a changed one is the index differ's to create). */
export function restoreIndexes(context: DiffContext, change: Pick<ObjectChange, "key" | "category">): DiffStatement[] {
  const relation = change.key.slice("view ".length);
  return context.to.catalog.objects
    .filter((object) => object.category === "indexes" && object.props.table === relation && typeof object.props.definition === "string" && unchanged(context, object))
    .map((object) => statementOf(change, String(object.props.definition), "create", ["recreates"]));
}
