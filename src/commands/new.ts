/** `dbkit new <name>` (or `--seed`): the next file, named after the folder's convention, with a header. */
import path from "node:path";
import { detectNamingStyle, nextFileName, sanitiseName } from "../core/new-file-name.js";
import { UsageError } from "../errors.js";
import { createFile, listSqlFiles, type ScaffoldResult } from "../fs/scaffold.js";
import { resultDoc } from "../api/result.js";
import type { CommandContext } from "./context.js";

export async function newCommand({ settings, output }: CommandContext, rawName: string, flags: { seed?: boolean }): Promise<number> {
  const name = sanitiseName(rawName);
  if (!name) throw new UsageError("DBKIT_USAGE", `"${rawName}" has nothing usable as a file name`, { hint: "use letters, digits and spaces, e.g. dbkit new add users table" });
  const dir = flags.seed ? settings.seedsDir : settings.migrationsDir;
  const existing = await listSqlFiles(dir);
  const style = detectNamingStyle(existing, flags.seed ? { kind: "plain" } : { kind: "timestamp" });
  const fileName = nextFileName(style, name, new Date(), existing);
  const file = path.join(dir, fileName);
  const header = flags.seed
    ? `-- Seed: ${rawName.trim()}\n-- Runs after the migrations when it is new or its content changed: keep it idempotent\n-- (INSERT ... ON CONFLICT DO UPDATE). Add "-- dbkit:seed once" to run it only once.\n\n`
    : `-- Migration: ${rawName.trim()}\n-- Runs once, in its own transaction. Never edit it after it was applied: add a new migration.\n\n`;
  const result: ScaffoldResult = { created: [], updated: [], skipped: [] };
  await createFile(file, header, result, settings.cwd);
  if (result.skipped.length > 0) throw new UsageError("DBKIT_FILE_EXISTS", `${path.relative(settings.cwd, file)} already exists`, { hint: "choose another name" });
  const shown = path.relative(settings.cwd, file);
  output.result(resultDoc("new", { path: shown, kind: flags.seed ? "seed" : "migration" }, []), () => shown);
  return 0;
}
