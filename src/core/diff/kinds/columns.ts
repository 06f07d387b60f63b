/**
 * Columns of existing tables (and attributes of composite types): added, dropped (refused
 * unless allowDrop), and altered in place: type (with USING; a narrowing change is refused unless
 * allowDrop), default, not null, identity, generated expression. Columns of a table created
 * whole are in its CREATE TABLE.
 */
import type { DiffContext, DiffStatement, Differ, Hazard, ObjectChange, SchemaModel } from "../types.js";
import { collationSql, columnDefinition, identityClause } from "./column-sql.js";
import { changed, ident, literal, statement } from "./statement.js";
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
  return alterColumn(change, context, alter, noun, isType);
};

function alterColumn(change: ObjectChange, context: DiffContext, alter: string, noun: string, isType: boolean): ReturnType<Differ> {
  const to = context.to;
  const before = change.from!.object.props;
  const after = change.to!.object.props;
  const column = `${alter} ALTER ${noun} ${change.to!.facts.sql}`;
  const statements: DiffStatement[] = [];
  const add = (sql: string, hazards: Hazard[] = [], after?: string[]) => statements.push(statement(change, "alter", `${sql};`, { hazards, ...(after ? { after } : {}) }));
  // An identity whose sequence becomes a plain one (or a serial's that becomes an identity's) is switched by the sequences differ.
  const identitySequence = change.from!.facts.extra?.identitySequence ?? change.to!.facts.extra?.identitySequence;
  const switchedBySequence = typeof identitySequence === "string" && identitySequence in context.from.facts && identitySequence in context.to.facts;
  if (changed(change, "generated") && after.generated !== "s") {
    add(`${column} DROP EXPRESSION`);
  } else if (changed(change, "generated")) {
    return { statements: [], unsupported: [{ key: change.key, reason: "an existing column cannot become generated: drop it and add it again" }] };
  }
  const identityGone = changed(change, "identity") && !after.identity;
  if (identityGone && !switchedBySequence) add(`${column} DROP IDENTITY`);
  if (!before.generated && !before.identity && before.default !== null && (after.default === null || after.generated || after.identity || changed(change, "type"))) {
    if (changed(change, "default") || changed(change, "type")) add(`${column} DROP DEFAULT`);
  }
  if (changed(change, "type") || changed(change, "collation")) {
    const type = String(after.type);
    const collate = typeof after.collation === "string" ? ` COLLATE ${collationSql(after.collation)}` : "";
    // No cast leads from an enum to another type but through text.
    const viaText = isEnum(context.from, String(before.type)) || (isEnum(to, type) && !/^(text|character varying)/.test(String(before.type)));
    const using = isType ? "" : ` USING ${change.to!.facts.sql}::${viaText ? "text::" : ""}${type}`;
    const hazards: Hazard[] = isWidening(String(before.type), type) ? ["rewrites-table"] : ["rewrites-table", "narrows-type"];
    add(`${column} TYPE ${type}${collate}${using}`, changed(change, "type") ? hazards : ["rewrites-table"]);
  }
  if (after.generated === "s" && before.generated === "s" && changed(change, "default")) {
    // SET EXPRESSION is Postgres 17's; before, a stored generated column is added again (its values are computed, none lost).
    if ((context.from.serverVersion ?? 170000) >= 170000) add(`${column} SET EXPRESSION AS (${String(after.default)})`, ["rewrites-table"]);
    else if (!isType) {
      add(`${alter} DROP COLUMN ${change.to!.facts.sql}`, ["rewrites-table"]);
      add(`${alter} ADD COLUMN ${columnDefinition(change.to!.object, change.to!.facts, to)}`, ["rewrites-table"]);
    }
  }
  else if (!after.generated && !after.identity && typeof after.default === "string" && (changed(change, "default") || changed(change, "type") || before.identity || before.generated)) add(`${column} SET DEFAULT ${after.default}`);
  // Before an identity is added: it needs the column NOT NULL.
  if (changed(change, "notnull") && after.notnull && !isType && context.options.online && context.existedBefore(change.to!.facts.table ?? "")) statements.push(...setNotNullOnline(change, alter));
  else if (changed(change, "notnull")) add(`${column} ${after.notnull ? "SET" : "DROP"} NOT NULL`, after.notnull ? ["locks-table"] : []);
  if (after.identity && !before.identity) {
    add(`${column} ADD ${identityClause(String(after.identity), change.to!.facts, to)}`, [], switchedBySequence ? [identitySequence] : undefined);
    // A serial's numbering goes on in its identity.
    if (typeof before.default === "string" && before.default.startsWith("nextval(")) statements.push(continueNumbering(change, context, `pg_get_serial_sequence(${literal(context.to.facts[change.to!.facts.table ?? ""]?.sql ?? "")}, ${literal(change.to!.object.key.slice(change.to!.object.key.lastIndexOf(".") + 1))})`));
  }
  else if (after.identity && changed(change, "identity")) add(`${column} SET GENERATED ${after.identity === "a" ? "ALWAYS" : "BY DEFAULT"}`);
  return { statements };
}

function isEnum(model: SchemaModel, type: string): boolean {
  return model.catalog.objects.some((o) => o.category === "types" && o.key === `type ${type}` && o.props.kind === "enum");
}

/** `SELECT setval(<sequence>, max + 1, false) FROM <table>`: a new sequence for a column continues after its highest value. */
export function continueNumbering(change: ObjectChange, context: DiffContext, sequence: string): DiffStatement {
  const table = context.to.facts[change.to!.facts.table ?? ""]?.sql ?? "";
  return statement(change, "alter", `SELECT setval(${sequence}, coalesce(max(${change.to!.facts.sql}), 0) + 1, false) FROM ${table};`);
}

/**
 * SET NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK (c IS NOT NULL) added NOT VALID,
 * validated outside the transaction (no write lock while it scans), then SET NOT NULL, which
 * Postgres 12+ proves from the valid check without a scan, and the check dropped.
 */
function setNotNullOnline(change: ObjectChange, alter: string): DiffStatement[] {
  const column = change.to!.facts.sql;
  const name = ident(`${change.to!.object.key.slice(change.to!.object.key.lastIndexOf(".") + 1)}_not_null_dbkit`);
  const later = { phase: "no-transaction" as const };
  return [
    statement(change, "alter", `${alter} ADD CONSTRAINT ${name} CHECK (${column} IS NOT NULL) NOT VALID;`),
    statement(change, "alter", `${alter} VALIDATE CONSTRAINT ${name};`, later),
    statement(change, "alter", `${alter} ALTER COLUMN ${column} SET NOT NULL;`, later),
    statement(change, "alter", `${alter} DROP CONSTRAINT ${name};`, later),
  ];
}
