/**
 * `dbkit reset`: names the target first; a person types the database name, a script passes
 * --yes; a database on another machine also needs --allow-remote. Refusals change nothing.
 */
import { isLocalHost, parseConnectionUrl } from "../core/connection-url.js";
import type { Settings } from "../config/load-config.js";
import { UsageError } from "../errors.js";
import type { ResetResult, TargetInfo } from "../engine/ports.js";
import { runReset } from "../engine/reset.js";
import { migrateWith, type MigrateReport } from "./migrate.js";
import { dropOwnedObjects } from "../db/admin.js";
import { withTarget } from "./shared/open-target.js";
import { detectSupabase } from "./shared/supabase-base.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { readMigrations } from "./shared/read-project.js";
import { readSeeds, seedParts } from "../fs/read-seed-dir.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { renderMigrate } from "../output/render.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("reset")
      .description("drop what the migrations created (owned schemas, the journal), then migrate again")
      .option("-y, --yes", "do not ask for confirmation (required without a terminal)")
      .option("--allow-remote", "allow a database that is not on this machine")
      .option("--no-migrate", "only drop; do not migrate afterwards")
      .option("--no-seed", "do not run seeds after migrating")
      .addHelpText("after", "\nExamples:\n  $ dbkit reset            # asks you to type the database name\n  $ dbkit reset --yes      # scripts and CI (local databases only without --allow-remote)\n"),
  bare: {},
  input: lazySchema(() => z.object({ yes: z.optional(z.boolean()), allowRemote: z.optional(z.boolean()), migrate: z.optional(z.boolean()), seed: z.optional(z.boolean()) })),
  run: resetCommand,
});


export interface ResetFlags {
  /** Required: reset drops data. The CLI sets it after the user typed the database name. */
  yes?: boolean;
  /** Required too for a database that is not on this machine. */
  allowRemote?: boolean;
  /** False: only drop (--no-migrate). */
  migrate?: boolean;
  /** False: migrate without seeds. */
  seed?: boolean;
}

export type ResetReport = ResultDoc<"reset", ResetResult & { owned: string[]; target: TargetInfo; migrate: MigrateReport | null }>;

/** Where reset would go, known before connecting: for the confirmation and the remote check. */
export function resetTarget(settings: Settings): { database: string; host: string; local: boolean; url?: ReturnType<typeof parseConnectionUrl> } {
  if (!settings.databaseUrl) return { database: "postgres", host: "embedded", local: true };
  const url = parseConnectionUrl(settings.databaseUrl.value);
  if (!url.ok) throw new UsageError("DBKIT_INVALID_URL", `the database URL is not valid: ${url.reason}`);
  return { database: url.url.database, host: url.url.host, local: isLocalHost(url.url.host), url };
}

/** Drops what the migrations created and the journal, then (unless migrate: false) migrates again. */
export async function resetWith(settings: Settings, base: Run, flags: ResetFlags): Promise<ResetReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const target = resetTarget(settings);
  if (!target.local && !flags.allowRemote) {
    throw new UsageError("DBKIT_RESET_REMOTE", `refusing to reset ${target.host}: it is not on this machine`, {
      hint: "reset drops schemas and data; if you really mean this database, add --allow-remote (and --yes)",
    });
  }
  if (!flags.yes) {
    throw new UsageError("DBKIT_RESET_UNCONFIRMED", "reset needs confirmation: run it in a terminal, or pass --yes", {
      hint: "reset drops every schema the migrations created, the journal, and the data in them",
    });
  }
  const { files } = await readMigrations(settings, { info: () => undefined, warn: (message) => reporter.warn(message) });
  const { supabase } = await detectSupabase(settings, files);
  const seedSql = await seedInsertsIntoQualifiedTables(settings);
  const { opened, result } = await withTarget(settings, reporter, { announce: false, writes: true }, async (db) => ({
    opened: db.target,
    result: await runReset((plan) => dropOwnedObjects(db.session, plan), reporter.onEvent, { files, journalSchema: settings.journalSchema, supabase, seedSql, ...(settings.schemas ? { schemas: settings.schemas } : {}) }),
  }));
  reporter.info(`reset: dropped ${result.droppedSchemas.length > 0 ? `schema(s) ${result.droppedSchemas.join(", ")}` : "nothing"}${result.removed.length > 0 ? `; removed ${result.removed.join(", ")}` : ""}`);
  const migrate = flags.migrate === false ? null : await migrateWith(settings, reporter, flags.seed === false ? { seed: false } : {});
  return resultDoc("reset", { target: opened, ...result, migrate }, warnings);
}

/** Drops what the migrations created (needs `yes: true`), then migrates again unless `migrate: false`. */
export async function reset(options: DbkitOptions & ResetFlags = {}): Promise<ResetReport> {
  return withApiRun(options, (settings, run) => resetWith(settings, run, options));
}

export async function resetCommand({ settings, output, run }: CommandContext, flags: ResetFlags): Promise<number> {
  const target = resetTarget(settings);
  if (target.url?.ok) output.target({ ...target.url.url, embedded: false }, settings.databaseUrl!.source);
  else output.info(output.paint.dim("database: embedded Postgres in .dbkit/"));
  let yes = Boolean(flags.yes);
  if (!yes && output.interactive && (target.local || flags.allowRemote)) {
    const answer = await output.ask(`reset drops everything the migrations created in database "${target.database}", and its data. Type the database name to continue: `);
    if (answer !== target.database) throw new UsageError("DBKIT_RESET_UNCONFIRMED", `"${answer}" is not "${target.database}": nothing was changed`);
    yes = true;
  }
  const report = await resetWith(settings, run, { ...flags, yes });
  output.result(report, () => (report.migrate ? renderMigrate(report.migrate, output.paint) : ""));
  return 0;
}

/** The SQL parts of the seeds that insert into a schema-qualified table (`insert into auth.users`); a seed's COPY data is not read. */
async function seedInsertsIntoQualifiedTables(settings: Settings): Promise<{ path: string; text: string }[]> {
  const found: { path: string; text: string }[] = [];
  for (const seed of await readSeeds(settings)) {
    for (const part of seedParts(seed, settings.cwd)) {
      if (part.kind === "sql" && /\binsert\s+into\s+("[^"]+"|\w+)\s*\./i.test(part.text)) found.push({ path: seed.path, text: part.text });
    }
  }
  return found;
}
