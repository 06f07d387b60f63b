/**
 * The header `dbkit new` writes into a new migration, and the test for a file that still holds
 * nothing else: such a file was created and forgotten, and applying it would record an empty
 * migration whose later content could never run (an applied file must not change).
 */
const MIGRATION_NOTE = "-- Runs once, in its own transaction. Never edit it after it was applied: add a new migration.";

export function newMigrationHeader(title: string): string {
  return `-- Migration: ${title}\n${MIGRATION_NOTE}\n\n`;
}

/** True when `text` is the header of `dbkit new` and blank lines, nothing else. */
export function isUntouchedNewMigration(text: string): boolean {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line.trim() !== "");
  return lines.length === 2 && lines[0]!.startsWith("-- Migration: ") && lines[1]!.trim() === MIGRATION_NOTE;
}
