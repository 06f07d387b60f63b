/** `dbkit migrate`: flags → settings → engine → output. */
import { readMigrationDir } from "../fs/read-migration-dir.js";
import { readSeedDir, seedParts } from "../fs/read-seed-dir.js";
import { runMigrate, type MigrateResult } from "../engine/migrate.js";
import { renderMigrate } from "../output/render.js";
import { DBKIT_VERSION } from "../version.js";
import type { CommandContext } from "./context.js";
import { openStore } from "./open-store.js";
import { trackProgress } from "./progress.js";

export interface MigrateFlags {
  /** False with --no-seed. */
  seed?: boolean;
  dryRun?: boolean;
  to?: string;
  allowOutOfOrder?: boolean;
}

export async function migrateCommand({ settings, output }: CommandContext, flags: MigrateFlags): Promise<number> {
  const { files, warnings } = await readMigrationDir(settings.migrationsDir, settings.cwd);
  for (const warning of warnings) output.warn(warning);
  const seeds = flags.seed === false ? undefined : await readSeedDir(settings.seedsDir, settings.cwd);
  const { store, close } = await openStore(settings, output);
  try {
    const result: MigrateResult = await runMigrate(store, trackProgress(output.events()), {
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
    output.result("migrate", { target: store.target, ...result }, () => renderMigrate(result, output.paint));
    return 0;
  } finally {
    await close();
  }
}
