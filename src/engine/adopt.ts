/** Adopting a database built before dbkit: baseline (up to a migration) and import (from another tool's journal). */
import { matchHistory, TOOLS, type OtherHistory, type Tool } from "../core/other-tools.js";
import { limitToTarget, planMigrations } from "../core/plan.js";
import type { MigrationFile } from "../core/types.js";
import { UsageError } from "../errors.js";
import type { Journal } from "./ports.js";

export interface BaselineResult {
  dryRun: boolean;
  /** Names recorded as applied (with --dry-run: that would be). */
  recorded: string[];
}

/** Records every migration up to and including `to` as applied, without running it. */
export async function runBaseline(journalPort: Journal, files: MigrationFile[], to: string, dryRun: boolean, dbkitVersion: string): Promise<BaselineResult> {
  const journal = await journalPort.readJournal();
  const plan = planMigrations(files, (journal ?? []).filter((row) => row.kind === "migration"));
  const target = limitToTarget(plan, to);
  if (target.kind === "unknown") throw new UsageError("DBKIT_UNKNOWN_TARGET", `--to ${to}: no migration has that name or version`, { hint: "run dbkit status to list the migrations" });
  const due = target.kind === "found" ? target.toApply : [];
  if (dryRun || due.length === 0) return { dryRun, recorded: due.map((file) => file.name) };
  if (!journal) await journalPort.ensureJournal();
  return { dryRun, recorded: await journalPort.recordApplied(due, "baselined", dbkitVersion) };
}

export interface ImportResult {
  /** The tool whose history was read, and where. */
  tool: Tool;
  table: string;
  dryRun: boolean;
  /** Local files recorded as applied because the tool's history lists them. */
  recorded: string[];
  /** Entries of the tool's history with no local file. */
  versionsWithoutFile: string[];
  /** Local files the tool's history does not list (still pending). */
  filesWithoutVersion: string[];
  /** Recorded files whose content differs from what the tool recorded applying (Prisma's checksum): recorded with the tool's checksum. */
  changedSinceApplied: string[];
}

/**
 * Records the local files another tool's journal lists as applied (`dbkit import <tool>`). A
 * history the tool left half-done (golang-migrate dirty, a failed Flyway or Prisma row) is refused:
 * what is in the database then is not what any file says.
 */
export async function runImport(
  journalPort: Journal,
  tool: Tool,
  readHistory: () => Promise<OtherHistory | undefined>,
  files: MigrationFile[],
  dryRun: boolean,
  dbkitVersion: string,
  drizzleWhen?: ReadonlyMap<string, number>,
): Promise<ImportResult> {
  const history = await readHistory();
  if (!history) {
    throw new UsageError(tool === "supabase" ? "DBKIT_NO_SUPABASE_HISTORY" : "DBKIT_NO_HISTORY", `this database has no ${TOOLS[tool].table} table: nothing to import from ${TOOLS[tool].label}`, {
      hint: `name the table with --table <schema.table> if ${TOOLS[tool].label} kept it elsewhere; for a database built another way, use dbkit baseline --to <migration>`,
    });
  }
  if (history.unfinished) {
    throw new UsageError("DBKIT_IMPORT_UNFINISHED", `${TOOLS[tool].label}'s history (${history.table}) is not clean: ${history.unfinished}`, {
      hint: `repair the database and ${TOOLS[tool].label}'s history first (for golang-migrate: fix the schema by hand, then migrate force <version>), then import again`,
    });
  }
  const match = matchHistory(history, files, drizzleWhen);
  const journal = await journalPort.readJournal();
  const known = new Set((journal ?? []).map((row) => row.name));
  const toRecord = match.applied.filter((file) => !known.has(file.name));
  const result: ImportResult = {
    tool,
    table: history.table,
    dryRun,
    recorded: toRecord.map((file) => file.name),
    versionsWithoutFile: match.entriesWithoutFile,
    filesWithoutVersion: match.filesWithoutEntry,
    changedSinceApplied: match.changedSinceApplied.filter((name) => !known.has(name)),
  };
  if (dryRun || toRecord.length === 0) return result;
  if (!journal) await journalPort.ensureJournal();
  return { ...result, recorded: await journalPort.recordApplied(toRecord, "imported", dbkitVersion) };
}
