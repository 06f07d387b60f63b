/** `dbkit down [--to <version> | --steps N]`: flags → API → output. */
import path from "node:path";
import type { Settings } from "../config/load-config.js";
import { formatWithArticle, type FolderFormat } from "../core/folder-format.js";
import { runDown, type DownResult } from "../engine/down.js";
import type { TargetInfo } from "../engine/ports.js";
import { UsageError } from "../errors.js";
import { display } from "../fs/read-migration-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget } from "./shared/open-target.js";
import { readMigrations } from "./shared/read-project.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resetTarget } from "./reset.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";
import { withTimeoutFlags } from "./shared/flag-groups.js";
import { Option } from "commander";

export const command = defineCommand({
  declare: (program) =>
    withTimeoutFlags(
      program
        .command("down")
        .description("run the downs of the newest applied migrations (golang-migrate, dbmate and Flyway-undo folders), each in a transaction")
        .addOption(new Option("--to <name-or-version>", "revert every migration after this one (0: all of them)").conflicts("steps"))
        .option("--steps <count>", "how many migrations to revert, newest first (default 1)")
        .option("--dry-run", "list what would be reverted and change nothing")
        .option("--allow-remote", "allow a database that is not on this machine"),
      "down",
      { retries: false },
    ).addHelpText("after", "\nExamples:\n  $ dbkit down                # the newest applied migration\n  $ dbkit down --steps 3\n  $ dbkit down --to 20240110093000 --dry-run\n"),
  bare: {},
  input: lazySchema(() =>
    z.object({
      to: z.optional(z.string()),
      steps: z.optional(z.string().check(z.regex(/^0*[1-9]\d*$/, "must be a whole number of at least 1"))),
      dryRun: z.optional(z.boolean()),
      allowRemote: z.optional(z.boolean()),
    }),
  ),
  run: downCommand,
});


export interface DownFlags {
  /** Revert every migration after this one (name or version); `0`: all of them. */
  to?: string;
  /** How many migrations to revert (default 1). */
  steps?: string | number;
  dryRun?: boolean;
  /** Required for a database that is not on this machine, as for reset. */
  allowRemote?: boolean;
}

export type DownReport = ResultDoc<"down", DownResult & { target: TargetInfo }>;

/** The formats whose folders keep downs. */
const WITH_DOWNS: ReadonlySet<FolderFormat> = new Set(["golang-migrate", "dbmate", "flyway", "postgrator"]);

/** Runs the downs of the newest applied migrations (one by default), each in its own transaction. */
export async function downWith(settings: Settings, base: Run, flags: DownFlags = {}): Promise<DownReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const steps = stepsOf(flags);
  const target = resetTarget(settings);
  if (!flags.dryRun && !target.local && !flags.allowRemote) {
    throw new UsageError("DBKIT_DOWN_REMOTE", `refusing to run downs on ${target.host}: it is not on this machine`, {
      hint: "downs drop objects and their data; if you really mean this database, add --allow-remote (try --dry-run first)",
    });
  }
  const { files, format } = await readMigrations(settings, reporter);
  // node-pg-migrate's SQL files keep their downs in a folder named like dbkit's own.
  if (!WITH_DOWNS.has(format) && !files.some((file) => file.nodePgMigrateSections)) {
    throw new UsageError("DBKIT_NO_DOWNS", `${display(settings.migrationsDir, settings.cwd)}${path.sep} is ${formatWithArticle(format)} folder, which has no down migrations`, {
      hint: "undo a change with a new migration; dbkit down runs the downs of golang-migrate (.down.sql), dbmate (-- migrate:down), node-pg-migrate (-- Down Migration), Flyway (U files) and Postgrator (.undo. files) folders",
    });
  }
  return withTarget(settings, reporter, { writes: !flags.dryRun }, async (db) => {
    const result = await runDown(db, reporter.onEvent, {
      files,
      ...(flags.to === undefined ? {} : { to: flags.to }),
      ...(steps === undefined ? {} : { steps }),
      dryRun: Boolean(flags.dryRun),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      sessionSettings: settings.sessionSettings,
      dbkitVersion: DBKIT_VERSION,
    });
    return resultDoc("down", { target: db.target, ...result }, warnings);
  });
}

function stepsOf(flags: DownFlags): number | undefined {
  if (flags.steps === undefined) return undefined;
  if (flags.to !== undefined) throw new UsageError("DBKIT_USAGE", "down takes --to or --steps, not both", { hint: "--steps N reverts the N newest migrations; --to X reverts every migration after X" });
  const steps = Number(flags.steps);
  if (!/^\d+$/.test(String(flags.steps)) || steps < 1) throw new UsageError("DBKIT_USAGE", `--steps ${flags.steps}: must be a whole number of at least 1`, { hint: "for example --steps 2" });
  return steps;
}

export async function downCommand({ settings, output, run }: CommandContext, flags: DownFlags): Promise<number> {
  const report = await downWith(settings, run, flags);
  output.result(report, () => {
    if (report.planned.length === 0) return "nothing to revert";
    if (report.dryRun) return `dry run: would revert ${report.planned.length} migration(s), newest first; nothing was changed\n${report.planned.map((step) => `  ${step.name}  ${output.paint.dim(`(${step.down})`)}`).join("\n")}`;
    return output.paint.bold(`reverted ${report.reverted.length} migration(s): ${report.reverted.map((step) => step.name).join(", ")}`);
  });
  return 0;
}
