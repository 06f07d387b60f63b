/**
 * Postgres records no dependency for what a SQL-language function's body reads (unless it is
 * written BEGIN ATOMIC), yet checks the body when the function is created: a function reading a
 * table created in the same plan must come after it. The tables and views a body names, by
 * qualified name (or unqualified, in public), are added to the function's dependencies. A name
 * that only looks like a reference costs at most an order the dependencies did not need.
 */
import type { SchemaModel } from "./types.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function withBodyDependencies(model: SchemaModel): SchemaModel {
  const relations = model.catalog.objects.filter((o) => o.category === "tables" || o.category === "views");
  const functions = model.catalog.objects.filter((o) => o.category === "functions" && o.props.language === "sql" && typeof o.props.body === "string");
  if (relations.length === 0 || functions.length === 0) return model;
  const patterns = relations.map((relation) => {
    const name = relation.key.slice(relation.key.indexOf(" ") + 1);
    const forms = new Set([name, model.facts[relation.key]?.sql ?? name]);
    if (name.startsWith("public.")) forms.add(name.slice("public.".length));
    const alternatives = [...forms].map((form) => escape(form).replace(/\\\./g, "\\s*\\.\\s*"));
    return { key: relation.key, pattern: new RegExp(`(?<![\\w."$])(?:${alternatives.join("|")})(?![\\w"$])`, "i") };
  });
  const facts = { ...model.facts };
  for (const fn of functions) {
    const body = String(fn.props.body);
    const found = patterns.filter((p) => p.pattern.test(body)).map((p) => p.key);
    const known = facts[fn.key];
    if (found.length === 0 || !known) continue;
    facts[fn.key] = { ...known, dependsOn: [...new Set([...known.dependsOn, ...found])] };
  }
  return { ...model, facts };
}
