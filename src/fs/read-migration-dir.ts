/** The only reader of the migrations and seeds folders. */
import { readdirSync, readFileSync, type Dirent } from "node:fs";
import path from "node:path";
import { checksumOf, cleanUtf8Text, decodeSqlBytes, type DecodeProblem } from "../core/decode-sql.js";
import { parseDirectives, KNOWN_DIRECTIVES } from "../core/directives.js";
import { mentionsSupabase } from "../core/supabase-project.js";
import { formatWithArticle, type FolderFormat } from "../core/folder-format.js";
import { compareMigrations, findCaseCollisions, findSharedVersions } from "../core/migration-name.js";
import type { FileKind, MigrationFile } from "../core/types.js";
import { MigrationFileError, UsageError } from "../errors.js";
import { fileAccessError, readingFs } from "./file-errors.js";
import { openFileStatCache } from "./file-stat-cache.js";
import { cachedListing, listingKey, type FolderListing } from "./folder-listing-cache.js";
import { layoutOf, type LayoutOptions, type NamedFile } from "./folder-layout.js";
import { likelyMigrationFolders } from "./likely-migration-folders.js";
import { adaptFile, addFolderParts } from "./format-files.js";
import { withTextOnDemand } from "./text-on-demand.js";

export interface MigrationDir {
  files: MigrationFile[];
  warnings: string[];
  /** The folder's format, configured or detected. */
  format: FolderFormat;
  /** `reading migrations/ as a golang-migrate folder`, for any format but dbkit's own: the caller says it once. */
  notice?: string;
}

/** The config's `format` and `exclude`, and the folders other commands read (see folder-layout.ts). */
export interface ReadOptions extends LayoutOptions {
  /** Files read their text again whenever it is used instead of keeping it (see fs/text-on-demand.ts). */
  textOnDemand?: boolean;
}

/**
 * Reads the migrations of `dir` in migration order, in the folder's format (dbkit's own
 * `<version>_<name>.sql`, or another tool's: see core/folder-format.ts). A `.sql` file the format
 * does not read is an error unless excluded; files of other extensions are ignored. With
 * `stateDir`, files whose stat has not moved since a previous run are not read again
 * (fs/file-stat-cache.ts).
 */
export async function readMigrationDir(dir: string, cwd: string, stateDir?: string, options: ReadOptions = {}): Promise<MigrationDir> {
  await afterConnectingStarts();
  const shownDir = display(dir, cwd);
  const list = () => listMigrations(dir, shownDir, options, cwd);
  const listing = stateDir === undefined ? await list() : await cachedListing(stateDir, dir, cwd, listingKey(options), list);
  const { named, format } = listing;
  const warnings = listing.warnings;
  const files: MigrationFile[] = [];
  const shown = displayIn(dir, cwd);
  // Joined once: path.join per file cost a tenth of reading a thousand files.
  const folder = path.join(dir, path.sep);
  // What a format derives from a file is cached with it: each format keeps its own cache.
  const cache = stateDir === undefined ? undefined : openFileStatCache(format === "dbkit" ? stateDir : path.join(stateDir, format), dir, cwd, Date.now, !options.textOnDemand);
  const parts = { folder, shown, downs: listing.downs, readDown: (filePath: string, shownPath: string) => readSqlFile(filePath, shownPath, "migration", "", "") };
  const readFile = (file: NamedFile): MigrationFile => {
    const read = () => adaptFile(format, readSqlFile(folder + file.fileName, shown(file.fileName), "migration", file.name, file.version));
    const migration = cache
      ? cache.read(folder + file.fileName, file.fileName, { kind: "migration", name: file.name, version: file.version, path: shown(file.fileName) }, read)
      : options.textOnDemand
        ? withTextOnDemand(read(), read)
        : read();
    // Assigned, not spread: spreading a file from the cache would read its text.
    if (file.repeatable) migration.repeatable = true;
    if (file.journalWhen !== undefined) migration.journalWhen = file.journalWhen;
    addFolderParts(format, migration, parts);
    return migration;
  };
  // Reads are synchronous; between batches, a connection being opened alongside moves on. Each of
  // its steps (socket, authentication, the journal query) waits for the next batch, so batches
  // are small: with 100 files each, the connection was still opening when the reads ended. Each
  // batch is a call of a plain function: V8 optimises a hot function, not a loop in an async one.
  for (let start = 0; start < named.length; start += READ_BATCH) {
    if (start > 0) await new Promise(setImmediate);
    readBatch(named, start, Math.min(start + READ_BATCH, named.length), readFile, files);
  }
  cache?.save();
  // dbmate names its files like dbkit; its `-- migrate:up` markers tell it apart.
  const shownFormat = format === "dbkit" && !listing.configured && files.some((file) => file.dbmateSections) ? "dbmate" : format;
  // node-pg-migrate's SQL files too: said, since only their up sections run.
  const nodePgMigrate = shownFormat === "dbkit" && files.some((file) => file.nodePgMigrateSections);
  const notice = nodePgMigrate ? `reading ${shownDir}${path.sep} as a node-pg-migrate folder` : shownFormat === "dbkit" ? undefined : `reading ${shownDir}${path.sep} as ${formatWithArticle(shownFormat)} folder`;
  return { files, warnings, format: shownFormat, ...(notice === undefined ? {} : { notice }) };
}

const READ_BATCH = 25;

/**
 * A connection being opened alongside (see openStoreWhile) connects from a timer, which the driver
 * sets a microtask after this read began: a timer set here at once ran first, and the listing,
 * the stat cache and the first batch held the connect back by milliseconds. A timer set after one
 * turn of the loop (an immediate) comes after the driver's.
 */
export async function afterConnectingStarts(): Promise<void> {
  await new Promise(setImmediate);
  await new Promise((resolve) => setTimeout(resolve, 0));
}

function readBatch(named: readonly NamedFile[], start: number, end: number, readFile: (file: NamedFile) => MigrationFile, into: MigrationFile[]): void {
  for (let index = start; index < end; index++) into.push(readFile(named[index]!));
}

/** The migrations the names in `dir` give, in migration order (see folder-layout.ts). */
async function listMigrations(dir: string, shownDir: string, options: ReadOptions, cwd: string): Promise<FolderListing> {
  const dirents = listDir(dir, "migrations", "--migrations-dir or migrationsDir in dbkit.config.json", cwd);
  // A folder, or a link that may lead to one, whatever its name (`archive.sql` may be a folder).
  const mayBeFolders = new Set(dirents.filter((entry) => entry.isDirectory() || entry.isSymbolicLink()).map((entry) => entry.name));
  const layout = layoutOf(dir, dirents.map((entry) => entry.name), shownDir, { ...options, mayBeFolders });
  await new Promise(setImmediate);
  const named = layout.named;
  const collisions = findCaseCollisions(named.map((file) => file.name));
  if (collisions.length > 0) {
    throw new UsageError("DBKIT_DUPLICATE_NAME", `migration names differ only in letter case: ${collisions.map((g) => g.join(" / ")).join("; ")}`, {
      hint: "rename one of them: they collide on case-insensitive file systems",
    });
  }
  named.sort(compareMigrations);
  await new Promise(setImmediate);
  const warnings = layout.warnings;
  // Prisma orders its folders by name alone: two of one timestamp are as ordinary as any two.
  const versioned = layout.format === "prisma" ? [] : named.filter((file) => !file.repeatable);
  for (const group of findSharedVersions(versioned)) warnings.push(`migrations share a version and run in name order: ${group.join(", ")}`);
  // Drizzle and Prisma read further files, and a sub-folder's files (or a link's target) change without moving the folder's stat.
  const namesAlone = layout.format !== "drizzle" && layout.format !== "prisma" && mayBeFolders.size === 0;
  return { ...layout, named, warnings, namesAlone };
}

/**
 * Reads and validates one SQL file: encoding, line endings, directives. Synchronous on purpose:
 * a no-op run reads every file to check its checksum, and a thousand small synchronous reads take
 * a tenth of the time of a thousand promise-based ones (each of those is four thread-pool trips).
 */
export function readSqlFile(filePath: string, shown: string, kind: FileKind, name: string, version: string): MigrationFile {
  const fast = cleanUtf8Text(readingFs(shown, "file", () => readFileSync(filePath, "utf8")));
  const decoded = fast === undefined ? decodeSqlBytes(readingFs(shown, "file", () => readFileSync(filePath))) : { ok: true as const, text: fast };
  if (!decoded.ok) throw decodeError(shown, decoded.problem);
  const { directives, problems } = parseDirectives(decoded.text);
  const problem = problems[0];
  if (problem) {
    throw new MigrationFileError("DBKIT_UNKNOWN_DIRECTIVE", `${shown}:${problem.line}: unknown directive "${problem.text}"`, {
      hint: `known directives: ${KNOWN_DIRECTIVES.join(", ")}`,
      details: { file: shown, line: problem.line },
    });
  }
  return { kind, name, version, path: shown, text: decoded.text, checksum: checksumOf(decoded.text), directives, mentionsSupabase: mentionsSupabase(decoded.text) };
}

/** Synchronous, like the reads: node:fs/promises alone costs a run 1 ms to load. With types, which the listing gives without a stat per entry. */
function listDir(dir: string, what: string, setting: string, cwd?: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      // Migrations kept elsewhere in the project (a monorepo's package, db/migration): say where, with the flag to give.
      const found = cwd === undefined ? [] : likelyMigrationFolders(cwd);
      const hint = found.length > 0 ? `migrations found in ${found.join(", ")}: point ${setting} to the folder (--migrations-dir ${found[0]})` : `create it, or point ${setting} to the right folder`;
      throw new UsageError("DBKIT_DIR_NOT_FOUND", `${what} folder not found: ${dir}`, { hint, ...(found.length > 0 ? { details: { found } } : {}) });
    }
    if (code === "ENOTDIR") throw new UsageError("DBKIT_DIR_NOT_FOUND", `${what} path is not a folder: ${dir}`, { hint: `point ${setting} to a folder` });
    throw fileAccessError(error, dir, "folder") ?? error;
  }
}

function decodeError(file: string, problem: DecodeProblem): MigrationFileError {
  switch (problem.kind) {
    case "utf16":
      return new MigrationFileError("DBKIT_FILE_ENCODING", `${file}: the file is UTF-16; dbkit reads SQL files as UTF-8`, {
        hint: "save the file as UTF-8 (most editors: File > Save with Encoding > UTF-8)",
        details: { file },
      });
    case "invalid-utf8":
      return new MigrationFileError("DBKIT_FILE_ENCODING", `${file}:${problem.line}: invalid UTF-8 (byte offset ${problem.byteOffset})`, {
        hint: "save the file as UTF-8; it may be in a legacy encoding such as Latin-1 or Windows-1252",
        details: { file, line: problem.line },
      });
    case "nul-byte":
      return new MigrationFileError("DBKIT_FILE_NUL_BYTE", `${file}:${problem.line}: the file contains a NUL byte, which Postgres cannot accept in SQL text`, {
        hint: "remove the NUL byte; the file may be binary or corrupted",
        details: { file, line: problem.line },
      });
  }
}

/** display() for the files of one folder: the folder's relative path is worked out once. */
function displayIn(dir: string, cwd: string): (fileName: string) => string {
  if (path.relative(cwd, dir) === "") return (fileName) => fileName;
  const shownDir = display(dir, cwd);
  return (fileName) => `${shownDir}${path.sep}${fileName}`;
}

/** A path as the user should see it: relative to the project when inside it. */
export function display(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : filePath;
}
