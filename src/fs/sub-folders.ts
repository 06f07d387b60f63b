/**
 * The sub-folders of a migration folder and the `.sql` files inside them. Prisma keeps each
 * migration in a folder of its own; in every other format a folder of `.sql` files is something
 * dbkit does not read, and must say so rather than report the database up to date.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { readingFs } from "./file-errors.js";

export interface SubFolder {
  /** The sub-folder's name (one level below the migration folder). */
  name: string;
  /** Its `.sql` files, as paths relative to the sub-folder (`old/001_a.sql` for a nested one), sorted. */
  sqlFiles: string[];
}

/** Nested folders are looked into this deep, no deeper: an archive of old migrations, not a project tree. */
const MAX_DEPTH = 4;

/**
 * The sub-folders among `candidates` (the names in `dir`, shown as `shownDir`, that its listing
 * gave as folders or links), each with the `.sql` files it holds. Hidden folders (`.git`, dbkit's
 * own `.dbkit`), `node_modules` and `otherFolders` (absolute paths of the seeds and schema folders,
 * which other commands read) are left out.
 */
export function subFoldersOf(dir: string, candidates: Iterable<string>, shownDir: string, otherFolders: readonly string[] = []): SubFolder[] {
  const folders: SubFolder[] = [];
  for (const name of [...candidates].sort()) {
    if (notLookedInto(name)) continue;
    const full = path.join(dir, name);
    if (otherFolders.includes(full)) continue;
    // A link is a folder when it leads to one.
    if (!statSync(full, { throwIfNoEntry: false })?.isDirectory()) continue;
    const sqlFiles: string[] = [];
    collectSqlFiles(full, path.join(shownDir, name), "", 1, sqlFiles);
    folders.push({ name, sqlFiles: sqlFiles.sort() });
  }
  return folders;
}

/** Hidden folders (`.git`, dbkit's own `.dbkit`) and `node_modules`: never a project's migrations. */
function notLookedInto(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

function collectSqlFiles(dir: string, shown: string, prefix: string, depth: number, into: string[]): void {
  // An unreadable sub-folder is an error like an unreadable file: it may hold migrations.
  const entries = readingFs(shown, "folder", () => readdirSync(dir, { withFileTypes: true }));
  for (const entry of entries) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) {
      if (notLookedInto(entry.name)) continue;
      if (depth < MAX_DEPTH) collectSqlFiles(path.join(dir, entry.name), path.join(shown, entry.name), relative + path.sep, depth + 1, into);
    } else if (entry.name.toLowerCase().endsWith(".sql")) into.push(relative);
  }
}
