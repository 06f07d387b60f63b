/**
 * Types: enums (a new label is ADD VALUE BEFORE/AFTER, never a rebuild; a removed or reordered
 * label cannot be written), domains (default, not null and checks through ALTER DOMAIN),
 * composite types (attributes through the columns differ) and range types (range-types.ts). A
 * drop is refused unless allowDrop.
 * A new type gets the default privileges (PUBLIC's USAGE): those `to` lacks are revoked.
 */
import type { DiffStatement, Differ, ObjectChange, SchemaModel, Unsupported } from "../types.js";
import { collationSql, columnsOf } from "./column-sql.js";
import { revokeDefaultGrants } from "./privileges-defaults.js";
import { alterRange, createRange } from "./range-types.js";
import { reparsable } from "./reparse.js";
import { changed, ident, literal, statement } from "./statement.js";

type Side = NonNullable<ObjectChange["from"]>;

const kindOf = (side: Side) => String(side.object.props.kind);
const noun = (side: Side) => (kindOf(side) === "domain" ? "DOMAIN" : "TYPE");
const labelsOf = (side: Side) => (side.object.props.labels as string[] | undefined) ?? [];
/** Postgres 17 lists a domain's NOT NULL among its constraints; `notnull` says it already. */
const checksOf = (side: Side) => ((side.object.props.checks as string[] | undefined) ?? []).filter((c) => c !== "NOT NULL").map(reparsable);
const checkNames = (side: Side) => ((side.facts.extra?.checkNames as string[] | undefined) ?? []).filter((_, i) => ((side.object.props.checks as string[] | undefined) ?? [])[i] !== "NOT NULL");

export const typesDiffer: Differ = (change, context) => {
  const { from, to } = change;
  if (!to) return { statements: [statement(change, "drop", `DROP ${noun(from!)} ${from!.facts.sql};`)] };
  if (!from) {
    const created = createType(change, to, context.to);
    if (!("sql" in created)) return { statements: [], unsupported: [created] };
    return { statements: [created, ...ownerOf(change, to, undefined), ...revokeDefaultGrants(context, change, `${noun(to)} ${to.facts.sql}`)] };
  }
  if (kindOf(from) !== kindOf(to)) return { statements: [], unsupported: [{ key: change.key, reason: `a ${kindOf(from)} cannot become a ${kindOf(to)}` }] };
  const owner = ownerOf(change, to, from.object.props.owner);
  if (kindOf(to) === "enum") {
    const added = addedLabels(labelsOf(from), labelsOf(to));
    if (!added) return { statements: owner, unsupported: [{ key: change.key, reason: "an enum label was removed or reordered: Postgres can only add labels" }] };
    return { statements: [...added.map((sql) => statement(change, "alter", `ALTER TYPE ${to.facts.sql} ${sql};`)), ...owner] };
  }
  if (kindOf(to) === "domain") return alterDomain(change, from, to, owner);
  if (kindOf(to) === "range") return alterRange(change, from, owner);
  return { statements: owner };
};

function createType(change: ObjectChange, to: Side, model: SchemaModel): DiffStatement | Unsupported {
  const name = to.facts.sql;
  const props = to.object.props;
  if (kindOf(to) === "range") return createRange(change, to);
  if (kindOf(to) === "enum") return statement(change, "create", `CREATE TYPE ${name} AS ENUM (${labelsOf(to).map(literal).join(", ")});`);
  if (kindOf(to) === "domain") {
    const parts = [`CREATE DOMAIN ${name} AS ${String(props.base)}`];
    if (typeof props.default === "string") parts.push(`DEFAULT ${props.default}`);
    if (props.notnull) parts.push("NOT NULL");
    const names = checkNames(to);
    checksOf(to).forEach((check, i) => parts.push(names[i] ? `CONSTRAINT ${ident(names[i])} ${check}` : check));
    return statement(change, "create", `${parts.join(" ")};`);
  }
  const attributes = columnsOf(model, change.key).map((c) => `${model.facts[c.key]!.sql} ${String(c.props.type)}${typeof c.props.collation === "string" ? ` COLLATE ${collationSql(c.props.collation)}` : ""}`);
  return statement(change, "create", `CREATE TYPE ${name} AS (${attributes.join(", ")});`);
}

function ownerOf(change: ObjectChange, to: Side, previous: unknown): DiffStatement[] {
  const owner = to.object.props.owner;
  return typeof owner === "string" && owner !== previous ? [statement(change, "alter", `ALTER ${noun(to)} ${to.facts.sql} OWNER TO ${owner};`)] : [];
}

/** `ADD VALUE` clauses turning `before` into `after`, or undefined when a label went or moved. */
export function addedLabels(before: string[], after: string[]): string[] | undefined {
  const kept = after.filter((label) => before.includes(label));
  if (kept.length !== before.length || kept.some((label, i) => label !== before[i])) return undefined;
  // Labels before the first kept one go BEFORE it, in order; each later one AFTER its predecessor, present by then.
  const firstKept = kept[0];
  let seenKept = false;
  return after.flatMap((label, i) => {
    if (before.includes(label)) {
      seenKept = true;
      return [];
    }
    if (firstKept === undefined) return [`ADD VALUE ${literal(label)}`];
    return [seenKept ? `ADD VALUE ${literal(label)} AFTER ${literal(after[i - 1]!)}` : `ADD VALUE ${literal(label)} BEFORE ${literal(firstKept)}`];
  });
}

function alterDomain(change: ObjectChange, from: Side, to: Side, owner: DiffStatement[]): ReturnType<Differ> {
  const name = `ALTER DOMAIN ${to.facts.sql}`;
  if (changed(change, "base")) return { statements: owner, unsupported: [{ key: change.key, reason: "a domain's base type cannot change" }] };
  const statements: DiffStatement[] = [];
  const add = (sql: string) => statements.push(statement(change, "alter", `${name} ${sql};`));
  const props = to.object.props;
  if (changed(change, "default")) add(typeof props.default === "string" ? `SET DEFAULT ${props.default}` : "DROP DEFAULT");
  if (changed(change, "notnull")) add(props.notnull ? "SET NOT NULL" : "DROP NOT NULL");
  const [oldChecks, newChecks, oldNames, newNames] = [checksOf(from), checksOf(to), checkNames(from), checkNames(to)];
  oldChecks.forEach((check, i) => {
    if (!newChecks.includes(check) && oldNames[i]) add(`DROP CONSTRAINT ${ident(oldNames[i])}`);
  });
  newChecks.forEach((check, i) => {
    if (!oldChecks.includes(check)) add(`ADD ${newNames[i] ? `CONSTRAINT ${ident(newNames[i])} ` : ""}${check}`);
  });
  return { statements: [...statements, ...owner] };
}
