/**
 * Sequences: CREATE SEQUENCE with its options, then OWNED BY once the column exists; changed
 * options with ALTER SEQUENCE. An identity column's sequence is created and dropped with its
 * column; its options change through ALTER TABLE ... ALTER COLUMN. A sequence owned by a column
 * that is dropped goes with it.
 */
import type { CatalogObject } from "../../catalog.js";
import type { DiffContext, DiffStatement, Differ, ObjectChange } from "../types.js";
import { sequenceOptions } from "./column-sql.js";
import { changed, literal, statement } from "./statement.js";

type Side = NonNullable<ObjectChange["from"]>;

/** `OWNED BY public.t.c` (or NONE), after the column's table exists. */
function ownedBy(change: ObjectChange, to: Side, context: DiffContext): DiffStatement {
  const owner = to.object.props.ownedBy;
  if (typeof owner !== "string") return statement(change, "alter", `ALTER SEQUENCE ${to.facts.sql} OWNED BY NONE;`);
  const column = `column ${owner}`;
  const table = context.to.facts[column]?.table ?? "";
  const target = `${context.to.facts[table]?.sql ?? table.slice(6)}.${context.to.facts[column]?.sql ?? owner.slice(owner.lastIndexOf(".") + 1)}`;
  return statement(change, "alter", `ALTER SEQUENCE ${to.facts.sql} OWNED BY ${target};`, { after: [table, column] });
}

const OPTIONS: [string, string][] = [["start", "START WITH"], ["increment", "INCREMENT BY"], ["min", "MINVALUE"], ["max", "MAXVALUE"]];

function changedOptions(change: ObjectChange, props: CatalogObject["props"], withType: boolean): string[] {
  const options = withType && changed(change, "type") ? [`AS ${String(props.type)}`] : [];
  for (const [prop, sql] of OPTIONS) if (changed(change, prop) && props[prop] !== null) options.push(`${sql} ${String(props[prop])}`);
  if (changed(change, "cycle")) options.push(props.cycle ? "CYCLE" : "NO CYCLE");
  return options;
}

export const sequencesDiffer: Differ = (change, context) => {
  const { from, to } = change;
  if (!to) {
    const owner = from!.object.props.ownedBy;
    if (typeof owner === "string" && context.droppedWhole(`column ${owner}`)) return { statements: [] };
    return { statements: [statement(change, "drop", `DROP SEQUENCE ${from!.facts.sql};`)] };
  }
  const props = to.object.props;
  if (!from) {
    const create = statement(change, "create", `CREATE SEQUENCE ${to.facts.sql} AS ${String(props.type)} ${sequenceOptions(props)};`);
    // A new table writes OWNED BY itself, before its owner changes.
    const ownerTable = typeof props.ownedBy === "string" ? context.to.facts[`column ${props.ownedBy}`]?.table : undefined;
    const byTable = ownerTable !== undefined && context.createdWhole(ownerTable);
    return { statements: typeof props.ownedBy === "string" && !byTable ? [create, ownedBy(change, to, context)] : [create] };
  }
  const identityOf = to.facts.extra?.identityOf;
  const wasIdentityOf = from.facts.extra?.identityOf;
  if (typeof identityOf === "string" && typeof wasIdentityOf !== "string") return { statements: serialToIdentity(change, from, context) };
  if (typeof wasIdentityOf === "string" && typeof identityOf !== "string") return { statements: identityToSerial(change, to, wasIdentityOf, context) };
  if (typeof identityOf === "string") {
    // The column's type change retypes its sequence; the other options change through the column.
    const column = context.to.facts[identityOf];
    const options = changedOptions(change, props, false).map((o) => `SET ${o}`);
    if (options.length === 0 || !column?.table) return { statements: [] };
    const table = context.to.facts[column.table]?.sql ?? column.table;
    return { statements: [statement(change, "alter", `ALTER TABLE ${table} ALTER COLUMN ${column.sql} ${options.join(" ")};`, { after: [identityOf] })] };
  }
  const statements: DiffStatement[] = [];
  const options = changedOptions(change, props, true);
  // A raised minimum or lowered maximum fails if the sequence's current value is outside it.
  const narrows = Number(props.min) > Number(from.object.props.min) || Number(props.max) < Number(from.object.props.max) || changed(change, "type");
  if (options.length > 0) statements.push(statement(change, "alter", `ALTER SEQUENCE ${to.facts.sql} ${options.join(" ")};`, { hazards: narrows ? ["narrows-type"] : [] }));
  const ownerTable = typeof props.ownedBy === "string" ? context.to.facts[`column ${props.ownedBy}`]?.table : undefined;
  if (changed(change, "ownedBy") && !(ownerTable !== undefined && context.createdWhole(ownerTable))) statements.push(ownedBy(change, to, context));
  return { statements };
};

/** `table.column` as SQL, for the column a sequence belongs to in `model`. */
function columnTarget(model: DiffContext["to"], columnKey: string): { table: string; column: string } {
  const column = model.facts[columnKey];
  return { table: model.facts[column?.table ?? ""]?.sql ?? "", column: column?.sql ?? "" };
}

/** A serial's sequence gives way to an identity of the same name: the column's differ then adds the identity, numbering on. */
function serialToIdentity(change: ObjectChange, from: Side, context: DiffContext): DiffStatement[] {
  const owner = from.object.props.ownedBy;
  const statements: DiffStatement[] = [];
  if (typeof owner === "string") {
    const { table, column } = columnTarget(context.from, `column ${owner}`);
    statements.push(statement(change, "alter", `ALTER TABLE ${table} ALTER COLUMN ${column} DROP DEFAULT;`));
  }
  statements.push(statement(change, "alter", `DROP SEQUENCE ${from.facts.sql};`));
  return statements;
}

/** An identity becomes a plain sequence of the same name (a serial): the column's default then uses it, numbering on. */
function identityToSerial(change: ObjectChange, to: Side, columnKey: string, context: DiffContext): DiffStatement[] {
  const { table, column } = columnTarget(context.from, columnKey);
  const props = to.object.props;
  const statements = [
    statement(change, "alter", `ALTER TABLE ${table} ALTER COLUMN ${column} DROP IDENTITY;`),
    statement(change, "create", `CREATE SEQUENCE ${to.facts.sql} AS ${String(props.type)} ${sequenceOptions(props)};`),
  ];
  if (typeof props.ownedBy === "string") statements.push(ownedBy(change, to, context));
  const target = columnTarget(context.to, `column ${String(props.ownedBy ?? "")}`);
  if (target.table) statements.push(statement(change, "alter", `SELECT setval(${literal(to.facts.sql)}, coalesce(max(${target.column}), 0) + 1, false) FROM ${target.table};`, { after: [`column ${String(props.ownedBy)}`] }));
  return statements;
}
