import type { Settings } from "../config/load-config.js";
import { runMigrate, type MigrateResult } from "../engine/migrate.js";
import type { TargetInfo } from "../engine/ports.js";
import { readMigrationDir } from "../fs/read-migration-dir.js";
import { readSeeds, seedParts } from "../fs/read-seed-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { openStore } from "./open-store.js";
import { prepareSupabaseBase } from "./supabase-base.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";

export interface MigrateFlags {
  /** False: do not run seeds (--no-seed). */
  seed?: boolean;
  dryRun?: boolean;
  to?: string;
  allowOutOfOrder?: boolean;
}

export type MigrateReport = ResultDoc<"migrate", MigrateResult & { target: TargetInfo }>;

/** Applies pending migrations, then the seeds that are due. */
export async function migrateWith(settings: Settings, base: Reporter, flags: MigrateFlags = {}): Promise<MigrateReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files, warnings: fileWarnings } = await readMigrationDir(settings.migrationsDir, settings.cwd);
  for (const warning of fileWarnings) reporter.warn(warning);
  const seeds = flags.seed === false ? undefined : await readSeeds(settings);
  const { store, close } = await openStore(settings, reporter, { writes: true });
  try {
    if (!flags.dryRun) await prepareSupabaseBase(settings, store, files, reporter);
    const result = await runMigrate(store, reporter.events(), {
      files,
      ...(flags.to === undefined ? {} : { to: flags.to }),
      dryRun: Boolean(flags.dryRun),
      allowOutOfOrder: Boolean(flags.allowOutOfOrder),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      lockRetries: settings.lockRetries,
      dbkitVersion: DBKIT_VERSION,
      ...(seeds ? { seeds: { files: seeds, partsOf: (seed) => () => seedParts(seed.absolutePath, settings.cwd) } } : {}),
    });
    return resultDoc("migrate", { target: store.target, ...result }, warnings);
  } finally {
    await close();
  }
}
