/** A no-op migrate proven from the journal's summary, without reading its migration rows (see core/journal-digest.ts). */
import { appliedDigest } from "../core/journal-digest.js";
import type { JournalRow, MigrationFile } from "../core/types.js";
import type { Journal } from "./ports.js";

/**
 * The journal's seed rows when it holds every file applied as it is now and no other migration
 * row; undefined when that is not shown (the journal must then be read and planned in full).
 */
export async function seedRowsIfInSync(journal: Journal, files: readonly MigrationFile[]): Promise<JournalRow[] | undefined> {
  if (!journal.readSummary) return undefined;
  const expected = appliedDigest(files);
  if (expected === undefined) return undefined;
  const summary = await journal.readSummary();
  return summary && summary.unresolved === 0 && summary.appliedDigest === expected ? summary.seeds : undefined;
}
