/**
 * Reads a schema state as `dbkit diff` needs it: verify's catalog and, per object, the facts
 * writing DDL needs (names as SQL, columns' places, dependencies), all in one simple-protocol
 * string under the catalog reader's fixed settings: one round trip, read-only, pooler-safe.
 */
import type postgres from "postgres";
import type { Catalog } from "../core/catalog.js";
import type { ObjectFacts, SchemaModel } from "../core/diff/types.js";
import type { VerifyScope } from "../core/verify-scope.js";
import { catalogFromResults, catalogQueries, FIX_SETTINGS, ownedSchemasSql, RESTORE_SETTINGS } from "./catalog-reader.js";
import { codeFacts } from "./diff-facts-code.js";
import { dependencyFacts, structureFacts } from "./diff-facts-structure.js";
import type { FactRow, FactSource } from "./diff-fact-source.js";

/** In this order: dependencies last, once every source has named its objects. */
const SOURCES: FactSource[] = [structureFacts, codeFacts, dependencyFacts];

export async function readSchemaModel(sql: postgres.Sql | postgres.TransactionSql, scope: VerifyScope): Promise<SchemaModel> {
  const owned = ownedSchemasSql(scope);
  const catalogPart = catalogQueries(scope);
  const sourceParts = SOURCES.map((source) => source.queries(scope, owned));
  const version = "select current_setting('server_version_num')::int as version, current_user::text as role";
  const text = [FIX_SETTINGS, ...catalogPart, ...sourceParts.flat(), version, RESTORE_SETTINGS].join(";\n");
  const all = (await sql.unsafe(text).simple()) as unknown as FactRow[][];
  const serverVersion = Number(all[all.length - 2]?.[0]?.version);
  const role = String(all[all.length - 2]?.[0]?.role);
  const results = all.slice(1, -2);
  const catalog = catalogFromResults(results.slice(0, catalogPart.length), scope);
  const facts: Record<string, ObjectFacts> = {};
  let at = catalogPart.length;
  for (const [index, source] of SOURCES.entries()) {
    const count = sourceParts[index]!.length;
    if (source === dependencyFacts) withFallbackFacts(catalog, facts);
    source.add(results.slice(at, at + count), facts);
    at += count;
  }
  return { catalog, facts: onlyCatalogObjects(catalog, facts), serverVersion, role };
}

/** Every catalog object has facts: where no source named it, its name from the key. */
function withFallbackFacts(catalog: Catalog, facts: Record<string, ObjectFacts>): void {
  for (const object of catalog.objects) facts[object.key] ??= { sql: object.key.slice(object.key.indexOf(" ") + 1), dependsOn: [] };
}

/** Facts of objects outside the compared scope (other schemas' relations, extensions not named) are dropped. */
function onlyCatalogObjects(catalog: Catalog, facts: Record<string, ObjectFacts>): Record<string, ObjectFacts> {
  const kept: Record<string, ObjectFacts> = {};
  for (const object of catalog.objects) kept[object.key] = facts[object.key]!;
  for (const fact of Object.values(kept)) fact.dependsOn = fact.dependsOn.filter((key) => key in kept);
  return kept;
}
