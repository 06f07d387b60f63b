import { createRequire } from "node:module";

// Defined only in the CLI bundle, by its banner (scripts/bundle.mjs), from package.json by
// relative path: resolving "dbkit/package.json" by the package's own name costs a run 1.5 ms.
declare const dbkitBundleVersion: string | undefined;

/** dbkit's version, from package.json (recorded in the journal with every migration). */
export const DBKIT_VERSION: string =
  // By package name, not a relative path, in dist/: the same lookup works from every module.
  typeof dbkitBundleVersion === "string" ? dbkitBundleVersion : (createRequire(import.meta.url)("dbkit/package.json") as { version: string }).version;
