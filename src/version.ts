import { createRequire } from "node:module";

/** dbkit's version, from package.json (recorded in the journal with every migration). */
export const DBKIT_VERSION: string = (createRequire(import.meta.url)("../package.json") as { version: string }).version;
