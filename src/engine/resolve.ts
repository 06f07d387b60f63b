/** `resolve`: record the user's decision about a failed or interrupted no-transaction migration. */
import type { JournalRow, MigrationFile } from "../core/types.js";
import { UsageError } from "../errors.js";
import type { Journal, Resolution } from "./ports.js";

export interface ResolveResult {
  name: string;
  previousStatus: JournalRow["status"];
  resolution: Resolution;
  /** With accepted-checksum: the checksum recorded before and the one recorded now. */
  previousChecksum?: string;
  checksum?: string;
}

export async function runResolve(journalPort: Journal, name: string, resolution: Resolution, dbkitVersion: string): Promise<ResolveResult> {
  const journal = await journalPort.readJournal();
  if (!journal) throw new UsageError("DBKIT_RESOLVE_UNKNOWN", `${name} is not in the journal (the database has no dbkit journal)`, { hint: "run dbkit status to see the journal" });
  const row = await journalPort.resolve(name.replace(/\.sql$/, ""), resolution, dbkitVersion);
  return { name: row.name, previousStatus: journal.find((r) => r.name === row.name)?.status ?? row.status, resolution };
}

/**
 * `resolve <name> --accept-checksum`: an applied migration was edited on purpose (a comment, a
 * reviewed fix already made by hand): record the file's new checksum so migrate stops refusing it.
 */
export async function runAcceptChecksum(journalPort: Journal, files: readonly MigrationFile[], name: string, dbkitVersion: string): Promise<ResolveResult> {
  const wanted = name.replace(/\.sql$/, "");
  const file = files.find((f) => f.name === wanted);
  if (!file) throw new UsageError("DBKIT_RESOLVE_UNKNOWN", `${wanted}: no migration file has that name`, { hint: "run dbkit status to list the migrations" });
  const row = (await journalPort.readJournal())?.find((r) => r.name === wanted);
  if (!row) throw new UsageError("DBKIT_RESOLVE_UNKNOWN", `${wanted} is not in the journal: it was never applied`, { hint: "run dbkit migrate to apply it" });
  if (row.status === "applied" && row.checksum === file.checksum) {
    throw new UsageError("DBKIT_CHECKSUM_UNCHANGED", `${wanted} has not changed since it was applied: there is nothing to accept`);
  }
  const updated = await journalPort.resolve(wanted, "accepted-checksum", dbkitVersion, file.checksum);
  return { name: updated.name, previousStatus: row.status, resolution: "accepted-checksum", previousChecksum: row.checksum, checksum: updated.checksum };
}
