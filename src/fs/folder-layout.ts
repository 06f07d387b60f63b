/**
 * Which files of a migration folder are migrations, downs and repeatables, in the folder's format;
 * every other `.sql` file, in the folder or in a sub-folder of it, is an error unless the config
 * excludes it: a folder of unread files must never look up to date.
 */
import path from "node:path";
import { readFileSync } from "node:fs";
import { detectFolderFormat, formatWithArticle, FORMAT_LABELS, isDbmateText, matchesPattern, type FolderFormat } from "../core/folder-format.js";
import { EXPECTED_NAMES, roleOfFile } from "../core/format-file-names.js";
import { normaliseVersion } from "../core/migration-name.js";
import { MigrationFileError, UsageError } from "../errors.js";
import { hasDrizzleJournal, readDrizzleJournal } from "./drizzle-journal.js";
import { readPrismaLayout } from "./prisma-layout.js";
import { subFoldersOf, type SubFolder } from "./sub-folders.js";

export interface NamedFile {
  fileName: string;
  name: string;
  version: string;
  repeatable?: boolean;
  /** drizzle-kit's journal `when`. */
  journalWhen?: number;
}

export interface FolderLayout {
  format: FolderFormat;
  /** Whether the format came from the config (a dbkit folder may still turn out to be dbmate's). */
  configured: boolean;
  /** Migrations and repeatables, unsorted. */
  named: NamedFile[];
  /** Down files by normalised version (golang-migrate, Flyway undo). */
  downs: Map<string, string>;
  /** Things worth a warning (drizzle files missing from the journal). */
  warnings: string[];
}

export interface LayoutOptions {
  format?: FolderFormat;
  /** File names (with `*` wildcards; `folder/file.sql` or `folder` for a sub-folder's) dbkit is told not to read. */
  exclude?: readonly string[];
  /** Absolute paths of folders other commands read (seeds, declared schema): not looked into. */
  otherFolders?: readonly string[];
}

/** What the listing said of its entries: the names that are folders, or links that may lead to one. */
export interface ListedFolders {
  mayBeFolders: ReadonlySet<string>;
}

/** The layout of `dir` (shown as `shownDir`) from `entries`, every name in it (a folder named like a migration is read as one, and refused). */
export function layoutOf(dir: string, entries: readonly string[], shownDir: string, options: LayoutOptions & ListedFolders): FolderLayout {
  const subFolders = subFoldersOf(dir, options.mayBeFolders, shownDir, options.otherFolders);
  const format = options.format ?? detect(dir, entries, subFolders, shownDir);
  const patterns = options.exclude ?? [];
  const excluded = patterns.length === 0 ? () => false : (name: string) => patterns.some((pattern) => matchesPattern(name, pattern));
  const layout: FolderLayout = { format, configured: options.format !== undefined, named: [], downs: new Map(), warnings: [] };
  const unread: string[] = [];
  if (format === "prisma") {
    const prisma = readPrismaLayout(dir, entries, subFolders, shownDir, excluded);
    layout.named.push(...prisma.named);
    unread.push(...prisma.unread);
  } else {
    // Only Prisma reads sub-folders: in every other format their .sql files are unread.
    for (const folder of subFolders) {
      if (excluded(folder.name)) continue;
      unread.push(...folder.sqlFiles.map((file) => `${folder.name}${path.sep}${file}`).filter((file) => !excluded(file)));
    }
    if (format === "drizzle") readDrizzleLayout(dir, entries, shownDir, excluded, layout);
    else readFileLayout(format, entries, excluded, layout, unread);
  }
  if (unread.length > 0) {
    throw new UsageError("DBKIT_UNREAD_FILES", `${unread.length} file(s) in ${shownDir} would not be read as ${formatWithArticle(format)} folder: ${unread.sort().join(", ")}`, {
      hint: `name them ${EXPECTED_NAMES[format]}, set "format" in dbkit.config.json if the folder is another tool's, or list them in "exclude" to leave them out`,
      details: { format, files: unread },
    });
  }
  return layout;
}

/** Formats whose migrations are the folder's files, each named for its role. */
function readFileLayout(format: FolderFormat, entries: readonly string[], excluded: (name: string) => boolean, layout: FolderLayout, unread: string[]): void {
  for (const fileName of entries) {
    // endsWith first: in a folder of thousands of migrations it is the only test most names get.
    if (!(fileName.endsWith(".sql") || runnableOtherwise(format, fileName.toLowerCase())) || excluded(fileName)) continue;
    const role = roleOfFile(format, fileName);
    if (!role) unread.push(fileName);
    else if (role.role === "up") layout.named.push({ fileName, name: role.name, version: role.version });
    else if (role.role === "repeatable") layout.named.push({ fileName, name: role.name, version: "", repeatable: true });
    else layout.downs.set(normaliseVersion(role.version), fileName);
  }
  const upVersions = new Set(layout.named.map((file) => normaliseVersion(file.version)));
  for (const [version, fileName] of layout.downs) {
    if (!upVersions.has(version)) unread.push(`${fileName} (a down with no migration of version ${version})`);
  }
}

/** `.SQL`, and the JavaScript migrations postgres-migrations and Postgrator also run (which dbkit cannot). */
function runnableOtherwise(format: FolderFormat, lower: string): boolean {
  return lower.endsWith(".sql") || (format === "postgres-migrations" && lower.endsWith(".js")) || (format === "postgrator" && /\.[cm]?js$/.test(lower));
}

function detect(dir: string, entries: readonly string[], subFolders: readonly SubFolder[], shownDir: string): FolderFormat {
  const isSupabaseLayout = /(^|[\\/])supabase[\\/]migrations[\\/]?$/.test(dir);
  const detection = detectFolderFormat({ entries, hasDrizzleJournal: hasDrizzleJournal(dir), isSupabaseLayout, subFolders });
  if (detection.ok) return detection.format === "postgres-migrations" && hyphenatedDbmate(dir, entries) ? "dbmate" : detection.format;
  throw new UsageError("DBKIT_AMBIGUOUS_FORMAT", `${shownDir} has files of more than one format: ${detection.candidates.map((format) => FORMAT_LABELS[format]).join(", ")}`, {
    hint: `set "format" in dbkit.config.json to one of: ${detection.candidates.join(", ")}`,
    details: { candidates: detection.candidates },
  });
}

/**
 * dbmate reads `20220807151154-faucet_users.sql` as well as `_` names: a folder of such names is
 * dbmate's, not postgres-migrations', when its files have dbmate's `-- migrate:up` marker (one
 * file is read to tell). Read as postgres-migrations, each file would run whole, down section included.
 */
function hyphenatedDbmate(dir: string, entries: readonly string[]): boolean {
  const first = entries.find((name) => /^\d+-.*\.sql$/.test(name));
  if (!first) return false;
  try {
    return isDbmateText(readFileSync(path.join(dir, first), "utf8"));
  } catch {
    return false; // the read of the folder reports it
  }
}

/** drizzle runs the journal's entries in its order; .sql files it does not list are reported, not run. */
function readDrizzleLayout(dir: string, entries: readonly string[], shownDir: string, excluded: (name: string) => boolean, layout: FolderLayout): void {
  const journal = readDrizzleJournal(dir, `${shownDir}${path.sep}meta${path.sep}_journal.json`);
  const present = new Set(entries);
  const missing = journal.filter((entry) => !present.has(`${entry.tag}.sql`)).map((entry) => `${entry.tag}.sql`);
  if (missing.length > 0) {
    throw new MigrationFileError("DBKIT_FILE_MISSING", `meta/_journal.json lists file(s) that are not in ${shownDir}: ${missing.join(", ")}`, {
      hint: "restore the files, or regenerate the journal with drizzle-kit",
      details: { files: missing },
    });
  }
  // The journal's position is the version: drizzle runs its entries in that order, whatever their names.
  const width = Math.max(4, String(journal.length).length);
  for (const [index, entry] of journal.entries()) layout.named.push({ fileName: `${entry.tag}.sql`, name: entry.tag, version: String(index).padStart(width, "0"), journalWhen: entry.when });
  const listed = new Set(journal.map((entry) => `${entry.tag}.sql`));
  const unlisted = entries.filter((name) => name.toLowerCase().endsWith(".sql") && !listed.has(name) && !excluded(name)).sort();
  if (unlisted.length > 0) layout.warnings.push(`not in meta/_journal.json, so not run (drizzle-kit would not run them either): ${unlisted.join(", ")}`);
}

