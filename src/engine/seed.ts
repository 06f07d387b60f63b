/** Seeds: reference data applied after migrations, each in its own transaction with its journal row. */
import { planSeeds } from "../core/seed-plan.js";
import type { JournalRow, SeedFile } from "../core/types.js";
import type { Applier, ApplyOptions, Journal, SeedPartSource } from "./ports.js";
import { tallyOutcome } from "./outcome.js";
import { waitNotice } from "./wait-notice.js";
import { applyingEvent, type OnEvent } from "./events.js";

export interface SeedResult {
  planned: string[];
  applied: { name: string; executionMs: number }[];
  appliedByOther: string[];
}

export interface SeedRunOptions extends Omit<ApplyOptions, "onWait"> {
  dryRun?: boolean;
}

/**
 * Runs the seeds that are due. `journal` is what the caller already read (undefined: no journal
 * yet), so a no-op run costs no extra query.
 */
export async function runSeeds(
  ports: { journal: Journal; applier: Applier },
  onEvent: OnEvent,
  seeds: SeedFile[],
  journal: JournalRow[] | undefined,
  partsOf: (seed: SeedFile) => SeedPartSource,
  options: SeedRunOptions,
  /** Called when a seed is about to run: prepares the database, returns the session settings. */
  prepare?: () => Promise<ApplyOptions["sessionSettings"]>,
): Promise<SeedResult> {
  const plan = planSeeds(seeds, journal ?? []);
  for (const entry of plan.changedOnce) onEvent({ type: "warning", message: `${entry.seed!.path} changed after it ran, but it is a "seed once" seed: not run again` });
  const result: SeedResult = { planned: plan.toRun.map((seed) => seed.name), applied: [], appliedByOther: [] };
  if (options.dryRun || plan.toRun.length === 0) return result;
  const sessionSettings = prepare ? await prepare() : options.sessionSettings;
  if (!journal) await ports.journal.ensureJournal();
  const onWait = waitNotice(onEvent);
  for (const [index, seed] of plan.toRun.entries()) {
    onEvent(applyingEvent(seed, "transaction"));
    tallyOutcome(result, onEvent, seed, await ports.applier.applySeed(seed, partsOf(seed), { ...options, ...(sessionSettings ? { sessionSettings } : {}), onWait, asyncCommit: index < plan.toRun.length - 1 }));
  }
  return result;
}

/** `dbkit seed`: run the seeds that are due, without migrating. */
export async function runSeedsOnly(ports: { journal: Journal; applier: Applier }, onEvent: OnEvent, seeds: SeedFile[], partsOf: (seed: SeedFile) => SeedPartSource, options: SeedRunOptions): Promise<SeedResult> {
  return runSeeds(ports, onEvent, seeds, await ports.journal.readJournal(), partsOf, options);
}
