import type { Settings } from "../config/load-config.js";
import { runBaseline, runImportSupabase, type BaselineResult, type ImportResult } from "../engine/adopt.js";
import type { TargetInfo } from "../engine/ports.js";
import { DBKIT_VERSION } from "../version.js";
import { readSupabaseCliHistory } from "../db/admin.js";
import { withTarget } from "./open-store.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { readMigrations } from "./read-project.js";

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

/** Records the local files that the Supabase CLI's history lists as applied. */
export async function importSupabaseWith(settings: Settings, base: Reporter, dryRun: boolean): Promise<ImportReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files } = await readMigrations(settings, reporter);
  return withTarget(settings, reporter, { writes: !dryRun }, async (db) => {
    const result = await runImportSupabase(db.journal, () => readSupabaseCliHistory(db.session), files, dryRun, DBKIT_VERSION);
    for (const version of result.versionsWithoutFile) reporter.warn(`the Supabase history has ${version}, but no local file has that version`);
    return resultDoc("import", { target: db.target, ...result }, warnings);
  });
}
