/**
 * Range types: created whole with `CREATE TYPE ... AS RANGE (...)`, which also makes their
 * constructor functions and (Postgres 14+) their multirange type, so neither is ever written on
 * its own. Postgres cannot alter a range's definition: only a renamed multirange is written
 * (`ALTER TYPE ... RENAME TO`); any other change is listed as one dbkit cannot write.
 */
import type { DiffStatement, Differ, ObjectChange } from "../types.js";
import { collationSql } from "./column-sql.js";
import { changed, statement } from "./statement.js";

type Side = NonNullable<ObjectChange["from"]>;

/** A qualified name as the catalog prints it (`public.x`, `pg_catalog` ones bare), quoted for SQL where needed. */
const qualifiedSql = collationSql;

/** `CREATE TYPE public.span AS RANGE (SUBTYPE = integer, ...)`, or why it cannot be written. */
export function createRange(change: ObjectChange, to: Side): DiffStatement | { key: string; reason: string } {
  const props = to.object.props;
  // A canonical function takes the range type itself: it needs a shell type and a function in C first.
  if (typeof props.canonical === "string") return { key: change.key, reason: "a range type with a canonical function needs a shell type and a C function first: write it by hand" };
  const options = [`SUBTYPE = ${String(props.subtype)}`];
  if (typeof props.opclass === "string") options.push(`SUBTYPE_OPCLASS = ${qualifiedSql(props.opclass)}`);
  if (typeof props.collation === "string") options.push(`COLLATION = ${collationSql(props.collation)}`);
  if (typeof props.subtypeDiff === "string") options.push(`SUBTYPE_DIFF = ${props.subtypeDiff}`);
  if (typeof props.multirange === "string") options.push(`MULTIRANGE_TYPE_NAME = ${props.multirange}`);
  return statement(change, "create", `CREATE TYPE ${to.facts.sql} AS RANGE (${options.join(", ")});`);
}

/** An existing range type whose definition differs: its multirange renamed, or unsupported. */
export function alterRange(change: ObjectChange, from: Side, owner: DiffStatement[]): ReturnType<Differ> {
  const definition = ["subtype", "opclass", "collation", "canonical", "subtypeDiff"].filter((prop) => changed(change, prop));
  const statements = [...owner];
  if (changed(change, "multirange")) {
    const [before, after] = [from.object.props.multirange, change.to!.object.props.multirange];
    const schemaOf = (name: string) => name.slice(0, name.lastIndexOf("."));
    if (typeof before === "string" && typeof after === "string" && schemaOf(before) === schemaOf(after) && !after.includes('"')) {
      statements.unshift(statement(change, "alter", `ALTER TYPE ${before} RENAME TO ${after.slice(after.lastIndexOf(".") + 1)};`));
    } else definition.push("multirange");
  }
  if (definition.length === 0) return { statements };
  return { statements, unsupported: [{ key: change.key, reason: `a range type's ${definition.join(", ")} cannot be altered: Postgres has no ALTER for it (drop and create the type by hand)` }] };
}
