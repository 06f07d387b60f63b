import type { Settings } from "../config/load-config.js";
import type { TargetInfo } from "../engine/ports.js";
import { runStatus, type StatusResult } from "../engine/status.js";
import { openStoreWhile } from "./open-store.js";
import { readProject } from "./read-project.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";

export type StatusReport = ResultDoc<"status", StatusResult & { target: TargetInfo }>;

/** Every migration and seed with its state; reads only. */
export async function statusWith(settings: Settings, base: Reporter): Promise<StatusReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const {
    value: { files, seeds },
    store,
    close,
  } = await openStoreWhile(() => readProject(settings, reporter), settings, reporter, { readJournalEarly: true });
  try {
    return resultDoc("status", { target: store.target, ...(await runStatus(store, files, seeds ?? [])) }, warnings);
  } finally {
    await close();
  }
}
