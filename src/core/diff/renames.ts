/**
 * Tables and columns that look renamed: one gone and one new with the same definition (a table
 * with the same columns and types; a column of the same table with the same properties). Never
 * guessed: a pair the options decide becomes ALTER ... RENAME, and the `from` state is rewritten
 * as if renamed, so the rest of the plan compares like with like; other pairs are candidates.
 */
import type { CatalogObject } from "../catalog.js";
import type { DiffOptions, DiffStatement, RenameCandidate, SchemaModel } from "./types.js";

export interface Renamed {
  from: SchemaModel;
  statements: DiffStatement[];
  candidates: RenameCandidate[];
}

export function applyRenames(from: SchemaModel, to: SchemaModel, options: DiffOptions): Renamed {
  const candidates = renameCandidates(from, to);
  const decided = options.renames.filter((r) => from.facts[r.from] && to.facts[r.to] && !to.facts[r.from] && !from.facts[r.to]);
  let model = from;
  const statements: DiffStatement[] = [];
  for (const { from: oldKey, to: newKey } of decided) {
    const category = oldKey.startsWith("table ") ? "tables" : oldKey.startsWith("column ") ? "columns" : undefined;
    if (!category) continue;
    const oldFacts = model.facts[oldKey]!;
    const newFacts = to.facts[newKey]!;
    const sql =
      category === "tables"
        ? `ALTER TABLE ${oldFacts.sql} RENAME TO ${unqualified(newFacts.sql)};`
        : `ALTER TABLE ${to.facts[newFacts.table ?? ""]?.sql ?? ""} RENAME COLUMN ${oldFacts.sql} TO ${newFacts.sql};`;
    statements.push({ sql, key: newKey, category, action: "alter", hazards: ["renames"], phase: "transaction" });
    model = renamedModel(model, oldKey, newKey, oldFacts.sql, newFacts.sql, category === "tables" ? newFacts.sql : undefined);
  }
  const done = new Set(decided.map((r) => r.from));
  return { from: model, statements, candidates: candidates.filter((c) => !done.has(c.from)) };
}

/** The last part of a qualified name as SQL: `public."My T"` → `"My T"`. */
function unqualified(sql: string): string {
  return /((?:"(?:[^"]|"")*")|[^."]+)$/.exec(sql)?.[1] ?? sql;
}

function columnsOf(model: SchemaModel, tableKey: string): CatalogObject[] {
  return model.catalog.objects.filter((o) => o.category === "columns" && model.facts[o.key]?.table === tableKey).sort((a, b) => (model.facts[a.key]?.position ?? 0) - (model.facts[b.key]?.position ?? 0));
}

const signature = (props: CatalogObject["props"]) => JSON.stringify(Object.keys(props).sort().map((k) => [k, props[k] ?? null]));

export function renameCandidates(from: SchemaModel, to: SchemaModel): RenameCandidate[] {
  const fromKeys = new Set(from.catalog.objects.map((o) => o.key));
  const toKeys = new Set(to.catalog.objects.map((o) => o.key));
  const gone = from.catalog.objects.filter((o) => !toKeys.has(o.key));
  const added = to.catalog.objects.filter((o) => !fromKeys.has(o.key));
  const result: RenameCandidate[] = [];
  const pair = (category: "tables" | "columns", olds: string[], news: string[], describe: (model: SchemaModel, key: string) => string) => {
    for (const oldKey of olds) {
      const matches = news.filter((newKey) => describe(to, newKey) === describe(from, oldKey));
      const back = matches.length === 1 ? olds.filter((k) => describe(from, k) === describe(to, matches[0]!)) : [];
      if (matches.length === 1 && back.length === 1) result.push({ category, from: oldKey, to: matches[0]! });
    }
  };
  const tableSignature = (model: SchemaModel, key: string) => `${key.split(".")[0]}|${JSON.stringify(columnsOf(model, key).map((c) => [c.key.slice(c.key.lastIndexOf(".") + 1), c.props.type]))}`;
  pair("tables", gone.filter((o) => o.category === "tables").map((o) => o.key), added.filter((o) => o.category === "tables").map((o) => o.key), tableSignature);
  const columnSignature = (model: SchemaModel, key: string) => {
    const object = model.catalog.objects.find((o) => o.key === key)!;
    return `${model.facts[key]?.table}|${signature(object.props)}`;
  };
  const keptTable = (model: SchemaModel) => (o: CatalogObject) => o.category === "columns" && fromKeys.has(model.facts[o.key]?.table ?? "") && toKeys.has(model.facts[o.key]?.table ?? "");
  pair("columns", gone.filter(keptTable(from)).map((o) => o.key), added.filter(keptTable(to)).map((o) => o.key), columnSignature);
  return result;
}

/** `from` as it reads after the rename: keys, facts and the definitions that name it. */
function renamedModel(model: SchemaModel, oldKey: string, newKey: string, oldSql: string, newSql: string, newTableSql: string | undefined): SchemaModel {
  const oldName = oldKey.slice(oldKey.indexOf(" ") + 1);
  const newName = newKey.slice(newKey.indexOf(" ") + 1);
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A table's name inside other keys: `column public.t.c`, `privilege table public.t to r`.
  const inKey = new RegExp(`(^| )${escape(oldName)}(?=$|[. ])`);
  const renameKey = (key: string) => (key === oldKey ? newKey : newTableSql ? key.replace(inKey, `$1${newName}`) : key);
  const table = oldKey.startsWith("column ") ? model.facts[oldKey]?.table : undefined;
  const inText = new RegExp(`(?<![\\w."])${escape(oldSql)}(?![\\w"])`, "g");
  const rewrite = (object: CatalogObject): CatalogObject => {
    const sameTable = newTableSql ? object.key !== oldKey : model.facts[object.key]?.table === table || object.props.table === table?.slice(6);
    const props = Object.fromEntries(Object.entries(object.props).map(([k, v]) => [k, typeof v === "string" && sameTable ? v.replace(inText, newSql) : k === "table" && v === oldName ? newName : v]));
    return { ...object, key: renameKey(object.key), props };
  };
  const facts = Object.fromEntries(
    Object.entries(model.facts).map(([key, f]) => [renameKey(key), { ...f, sql: key === oldKey ? newSql : f.sql, ...(f.table ? { table: renameKey(f.table) } : {}), dependsOn: f.dependsOn.map(renameKey) }]),
  );
  return { catalog: { objects: model.catalog.objects.map(rewrite) }, facts };
}
