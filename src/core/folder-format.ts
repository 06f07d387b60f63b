/**
 * The migration folder formats dbkit reads as they are, and how a folder's format is told from
 * its file names when the config does not name it.
 */

export const FOLDER_FORMATS = ["dbkit", "supabase", "golang-migrate", "dbmate", "drizzle", "postgres-migrations", "flyway", "prisma", "postgrator"] as const;
export type FolderFormat = (typeof FOLDER_FORMATS)[number];

/** How the format is named to the user: `reading migrations/ as a golang-migrate folder`. */
export const FORMAT_LABELS: Record<FolderFormat, string> = {
  dbkit: "dbkit",
  supabase: "Supabase CLI",
  "golang-migrate": "golang-migrate",
  dbmate: "dbmate",
  drizzle: "drizzle-kit",
  "postgres-migrations": "postgres-migrations",
  flyway: "Flyway",
  prisma: "Prisma Migrate",
  postgrator: "Postgrator",
};

/** `a golang-migrate`, `a Flyway`: every label starts with a consonant sound. */
export function formatWithArticle(format: FolderFormat): string {
  return `a ${FORMAT_LABELS[format]}`;
}

const GOLANG_MIGRATE = /^\d+_.+\.(up|down)\.sql$/;
const FLYWAY = /^(V\d+([._]\d+)*|U\d+([._]\d+)*|R)__.+\.sql$/;
/** `0001-initialise.sql`; not a date (`2025-11-05_x.sql`). */
const HYPHENATED = /^\d+-[A-Za-z].*\.sql$/;
const POSTGRATOR = /^\d+\.(do|undo)(\..+)?\.sql$/;
/** Prisma's lock file, written beside its migration folders by `prisma migrate dev`. */
export const PRISMA_LOCK_FILE = "migration_lock.toml";
/**
 * A Prisma migration: `<timestamp>_<name>/migration.sql`. `prisma migrate dev` writes 14 digits;
 * Prisma itself runs any folder, in name order, and its baselining guide names one `0_init`.
 */
export const PRISMA_MIGRATION_FOLDER = /^(\d+)_(.+)$/;
export const PRISMA_MIGRATION_FILE = "migration.sql";

/** What a folder's listing says about its format, before any file is read. */
export interface FolderClues {
  /** Every entry of the folder. */
  entries: readonly string[];
  /** `meta/_journal.json` exists (drizzle-kit). */
  hasDrizzleJournal: boolean;
  /** The folder is `supabase/migrations`. */
  isSupabaseLayout: boolean;
  /** Its sub-folders and the `.sql` files in each (paths relative to the sub-folder). */
  subFolders: readonly { name: string; sqlFiles: readonly string[] }[];
}

export type Detection = { ok: true; format: FolderFormat } | { ok: false; candidates: FolderFormat[] };

/**
 * The format a folder's names show. dbmate folders are named like dbkit's own; they are told by
 * their `-- migrate:up` markers once the files are read (see isDbmateText). More than one
 * candidate is a question for the user, never a guess.
 */
export function detectFolderFormat(clues: FolderClues): Detection {
  const candidates: FolderFormat[] = [];
  if (clues.hasDrizzleJournal) candidates.push("drizzle");
  const named = namedFormats(clues.entries);
  for (const format of ["golang-migrate", "flyway", "postgres-migrations", "postgrator"] as const) if (named.has(format)) candidates.push(format);
  if (clues.entries.includes(PRISMA_LOCK_FILE) || clues.subFolders.some(isPrismaMigrationFolder)) candidates.push("prisma");
  if (candidates.length > 1) return { ok: false, candidates };
  if (candidates[0]) return { ok: true, format: candidates[0] };
  return { ok: true, format: clues.isSupabaseLayout ? "supabase" : "dbkit" };
}

/**
 * The formats whose file names appear among `entries`, in one pass: each pattern is tried only
 * on names with its telltale part (a folder of thousands of dbkit names tries none).
 */
function namedFormats(entries: readonly string[]): Set<FolderFormat> {
  const found = new Set<FolderFormat>();
  for (const name of entries) {
    if ((name.endsWith(".up.sql") || name.endsWith(".down.sql")) && GOLANG_MIGRATE.test(name)) found.add("golang-migrate");
    else if (name.includes("__") && FLYWAY.test(name)) found.add("flyway");
    else if (name.includes("-") && HYPHENATED.test(name)) found.add("postgres-migrations");
    else if ((name.includes(".do") || name.includes(".undo")) && POSTGRATOR.test(name)) found.add("postgrator");
  }
  return found;
}

/** Without the lock file, only the folders `prisma migrate dev` writes tell the format: `<14 digits>_<name>/migration.sql`. */
function isPrismaMigrationFolder(folder: { name: string; sqlFiles: readonly string[] }): boolean {
  return /^\d{14}_/.test(folder.name) && folder.sqlFiles.includes(PRISMA_MIGRATION_FILE);
}

/** A dbmate migration: a `-- migrate:up` line. */
export function isDbmateText(text: string): boolean {
  // A substring search first: every file of a dbkit folder is asked, and most have no marker.
  return text.includes("migrate:up") && DBMATE_UP.test(text);
}

const DBMATE_UP = /^--\s*migrate:up\b/m;

/** `*` matches any run of characters within a file name; everything else matches itself. */
export function matchesPattern(fileName: string, pattern: string): boolean {
  if (!pattern.includes("*")) return fileName === pattern;
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(fileName);
}
