/**
 * Lookups the code differs make for every change, built once per model (a plan of thousands of
 * grants would otherwise scan the catalog for each): objects by key, and grants by what they are on.
 */
import type { CatalogObject } from "../../catalog.js";
import type { SchemaModel } from "../types.js";
import { extraText } from "./code-sql.js";

const byKey = new WeakMap<SchemaModel, Map<string, CatalogObject>>();
const grantsByObject = new WeakMap<SchemaModel, Map<string, CatalogObject[]>>();

/** The model's object with this catalog key. */
export function objectOf(model: SchemaModel, key: string): CatalogObject | undefined {
  let index = byKey.get(model);
  if (!index) {
    index = new Map(model.catalog.objects.map((object) => [object.key, object]));
    byKey.set(model, index);
  }
  return index.get(key);
}

export function hasObject(model: SchemaModel, key: string): boolean {
  return objectOf(model, key) !== undefined;
}

/** The grants (not default privileges) on an object, by the reader's facts: on it, or on one of its columns (`relation`). */
export function grantsOn(model: SchemaModel, objectKey: string): CatalogObject[] {
  let index = grantsByObject.get(model);
  if (!index) {
    index = new Map();
    for (const object of model.catalog.objects) {
      if (object.category !== "privileges" || object.key.startsWith("default privileges")) continue;
      const facts = model.facts[object.key];
      for (const owner of new Set([extraText(facts, "target"), extraText(facts, "relation")])) {
        if (owner) index.set(owner, [...(index.get(owner) ?? []), object]);
      }
    }
    grantsByObject.set(model, index);
  }
  return index.get(objectKey) ?? [];
}
