/**
 * A Prisma Migrate folder (`prisma/migrations`): each migration is a folder
 * `<timestamp>_<name>/migration.sql` (`prisma migrate dev` writes 14 digits; a baseline made by hand
 * is often `0_init`), beside Prisma's `migration_lock.toml`. The folder's
 * name is the migration's name, as in Prisma's `_prisma_migrations.migration_name`, so a database
 * Prisma migrated is adopted by name (`dbkit import prisma`).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { PRISMA_LOCK_FILE, PRISMA_MIGRATION_FILE, PRISMA_MIGRATION_FOLDER } from "../core/folder-format.js";
import { MigrationFileError } from "../errors.js";
import { readingFs } from "./file-errors.js";
import type { SubFolder } from "./sub-folders.js";

/** A migration folder: `fileName` is `<folder>/migration.sql`, `name` the folder's name. */
export interface PrismaMigration {
  fileName: string;
  name: string;
  version: string;
}

export interface PrismaLayout {
  named: PrismaMigration[];
  /** `.sql` files Prisma would not run either (top-level files, other files in a migration's folder). */
  unread: string[];
}

/**
 * The migrations of a Prisma folder. `excluded` applies to file and folder names as the user
 * sees them relative to the folder (`20240101000000_init`, `20240101000000_init/notes.sql`).
 */
export function readPrismaLayout(dir: string, entries: readonly string[], subFolders: readonly SubFolder[], shownDir: string, excluded: (name: string) => boolean): PrismaLayout {
  if (entries.includes(PRISMA_LOCK_FILE)) checkLockProvider(path.join(dir, PRISMA_LOCK_FILE), path.join(shownDir, PRISMA_LOCK_FILE));
  const named: PrismaMigration[] = [];
  // A migration's folder may itself end in `.sql` (`20250517173700_add_presets.sql/migration.sql`): Prisma reads every folder.
  const folders = new Set(subFolders.map((folder) => folder.name));
  const unread = entries.filter((name) => name.toLowerCase().endsWith(".sql") && !folders.has(name) && !excluded(name));
  const missing: string[] = [];
  for (const folder of subFolders) {
    if (excluded(folder.name)) continue;
    const inFolder = (file: string) => `${folder.name}${path.sep}${file}`;
    const match = PRISMA_MIGRATION_FOLDER.exec(folder.name);
    if (!match) {
      unread.push(...folder.sqlFiles.map(inFolder).filter((file) => !excluded(file)));
      continue;
    }
    if (folder.sqlFiles.includes(PRISMA_MIGRATION_FILE)) named.push({ fileName: inFolder(PRISMA_MIGRATION_FILE), name: folder.name, version: match[1]! });
    else if (!excluded(inFolder(PRISMA_MIGRATION_FILE))) missing.push(inFolder(PRISMA_MIGRATION_FILE));
    unread.push(...folder.sqlFiles.filter((file) => file !== PRISMA_MIGRATION_FILE).map(inFolder).filter((file) => !excluded(file)));
  }
  if (missing.length > 0) {
    // Prisma refuses such a folder too (P3015): a migration whose SQL is gone cannot be applied or checked.
    throw new MigrationFileError("DBKIT_FILE_MISSING", `Prisma migration folder(s) in ${shownDir} without ${PRISMA_MIGRATION_FILE}: ${missing.join(", ")}`, {
      hint: `restore ${PRISMA_MIGRATION_FILE}, or delete the empty migration folder`,
      details: { files: missing },
    });
  }
  return { named, unread };
}

/** Prisma writes `provider = "postgresql"`; a folder written for another database is not run here. */
function checkLockProvider(file: string, shown: string): void {
  const text = readingFs(shown, "file", () => readFileSync(file, "utf8"));
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  if (provider === undefined || provider === "postgresql" || provider === "postgres") return;
  throw new MigrationFileError("DBKIT_FORMAT_PROVIDER", `${shown}: these migrations were written for ${provider}, not PostgreSQL (provider = "${provider}")`, {
    hint: "point --migrations-dir to the PostgreSQL project's migrations, or regenerate them with prisma migrate dev against PostgreSQL",
    details: { file: shown, provider },
  });
}
