/**
 * Other migration tools' journal tables, and which local files their rows say were applied: what
 * `dbkit import <tool>` records, and what `migrate` and `status` point at on a database that has
 * such a table and no dbkit journal. Pure: the rows come from db/other-histories.ts.
 */
import { checksumOf } from "./decode-sql.js";
import { compareVersions, normaliseVersion } from "./migration-name.js";
import type { MigrationFile } from "./types.js";

export const TOOLS = {
  supabase: { table: "supabase_migrations.schema_migrations", label: "the Supabase CLI" },
  dbmate: { table: "public.schema_migrations", label: "dbmate" },
  "golang-migrate": { table: "public.schema_migrations", label: "golang-migrate" },
  drizzle: { table: "drizzle.__drizzle_migrations", label: "drizzle" },
  "postgres-migrations": { table: "public.migrations", label: "postgres-migrations" },
  flyway: { table: "public.flyway_schema_history", label: "Flyway" },
  "graphile-migrate": { table: "graphile_migrate.migrations", label: "graphile-migrate" },
  prisma: { table: "public._prisma_migrations", label: "Prisma Migrate" },
  "node-pg-migrate": { table: "public.pgmigrations", label: "node-pg-migrate" },
  postgrator: { table: "public.schemaversion", label: "Postgrator" },
} as const;

export type Tool = keyof typeof TOOLS;

export function isTool(name: string): name is Tool {
  return Object.hasOwn(TOOLS, name);
}

/** One applied migration as another tool recorded it; any of its keys may identify the file. */
export interface HistoryEntry {
  /** What the report shows for it. */
  label: string;
  version?: string;
  /** The file name without `.sql` (or a folder name: Prisma). */
  name?: string;
  /** sha256 of the file (drizzle). */
  hash?: string;
  /** sha256 of the file as the tool applied it (Prisma), only to tell a file edited since. */
  checksum?: string;
}

/** A tool's journal as read: what it lists as applied, or why it cannot be trusted. */
export interface OtherHistory {
  tool: Tool;
  table: string;
  entries: HistoryEntry[];
  /** golang-migrate and a Flyway baseline record only a version: every file up to it is applied. */
  upTo?: string;
  /** drizzle: the newest created_at; files whose meta/_journal.json `when` is not after it are applied. */
  drizzleUpTo?: number;
  /** A migration the tool left half-done (golang-migrate `dirty`, a failed Flyway or Prisma row). */
  unfinished?: string;
}

export interface HistoryMatch {
  /** Local files the history says were applied, in migration order. */
  applied: MigrationFile[];
  /** Entries of the history no local file matches. */
  entriesWithoutFile: string[];
  /** Local files the history does not list (still pending). */
  filesWithoutEntry: string[];
  /** Applied files whose content is not what the tool recorded applying (edited since): in `applied` with the tool's checksum. */
  changedSinceApplied: string[];
}

/** `drizzleWhen`: meta/_journal.json's `when` by tag, for drizzle folders. */
export function matchHistory(history: OtherHistory, files: readonly MigrationFile[], drizzleWhen: ReadonlyMap<string, number> = new Map()): HistoryMatch {
  const used = new Set<HistoryEntry>();
  const entryOf = (file: MigrationFile): HistoryEntry | undefined =>
    history.entries.find(
      (entry) =>
        (entry.name !== undefined && entry.name === file.name) ||
        (entry.hash !== undefined && entry.hash === file.checksum) ||
        (entry.version !== undefined && entry.name === undefined && normaliseVersion(entry.version) === normaliseVersion(file.version)),
    ) ??
    // A name the tool wrote differently (postgres-migrations' `1_init` for `0001-init.sql`): same version.
    history.entries.find((entry) => entry.version !== undefined && !used.has(entry) && normaliseVersion(entry.version) === normaliseVersion(file.version));
  const applied: MigrationFile[] = [];
  const filesWithoutEntry: string[] = [];
  const changedSinceApplied: string[] = [];
  for (const file of files) {
    const entry = entryOf(file);
    const when = drizzleWhen.get(file.name);
    const byBound =
      (history.upTo !== undefined && compareVersions(file.version, history.upTo) <= 0) || (history.drizzleUpTo !== undefined && when !== undefined && when <= history.drizzleUpTo);
    if (entry) used.add(entry);
    if (entry?.checksum !== undefined && !sameContent(entry.checksum, file)) {
      // Recorded as the tool applied it, so migrate and status report the file as changed, as for any applied file edited since.
      changedSinceApplied.push(file.name);
      applied.push({ ...file, checksum: entry.checksum });
    } else if (entry || byBound) applied.push(file);
    else filesWithoutEntry.push(file.name);
  }
  return { applied, entriesWithoutFile: history.entries.filter((entry) => !used.has(entry)).map((entry) => entry.label), filesWithoutEntry, changedSinceApplied };
}

/** Whether `checksum` (the tool's sha256 of the file) is the file's, with LF or CRLF line endings (a Windows checkout). */
function sameContent(checksum: string, file: MigrationFile): boolean {
  return checksum === file.checksum || (file.text.includes("\n") && checksum === checksumOf(file.text.replace(/\n/g, "\r\n")));
}

/** `dbkit import <tool>` for each history found, for the hint of migrate and status. */
export function adoptionHint(found: readonly Pick<OtherHistory, "tool" | "table">[]): string {
  // A table away from the tool's default place is named, or the import would look where the tool keeps it by default.
  const commands = [...new Set(found.map((history) => `dbkit import ${history.tool}${history.table === TOOLS[history.tool].table ? "" : ` --table ${history.table}`}`))];
  return `record what was applied without running it again: ${commands.join(" or ")} (add --dry-run to see the list first), or dbkit baseline --to <last applied migration>`;
}

/** "dbmate's history (public.schema_migrations, 3 migrations)". */
export function describeHistory(history: Pick<OtherHistory, "tool" | "table" | "entries" | "upTo">): string {
  const count = history.upTo !== undefined && history.entries.length === 0 ? `up to version ${history.upTo}` : `${history.entries.length} migration(s)`;
  return `${TOOLS[history.tool].label}'s history (${history.table}, ${count})`;
}

/**
 * The tools that keep a history table of this name (`schema_migrations`, `public.schema_migrations`):
 * a migration that fails on such a missing relation was written for that tool, which creates the
 * table before the first migration runs (Harbor's ALTER TABLE schema_migrations ADD COLUMN data_version).
 */
export function toolsKeepingTable(relation: string): string[] {
  const name = relation.includes(".") ? relation : `public.${relation}`;
  const bare = name.slice(name.indexOf(".") + 1);
  // `migrations` (postgres-migrations', graphile-migrate's) is as likely a project's own table.
  if (bare === "migrations") return [];
  // An unqualified name is looked for in public, where these tools keep their tables by default.
  return (Object.keys(TOOLS) as Tool[]).filter((tool) => TOOLS[tool].table === name).map((tool) => TOOLS[tool].label);
}
