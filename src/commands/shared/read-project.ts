import path from "node:path";
import type { Settings } from "../../config/load-config.js";
import type { MigrationFile, SeedFile } from "../../core/types.js";
import { readMigrationDir, type MigrationDir } from "../../fs/read-migration-dir.js";
import { readSeeds } from "../../fs/read-seed-dir.js";
import type { Run } from "./run.js";

/** The project's migrations in the folder's format, its notice and warnings reported. */
export async function readMigrations(settings: Settings, reporter: Pick<Run, "info" | "warn">, textOnDemand = false): Promise<MigrationDir> {
  // Folders other commands read (seeds, a declared schema), should the project keep them inside the migrations folder.
  const otherFolders = [settings.seedsDir, settings.schemaDir ?? path.join(settings.cwd, "schema")];
  const dir = await readMigrationDir(settings.migrationsDir, settings.cwd, settings.stateDir, {
    ...(settings.format ? { format: settings.format } : {}),
    ...(settings.exclude ? { exclude: settings.exclude } : {}),
    otherFolders,
    ...(textOnDemand ? { textOnDemand } : {}),
  });
  if (dir.notice) reporter.info(dir.notice);
  for (const warning of dir.warnings) reporter.warn(warning);
  return dir;
}

/**
 * The project's migrations (their warnings reported) and, unless `withSeeds` is false, its seeds.
 * `textOnDemand`: the files keep no text (migrate, which may apply thousands).
 */
export async function readProject(settings: Settings, reporter: Run, withSeeds = true, textOnDemand = false): Promise<{ files: MigrationFile[]; seeds: SeedFile[] | undefined }> {
  const { files } = await readMigrations(settings, reporter, textOnDemand);
  return { files, seeds: withSeeds ? await readSeeds(settings) : undefined };
}
