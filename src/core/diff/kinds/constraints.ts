/**
 * Table constraints. Added with ADD CONSTRAINT; on a table that exists before the change, with
 * `online`: a check or foreign key is added NOT VALID (a short lock) and validated in the
 * no-transaction part (no write lock while it scans), and a primary key or unique constraint is
 * built as a unique index CONCURRENTLY then attached with ADD CONSTRAINT ... USING INDEX. A
 * changed constraint is dropped and added again; only validation and a foreign key's
 * deferrability change in place.
 */
import type { DiffContext, DiffStatement, Differ, ObjectChange } from "../types.js";
import { indexOfConstraint } from "./model-index.js";
import { reparsable } from "./reparse.js";
import { changed, statement } from "./statement.js";

type Side = NonNullable<ObjectChange["from"]>;

const tableSql = (side: Side, model: DiffContext["to"]) => model.facts[side.facts.table ?? ""]?.sql ?? side.facts.table?.replace(/^table /, "") ?? "";
const typeOf = (side: Side) => String(side.object.props.type);
const definitionOf = (side: Side) => reparsable(String(side.object.props.definition));

export const constraintsDiffer: Differ = (change, context) => {
  const { from, to } = change;
  if (typeOf(to ?? from!) === "n") return { statements: [] }; // NOT NULL: the column's own property
  if (!to) return { statements: [dropConstraint(change, from!, context)] };
  if (!from) return { statements: addConstraint(change, to, context) };
  const onlyValidated = changed(change, "validated") && definitionOf(from).replace(/ NOT VALID$/, "") === definitionOf(to).replace(/ NOT VALID$/, "") && typeOf(from) === typeOf(to);
  if (onlyValidated && to.object.props.validated) {
    return { statements: [statement(change, "alter", `ALTER TABLE ${tableSql(to, context.to)} VALIDATE CONSTRAINT ${to.facts.sql};`, { phase: context.options.online ? "no-transaction" : "transaction" })] };
  }
  const deferrability = ["deferrable", "deferred"].some((p) => changed(change, p));
  if (typeOf(to) === "f" && typeOf(from) === "f" && deferrability && stripDeferral(definitionOf(from)) === stripDeferral(definitionOf(to)) && !changed(change, "validated")) {
    const clause = `${to.object.props.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE"} INITIALLY ${to.object.props.deferred ? "DEFERRED" : "IMMEDIATE"}`;
    return { statements: [statement(change, "alter", `ALTER TABLE ${tableSql(to, context.to)} ALTER CONSTRAINT ${to.facts.sql} ${clause};`)] };
  }
  return { statements: [dropConstraint(change, from, context, ["recreates"]), ...addConstraint(change, to, context, ["recreates"])] };
};

function stripDeferral(definition: string): string {
  return definition.replace(/ (NOT )?DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?/g, "");
}

function dropConstraint(change: ObjectChange, from: Side, context: DiffContext, hazards: DiffStatement["hazards"] = []): DiffStatement {
  return statement(change, "drop", `ALTER TABLE ${tableSql(from, context.from)} DROP CONSTRAINT ${from.facts.sql};`, { hazards });
}

function addConstraint(change: ObjectChange, to: Side, context: DiffContext, hazards: DiffStatement["hazards"] = []): DiffStatement[] {
  const table = tableSql(to, context.to);
  const definition = definitionOf(to);
  const online = context.options.online && context.existedBefore(to.facts.table ?? "");
  const type = typeOf(to);
  if (online && (type === "c" || type === "f")) {
    const notValid = definition.endsWith(" NOT VALID") ? definition : `${definition} NOT VALID`;
    const add = statement(change, "create", `ALTER TABLE ${table} ADD CONSTRAINT ${to.facts.sql} ${notValid};`, { hazards });
    if (!to.object.props.validated) return [add];
    return [add, statement(change, "alter", `ALTER TABLE ${table} VALIDATE CONSTRAINT ${to.facts.sql};`, { phase: "no-transaction", hazards })];
  }
  const index = constraintIndex(change.key, context);
  if (online && (type === "u" || type === "p") && index) {
    const build = index.replace(/^CREATE UNIQUE INDEX /, "CREATE UNIQUE INDEX CONCURRENTLY ");
    const kind = type === "p" ? "PRIMARY KEY" : "UNIQUE";
    const deferral = /( DEFERRABLE( INITIALLY (DEFERRED|IMMEDIATE))?)$/.exec(definition)?.[1] ?? "";
    return [
      statement(change, "create", `${build};`, { phase: "no-transaction", hazards }),
      statement(change, "create", `ALTER TABLE ${table} ADD CONSTRAINT ${to.facts.sql} ${kind} USING INDEX ${to.facts.sql}${deferral};`, { phase: "no-transaction", hazards }),
    ];
  }
  const locks: DiffStatement["hazards"] = context.existedBefore(to.facts.table ?? "") ? ["locks-table"] : [];
  return [statement(change, "create", `ALTER TABLE ${table} ADD CONSTRAINT ${to.facts.sql} ${definition};`, { hazards: [...hazards, ...locks] })];
}

/** The CREATE UNIQUE INDEX of the index a unique or primary key constraint owns in `to`, when it can be built alone. */
function constraintIndex(constraintKey: string, context: DiffContext): string | undefined {
  const index = indexOfConstraint(context.to, constraintKey);
  if (!index) return undefined;
  const definition = String(index.props.definition);
  // A partitioned table's index cannot be built CONCURRENTLY.
  return / ON ONLY /.test(definition) ? undefined : definition;
}
