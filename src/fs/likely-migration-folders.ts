/**
 * Folders below the project that hold migrations in a format dbkit reads, for the hint of "migrations
 * folder not found": a monorepo keeps them in `packages/db/prisma/migrations`, a Go service in
 * `db/migration`, Harbor in `make/migrations/postgresql`. Looked for only when the folder is missing.
 */
import { readdirSync, type Dirent } from "node:fs";
import path from "node:path";
import { roleOfFile } from "../core/format-file-names.js";
import { FOLDER_FORMATS, PRISMA_LOCK_FILE } from "../core/folder-format.js";

/** Deep enough for `packages/<name>/prisma/migrations` and a module's `src/main/resources/db/migration`, not a walk of the whole tree. */
const MAX_DEPTH = 5;
/** Folders looked into at most: the hint must come at once, even in a large repository. */
const MAX_FOLDERS = 2000;
const SHOWN = 3;

/** Up to three folders (relative to `cwd`, nearest first) that hold migration files or other tools' migration folders. */
export function likelyMigrationFolders(cwd: string): string[] {
  const found: string[] = [];
  let visited = 0;
  let level = [""];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && found.length < SHOWN; depth++) {
    const next: string[] = [];
    for (const relative of level) {
      if (++visited > MAX_FOLDERS || found.length >= SHOWN) break;
      const entries = listing(path.join(cwd, relative));
      if (relative !== "" && holdsMigrations(entries)) {
        found.push(relative);
        continue;
      }
      for (const entry of entries) if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") next.push(path.join(relative, entry.name));
    }
    level = next;
  }
  return found;
}

function listing(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Files some format reads as migrations (drizzle-kit's are named like dbkit's), or Prisma's lock file. */
function holdsMigrations(entries: readonly Dirent[]): boolean {
  return entries.some(
    (entry) =>
      entry.isFile() &&
      (entry.name === PRISMA_LOCK_FILE || (entry.name.endsWith(".sql") && FOLDER_FORMATS.some((format) => roleOfFile(format, entry.name) !== undefined))),
  );
}
