import type { Settings } from "../config/load-config.js";
import { runMigrate, type MigrateResult } from "../engine/migrate.js";
import type { TargetInfo } from "../engine/ports.js";
import { seedParts } from "../fs/read-seed-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { withTargetWhile } from "./open-store.js";
import { readProject } from "./read-project.js";
import { prepareSupabaseBase } from "./supabase-base.js";
import { findOtherHistories } from "../db/other-histories.js";
import { seedsSkippedFor } from "./seed-target.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { apiSettings, type DbkitOptions } from "./options.js";
import { lintSection, type LintSection } from "./lint-section.js";

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
export async function migrateWith(settings: Settings, base: Reporter, flags: MigrateFlags = {}): Promise<MigrateReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const seedsSkipped = flags.seed === false ? undefined : seedsSkippedFor(settings, flags.seed);
  return withTargetWhile(() => readProject(settings, reporter, flags.seed !== false && !seedsSkipped), settings, reporter, { writes: true, readJournalEarly: true }, async (db, { files, seeds }, { embeddedUrl }) => {
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
      prepare: () => prepareSupabaseBase(settings, db, files, reporter),
      otherHistories: () => db.session.run(() => findOtherHistories(db.session.sql)),
      dbkitVersion: DBKIT_VERSION,
      ...(seeds ? { seeds: { files: seeds, partsOf: (seed) => () => seedParts(seed, settings.cwd) } } : {}),
    });
    // A dry run with files to apply lints them (never changing its outcome); nothing to apply, nothing built.
    const lint = flags.dryRun && flags.lint !== false ? await lintSection(settings, reporter, db, { files, pending: result.planned.map((step) => step.name), shadowUrl: flags.shadowUrl, embeddedUrl }) : undefined;
    return resultDoc("migrate", { target: db.target, ...result, ...(seedsSkipped ? { seedsSkipped } : {}), ...(lint ? { lint } : {}) }, warnings);
  });
}

/** Applies pending migrations, then the seeds that are due. */
export async function migrate(options: DbkitOptions & MigrateFlags = {}): Promise<MigrateReport> {
  const { settings, reporter } = apiSettings(options);
  return migrateWith(settings, reporter, options);
}
