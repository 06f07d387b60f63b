/**
 * A database schema as plain data, and the comparison `verify` makes between the schema the
 * migrations build and the live one. Both sides are read by the same reader (db/catalog-reader)
 * and normalised through Postgres's own pg_get_*def functions, so OIDs and creation order never
 * show up as differences.
 */
export type CatalogCategory =
  | "schemas"
  | "extensions"
  | "types"
  | "tables"
  | "columns"
  | "constraints"
  | "views"
  | "sequences"
  | "functions"
  | "indexes"
  | "triggers"
  | "rls"
  | "policies"
  | "privileges"
  | "publications"
  | "eventTriggers"
  | "rules"
  | "comments";

export type PropValue = string | number | boolean | null | string[];

export interface CatalogObject {
  category: CatalogCategory;
  /** Unique and readable: `table public.chats`, `column public.chats.title`, `function public.f(integer)`. */
  key: string;
  props: Record<string, PropValue>;
}

export interface Catalog {
  objects: CatalogObject[];
}

export type DifferenceKind = "missing" | "extra" | "changed";

export interface PropDifference {
  prop: string;
  expected: PropValue;
  actual: PropValue;
}

export interface Difference {
  kind: DifferenceKind;
  category: CatalogCategory;
  key: string;
  /** For `changed`: each property that differs. */
  props?: PropDifference[];
  /** The migration file that defines the object, where known. */
  definedIn?: string;
}

/**
 * Compares expected (built from the migrations) with actual (the live database), object by
 * object. `missing`: expected but absent; `extra`: present but not from the migrations (a
 * hot-fix); `changed`: present in both with different properties.
 */
export function diffCatalogs(expected: Catalog, actual: Catalog, definedIn: (key: string) => string | undefined = () => undefined): Difference[] {
  const actualByKey = new Map(actual.objects.map((object) => [object.key, object]));
  const expectedKeys = new Set(expected.objects.map((object) => object.key));
  const differences: Difference[] = [];
  const attribution = (key: string) => {
    const site = definedIn(key);
    return site ? { definedIn: site } : {};
  };
  for (const object of expected.objects) {
    const found = actualByKey.get(object.key);
    if (!found) {
      differences.push({ kind: "missing", category: object.category, key: object.key, ...attribution(object.key) });
      continue;
    }
    const props = Object.keys({ ...object.props, ...found.props })
      .filter((prop) => !samePropValue(object.props[prop] ?? null, found.props[prop] ?? null))
      .map((prop) => ({ prop, expected: object.props[prop] ?? null, actual: found.props[prop] ?? null }));
    if (props.length > 0) differences.push({ kind: "changed", category: object.category, key: object.key, props, ...attribution(object.key) });
  }
  for (const object of actual.objects) {
    if (!expectedKeys.has(object.key)) differences.push({ kind: "extra", category: object.category, key: object.key });
  }
  return withoutChildrenOfWholeTables(differences, [...expected.objects, ...actual.objects]).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * A missing (or extra) table is one finding, not one per column, constraint, index, trigger,
 * policy and RLS flag it has; a missing (or extra) type, not one more per grantee.
 */
function withoutChildrenOfWholeTables(differences: Difference[], objects: readonly CatalogObject[]): Difference[] {
  const whole = new Map<string, DifferenceKind>();
  const wholeTypes = new Map<string, DifferenceKind>();
  for (const d of differences) if (d.category === "tables" && d.kind !== "changed") whole.set(d.key.slice(d.key.indexOf(" ") + 1), d.kind);
  for (const d of differences) if (d.category === "types" && d.kind !== "changed") wholeTypes.set(d.key.slice(d.key.indexOf(" ") + 1), d.kind);
  if (wholeTypes.size > 0) differences = differences.filter((d) => d.category !== "privileges" || wholeTypes.get(/^privilege type (.*) to /s.exec(d.key)?.[1] ?? "") !== d.kind);
  if (whole.size === 0) return differences;
  const indexTable = new Map(objects.filter((o) => o.category === "indexes").map((o) => [o.key, String(o.props.table)]));
  const tableOf = (d: Difference): string | undefined => {
    const name = d.key.slice(d.key.indexOf(" ") + 1);
    if (d.category === "indexes") return indexTable.get(d.key);
    if (d.category === "rls") return name;
    if (["columns", "constraints", "triggers", "policies"].includes(d.category)) return name.split(".").slice(0, 2).join(".");
    if (d.category === "privileges") return /^privilege (?:table|view|foreign table|materialized view) (\S+) to /.exec(d.key)?.[1] ?? /^privilege column (\S+)\.[^.\s]+ to /.exec(d.key)?.[1];
    return tableOfExtraKind(d);
  };
  return differences.filter((d) => {
    if (d.category === "tables") return true;
    const table = tableOf(d);
    return table === undefined || whole.get(table) !== d.kind;
  });
}

/** The table a rule, a comment on a table's part, or a publication membership belongs to. */
function tableOfExtraKind(d: Difference): string | undefined {
  const name = d.key.slice(d.key.indexOf(" ") + 1);
  if (d.category === "rules") return name.split(".").slice(0, 2).join(".");
  if (d.category === "publications") return /^publication \S+ table (\S+)$/.exec(d.key)?.[1];
  if (d.category === "comments") {
    const [, kind, target = ""] = /^comment on (table|view|materialized view|column|constraint|trigger|policy|rule) (.*)$/s.exec(d.key) ?? [];
    return kind === undefined ? undefined : target.split(".").slice(0, 2).join(".");
  }
  return undefined;
}

function samePropValue(a: PropValue, b: PropValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Privileges from an ACL (`{grantee=privs/grantor,...}`), one object per grantee, for the roles
 * that matter (those the migrations name; PUBLIC is ""). Other roles' grants (a platform's own)
 * are not the project's to verify.
 */
export function privilegeObjects(kind: string, name: string, acl: string | null, roles: ReadonlySet<string>): CatalogObject[] {
  if (!acl) return [];
  const entries = acl.replace(/^\{|\}$/g, "").match(/("(?:[^"]|"")*"|[^,])+/g) ?? [];
  const byGrantee = new Map<string, string[]>();
  for (const raw of entries) {
    const entry = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
    const eq = entry.lastIndexOf("=", entry.lastIndexOf("/"));
    const grantee = entry.slice(0, eq).replace(/^"|"$/g, "");
    const privileges = entry.slice(eq + 1, entry.lastIndexOf("/"));
    if (!roles.has(grantee)) continue;
    byGrantee.set(grantee, [...(byGrantee.get(grantee) ?? []), privileges]);
  }
  return [...byGrantee].map(([grantee, privileges]) => ({
    category: "privileges" as const,
    key: `privilege ${kind} ${name} to ${grantee === "" ? "PUBLIC" : grantee}`,
    props: { privileges: [...new Set(privileges.join("").split(""))].sort().join("") },
  }));
}

/** Counts for the summary lines (`14 tables, 160 columns`). */
export function countByCategory(catalog: Catalog): Record<CatalogCategory, number> {
  const counts = Object.fromEntries(
    (["schemas", "extensions", "types", "tables", "columns", "constraints", "views", "sequences", "functions", "indexes", "triggers", "rls", "policies", "privileges", "publications", "eventTriggers", "rules", "comments"] as const).map((c) => [c, 0]),
  ) as Record<CatalogCategory, number>;
  for (const object of catalog.objects) counts[object.category]++;
  return counts;
}
