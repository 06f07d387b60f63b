/**
 * Indexes (those a constraint owns come with the constraint; a partition's come with its parent's).
 * On a table that exists before the change, with `online`, built and dropped CONCURRENTLY in the
 * no-transaction part; a changed definition is a drop and a create.
 */
import type { DiffContext, DiffStatement, Differ, ObjectChange } from "../types.js";
import { reparsable } from "./reparse.js";
import { statement } from "./statement.js";

type Side = NonNullable<ObjectChange["from"]>;

/** Whether the index can be built or dropped CONCURRENTLY here: online, on a kept plain table. */
function concurrently(side: Side, context: DiffContext, model: DiffContext["to"]): boolean {
  const table = side.facts.table ?? "";
  const partitioned = typeof model.catalog.objects.find((o) => o.key === table)?.props.partitionKey === "string";
  return context.options.online && context.existedBefore(table) && !partitioned && !/ ON ONLY /.test(String(side.object.props.definition));
}

function create(change: ObjectChange, to: Side, context: DiffContext, hazards: DiffStatement["hazards"]): DiffStatement {
  // ON ONLY (how a partitioned table's index prints) would leave its partitions without one.
  const definition = reparsable(String(to.object.props.definition)).replace(/ ON ONLY /, " ON ");
  if (concurrently(to, context, context.to)) return statement(change, "create", `${definition.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX CONCURRENTLY ")};`, { phase: "no-transaction", hazards });
  const locks: DiffStatement["hazards"] = context.existedBefore(to.facts.table ?? "") ? ["locks-table"] : [];
  return statement(change, "create", `${definition};`, { hazards: [...hazards, ...locks] });
}

function drop(change: ObjectChange, from: Side, context: DiffContext, hazards: DiffStatement["hazards"]): DiffStatement {
  if (concurrently(from, context, context.from)) return statement(change, "drop", `DROP INDEX CONCURRENTLY ${from.facts.sql};`, { phase: "no-transaction", hazards });
  return statement(change, "drop", `DROP INDEX ${from.facts.sql};`, { hazards });
}

export const indexesDiffer: Differ = (change, context) => {
  const { from, to } = change;
  if (!to) return { statements: [drop(change, from!, context, [])] };
  if (!from) return { statements: [create(change, to, context, [])] };
  if (from.object.props.definition === to.object.props.definition) return { statements: [] }; // validity alone: rebuilt by nothing we write
  return { statements: [drop(change, from, context, ["recreates"]), create(change, to, context, ["recreates"])] };
};
