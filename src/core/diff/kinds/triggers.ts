/**
 * Triggers: pg_get_triggerdef prints the whole CREATE TRIGGER, so a changed trigger is dropped and
 * created again; whether it fires (enabled, disabled, replica, always) is ALTER TABLE ... TRIGGER.
 * A trigger on a dropped table goes with it.
 */
import type { DiffStatement, Differ, ObjectChange } from "../types.js";
import { partName, statementOf, tableSql } from "./code-sql.js";
import { hasObject } from "./code-index.js";

type Side = NonNullable<ObjectChange["from"]>;

const FIRING: Record<string, string> = { enabled: "ENABLE", disabled: "DISABLE", R: "ENABLE REPLICA", A: "ENABLE ALWAYS" };

/** `ALTER TABLE t ENABLE TRIGGER x`, for a trigger or a rule (`what`) whose firing changes. */
export function firingSql(change: ObjectChange, side: Side, what: "TRIGGER" | "RULE", previous: unknown): DiffStatement[] {
  const state = String(side.object.props.enabled ?? "enabled");
  if (state === String(previous ?? "enabled")) return [];
  return [statementOf(change, `ALTER TABLE ${tableSql(side.facts)} ${FIRING[state] ?? "ENABLE"} ${what} ${partName(side.facts, change.key)}`, "alter")];
}

/** Whether the table a trigger, rule or policy is on is dropped by this plan (a platform's table, outside the catalog, stays). */
export function tableGone(change: ObjectChange, context: Parameters<Differ>[1]): boolean {
  const table = change.from?.facts.table;
  return table !== undefined && (context.droppedWhole(table) || (hasObject(context.from, table) && !hasObject(context.to, table)));
}

export function dropSql(change: ObjectChange, side: Side, what: "TRIGGER" | "RULE"): string {
  return `DROP ${what} ${partName(side.facts, change.key)} ON ${tableSql(side.facts)}`;
}

export function createSql(change: ObjectChange, side: Side): string {
  return side.facts.definition ?? String(side.object.props.definition ?? `-- the definition of ${change.key} was not read`);
}

export const diffTrigger: Differ = (change, context) => {
  const { from, to } = change;
  if (from && !to) return { statements: tableGone(change, context) ? [] : [statementOf(change, dropSql(change, from, "TRIGGER"), "drop")] };
  if (!to) return { statements: [] };
  const create = [statementOf(change, createSql(change, to), "create"), ...firingSql(change, to, "TRIGGER", "enabled")];
  if (!from) return { statements: create };
  if (from.object.props.definition === to.object.props.definition) return { statements: firingSql(change, to, "TRIGGER", from.object.props.enabled) };
  return { statements: [statementOf(change, dropSql(change, from, "TRIGGER"), "drop"), ...create] };
};

export const triggerDiffers = { triggers: diffTrigger };
