/**
 * Table inheritance (INHERITS; partitions are tables.ts's): a new child is created with
 * INHERITS and its parents in order; an existing table's parents change by NO INHERIT and
 * INHERIT. A child's inherited columns and CHECK constraints get no statements of their own
 * (their parent's ALTERs reach them), so a link made or broken here brings what goes with it:
 * before INHERIT, the child is given each inherited column and constraint it lacks (and NOT NULL
 * where `to` has it), which Postgres requires; after NO INHERIT, those the child had only by
 * inheritance and `to` does not list are dropped (they stay, as local ones, otherwise).
 */
import type { CatalogObject } from "../../catalog.js";
import type { DiffContext, DiffStatement, ObjectChange, SchemaModel } from "../types.js";
import { columnDefinition, columnsOf } from "./column-sql.js";
import { statement } from "./statement.js";

/** The parents a table inherits from, in order (`inherits`, as the catalog reads pg_inherits). */
export function parentsOf(object: CatalogObject | undefined): string[] {
  const inherits = object?.props.inherits;
  return Array.isArray(inherits) ? inherits : [];
}

function parentSql(model: SchemaModel, name: string): string {
  return model.facts[`table ${name}`]?.sql ?? name;
}

/** ` INHERITS (public.a, public.b)` for a new table with parents, or "". */
export function inheritsClause(context: DiffContext, object: CatalogObject): string {
  const parents = parentsOf(object);
  return parents.length > 0 ? ` INHERITS (${parents.map((p) => parentSql(context.to, p)).join(", ")})` : "";
}

const inherited = (model: SchemaModel, key: string) => model.facts[key]?.extra?.inherited === true;
const objectIn = (model: SchemaModel, key: string) => model.catalog.objects.find((o) => o.key === key);
const name = (key: string) => key.slice(key.lastIndexOf(".") + 1);

function constraintsOf(model: SchemaModel, tableKey: string): CatalogObject[] {
  return model.catalog.objects.filter((o) => o.category === "constraints" && model.facts[o.key]?.table === tableKey);
}

/** NO INHERIT and INHERIT for a table on both sides whose parents differ, with what each link brings or leaves. */
export function inheritanceChanges(change: ObjectChange, context: DiffContext): DiffStatement[] {
  const before = parentsOf(change.from?.object);
  const after = parentsOf(change.to?.object);
  if (!change.from || !change.to || JSON.stringify(before) === JSON.stringify(after)) return [];
  let kept = 0;
  while (kept < before.length && kept < after.length && before[kept] === after[kept]) kept++;
  const table = change.to.facts.sql;
  const { from, to } = context;
  const statements: DiffStatement[] = [];
  const alter = (sql: string, hazards: DiffStatement["hazards"] = []) => statements.push(statement(change, "alter", `ALTER TABLE ${table} ${sql};`, { hazards }));
  for (const parent of before.slice(kept)) alter(`NO INHERIT ${parentSql(from, parent)}`);
  if (before.length > kept) {
    for (const object of constraintsOf(from, change.key)) if (inherited(from, object.key) && !objectIn(to, object.key)) alter(`DROP CONSTRAINT ${from.facts[object.key]!.sql}`);
    for (const object of columnsOf(from, change.key)) if (inherited(from, object.key) && !objectIn(to, object.key)) alter(`DROP COLUMN ${from.facts[object.key]!.sql}`, ["drops-data"]);
  }
  if (after.length > kept) {
    for (const object of columnsOf(to, change.key)) {
      if (!inherited(to, object.key)) continue;
      const previous = objectIn(from, object.key);
      if (!previous) alter(`ADD COLUMN ${columnDefinition(object, to.facts[object.key]!, to)}`);
      else if (object.props.notnull && !previous.props.notnull) alter(`ALTER COLUMN ${to.facts[object.key]!.sql} SET NOT NULL`, ["locks-table"]);
    }
    for (const object of constraintsOf(to, change.key)) {
      if (inherited(to, object.key) && !objectIn(from, object.key) && object.props.type === "c") alter(`ADD CONSTRAINT ${to.facts[object.key]?.sql ?? name(object.key)} ${String(object.props.definition)}`);
    }
  }
  for (const parent of after.slice(kept)) alter(`INHERIT ${parentSql(to, parent)}`, ["locks-table"]);
  return statements;
}
