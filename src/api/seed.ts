import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runSeedsOnly, type SeedResult } from "../engine/seed.js";
import { readSeeds, seedParts } from "../fs/read-seed-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget } from "./open-store.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { apiSettings, type DbkitOptions } from "./options.js";

export type SeedReport = ResultDoc<"seed", SeedResult & { target: TargetInfo; dryRun: boolean }>;

/** Runs the seeds that never ran or whose content changed. */
export async function seedWith(settings: Settings, base: Reporter, flags: { dryRun?: boolean } = {}): Promise<SeedReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const seeds = await readSeeds(settings);
  return withTarget(settings, reporter, { writes: true }, async (db) => {
    const result = await runSeedsOnly(db, reporter.onEvent, seeds, (seed) => () => seedParts(seed, settings.cwd), {
      dryRun: Boolean(flags.dryRun),
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      lockRetries: settings.lockRetries,
      sessionSettings: settings.sessionSettings,
      onLockRetry: (message) => reporter.warn(message),
      dbkitVersion: DBKIT_VERSION,
    });
    return resultDoc("seed", { target: db.target, dryRun: Boolean(flags.dryRun), ...result }, warnings);
  });
}

/** Runs the seeds that are due, without migrating. */
export async function seed(options: DbkitOptions & { dryRun?: boolean } = {}): Promise<SeedReport> {
  const { settings, reporter } = apiSettings(options);
  return seedWith(settings, reporter, options);
}
