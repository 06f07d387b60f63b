/** `dbkit migrate`: flags → API → output. */
import type { Settings } from "../config/load-config.js";
import { runMigrate, type MigrateResult } from "../engine/migrate.js";
import type { TargetInfo } from "../engine/ports.js";
import { seedParts } from "../fs/read-seed-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { withTargetWhile } from "./shared/open-target.js";
import { readProject } from "./shared/read-project.js";
import { findOtherHistories } from "../db/other-histories.js";
import { seedsSkippedFor } from "./shared/seed-target.js";
import { collectingWarnings, createRun, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { loadLintSection, type LintSection } from "./shared/lint-section-loader.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { renderMigrate } from "../output/render.js";
import { renderLintSection } from "../output/render-lint.js";
import type { CommandContext } from "./shared/context.js";
import { collectingEvery, keepYoungGenerationSmall } from "./shared/memory-settings.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";
import { withTimeoutFlags } from "./shared/flag-groups.js";

export const command = defineCommand({
  declare: (program) =>
    withTimeoutFlags(
      program
        .command("migrate")
        .description("apply pending migrations, each in its own transaction")
        .option("--dry-run", "print the plan and change nothing")
        .option("--seed", "run a Supabase project's seeds (supabase/config.toml) even on a database not on this machine")
        .option("--no-seed", "do not run seeds after the migrations")
        .option("--to <name-or-version>", "apply up to and including this migration (seeds are not run)")
        .option("--allow-out-of-order", "apply pending files that sort before the newest applied one")
        .option("--single-transaction", "apply every pending migration in one transaction: all or nothing")
        .option("--no-lint", "with --dry-run: do not lint the files that would be applied")
        .option("--shadow-url <url>", "with --dry-run: server for the lint's scratch database (default: a scratch embedded Postgres)"),
      "migration",
    ).addHelpText(
      "after",
      "\nExamples:\n  $ dbkit migrate                         # embedded database, or DATABASE_URL\n  $ dbkit migrate --dry-run\n  $ DATABASE_URL=postgres://... dbkit migrate --json\n  $ dbkit migrate --to 0003_indexes --no-seed\n  $ dbkit migrate --single-transaction     # a deploy that lands whole or not at all\n",
    ),
  bare: {},
  input: lazySchema(() =>
    z.object({
      seed: z.optional(z.boolean()),
      dryRun: z.optional(z.boolean()),
      to: z.optional(z.string()),
      allowOutOfOrder: z.optional(z.boolean()),
      singleTransaction: z.optional(z.boolean()),
      lint: z.optional(z.boolean()),
      shadowUrl: z.optional(z.string()),
    }),
  ),
  run: migrateCommand,
});


export interface MigrateFlags {
  /** False: do not run seeds (--no-seed). True: run a Supabase project's seeds on a remote database too (--seed). */
  seed?: boolean;
  dryRun?: boolean;
  to?: string;
  allowOutOfOrder?: boolean;
  /** Every pending migration in one transaction: all or nothing. */
  singleTransaction?: boolean;
  /** With dryRun: false skips the lint section of the files that would be applied (--no-lint). */
  lint?: boolean;
  /** The server for the dry run's lint scratch database (default: a scratch embedded Postgres). */
  shadowUrl?: string;
}

export type MigrateReport = ResultDoc<"migrate", MigrateResult & { target: TargetInfo; seedsSkipped?: string; lint?: LintSection }>;

/** Applies pending migrations, then the seeds that are due. */
export async function migrateWith(settings: Settings, base: Run, flags: MigrateFlags = {}, willApply?: (count: number) => void): Promise<MigrateReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const seedsSkipped = flags.seed === false ? undefined : seedsSkippedFor(settings, flags.seed);
  return withTargetWhile(() => readProject(settings, reporter, flags.seed !== false && !seedsSkipped, true), settings, reporter, { writes: true, readJournalEarly: flags.to === undefined ? "summary" : "rows" }, async (db, { files, seeds }, { embeddedUrl }) => {
    if (seedsSkipped) reporter.info(`seeds skipped: ${seedsSkipped}`);
    const result = await runMigrate(db, reporter.onEvent, {
      files,
      ...(flags.to === undefined ? {} : { to: flags.to }),
      dryRun: Boolean(flags.dryRun),
      allowOutOfOrder: Boolean(flags.allowOutOfOrder),
      singleTransaction: Boolean(flags.singleTransaction),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      lockRetries: settings.lockRetries,
      sessionSettings: settings.sessionSettings,
      // Installed only once every pending file passed its checks: a refused run changes nothing.
      // Loaded then too: a run with nothing to apply does not pay for loading the base's code.
      prepare: async () => (await import("./shared/supabase-base.js")).prepareSupabaseBase(settings, db, files, reporter),
      otherHistories: () => db.session.run(() => findOtherHistories(db.session.sql)),
      dbkitVersion: DBKIT_VERSION,
      ...(willApply ? { willApply } : {}),
      ...(seeds ? { seeds: { files: seeds, partsOf: (seed) => () => seedParts(seed, settings.cwd) } } : {}),
    });
    // A dry run with files to apply lints them (never changing its outcome); nothing to apply, nothing built.
    const lint = flags.dryRun && flags.lint !== false ? await (await loadLintSection()).lintSection(settings, reporter, db, { files, pending: result.planned.map((step) => step.name), shadowUrl: flags.shadowUrl, embeddedUrl }) : undefined;
    return resultDoc("migrate", { target: db.target, ...result, ...(seedsSkipped ? { seedsSkipped } : {}), ...(lint ? { lint } : {}) }, warnings);
  });
}

/** Applies pending migrations, then the seeds that are due. */
export async function migrate(options: DbkitOptions & MigrateFlags = {}): Promise<MigrateReport> {
  return withApiRun(options, (settings, run) => migrateWith(settings, run, options));
}

export async function migrateCommand({ settings, output, run }: CommandContext, flags: MigrateFlags): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  // The process's memory settings for an apply (see memory-settings.ts); a no-op run is untouched.
  const collect = collectingEvery();
  const watched = createRun((event) => {
    if (event.type === "applying") void collect();
    run.onEvent(event);
  }, run.interrupts);
  const report = await migrateWith(settings, watched, flags, () => void keepYoungGenerationSmall());
  output.result(report, () => renderMigrate(report, output.paint) + (report.lint ? `\n\n${renderLintSection(report.lint, output.paint)}` : ""));
  return 0;
}
