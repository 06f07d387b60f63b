/** Adopting a database built before dbkit: baseline (up to a migration) and import (from the Supabase CLI). */
import { normaliseVersion } from "../core/migration-name.js";
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
  dryRun: boolean;
  /** Local files recorded as applied because the Supabase CLI's history has their version. */
  recorded: string[];
  /** Versions in the Supabase history with no local file. */
  versionsWithoutFile: string[];
  /** Local files whose version the Supabase history does not have (still pending). */
  filesWithoutVersion: string[];
}

/** Records the local files whose versions supabase_migrations.schema_migrations lists as applied. */
export async function runImportSupabase(
  journalPort: Journal,
  readHistory: () => Promise<{ version: string; name: string | null }[] | undefined>,
  files: MigrationFile[],
  dryRun: boolean,
  dbkitVersion: string,
): Promise<ImportResult> {
  const history = await readHistory();
  if (!history) {
    throw new UsageError("DBKIT_NO_SUPABASE_HISTORY", "this database has no supabase_migrations.schema_migrations table: nothing to import", {
      hint: "for a database built without the Supabase CLI, use dbkit baseline --to <migration>",
    });
  }
  const versions = new Set(history.map((row) => normaliseVersion(row.version)));
  const byVersion = (file: MigrationFile) => versions.has(normaliseVersion(file.version));
  const journal = await journalPort.readJournal();
  const known = new Set((journal ?? []).map((row) => row.name));
  const toRecord = files.filter((file) => byVersion(file) && !known.has(file.name));
  const fileVersions = new Set(files.map((file) => normaliseVersion(file.version)));
  const result = {
    dryRun,
    recorded: toRecord.map((file) => file.name),
    versionsWithoutFile: history.filter((row) => !fileVersions.has(normaliseVersion(row.version))).map((row) => (row.name ? `${row.version}_${row.name}` : row.version)),
    filesWithoutVersion: files.filter((file) => !byVersion(file)).map((file) => file.name),
  };
  if (dryRun || toRecord.length === 0) return result;
  if (!journal) await journalPort.ensureJournal();
  return { ...result, recorded: await journalPort.recordApplied(toRecord, "imported", dbkitVersion) };
}
