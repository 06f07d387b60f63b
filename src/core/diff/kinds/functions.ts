/**
 * Functions and procedures: CREATE OR REPLACE from pg_get_functiondef (which keeps strict,
 * parallel, cost, leakproof, SET options and SECURITY DEFINER), so grants survive the change.
 * What CREATE OR REPLACE refuses (a new return type, a parameter default taken away) is a DROP
 * and a CREATE, after which the grants and comments the function has in `to` are given again.
 */
import type { DiffContext, DiffStatement, Differ, ObjectChange } from "../types.js";
import { extraText, ident, nameSql, statementOf } from "./code-sql.js";
import { hasObject } from "./code-index.js";
import { revokeDefaultGrants } from "./privileges-defaults.js";
import { restoreAttached } from "./restore.js";

type Side = NonNullable<ObjectChange["from"]>;

const noun = (key: string) => (key.startsWith("procedure ") ? "PROCEDURE" : "FUNCTION");

/** Whether CREATE OR REPLACE cannot turn `from` into `to`. */
export function needsRecreate(from: Side, to: Side): boolean {
  if (from.object.props.returns !== to.object.props.returns) return true;
  const defaults = (side: Side) => (extraText(side.facts, "arguments") ?? "").split(/\bDEFAULT\b/).length - 1;
  return defaults(to) < defaults(from);
}

function definitionOf(change: ObjectChange, side: Side): string {
  return side.facts.definition ?? `-- the definition of ${change.key} was not read`;
}

function ownerChange(change: ObjectChange, side: Side, previousOwner: unknown): DiffStatement[] {
  const owner = side.object.props.owner;
  if (typeof owner !== "string" || owner === previousOwner) return [];
  return [statementOf(change, `ALTER ${noun(change.key)} ${nameSql(side.facts, change.key)} OWNER TO ${ident(owner)}`, "alter")];
}

function created(change: ObjectChange, to: Side, context: DiffContext, recreated: boolean): DiffStatement[] {
  const hazards = to.object.props.securityDefiner ? (["changes-security"] as const) : [];
  const on = `${noun(change.key)} ${nameSql(to.facts, change.key)}`;
  return [
    statementOf(change, definitionOf(change, to), "create", recreated ? [...hazards, "recreates"] : [...hazards]),
    ...ownerChange(change, to, undefined),
    ...(recreated ? restoreAttached(context, change, on) : revokeDefaultGrants(context, change, on)),
  ];
}

/**
 * Column defaults that call a function dropped and created again: DROP DEFAULT before the drop
 * (Postgres refuses it otherwise), SET DEFAULT as `to` has it after the create.
 */
function dependentDefaults(change: ObjectChange, context: DiffContext, phase: "drop" | "create"): DiffStatement[] {
  const model = phase === "drop" ? context.from : context.to;
  return model.catalog.objects
    .filter((object) => object.category === "columns" && typeof object.props.default === "string")
    .filter((object) => context.from.facts[object.key]?.dependsOn.includes(change.key) && hasObject(context.to, object.key))
    .map((object) => {
      const facts = model.facts[object.key];
      const table = facts?.table ? (model.facts[facts.table]?.sql ?? facts.table.slice(facts.table.indexOf(" ") + 1)) : "";
      const column = `ALTER TABLE ${table} ALTER COLUMN ${facts?.sql ?? ident(object.key.slice(object.key.lastIndexOf(".") + 1))}`;
      // Keyed by the column, so the planner orders it by the column's dependencies: a "drop" (of
      // the default, not of data: hence not the columns category) before the function's drop.
      const on = { key: object.key, category: phase === "drop" ? ("functions" as const) : ("columns" as const) };
      return statementOf(on, phase === "drop" ? `${column} DROP DEFAULT` : `${column} SET DEFAULT ${String(object.props.default)}`, phase === "drop" ? "drop" : "alter", ["recreates"]);
    });
}

const inCatalog = hasObject;

export const diffFunction: Differ = (change, context) => {
  const { from, to } = change;
  // The planner drops and creates again a function CREATE OR REPLACE cannot change: one call each.
  if (from && !to) {
    const recreated = inCatalog(context.to, change.key);
    return { statements: [...(recreated ? dependentDefaults(change, context, "drop") : []), statementOf(change, `DROP ${noun(change.key)} ${nameSql(from.facts, change.key)}`, "drop", recreated ? ["recreates"] : [])] };
  }
  if (!from && to) return { statements: [...created(change, to, context, false), ...(inCatalog(context.from, change.key) ? dependentDefaults(change, context, "create") : [])] };
  if (!from || !to) return { statements: [] };
  if (needsRecreate(from, to)) {
    return { statements: [statementOf(change, `DROP ${noun(change.key)} ${nameSql(from.facts, change.key)}`, "drop", ["recreates"]), ...created(change, to, context, true)] };
  }
  const statements: DiffStatement[] = [];
  const { owner: _owner, ...props } = to.object.props;
  const { owner: previousOwner, ...previousProps } = from.object.props;
  if (JSON.stringify(props) !== JSON.stringify(previousProps) || from.facts.definition !== to.facts.definition) {
    const security = from.object.props.securityDefiner !== to.object.props.securityDefiner || to.object.props.securityDefiner ? (["changes-security"] as const) : [];
    statements.push(statementOf(change, definitionOf(change, to), "alter", [...security]));
  }
  statements.push(...ownerChange(change, to, previousOwner));
  return { statements };
};

export const functionDiffers = { functions: diffFunction };
