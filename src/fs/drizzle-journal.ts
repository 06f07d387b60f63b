/** drizzle-kit's `meta/_journal.json`: the order of a drizzle folder's migrations. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { MigrationFileError } from "../errors.js";

export interface DrizzleEntry {
  /** The file name without `.sql`: the migration's identity. */
  tag: string;
  idx: number;
  /** Epoch milliseconds drizzle-kit wrote; drizzle's own journal table records it as created_at. */
  when: number;
}

export function drizzleJournalPath(dir: string): string {
  return path.join(dir, "meta", "_journal.json");
}

export function hasDrizzleJournal(dir: string): boolean {
  return existsSync(drizzleJournalPath(dir));
}

/** The journal's entries in the order drizzle runs them (the journal's own order). */
export function readDrizzleJournal(dir: string, shown: string): DrizzleEntry[] {
  const file = drizzleJournalPath(dir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new MigrationFileError("DBKIT_DRIZZLE_JOURNAL", `${shown}: cannot read drizzle-kit's journal: ${(error as Error).message}`, {
      hint: "restore meta/_journal.json as drizzle-kit generated it (drizzle-kit generate rewrites it)",
      details: { file: shown },
    });
  }
  // drizzle-kit writes the dialect it generated for ("pg" before 0.21): SQL for another database is not run here.
  const dialect = (raw as { dialect?: unknown }).dialect;
  if (typeof dialect === "string" && dialect !== "postgresql" && dialect !== "pg") {
    throw new MigrationFileError("DBKIT_FORMAT_PROVIDER", `${shown}: these migrations were written for ${dialect}, not PostgreSQL (dialect "${dialect}")`, {
      hint: "point --migrations-dir to the PostgreSQL project's drizzle folder, or generate its migrations with drizzle-kit for dialect postgresql",
      details: { file: shown, provider: dialect },
    });
  }
  const entries = (raw as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) {
    throw new MigrationFileError("DBKIT_DRIZZLE_JOURNAL", `${shown}: no "entries" list in drizzle-kit's journal`, { hint: "restore meta/_journal.json as drizzle-kit generated it", details: { file: shown } });
  }
  return entries.map((entry, index) => {
    const { tag, idx, when } = (entry ?? {}) as { tag?: unknown; idx?: unknown; when?: unknown };
    if (typeof tag !== "string" || tag === "" || /[\\/]/.test(tag)) {
      throw new MigrationFileError("DBKIT_DRIZZLE_JOURNAL", `${shown}: entry ${index + 1} has no valid "tag"`, { hint: "restore meta/_journal.json as drizzle-kit generated it", details: { file: shown } });
    }
    return { tag, idx: typeof idx === "number" ? idx : index, when: typeof when === "number" ? when : 0 };
  });
}
