import { createRequire } from "node:module";

/** dbkit's version, from package.json (recorded in the journal with every migration). */
// By package name, not a relative path: this module runs from dist/ and from the CLI bundle in dist/bundle/.
export const DBKIT_VERSION: string = (createRequire(import.meta.url)("dbkit/package.json") as { version: string }).version;
