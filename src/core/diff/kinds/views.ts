/**
 * Views and materialized views. A view changes with CREATE OR REPLACE VIEW where Postgres allows
 * it (the same leading columns, with the same types, and new ones only at the end); otherwise it
 * is dropped and created again (hazard `recreates`), with its grants, comments, triggers and rules.
 * A materialized view has no OR REPLACE: any change recreates it, and its indexes with it. Options
 * (security_invoker, security_barrier, check_option) alone change with ALTER VIEW SET/RESET.
 */
import type { DiffContext, DiffStatement, Differ, ObjectChange } from "../types.js";
import { extraList, ident, nameSql, statementOf } from "./code-sql.js";
import { revokeDefaultGrants } from "./privileges-defaults.js";
import { restoreAttached } from "./restore.js";

type Side = NonNullable<ObjectChange["from"]>;

const isMaterialized = (side: Side) => side.object.props.kind === "materialized view";
const noun = (side: Side) => (isMaterialized(side) ? "MATERIALIZED VIEW" : "VIEW");
const optionsOf = (side: Side): string[] => (Array.isArray(side.object.props.options) ? side.object.props.options : []);

/** The view's query, without pg_get_viewdef's trailing semicolon. */
function queryOf(side: Side): string {
  const definition = side.facts.definition ?? (typeof side.object.props.definition === "string" ? side.object.props.definition : "");
  return definition.trim().replace(/;$/, "");
}

function createSql(change: ObjectChange, side: Side, replace: boolean): string {
  const options = optionsOf(side);
  const withOptions = options.length > 0 ? ` WITH (${options.join(", ")})` : "";
  const create = replace ? "CREATE OR REPLACE" : "CREATE";
  return `${create} ${noun(side)} ${nameSql(side.facts, change.key)}${withOptions} AS\n${queryOf(side)}${isMaterialized(side) ? "\nWITH DATA" : ""};`;
}

/** Whether CREATE OR REPLACE VIEW can turn `from` into `to`: `from`'s columns, unchanged, lead `to`'s. */
export function replaceable(from: Side, to: Side): boolean {
  if (isMaterialized(from) || isMaterialized(to)) return false;
  const before = extraList(from.facts, "columns");
  const after = extraList(to.facts, "columns");
  return before.length > 0 && before.length <= after.length && before.every((column, i) => after[i] === column);
}

function ownerSql(change: ObjectChange, side: Side, previous: unknown): DiffStatement[] {
  const owner = side.object.props.owner;
  if (typeof owner !== "string" || owner === previous) return [];
  return [statementOf(change, `ALTER ${noun(side)} ${nameSql(side.facts, change.key)} OWNER TO ${ident(owner)}`, "alter")];
}

/** ALTER VIEW SET for options added or changed, RESET for those taken away. */
function optionChanges(change: ObjectChange, from: Side, to: Side): DiffStatement[] {
  const value = (options: string[]) => new Map(options.map((option) => [option.slice(0, option.indexOf("=")), option]));
  const before = value(optionsOf(from));
  const after = value(optionsOf(to));
  const set = [...after].filter(([name, option]) => before.get(name) !== option).map(([, option]) => option);
  const reset = [...before.keys()].filter((name) => !after.has(name));
  const target = `ALTER ${noun(to)} ${nameSql(to.facts, change.key)}`;
  const security = [...set, ...reset].some((option) => option.startsWith("security_")) ? (["changes-security"] as const) : [];
  return [
    ...(reset.length > 0 ? [statementOf(change, `${target} RESET (${reset.join(", ")})`, "alter", [...security])] : []),
    ...(set.length > 0 ? [statementOf(change, `${target} SET (${set.join(", ")})`, "alter", [...security])] : []),
  ];
}

function recreate(change: ObjectChange, from: Side, to: Side, context: DiffContext): DiffStatement[] {
  return [
    statementOf(change, `DROP ${noun(from)} ${nameSql(from.facts, change.key)}`, "drop", ["recreates"]),
    statementOf(change, createSql(change, to, false), "create", ["recreates"]),
    ...ownerSql(change, to, undefined),
    ...restoreAttached(context, change, `TABLE ${nameSql(to.facts, change.key)}`),
  ];
}

/** Whether a changed view or materialized view is dropped and created again rather than replaced or altered. */
export function viewRecreated(from: Side, to: Side): boolean {
  const queryChanged = queryOf(from) !== queryOf(to) || JSON.stringify(extraList(from.facts, "columns")) !== JSON.stringify(extraList(to.facts, "columns"));
  return isMaterialized(from) !== isMaterialized(to) || (queryChanged && !replaceable(from, to));
}

export const diffView: Differ = (change, context) => {
  const { from, to } = change;
  if (from && !to) return { statements: [statementOf(change, `DROP ${noun(from)} ${nameSql(from.facts, change.key)}`, "drop")] };
  // Created, or created again by the planner (which writes its grants, comments and indexes again as their own changes).
  if (!from && to) return { statements: [statementOf(change, createSql(change, to, false), "create"), ...ownerSql(change, to, undefined), ...revokeDefaultGrants(context, change, `TABLE ${nameSql(to.facts, change.key)}`)] };
  if (!from || !to) return { statements: [] };
  const queryChanged = queryOf(from) !== queryOf(to) || JSON.stringify(extraList(from.facts, "columns")) !== JSON.stringify(extraList(to.facts, "columns"));
  if (viewRecreated(from, to)) return { statements: recreate(change, from, to, context) };
  // CREATE OR REPLACE VIEW sets the options it is given and resets the others.
  const statements = queryChanged ? [statementOf(change, createSql(change, to, true), "alter")] : optionChanges(change, from, to);
  return { statements: [...statements, ...ownerSql(change, to, from.object.props.owner)] };
};

export const viewDiffers = { views: diffView };
