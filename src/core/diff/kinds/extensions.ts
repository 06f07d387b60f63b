/** Extensions: created in their schema at their version, moved, updated, dropped. `schema` is read quoted where needed. */
import type { Differ } from "../types.js";
import { changed, literal, statement } from "./statement.js";

export const extensionsDiffer: Differ = (change) => {
  const name = (change.to ?? change.from)!.facts.sql;
  if (!change.to) return { statements: [statement(change, "drop", `DROP EXTENSION ${name};`)] };
  const { schema, version } = change.to.object.props;
  const inSchema = typeof schema === "string" ? ` WITH SCHEMA ${schema}` : "";
  const atVersion = typeof version === "string" ? ` VERSION ${literal(version)}` : "";
  if (!change.from) return { statements: [statement(change, "create", `CREATE EXTENSION ${name}${inSchema}${atVersion};`)] };
  const statements = [];
  if (changed(change, "schema") && typeof schema === "string") statements.push(statement(change, "alter", `ALTER EXTENSION ${name} SET SCHEMA ${schema};`));
  if (changed(change, "version") && typeof version === "string") statements.push(statement(change, "alter", `ALTER EXTENSION ${name} UPDATE TO ${literal(version)};`));
  return { statements };
};
