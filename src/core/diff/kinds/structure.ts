/** The differs of the structural kinds. */
import type { Differs } from "../types.js";
import { columnsDiffer } from "./columns.js";
import { constraintsDiffer } from "./constraints.js";
import { extensionsDiffer } from "./extensions.js";
import { indexesDiffer } from "./indexes.js";
import { schemasDiffer } from "./schemas.js";
import { sequencesDiffer } from "./sequences.js";
import { tablesDiffer } from "./tables.js";
import { typesDiffer } from "./types.js";

export const structureDiffers: Differs = {
  schemas: schemasDiffer,
  extensions: extensionsDiffer,
  tables: tablesDiffer,
  columns: columnsDiffer,
  types: typesDiffer,
  constraints: constraintsDiffer,
  indexes: indexesDiffer,
  sequences: sequencesDiffer,
};
