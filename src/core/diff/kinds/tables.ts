/**
 * Tables: CREATE TABLE with its columns in order (identity, generated, collation, defaults),
 * unlogged, partitioned by or partition of, inheriting (inheritance.ts), storage options; then
 * replica identity and owner.
 * Changes of those properties are ALTER TABLE; a drop is DROP TABLE (refused unless allowDrop).
 */
import type { CatalogObject } from "../../catalog.js";
import type { DiffContext, DiffStatement, Differ, ObjectChange } from "../types.js";
import { columnDefinition, columnsOf } from "./column-sql.js";
import { inheritanceChanges, inheritsClause } from "./inheritance.js";
import { sequencesOwnedBy } from "./model-index.js";
import { revokeDefaultGrants } from "./privileges-defaults.js";
import { changed, ident, statement } from "./statement.js";

export const tablesDiffer: Differ = (change, context) => {
  const name = (change.to ?? change.from)!.facts.sql;
  const kind = (change.to ?? change.from)!.object.props.kind;
  if (kind === "foreign table") return { statements: [], unsupported: [{ key: change.key, reason: "dbkit diff does not write foreign tables" }] };
  if (!change.to) return { statements: [statement(change, "drop", `DROP TABLE ${name};`)] };
  if (!change.from) return { statements: [createTable(change, context), ...ownedSequences(change, context), ...settings(change, context, true), ...revokeDefaultGrants(context, change, `TABLE ${name}`)] };
  const statements: DiffStatement[] = [];
  const before = change.from.object.props;
  const after = change.to.object.props;
  if (changed(change, "partitionKey")) return { statements: [], unsupported: [{ key: change.key, reason: "the partition key of an existing table cannot change" }] };
  if (changed(change, "unlogged")) statements.push(statement(change, "alter", `ALTER TABLE ${name} SET ${after.unlogged ? "UNLOGGED" : "LOGGED"};`, { hazards: ["rewrites-table"] }));
  if (changed(change, "options")) {
    const old = (before.options as string[] | null) ?? [];
    const now = (after.options as string[] | null) ?? [];
    const reset = old.map(optionName).filter((o) => !now.some((n) => optionName(n) === o));
    if (reset.length > 0) statements.push(statement(change, "alter", `ALTER TABLE ${name} RESET (${reset.join(", ")});`));
    const set = now.filter((o) => !old.includes(o));
    if (set.length > 0) statements.push(statement(change, "alter", `ALTER TABLE ${name} SET (${set.join(", ")});`));
  }
  if (changed(change, "partitionOf") || changed(change, "partitionBound")) {
    if (typeof before.partitionOf === "string") statements.push(statement(change, "alter", `ALTER TABLE ${tableSql(context, before.partitionOf, true)} DETACH PARTITION ${name};`));
    if (typeof after.partitionOf === "string") statements.push(statement(change, "alter", `ALTER TABLE ${tableSql(context, after.partitionOf)} ATTACH PARTITION ${name} ${String(after.partitionBound)};`, { hazards: ["locks-table"] }));
  }
  return { statements: [...statements, ...inheritanceChanges(change, context), ...settings(change, context, false)] };
};

function optionName(option: string): string {
  return option.slice(0, option.indexOf("=") >= 0 ? option.indexOf("=") : undefined);
}

function tableSql(context: DiffContext, name: string, before = false): string {
  const model = before ? context.from : context.to;
  return model.facts[`table ${name}`]?.sql ?? name;
}

function createTable(change: ObjectChange, context: DiffContext): DiffStatement {
  const to = change.to!;
  const props = to.object.props;
  const unlogged = props.unlogged ? "UNLOGGED " : "";
  const options = Array.isArray(props.options) && props.options.length > 0 ? ` WITH (${props.options.join(", ")})` : "";
  const partitionBy = typeof props.partitionKey === "string" ? ` PARTITION BY ${props.partitionKey}` : "";
  if (typeof props.partitionOf === "string") {
    return statement(change, "create", `CREATE ${unlogged}TABLE ${to.facts.sql} PARTITION OF ${tableSql(context, props.partitionOf)} ${String(props.partitionBound)}${partitionBy}${options};`);
  }
  // A child's inherited columns come with INHERITS; a column it also declares itself is listed (its own default, NOT NULL).
  const inherits = inheritsClause(context, to.object);
  const columns = columnsOf(context.to, change.key)
    .filter((c) => !inherits || context.to.facts[c.key]?.extra?.inherited !== true)
    .map((c: CatalogObject) => `  ${columnDefinition(c, context.to.facts[c.key]!, context.to)}`);
  return statement(change, "create", `CREATE ${unlogged}TABLE ${to.facts.sql} (${columns.length > 0 ? `\n${columns.join(",\n")}\n` : ""})${inherits}${partitionBy}${options};`);
}

/** Replica identity and owner: after the table (and the index replica identity names). */
function settings(change: ObjectChange, context: DiffContext, created: boolean): DiffStatement[] {
  const name = change.to!.facts.sql;
  const props = change.to!.object.props;
  const statements: DiffStatement[] = [];
  if (created ? props.replicaIdentity !== null && props.replicaIdentity !== undefined : changed(change, "replicaIdentity")) {
    const identity = typeof props.replicaIdentity === "string" ? props.replicaIdentity : "default";
    const [mode = "default", index] = identity.split(" ");
    const schema = change.key.slice(6).split(".")[0];
    const indexKey = index ? `index ${schema}.${index}` : undefined;
    const sql = index ? `USING INDEX ${ident(index)}` : mode.toUpperCase();
    const constraint = indexKey ? context.to.facts[indexKey]?.extra?.constraint : undefined;
    const after = indexKey ? [typeof constraint === "string" ? constraint : indexKey] : undefined;
    statements.push(statement(change, "alter", `ALTER TABLE ${name} REPLICA IDENTITY ${sql};`, after ? { after } : {}));
  }
  if (typeof props.owner === "string" && (created || changed(change, "owner"))) statements.push(statement(change, "alter", `ALTER TABLE ${name} OWNER TO ${props.owner};`));
  return statements;
}

/**
 * OWNED BY for the sequences a new table's columns own, written with the table and before its
 * owner changes: a new owner passes to the table's sequences, which must share it.
 */
function ownedSequences(change: ObjectChange, context: DiffContext): DiffStatement[] {
  return sequencesOwnedBy(context.to, change.key).map((sequence) => {
    const column = context.to.facts[`column ${String(sequence.props.ownedBy)}`]!;
    return statement(change, "alter", `ALTER SEQUENCE ${context.to.facts[sequence.key]?.sql ?? sequence.key.slice(9)} OWNED BY ${change.to!.facts.sql}.${column.sql};`, { after: [sequence.key] });
  });
}
