import type { Settings } from "../config/load-config.js";
import { runBaseline, runImport, type BaselineResult, type ImportResult } from "../engine/adopt.js";
import { TOOLS, type Tool } from "../core/other-tools.js";
import { readOtherHistory } from "../db/other-histories.js";
import { hasDrizzleJournal, readDrizzleJournal } from "../fs/drizzle-journal.js";
import type { TargetInfo } from "../engine/ports.js";
import { DBKIT_VERSION } from "../version.js";
import { withTarget } from "./open-store.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { readMigrations } from "./read-project.js";
import { apiSettings, type DbkitOptions } from "./options.js";

export type BaselineReport = ResultDoc<"baseline", BaselineResult & { target: TargetInfo }>;
export type ImportReport = ResultDoc<"import", ImportResult & { target: TargetInfo }>;

/** Records migrations up to and including `to` as applied without running them. */
export async function baselineWith(settings: Settings, base: Reporter, to: string, dryRun: boolean): Promise<BaselineReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  return withTarget(settings, reporter, { writes: !dryRun }, async (db) => {
    return resultDoc("baseline", { target: db.target, ...(await runBaseline(db.journal, files, to, dryRun, DBKIT_VERSION)) }, warnings);
  });
}

/** Records the local files that another tool's journal table lists as applied. */
export async function importWith(settings: Settings, base: Reporter, tool: Tool, flags: { dryRun?: boolean; table?: string } = {}): Promise<ImportReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  const drizzleWhen = tool === "drizzle" && hasDrizzleJournal(settings.migrationsDir) ? new Map(readDrizzleJournal(settings.migrationsDir, settings.migrationsDir).map((e) => [e.tag, e.when])) : undefined;
  const dryRun = Boolean(flags.dryRun);
  return withTarget(settings, reporter, { writes: !dryRun }, async (db) => {
    const result = await runImport(db.journal, tool, () => db.session.run(() => readOtherHistory(db.session.sql, tool, flags.table)), files, dryRun, DBKIT_VERSION, drizzleWhen);
    for (const entry of result.versionsWithoutFile) reporter.warn(`${TOOLS[tool].label}'s history has ${entry}, but no local file matches it`);
    return resultDoc("import", { target: db.target, ...result }, warnings);
  });
}

/** Records migrations up to and including `to` as applied without running them. */
export async function baseline(options: DbkitOptions & { to: string; dryRun?: boolean }): Promise<BaselineReport> {
  const { settings, reporter } = apiSettings(options);
  return baselineWith(settings, reporter, options.to, Boolean(options.dryRun));
}

/** Records the migrations the Supabase CLI applied as applied. */
export async function importSupabase(options: DbkitOptions & { dryRun?: boolean } = {}): Promise<ImportReport> {
  return importHistory({ ...options, tool: "supabase" });
}

/** Records the migrations another tool's journal table lists as applied (`dbkit import <tool>`). */
export async function importHistory(options: DbkitOptions & { tool: Tool; dryRun?: boolean; table?: string }): Promise<ImportReport> {
  const { settings, reporter } = apiSettings(options);
  return importWith(settings, reporter, options.tool, { dryRun: Boolean(options.dryRun), ...(options.table ? { table: options.table } : {}) });
}
