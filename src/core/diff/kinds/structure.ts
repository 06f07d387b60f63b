/** The differs of the structural kinds. */
import type { Differs } from "../types.js";
import { columnsDiffer } from "./columns.js";
import { extensionsDiffer } from "./extensions.js";
import { schemasDiffer } from "./schemas.js";
import { tablesDiffer } from "./tables.js";

export const structureDiffers: Differs = {
  schemas: schemasDiffer,
  extensions: extensionsDiffer,
  tables: tablesDiffer,
  columns: columnsDiffer,
};
