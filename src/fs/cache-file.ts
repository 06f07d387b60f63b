/** Where the per-folder caches of `.dbkit/file-stats/` live, and how they are read and written. */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The cache file of `kind` for the folder `dir` as read from `cwd` (whose relative paths it records). */
export function folderCachePath(stateDir: string, dir: string, cwd: string, kind: "stats" | "listing"): string {
  const id = createHash("sha256").update(`${path.resolve(dir)}\0${path.resolve(cwd)}`).digest("hex").slice(0, 24);
  return path.join(stateDir, "file-stats", kind === "stats" ? `${id}.json` : `${id}.${kind}.json`);
}

/** The parsed cache file, or undefined when it is absent or not JSON: a cache that cannot be read is no cache. */
export function readCacheFile(cachePath: string): unknown {
  try {
    return JSON.parse(readFileSync(cachePath, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes the cache file whole then renames it, so a concurrent run never reads half of it; a failure is no cache. */
export function writeCacheFile(cachePath: string, value: unknown): void {
  try {
    mkdirSync(path.dirname(cachePath), { recursive: true });
    const temporary = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, cachePath);
  } catch {
    // A read-only checkout: every run reads the folder, as without a cache.
  }
}
