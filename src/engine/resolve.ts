/** `resolve`: record the user's decision about a failed or interrupted no-transaction migration. */
import type { JournalRow } from "../core/types.js";
import { UsageError } from "../errors.js";
import type { MigrationStore, Resolution } from "./ports.js";

export interface ResolveResult {
  name: string;
  previousStatus: JournalRow["status"];
  resolution: Resolution;
}

export async function runResolve(store: MigrationStore, name: string, resolution: Resolution, dbkitVersion: string): Promise<ResolveResult> {
  const journal = await store.readJournal();
  if (!journal) throw new UsageError("DBKIT_RESOLVE_UNKNOWN", `${name} is not in the journal (the database has no dbkit journal)`, { hint: "run dbkit status to see the journal" });
  const row = await store.resolve(name.replace(/\.sql$/, ""), resolution, dbkitVersion);
  return { name: row.name, previousStatus: journal.find((r) => r.name === row.name)?.status ?? row.status, resolution };
}
