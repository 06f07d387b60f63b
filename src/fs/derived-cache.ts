/**
 * Small facts derived from the migrations at some cost (parsing), kept in `.dbkit/verify-cache/`
 * as `<kind>-<key>.json`, the key made of everything they depend on. A cache that cannot be read
 * or written is no cache, never an error.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { verifyCacheKey } from "./verify-cache.js";

/** The cached value for `keyParts` when there is one, else `compute()`'s, written for the next run. */
export async function cachedDerived<T>(stateDir: string, kind: string, keyParts: unknown, compute: () => Promise<T>): Promise<T> {
  const dir = path.join(stateDir, "verify-cache");
  const file = path.join(dir, `${kind}-${verifyCacheKey(keyParts)}.json`);
  try {
    return (JSON.parse(await readFile(file, "utf8")) as { value: T }).value;
  } catch {
    // not cached yet (or unreadable): compute
  }
  const value = await compute();
  try {
    await mkdir(dir, { recursive: true });
    // Written whole then renamed: a concurrent run never reads half a file.
    await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify({ value }));
    await rename(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A read-only project folder: the next run computes again.
  }
  return value;
}
