/**
 * Facts for comments: the catalog key verify gives each (as catalog-sql-extra.ts's commentKey,
 * without its scope filter: facts for a comment outside the scope are never looked up), what
 * follows COMMENT ON as SQL, and the catalog key of the object it is on (read by the query where
 * it knows the kind, else built from the identity).
 */
import type { ObjectFacts } from "../core/diff/types.js";
import type { FactRow } from "./diff-fact-source.js";

const KEY_TYPES: Record<string, string> = { "table column": "column", "table constraint": "constraint", "domain constraint": "constraint", domain: "type", "composite type": "type" };
const TARGET_NOUNS: Record<string, string> = { "table column": "column", "materialized view": "view", "foreign table": "table", domain: "type", "composite type": "type", "table constraint": "constraint", "domain constraint": "constraint" };
const SQL_NOUNS: Record<string, string> = { "table column": "COLUMN", "view column": "COLUMN", "materialized view column": "COLUMN", "foreign table column": "COLUMN", "composite type": "TYPE", "table constraint": "CONSTRAINT", "domain constraint": "CONSTRAINT" };

export function addComments(facts: Record<string, ObjectFacts>, comments: FactRow[]): void {
  for (const r of comments) {
    const type = String(r.type);
    const identity = String(r.identity);
    const keyType = KEY_TYPES[type] ?? type;
    const sqlNoun = SQL_NOUNS[type] ?? type.toUpperCase();
    const onTable = /^(.*) on ((?:"(?:[^"]|"")*"|[^."]+)\.(.*))$/s.exec(identity);
    let key = `comment on ${keyType} ${identity}`;
    let sql = `${sqlNoun} ${identity}`;
    let target = `${TARGET_NOUNS[type] ?? type} ${identity}`;
    if (onTable && ["trigger", "policy", "rule", "constraint"].includes(keyType)) {
      const [, name = "", table = ""] = onTable;
      key = `comment on ${keyType} ${table}.${name}`;
      sql = `${sqlNoun} ${name} ON ${type === "domain constraint" ? "DOMAIN " : ""}${table}`;
      target = `${keyType} ${table}.${name}`;
    }
    if (typeof r.target === "string") target = r.target;
    const relation = typeof r.relation === "string" ? r.relation : undefined;
    facts[key] = { ...facts[key], sql, dependsOn: [...new Set([...(facts[key]?.dependsOn ?? []), target])], extra: { ...facts[key]?.extra, target, ...(relation ? { relation } : {}) } };
  }
}
