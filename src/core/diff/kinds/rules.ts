/**
 * Rules: CREATE OR REPLACE RULE from pg_get_ruledef; DROP RULE when one goes from a table that
 * stays; whether it fires is ALTER TABLE ... RULE.
 */
import type { Differ } from "../types.js";
import { statementOf } from "./code-sql.js";
import { createSql, dropSql, firingSql, tableGone } from "./triggers.js";

export const diffRule: Differ = (change, context) => {
  const { from, to } = change;
  if (from && !to) {
    if (tableGone(change, context)) return { statements: [] };
    return { statements: [statementOf(change, dropSql(change, from, "RULE"), "drop")] };
  }
  if (!to) return { statements: [] };
  const firing = firingSql(change, to, "RULE", from?.object.props.enabled ?? "enabled");
  if (from && from.object.props.definition === to.object.props.definition) return { statements: firing };
  const definition = createSql(change, to).replace(/^CREATE RULE/, "CREATE OR REPLACE RULE");
  return { statements: [statementOf(change, definition, from ? "alter" : "create"), ...firing] };
};

export const ruleDiffers = { rules: diffRule };
