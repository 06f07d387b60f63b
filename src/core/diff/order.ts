/**
 * Orders a plan's statements by dependency: drops first, in reverse dependency order of the
 * `from` state, then creates and alters in dependency order of the `to` state (a function a
 * column default uses before the table, a view after the tables it reads). Ties, and cycles the
 * dependencies cannot settle, fall back to a fixed order of categories.
 */
import type { CatalogCategory } from "../catalog.js";
import type { DiffStatement, SchemaModel } from "./types.js";
import { partOf } from "./whole-objects.js";

/** The order of creation when dependencies do not decide; drops use it reversed. */
export const CATEGORY_ORDER: CatalogCategory[] = [
  "schemas", "extensions", "types", "sequences", "functions", "tables", "columns", "constraints", "indexes",
  "views", "triggers", "rls", "policies", "privileges", "publications", "eventTriggers", "rules", "comments",
];
const RANK = new Map(CATEGORY_ORDER.map((category, index) => [category, index]));

/**
 * `groups`: each differ call's statements, in the order the differ wrote them (kept). Returns
 * the statements ordered, transaction-phase first; a statement that must follow a
 * no-transaction one moves to the no-transaction phase too.
 */
export function orderStatements(groups: DiffStatement[][], from: SchemaModel, to: SchemaModel): DiffStatement[] {
  const nodes = groups.flatMap((group) => group.map((statement, index) => ({ statement, previous: index > 0 ? group[index - 1] : undefined })));
  const byKey = new Map<string, { drops: number[]; alters: number[]; main: number[]; all: number[] }>();
  nodes.forEach(({ statement }, index) => {
    const entry = byKey.get(statement.key) ?? { drops: [], alters: [], main: [], all: [] };
    if (statement.action === "drop") entry.drops.push(index);
    else {
      if (statement.action === "alter") entry.alters.push(index);
      entry.all.push(index);
      if (!statement.after) entry.main.push(index);
    }
    byKey.set(statement.key, entry);
  });
  const position = new Map(nodes.map((node, index) => [node.statement, index]));
  const dependentsIn = (model: SchemaModel) => {
    const result = new Map<string, string[]>();
    for (const [key, facts] of Object.entries(model.facts)) {
      for (const dep of facts.dependsOn) {
        const list = result.get(dep);
        if (list) list.push(key);
        else result.set(dep, [key]);
      }
    }
    return result;
  };
  const fromDependents = dependentsIn(from);
  // A table created whole needs what its columns' defaults and types need; a part needs its owner.
  const columnDeps = new Map<string, string[]>();
  for (const [child, facts] of Object.entries(to.facts)) {
    if (!facts.table || !child.startsWith("column ")) continue;
    const list = columnDeps.get(facts.table) ?? [];
    list.push(...facts.dependsOn.filter((d) => d !== facts.table));
    columnDeps.set(facts.table, list);
  }
  const toDependsOn = (key: string, statement: DiffStatement) => {
    const deps = [...(to.facts[key]?.dependsOn ?? [])];
    const owner = partOf(key, to);
    if (owner) deps.push(owner);
    if (statement.category === "tables" && statement.action === "create") deps.push(...(columnDeps.get(key) ?? []));
    return deps;
  };
  // A part with no statement of its own (a column inside its CREATE TABLE) is made by its owner's.
  const mainOf = (dep: string): number[] => {
    for (let key: string | undefined = dep, depth = 0; key !== undefined && depth < 4; key = partOf(key, to), depth++) {
      const main = byKey.get(key)?.main;
      if (main && main.length > 0) return main;
    }
    return [];
  };
  const edges: Set<number>[] = nodes.map(() => new Set<number>());
  nodes.forEach(({ statement, previous }, index) => {
    const before = edges[index]!;
    if (previous) before.add(position.get(previous)!);
    const key = statement.key;
    if (statement.action === "drop") {
      // Whatever depends on it is dropped, or altered off it, first.
      // (An alter of a dependent created again comes after its create: that is not it.)
      for (const dependent of fromDependents.get(key) ?? []) {
        const entry = byKey.get(dependent);
        if (!entry) continue;
        const keptAlters = entry.all.length === entry.alters.length ? entry.alters : [];
        for (const i of [...entry.drops, ...keptAlters]) before.add(i);
      }
    } else {
      for (const dep of [...toDependsOn(key, statement), ...(statement.after ?? [])]) for (const i of mainOf(dep)) before.add(i);
      for (const i of byKey.get(key)?.drops ?? []) before.add(i);
      // Objects that used the old form go before it changes (a view on a column whose type changes).
      for (const dependent of fromDependents.get(key) ?? []) for (const i of byKey.get(dependent)?.drops ?? []) before.add(i);
    }
    before.delete(index);
  });
  const statements = nodes.map((n) => n.statement);
  return splitPhases(statements, topological(statements, edges), edges);
}

function priority(statement: DiffStatement): number {
  // A decided rename goes first: the rest of the plan names the object by its new name.
  if (statement.hazards.includes("renames")) return -1;
  const rank = RANK.get(statement.category) ?? CATEGORY_ORDER.length;
  return statement.action === "drop" ? CATEGORY_ORDER.length - rank : 100 + rank;
}

/** Kahn's algorithm, taking the ready statement of lowest priority (a heap); on a cycle, the lowest remaining. */
function topological(statements: DiffStatement[], edges: Set<number>[]): number[] {
  const rank = statements.map(priority);
  const waiting = edges.map((set) => set.size);
  const dependents: number[][] = statements.map(() => []);
  edges.forEach((set, index) => set.forEach((dep) => dependents[dep]!.push(index)));
  const less = (a: number, b: number) => (rank[a] !== rank[b] ? rank[a]! < rank[b]! : a < b);
  const heap = new MinHeap(less);
  waiting.forEach((count, index) => count === 0 && heap.push(index));
  const done = new Array<boolean>(statements.length).fill(false);
  const order: number[] = [];
  while (order.length < statements.length) {
    let chosen = heap.pop();
    while (chosen !== undefined && done[chosen]) chosen = heap.pop();
    if (chosen === undefined) {
      // A cycle: take the lowest remaining, its unmet dependencies ignored.
      for (let i = 0; i < statements.length; i++) if (!done[i] && (chosen === undefined || less(i, chosen))) chosen = i;
    }
    done[chosen!] = true;
    order.push(chosen!);
    for (const dependent of dependents[chosen!]!) if (--waiting[dependent]! === 0 && !done[dependent]) heap.push(dependent);
  }
  return order;
}

class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly less: (a: number, b: number) => boolean) {}

  push(item: number): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): number | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let smallest = i;
        if (l < items.length && this.less(items[l]!, items[smallest]!)) smallest = l;
        if (r < items.length && this.less(items[r]!, items[smallest]!)) smallest = r;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

/** Statements after a no-transaction one join its phase (the second file runs after the first). */
function splitPhases(statements: DiffStatement[], order: number[], edges: Set<number>[]): DiffStatement[] {
  const late = new Set<number>();
  for (const index of order) {
    if (statements[index]!.phase === "no-transaction" || [...edges[index]!].some((dep) => late.has(dep))) late.add(index);
  }
  const result = order.map((index) => (late.has(index) ? { ...statements[index]!, phase: "no-transaction" as const } : statements[index]!));
  return [...result.filter((s) => s.phase === "transaction"), ...result.filter((s) => s.phase === "no-transaction")];
}
