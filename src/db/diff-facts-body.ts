/**
 * What a SQL-language function's body reads, for ordering: Postgres checks such a body when the
 * function is created (check_function_bodies), so the tables, views and functions it names must
 * exist first, and pg_depend records none of it (only SQL-standard bodies are tracked). The
 * body's identifiers are matched against the relations and functions read, by qualified name, or
 * by bare name where that names one object.
 */
import type { FactRow } from "./diff-fact-source.js";

const IDENTIFIER = /("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(?:\s*\.\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*))?/g;
const fold = (token: string) => (token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') : token.toLowerCase());

/** Catalog keys each SQL function (by its key) names in its body, among `objects` (name parts → key). */
export function bodyDependencies(functions: { key: string; body: string }[], objects: { schema: string; name: string; key: string }[]): Map<string, string[]> {
  const qualified = new Map<string, string[]>();
  const bare = new Map<string, string[]>();
  for (const o of objects) {
    qualified.set(`${o.schema}.${o.name}`, [...(qualified.get(`${o.schema}.${o.name}`) ?? []), o.key]);
    bare.set(o.name, [...(bare.get(o.name) ?? []), o.key]);
  }
  const found = new Map<string, string[]>();
  for (const fn of functions) {
    const keys = new Set<string>();
    // Quoted strings inside the body are literals, not names.
    const text = fn.body.replace(/'(?:[^']|'')*'/g, " ");
    for (const [, first = "", second] of text.matchAll(IDENTIFIER)) {
      const hits = second ? qualified.get(`${fold(first)}.${fold(second)}`) : bare.get(fold(first));
      for (const key of hits ?? []) if (key !== fn.key) keys.add(key);
    }
    if (keys.size > 0) found.set(fn.key, [...keys]);
  }
  return found;
}

/** The objects a body may name: relations and functions, by schema and bare name. */
export function bodyTargets(relations: FactRow[], functions: FactRow[], relationKey: (kind: unknown, name: string) => string): { schema: string; name: string; key: string }[] {
  return [
    ...relations.filter((r) => r.kind !== "S").map((r) => ({ schema: String(r.schema), name: String(r.bare), key: relationKey(r.kind, String(r.name)) })),
    ...functions.map((r) => ({ schema: String(r.schema), name: String(r.bare), key: `${r.kind === "p" ? "procedure" : "function"} ${String(r.name)}` })),
  ];
}
