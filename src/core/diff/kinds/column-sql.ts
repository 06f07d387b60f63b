/** A column's definition as CREATE TABLE and ADD COLUMN write it, from its catalog properties. */
import type { CatalogObject } from "../../catalog.js";
import type { ObjectFacts, SchemaModel } from "../types.js";
import { ident } from "./statement.js";

export { columnsOf } from "./model-index.js";

/** The catalog prints a collation's name raw (`C`, `public.my_coll` with the schema quoted where needed). */
export function collationSql(collation: string): string {
  const dot = collation.lastIndexOf(".");
  return dot < 0 || collation.startsWith('"') && !collation.slice(0, dot).endsWith('"') ? ident(collation) : `${collation.slice(0, dot)}.${ident(collation.slice(dot + 1))}`;
}

/** `"Name" type COLLATE x GENERATED ... NOT NULL` (no trailing comma). */
export function columnDefinition(object: CatalogObject, facts: ObjectFacts, model: SchemaModel): string {
  const { type, collation, notnull, identity, generated } = object.props;
  const value = object.props.default;
  const parts = [facts.sql, String(type)];
  if (typeof collation === "string") parts.push(`COLLATE ${collationSql(collation)}`);
  if (generated === "s" && typeof value === "string") parts.push(`GENERATED ALWAYS AS (${value}) STORED`);
  else if (identity === "a" || identity === "d") parts.push(identityClause(identity, facts, model));
  else if (typeof value === "string") parts.push(`DEFAULT ${value}`);
  if (notnull && identity !== "a" && identity !== "d") parts.push("NOT NULL");
  return parts.join(" ");
}

/** `GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME ... START WITH ...)`, with the sequence's own options. */
export function identityClause(identity: string, facts: ObjectFacts, model: SchemaModel): string {
  const head = `GENERATED ${identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY`;
  const sequenceKey = facts.extra?.identitySequence;
  const sequence = typeof sequenceKey === "string" ? model.catalog.objects.find((o) => o.key === sequenceKey) : undefined;
  if (!sequence || typeof sequenceKey !== "string") return head;
  return `${head} (SEQUENCE NAME ${model.facts[sequenceKey]?.sql ?? sequenceKey.slice(9)} ${sequenceOptions(sequence.props)})`;
}

/** `START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9 NO CYCLE`, as read. */
export function sequenceOptions(props: CatalogObject["props"]): string {
  const option = (sql: string, value: unknown) => (value === null || value === undefined ? [] : [`${sql} ${String(value)}`]);
  return [...option("START WITH", props.start), ...option("INCREMENT BY", props.increment), ...option("MINVALUE", props.min), ...option("MAXVALUE", props.max), props.cycle ? "CYCLE" : "NO CYCLE"].join(" ");
}
