/** `dbkit new <name>` (or `--seed`): the next file, named after the folder's convention, with a header. */
import path from "node:path";
import * as z from "zod/mini";
import { newMigrationHeader } from "../core/new-file-header.js";
import { detectNamingStyle, nextFileName, sanitiseName } from "../core/new-file-name.js";
import { UsageError } from "../errors.js";
import { createFile, listEntries, listSqlFiles, type ScaffoldResult } from "../fs/scaffold.js";
import { readMigrations } from "./shared/read-project.js";
import { resultDoc } from "./shared/result.js";
import { newFilesFor } from "../core/new-format-file.js";
import type { CommandContext } from "./shared/context.js";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("new <name...>")
      .description("create the next migration file (or seed with --seed) and print its path")
      .option("--seed", "create a seed file in the seeds folder instead")
      .addHelpText("after", "\nExamples:\n  $ dbkit new add users table    # migrations/20250120093000_add_users_table.sql\n  $ dbkit new --seed app settings\n"),
  input: lazySchema(() => z.object({ seed: z.optional(z.boolean()), args: z.tuple([z.array(z.string())]) })),
  run: (context, { seed, args: [words] }) => newCommand(context, words.join(" "), { seed }),
});

export async function newCommand({ settings, output }: CommandContext, rawName: string, flags: { seed?: boolean }): Promise<number> {
  const name = sanitiseName(rawName);
  if (!name) throw new UsageError("DBKIT_USAGE", `"${rawName}" has nothing usable as a file name`, { hint: "use letters, digits and spaces, e.g. dbkit new add users table" });
  const dir = flags.seed ? settings.seedsDir : settings.migrationsDir;
  const existing = await listSqlFiles(dir);
  if (!flags.seed) {
    const created = await newInFolderFormat(settings, output, name, rawName.trim(), await listEntries(dir));
    if (created !== undefined) return created;
  }
  const style = detectNamingStyle(existing, flags.seed ? { kind: "plain" } : { kind: "timestamp" });
  const fileName = nextFileName(style, name, new Date(), existing);
  const file = path.join(dir, fileName);
  const header = flags.seed
    ? `-- Seed: ${rawName.trim()}\n-- Runs after the migrations when it is new or its content changed: keep it idempotent\n-- (INSERT ... ON CONFLICT DO UPDATE). Add "-- dbkit:seed once" to run it only once.\n\n`
    : newMigrationHeader(rawName.trim());
  const result: ScaffoldResult = { created: [], updated: [], skipped: [] };
  await createFile(file, header, result, settings.cwd);
  if (result.skipped.length > 0) throw new UsageError("DBKIT_FILE_EXISTS", `${path.relative(settings.cwd, file)} already exists`, { hint: "choose another name" });
  const shown = path.relative(settings.cwd, file);
  output.result(resultDoc("new", { path: shown, kind: flags.seed ? "seed" : "migration" }, []), () => shown);
  return 0;
}

/** In another tool's folder, the files its own tool would write; undefined for dbkit's own format. */
async function newInFolderFormat(settings: CommandContext["settings"], output: CommandContext["output"], name: string, title: string, existing: string[]): Promise<number | undefined> {
  // An empty folder has no format to show: the configured one, or dbkit's. `existing` is every
  // entry, not only .sql files: a Prisma folder holds folders.
  const format = existing.length === 0 ? (settings.format ?? "dbkit") : (await readMigrations(settings, { info: () => undefined, warn: () => undefined })).format;
  const planned = newFilesFor(format, name, title, existing, new Date());
  if (!planned.ok) throw new UsageError("DBKIT_NEW_UNSUPPORTED", `dbkit new: ${planned.reason}`, { hint: planned.hint });
  if (planned.files.length === 0) return undefined;
  const result: ScaffoldResult = { created: [], updated: [], skipped: [] };
  for (const file of planned.files) await createFile(path.join(settings.migrationsDir, file.fileName), file.content, result, settings.cwd);
  if (result.skipped.length > 0) throw new UsageError("DBKIT_FILE_EXISTS", `${result.skipped.join(", ")} already exists`, { hint: "choose another name" });
  const shown = planned.files.map((file) => path.relative(settings.cwd, path.join(settings.migrationsDir, file.fileName)));
  output.result(resultDoc("new", { path: shown[0]!, paths: shown, kind: "migration" }, []), () => shown.join("\n"));
  return 0;
}
