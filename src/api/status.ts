import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runStatus, type StatusResult } from "../engine/status.js";
import { readMigrationDir } from "../fs/read-migration-dir.js";
import { readSeeds } from "../fs/read-seed-dir.js";
import { openStore } from "./open-store.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";

export type StatusReport = ResultDoc<"status", StatusResult & { target: TargetInfo }>;

/** Every migration and seed with its state; reads only. */
export async function statusWith(settings: Settings, base: Reporter): Promise<StatusReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const { files, warnings: fileWarnings } = await readMigrationDir(settings.migrationsDir, settings.cwd);
  for (const warning of fileWarnings) reporter.warn(warning);
  const seeds = await readSeeds(settings);
  const { store, close } = await openStore(settings, reporter);
  try {
    return resultDoc("status", { target: store.target, ...(await runStatus(store, files, seeds)) }, warnings);
  } finally {
    await close();
  }
}
