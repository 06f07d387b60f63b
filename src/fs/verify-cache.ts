/**
 * The expected schema of `verify`, cached in `.dbkit/verify-cache/` under a key made of every
 * input that shapes it (file checksums, scope, dbkit version): building it is the slow part.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ExpectedState } from "../engine/ports.js";

export function verifyCacheKey(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
}

export async function readVerifyCache(stateDir: string, key: string): Promise<ExpectedState | undefined> {
  try {
    return JSON.parse(await readFile(path.join(stateDir, "verify-cache", `${key}.json`), "utf8")) as ExpectedState;
  } catch {
    return undefined;
  }
}

export async function writeVerifyCache(stateDir: string, key: string, state: ExpectedState): Promise<void> {
  const dir = path.join(stateDir, "verify-cache");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${key}.json`);
  // Written whole then renamed: a concurrent verify never reads half a file.
  await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(state));
  await rename(`${file}.${process.pid}.tmp`, file);
}
