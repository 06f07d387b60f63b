/**
 * The diff planner: two schema states in, the ordered statements that turn the first into the
 * second out. Objects are matched by catalog key; an object whose properties are the same (as
 * verify's comparer judges them) gives nothing; each changed object goes to its category's
 * differ. A table created or dropped whole covers its columns; objects that must be dropped and
 * created again take their dependents with them. Pure: no I/O.
 */
import type { CatalogObject } from "../catalog.js";
import { withBodyDependencies } from "./body-dependencies.js";
import { differs as allDiffers } from "./differs.js";
import { withHazards, splitRefused } from "./hazards.js";
import { codeObjectRecreated } from "./kinds/code.js";
import { afterNewEnumLabels } from "./new-enum-labels.js";
import { orderStatements } from "./order.js";
import { applyRenames } from "./renames.js";
import type { DiffContext, DiffOptions, DiffPlan, DiffStatement, Differs, ObjectChange, SchemaModel, Unsupported } from "./types.js";
import { partOf, skippedPart } from "./whole-objects.js";

/** Categories Postgres will not leave in place when something they use is recreated or retyped. */
const RECREATED_WITH_DEPENDENCY = new Set(["views", "rules", "policies", "triggers"]);

export function planDiff(fromModel: SchemaModel, toModel: SchemaModel, options: DiffOptions, differs: Differs = allDiffers): DiffPlan {
  const to = withBodyDependencies(toModel);
  const renamed = applyRenames(fromModel, to, options);
  const from = renamed.from;
  const fromByKey = new Map(from.catalog.objects.map((o) => [o.key, o]));
  const toByKey = new Map(to.catalog.objects.map((o) => [o.key, o]));
  const recreated = objectsToRecreate(from, to, fromByKey, toByKey);
  const context: DiffContext = {
    from,
    to,
    options,
    existedBefore: (key) => fromByKey.has(key) && toByKey.has(key),
    createdWhole: (key) => (toByKey.has(key) && !fromByKey.has(key)) || recreated.has(key),
    droppedWhole: (key) => (fromByKey.has(key) && !toByKey.has(key)) || recreated.has(key),
  };
  const groups: DiffStatement[][] = [renamed.statements];
  const unsupported: Unsupported[] = [];
  const run = (change: ObjectChange) => {
    const side = change.to ?? change.from!;
    if (skippedPart(change.key, side.facts, change.from ? from : to, context, !change.to)) return;
    const differ = differs[change.category];
    if (!differ) {
      unsupported.push({ key: change.key, reason: `dbkit diff cannot write ${change.category} yet` });
      return;
    }
    const result = differ(change, context);
    groups.push(result.statements.map(withHazards));
    unsupported.push(...(result.unsupported ?? []));
  };
  const side = (model: SchemaModel, object: CatalogObject | undefined) => (object ? { object, facts: model.facts[object.key] ?? { sql: object.key, dependsOn: [] } } : undefined);
  for (const key of new Set([...fromByKey.keys(), ...toByKey.keys()])) {
    const before = fromByKey.get(key);
    const after = toByKey.get(key);
    const category = (after ?? before)!.category;
    if (recreated.has(key) && before && after) {
      run({ key, category, from: side(from, before) });
      run({ key, category, to: side(to, after) });
    } else if (ownerRecreated(key, to, recreated)) {
      // Dropped with its owner: written again with it, when it is still wanted.
      if (after) run({ key, category, to: side(to, after) });
    } else if (!before || !after || !sameProps(before, after)) {
      run({ key, category, from: side(from, before), to: side(to, after) });
    }
  }
  const { statements, refusedDrops } = splitRefused(orderStatements(afterNewEnumLabels(groups.filter((g) => g.length > 0)), from, to), options);
  return { statements: statements.map(withoutAfter), unsupported, refusedDrops: refusedDrops.map(withoutAfter), renameCandidates: renamed.candidates };
}

function withoutAfter(statement: DiffStatement): DiffStatement {
  const { after: _after, ...rest } = statement;
  return rest;
}

export function sameProps(a: CatalogObject, b: CatalogObject): boolean {
  for (const prop of new Set([...Object.keys(a.props), ...Object.keys(b.props)])) {
    if (JSON.stringify(a.props[prop] ?? null) !== JSON.stringify(b.props[prop] ?? null)) return false;
  }
  return true;
}

/** A grant, comment or column of a recreated object (or of its column) is written again with it. */
function ownerRecreated(key: string, to: SchemaModel, recreated: ReadonlySet<string>): boolean {
  for (let owner = partOf(key, to); owner !== undefined; owner = partOf(owner, to)) if (recreated.has(owner)) return true;
  return false;
}

/**
 * Objects to drop and create again: a view or function CREATE OR REPLACE cannot change (a view's
 * column changed or dropped, rather than added at the end; a function's return type), and,
 * transitively, the views, rules, policies and triggers on anything recreated or on a column
 * whose type changes (Postgres refuses to leave them in place), and the foreign keys on a
 * recreated primary key or unique constraint.
 */
function objectsToRecreate(from: SchemaModel, to: SchemaModel, fromByKey: Map<string, CatalogObject>, toByKey: Map<string, CatalogObject>): Set<string> {
  const recreated = new Set<string>();
  const roots: string[] = [];
  for (const [key, after] of toByKey) {
    const before = fromByKey.get(key);
    if (!before || sameProps(before, after)) continue;
    const change = { key, category: after.category, from: { object: before, facts: from.facts[key]! }, to: { object: after, facts: to.facts[key]! } };
    if (codeObjectRecreated(change)) recreated.add(key);
    if (after.category === "constraints" && (before.props.definition !== after.props.definition || before.props.type !== after.props.type)) roots.push(key);
    if (after.category !== "columns") continue;
    // A view's column whose type changes (a column added at the end is CREATE OR REPLACE: codeObjectRecreated).
    const view = to.facts[key]?.table;
    if (view?.startsWith("view ") && fromByKey.has(view)) recreated.add(view);
    if (before.props.type !== after.props.type) roots.push(key);
  }
  roots.push(...recreated);
  const dependents = new Map<string, string[]>();
  for (const [key, facts] of Object.entries(from.facts)) {
    for (const dep of facts.dependsOn) {
      const list = dependents.get(dep);
      if (list) list.push(key);
      else dependents.set(dep, [key]);
    }
  }
  while (roots.length > 0) {
    const root = roots.pop()!;
    for (const dependent of dependents.get(root) ?? []) {
      const object = fromByKey.get(dependent);
      if (!object || !toByKey.has(dependent) || recreated.has(dependent)) continue;
      const foreignKeyOnKey = root.startsWith("constraint ") && object.category === "constraints";
      // A check or an index expression calling a function that is dropped and created again goes and comes back with it.
      const onFunction = /^(function|procedure) /.test(root) && (object.category === "constraints" || object.category === "indexes");
      if (!RECREATED_WITH_DEPENDENCY.has(object.category) && !foreignKeyOnKey && !onFunction) continue;
      recreated.add(dependent);
      roots.push(dependent);
    }
  }
  return recreated;
}
