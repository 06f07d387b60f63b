/** A journal proven in sync with the files from its summary, without reading its migration rows (see core/journal-digest.ts). */
import { appliedDigest } from "../core/journal-digest.js";
import type { JournalRow, MigrationFile } from "../core/types.js";
import type { AppliedTimes, Journal } from "./ports.js";

/**
 * The journal's summary when it holds every file applied as it is now and no other migration row
 * (with `times`, what status shows of each); undefined when that is not shown: the journal must
 * then be read and planned in full.
 */
export async function summaryIfInSync(journal: Pick<Journal, "readSummary">, files: readonly MigrationFile[], times = false): Promise<InSync | undefined> {
  if (!journal.readSummary) return undefined;
  const expected = appliedDigest(files);
  if (expected === undefined) return undefined;
  const summary = await journal.readSummary(times);
  if (!summary || summary.unresolved !== 0 || summary.appliedDigest !== expected || !summary.seeds) return undefined;
  if (times && !summary.times) return undefined;
  return { seeds: summary.seeds, times: summary.times ?? NO_TIMES };
}

export interface InSync {
  /** The seed rows, whole. */
  seeds: JournalRow[];
  /** Each migration's time, duration and error (asked for with `times`). */
  times: AppliedTimes;
}

const NO_TIMES: AppliedTimes = { of: () => undefined };
