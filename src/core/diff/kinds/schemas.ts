/** Schemas: created, dropped, and the owner where the migrations set one. */
import type { Differ } from "../types.js";
import { changed, statement } from "./statement.js";

export const schemasDiffer: Differ = (change) => {
  const name = (change.to ?? change.from)!.facts.sql;
  if (!change.to) return { statements: [statement(change, "drop", `DROP SCHEMA ${name};`)] };
  const owner = change.to.object.props.owner;
  const setOwner = typeof owner === "string" && (!change.from || changed(change, "owner")) ? [statement(change, "alter", `ALTER SCHEMA ${name} OWNER TO ${owner};`)] : [];
  if (!change.from) return { statements: [statement(change, "create", `CREATE SCHEMA ${name};`), ...setOwner] };
  return { statements: setOwner };
};
