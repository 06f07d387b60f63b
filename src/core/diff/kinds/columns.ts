/**
 * Columns of existing tables (and attributes of composite types): added, dropped (refused
 * unless allowDrop), and altered in place: type (with USING; a narrowing change is refused unless
 * allowDrop), default, not null, identity, generated expression. Columns of a table created
 * whole are in its CREATE TABLE.
 */
import type { DiffStatement, Differ, Hazard, ObjectChange } from "../types.js";
import { collationSql, columnDefinition, identityClause } from "./column-sql.js";
import { changed, statement } from "./statement.js";
import { isWidening } from "./type-widening.js";

export const columnsDiffer: Differ = (change, context) => {
  const side = (change.to ?? change.from)!;
  const ownerKey = side.facts.table ?? "";
  const owner = (change.to ? context.to : context.from).facts[ownerKey]?.sql ?? ownerKey;
  const isType = ownerKey.startsWith("type ");
  const alter = isType ? `ALTER TYPE ${owner}` : `ALTER TABLE ${owner}`;
  const noun = isType ? "ATTRIBUTE" : "COLUMN";
  if (!change.to) return { statements: [statement(change, "drop", `${alter} DROP ${noun} ${side.facts.sql};`)] };
  const props = change.to.object.props;
  if (!change.from) {
    const definition = isType ? `${side.facts.sql} ${String(props.type)}${typeof props.collation === "string" ? ` COLLATE ${collationSql(props.collation)}` : ""}` : columnDefinition(change.to.object, change.to.facts, context.to);
    const hazards: Hazard[] = !isType && props.notnull && props.default === null && props.identity === null ? ["locks-table"] : [];
    return { statements: [statement(change, "create", `${alter} ADD ${noun} ${definition};`, { hazards })] };
  }
  return alterColumn(change, context.to, alter, noun, isType);
};

function alterColumn(change: ObjectChange, to: Parameters<Differ>[1]["to"], alter: string, noun: string, isType: boolean): ReturnType<Differ> {
  const before = change.from!.object.props;
  const after = change.to!.object.props;
  const column = `${alter} ALTER ${noun} ${change.to!.facts.sql}`;
  const statements: DiffStatement[] = [];
  const add = (sql: string, hazards: Hazard[] = []) => statements.push(statement(change, "alter", `${sql};`, { hazards }));
  if (changed(change, "generated") && after.generated !== "s") {
    add(`${column} DROP EXPRESSION`);
  } else if (changed(change, "generated")) {
    return { statements: [], unsupported: [{ key: change.key, reason: "an existing column cannot become generated: drop it and add it again" }] };
  }
  const identityGone = changed(change, "identity") && !after.identity;
  if (identityGone) add(`${column} DROP IDENTITY`);
  if (!before.generated && !before.identity && before.default !== null && (after.default === null || after.generated || after.identity || changed(change, "type"))) {
    if (changed(change, "default") || changed(change, "type")) add(`${column} DROP DEFAULT`);
  }
  if (changed(change, "type") || changed(change, "collation")) {
    const type = String(after.type);
    const collate = typeof after.collation === "string" ? ` COLLATE ${collationSql(after.collation)}` : "";
    const using = isType ? "" : ` USING ${change.to!.facts.sql}::${type}`;
    const hazards: Hazard[] = isWidening(String(before.type), type) ? ["rewrites-table"] : ["rewrites-table", "narrows-type"];
    add(`${column} TYPE ${type}${collate}${using}`, changed(change, "type") ? hazards : ["rewrites-table"]);
  }
  if (after.generated === "s" && before.generated === "s" && changed(change, "default")) add(`${column} SET EXPRESSION AS (${String(after.default)})`, ["rewrites-table"]);
  else if (!after.generated && !after.identity && typeof after.default === "string" && (changed(change, "default") || changed(change, "type") || before.identity || before.generated)) add(`${column} SET DEFAULT ${after.default}`);
  // Before an identity is added: it needs the column NOT NULL.
  if (changed(change, "notnull")) add(`${column} ${after.notnull ? "SET" : "DROP"} NOT NULL`, after.notnull ? ["locks-table"] : []);
  if (after.identity && !before.identity) add(`${column} ADD ${identityClause(String(after.identity), change.to!.facts, to)}`);
  else if (after.identity && changed(change, "identity")) add(`${column} SET GENERATED ${after.identity === "a" ? "ALWAYS" : "BY DEFAULT"}`);
  return { statements };
}
