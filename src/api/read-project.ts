import type { Settings } from "../config/load-config.js";
import type { MigrationFile, SeedFile } from "../core/types.js";
import { readMigrationDir } from "../fs/read-migration-dir.js";
import { readSeeds } from "../fs/read-seed-dir.js";
import type { Reporter } from "./reporter.js";

/** The project's migrations (their warnings reported) and, unless `withSeeds` is false, its seeds. */
export async function readProject(settings: Settings, reporter: Reporter, withSeeds = true): Promise<{ files: MigrationFile[]; seeds: SeedFile[] | undefined }> {
  const { files, warnings } = await readMigrationDir(settings.migrationsDir, settings.cwd, settings.stateDir);
  for (const warning of warnings) reporter.warn(warning);
  return { files, seeds: withSeeds ? await readSeeds(settings) : undefined };
}
