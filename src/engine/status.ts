/** `status`: what is applied, pending, changed, missing, failed or running. Reads only. */
import { planMigrations, type EntryState } from "../core/plan.js";
import { planSeeds, type SeedState } from "../core/seed-plan.js";
import { inMigrationOrder } from "../core/migration-name.js";
import type { JournalRow, MigrationFile, SeedFile } from "../core/types.js";
import { summaryIfInSync } from "./journal-in-sync.js";
import type { AppliedTimes, Journal } from "./ports.js";
import { describeOwner } from "./running-owner.js";

export interface StatusEntry {
  name: string;
  state: EntryState;
  file: string | null;
  appliedAt: string | null;
  executionMs: number | null;
  error: string | null;
  /** For a `running` migration whose runner is still connected: who it is (it is in progress, not interrupted). */
  inProgressBy?: string;
}

export interface SeedStatusEntry {
  name: string;
  state: SeedState;
  once: boolean;
  file: string | null;
  appliedAt: string | null;
  executionMs: number | null;
}

export interface StatusResult {
  entries: StatusEntry[];
  seeds: SeedStatusEntry[];
  counts: Record<EntryState, number>;
  /** True when the journal table exists. */
  journal: boolean;
  /** Nothing pending and no drift. */
  inSync: boolean;
  /** Something changed, went missing, failed or is still running, or a pending file is out of order. */
  drift: boolean;
  /** Pending files that sort before the newest applied one: `migrate` refuses them (exit 5). */
  outOfOrder: string[];
  pending: boolean;
}

export async function runStatus(journalPort: Pick<Journal, "readJournal" | "runningOwner" | "readSummary">, files: MigrationFile[], seedFiles: SeedFile[]): Promise<StatusResult> {
  // Every file applied as it is, nothing else recorded: proven from the journal's summary, each
  // entry made from its file and its time, without reading the rows or planning them. (Files out
  // of migration order, from an API caller, are planned: the plan sorts them.)
  const inSync = inMigrationOrder(files) ? await summaryIfInSync(journalPort, files, true) : undefined;
  const provenEntries = inSync && appliedEntries(files, inSync.times);
  if (inSync && provenEntries) return withSeeds(provenEntries, { ...NO_ENTRIES, applied: provenEntries.length }, [], 0, seedFiles, inSync.seeds, true);
  const journal = await journalPort.readJournal();
  const plan = planMigrations(files, (journal ?? []).filter((row) => row.kind === "migration"));
  const counts: Record<EntryState, number> = { ...NO_ENTRIES };
  const entries = plan.entries.map((entry): StatusEntry => {
    counts[entry.state]++;
    return {
      name: entry.name,
      state: entry.state,
      file: entry.file?.path ?? null,
      appliedAt: entry.row?.appliedAt.toISOString() ?? null,
      executionMs: entry.row?.executionMs ?? null,
      error: entry.row?.error ?? null,
    };
  });
  // A `running` row whose runner is still connected is work in progress (pending), not drift.
  let inProgress = 0;
  for (const entry of entries) {
    if (entry.state !== "running" || !journalPort.runningOwner) continue;
    const owner = await journalPort.runningOwner(entry.name);
    if (!owner?.alive) continue;
    Object.assign(entry, { inProgressBy: describeOwner(owner) });
    inProgress++;
  }
  return withSeeds(entries, counts, plan.outOfOrder.map((entry) => entry.name), inProgress, seedFiles, journal ?? [], journal !== undefined);
}

/** Every file as applied at its row's time; undefined if a row is not found (then plan from the rows). */
function appliedEntries(files: readonly MigrationFile[], times: AppliedTimes): StatusEntry[] | undefined {
  const entries: StatusEntry[] = [];
  for (const file of files) {
    const time = times.of(file.name);
    if (!time) return undefined;
    entries.push({ name: file.name, state: "applied", file: file.path, appliedAt: time.appliedAt, executionMs: time.executionMs, error: time.error });
  }
  return entries;
}

const NO_ENTRIES: Readonly<Record<EntryState, number>> = { applied: 0, pending: 0, changed: 0, missing: 0, failed: 0, running: 0 };

/** The result, with the seeds' states and the verdict. */
function withSeeds(entries: StatusEntry[], counts: Record<EntryState, number>, outOfOrder: string[], inProgress: number, seedFiles: SeedFile[], rows: JournalRow[], journal: boolean): StatusResult {
  const seedPlan = planSeeds(seedFiles, rows);
  const seeds = seedPlan.entries.map((entry) => ({
    name: entry.name,
    state: entry.state,
    once: entry.once,
    file: entry.seed?.path ?? null,
    appliedAt: entry.row?.appliedAt.toISOString() ?? null,
    executionMs: entry.row?.executionMs ?? null,
  }));
  // A changed "seed once" seed will never run again: the database cannot catch up by migrating.
  const drift = counts.changed + counts.missing + counts.failed + counts.running - inProgress + seedPlan.changedOnce.length + outOfOrder.length > 0;
  const pending = counts.pending + inProgress + seedPlan.toRun.length > 0;
  return { entries, seeds, counts, journal, inSync: !drift && !pending, drift, pending, outOfOrder };
}
