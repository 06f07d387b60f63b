/**
 * Policies: CREATE POLICY; ALTER POLICY for roles, USING and WITH CHECK where the change allows
 * it; DROP and CREATE when the command or permissive/restrictive changes, or a clause is taken
 * away (ALTER POLICY cannot remove one). A policy on a dropped table goes with it.
 */
import type { Differ, ObjectChange } from "../types.js";
import { partName, roleSql, statementOf, tableSql } from "./code-sql.js";
import { tableGone } from "./triggers.js";

type Side = NonNullable<ObjectChange["from"]>;

const text = (value: unknown) => (typeof value === "string" ? value : null);
const rolesOf = (side: Side) => (Array.isArray(side.object.props.roles) ? side.object.props.roles : ["public"]).map(roleSql).join(", ");
const tableOf = (side: Side) => tableSql(side.facts);
const policyName = (change: ObjectChange, side: Side) => partName(side.facts, change.key);

function createSql(change: ObjectChange, side: Side): string {
  const p = side.object.props;
  const using = text(p.using) === null ? "" : `\n  USING (${p.using})`;
  const check = text(p.withCheck) === null ? "" : `\n  WITH CHECK (${p.withCheck})`;
  return `CREATE POLICY ${policyName(change, side)} ON ${tableOf(side)} AS ${String(p.permissive ?? "PERMISSIVE").toUpperCase()} FOR ${String(p.command ?? "ALL").toUpperCase()} TO ${rolesOf(side)}${using}${check};`;
}

const dropSql = (change: ObjectChange, side: Side) => `DROP POLICY ${policyName(change, side)} ON ${tableOf(side)}`;

export const diffPolicy: Differ = (change, context) => {
  const { from, to } = change;
  const hazards = ["changes-security" as const];
  if (from && !to) return { statements: tableGone(change, context) ? [] : [statementOf(change, dropSql(change, from), "drop", hazards)] };
  if (!to) return { statements: [] };
  if (!from) return { statements: [statementOf(change, createSql(change, to), "create", hazards)] };
  const [a, b] = [from.object.props, to.object.props];
  const clauseRemoved = (text(a.using) !== null && text(b.using) === null) || (text(a.withCheck) !== null && text(b.withCheck) === null);
  if (a.permissive !== b.permissive || a.command !== b.command || clauseRemoved) {
    return { statements: [statementOf(change, dropSql(change, from), "drop", hazards), statementOf(change, createSql(change, to), "create", hazards)] };
  }
  const parts = [
    JSON.stringify(a.roles) !== JSON.stringify(b.roles) ? ` TO ${rolesOf(to)}` : "",
    a.using !== b.using ? `\n  USING (${b.using})` : "",
    a.withCheck !== b.withCheck ? `\n  WITH CHECK (${b.withCheck})` : "",
  ].join("");
  return { statements: parts ? [statementOf(change, `ALTER POLICY ${policyName(change, to)} ON ${tableOf(to)}${parts}`, "alter", hazards)] : [] };
};

export const policyDiffers = { policies: diffPolicy };
