/**
 * Lookups the structural differs make for many objects of one model (a table's columns, a
 * constraint's index, the sequences a table's columns own), built once per model: a plan that
 * creates a thousand tables would otherwise scan every object a thousand times.
 */
import type { CatalogObject } from "../../catalog.js";
import type { SchemaModel } from "../types.js";

interface ModelIndex {
  columns: Map<string, CatalogObject[]>;
  constraintIndexes: Map<string, CatalogObject>;
  ownedSequences: Map<string, CatalogObject[]>;
}

const built = new WeakMap<SchemaModel, ModelIndex>();

function indexOf(model: SchemaModel): ModelIndex {
  const known = built.get(model);
  if (known) return known;
  const index: ModelIndex = { columns: new Map(), constraintIndexes: new Map(), ownedSequences: new Map() };
  const push = (map: Map<string, CatalogObject[]>, key: string, object: CatalogObject) => {
    const list = map.get(key);
    if (list) list.push(object);
    else map.set(key, [object]);
  };
  for (const object of model.catalog.objects) {
    const facts = model.facts[object.key];
    if (object.category === "columns" && facts?.table) push(index.columns, facts.table, object);
    if (object.category === "indexes" && typeof facts?.extra?.constraint === "string") index.constraintIndexes.set(facts.extra.constraint, object);
    if (object.category === "sequences" && typeof object.props.ownedBy === "string") {
      const table = model.facts[`column ${object.props.ownedBy}`]?.table;
      if (table) push(index.ownedSequences, table, object);
    }
  }
  const position = (o: CatalogObject) => model.facts[o.key]?.position ?? 0;
  for (const list of index.columns.values()) list.sort((a, b) => position(a) - position(b));
  built.set(model, index);
  return index;
}

/** The columns of a table (or attributes of a composite type, or a view's columns), in their order. */
export function columnsOf(model: SchemaModel, ownerKey: string): CatalogObject[] {
  return indexOf(model).columns.get(ownerKey) ?? [];
}

/** The index a primary key, unique or exclusion constraint owns. */
export function indexOfConstraint(model: SchemaModel, constraintKey: string): CatalogObject | undefined {
  return indexOf(model).constraintIndexes.get(constraintKey);
}

/** The sequences owned (OWNED BY) by a table's columns. */
export function sequencesOwnedBy(model: SchemaModel, tableKey: string): CatalogObject[] {
  return indexOf(model).ownedSequences.get(tableKey) ?? [];
}
