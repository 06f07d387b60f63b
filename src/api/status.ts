import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runStatus, type StatusResult } from "../engine/status.js";
import { withTargetWhile } from "./open-store.js";
import { readProject } from "./read-project.js";
import { seedsSkippedFor } from "./seed-target.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";

export type StatusReport = ResultDoc<"status", StatusResult & { target: TargetInfo; seedsSkipped?: string }>;

/** Every migration and seed with its state; reads only. */
export async function statusWith(settings: Settings, base: Reporter): Promise<StatusReport> {
  const { reporter, warnings } = collectingWarnings(base);
  // Seeds migrate would skip on this target are not pending work: status says why instead.
  const seedsSkipped = seedsSkippedFor(settings, undefined);
  return withTargetWhile(() => readProject(settings, reporter, !seedsSkipped), settings, reporter, { readJournalEarly: true }, async (db, { files, seeds }) => {
    return resultDoc("status", { target: db.target, ...(await runStatus(db.journal, files, seeds ?? [])), ...(seedsSkipped ? { seedsSkipped } : {}) }, warnings);
  });
}
