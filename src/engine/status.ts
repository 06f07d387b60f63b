/** `status`: what is applied, pending, changed, missing, failed or running. Reads only. */
import { planMigrations, type EntryState } from "../core/plan.js";
import { planSeeds, type SeedState } from "../core/seed-plan.js";
import type { MigrationFile, SeedFile } from "../core/types.js";
import type { Journal } from "./ports.js";
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

export async function runStatus(journalPort: Pick<Journal, "readJournal" | "runningOwner">, files: MigrationFile[], seedFiles: SeedFile[]): Promise<StatusResult> {
  const journal = await journalPort.readJournal();
  const seedPlan = planSeeds(seedFiles, journal ?? []);
  const seeds = seedPlan.entries.map((entry) => ({
    name: entry.name,
    state: entry.state,
    once: entry.once,
    file: entry.seed?.path ?? null,
    appliedAt: entry.row?.appliedAt.toISOString() ?? null,
    executionMs: entry.row?.executionMs ?? null,
  }));
  const plan = planMigrations(files, (journal ?? []).filter((row) => row.kind === "migration"));
  const counts: Record<EntryState, number> = { applied: 0, pending: 0, changed: 0, missing: 0, failed: 0, running: 0 };
  const entries = plan.entries.map((entry) => {
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
  // A changed "seed once" seed will never run again: the database cannot catch up by migrating.
  const outOfOrder = plan.outOfOrder.map((entry) => entry.name);
  const drift = counts.changed + counts.missing + counts.failed + counts.running - inProgress + seedPlan.changedOnce.length + outOfOrder.length > 0;
  const pending = counts.pending + inProgress + seedPlan.toRun.length > 0;
  return { entries, seeds, counts, journal: journal !== undefined, inSync: !drift && !pending, drift, pending, outOfOrder };
}
