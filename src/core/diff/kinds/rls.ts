/**
 * Row level security flags: ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY. A new table
 * starts with both off; a dropped one needs nothing.
 */
import type { DiffStatement, Differ } from "../types.js";
import { nameSql, statementOf } from "./code-sql.js";

export const diffRls: Differ = (change) => {
  const { from, to } = change;
  if (!to) return { statements: [] };
  const table = nameSql(to.facts, change.key);
  const before = { enabled: Boolean(from?.object.props.enabled), forced: Boolean(from?.object.props.forced) };
  const after = { enabled: Boolean(to.object.props.enabled), forced: Boolean(to.object.props.forced) };
  const statements: DiffStatement[] = [];
  if (before.enabled !== after.enabled) statements.push(statementOf(change, `ALTER TABLE ${table} ${after.enabled ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY`, "alter", ["changes-security"]));
  if (before.forced !== after.forced) statements.push(statementOf(change, `ALTER TABLE ${table} ${after.forced ? "FORCE" : "NO FORCE"} ROW LEVEL SECURITY`, "alter", ["changes-security"]));
  return { statements };
};

export const rlsDiffers = { rls: diffRls };
