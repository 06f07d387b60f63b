/** `migrate`: apply pending migrations in order, each exactly once, refusing on drift. */
import { limitToTarget, planMigrations, type MigrationPlan } from "../core/plan.js";
import { adoptionHint, describeHistory, type OtherHistory } from "../core/other-tools.js";
import type { MigrationFile } from "../core/types.js";
import { DriftError, UnresolvedMigrationError, UsageError } from "../errors.js";
import { checkAllPending } from "./check-all-pending.js";
import type { Applier, ApplyOptions, ApplyOutcome, Journal, SeedPartSource } from "./ports.js";
import { runSeeds, type SeedResult } from "./seed.js";
import { tallyOutcome } from "./outcome.js";
import { waitNotice } from "./wait-notice.js";
import { applyingEvent, type DbkitEvent, type OnEvent } from "./events.js";
import { durableEvents } from "./durable-events.js";
import { withNoJournalHint } from "./no-journal-hint.js";
import { waitForLiveRunners } from "./running-owner.js";
import { summaryIfInSync } from "./journal-in-sync.js";
import type { SeedFile } from "../core/types.js";

export interface MigrateOptions {
  files: MigrationFile[];
  to?: string;
  dryRun?: boolean;
  allowOutOfOrder?: boolean;
  /** Every pending migration in one transaction: all or nothing. */
  singleTransaction?: boolean;
  lockTimeout: string;
  statementTimeout: string;
  dbkitVersion: string;
  lockRetries?: number;
  /** The project's session settings (search_path, ...) for every migration and seed. */
  sessionSettings?: Readonly<Record<string, string>>;
  /**
   * Called once, only when something is about to run (not on a no-op, a dry run or a refusal):
   * prepares the database (the Supabase base) and returns the session settings to use instead.
   */
  prepare?: () => Promise<Readonly<Record<string, string>>>;
  /** Other tools' journals in this database: read before a first run, which they would make a re-run. */
  otherHistories?: () => Promise<OtherHistory[]>;
  /** Seeds to run after the migrations; undefined with --no-seed. */
  seeds?: { files: SeedFile[]; partsOf: (seed: SeedFile) => SeedPartSource };
  /** Told once the plan has files to apply (not on a no-op, a dry run or a wait), before they are checked. */
  willApply?: (count: number) => void;
}

export interface PlannedStep {
  name: string;
  path: string;
  mode: "transaction" | "no-transaction";
}

export interface MigrateResult {
  dryRun: boolean;
  /** What was (or, with --dry-run, would be) applied, in order. */
  planned: PlannedStep[];
  applied: { name: string; executionMs: number }[];
  /** Files another runner applied while this one waited. */
  appliedByOther: string[];
  missing: string[];
  /** Seeds run after the migrations (null with --no-seed). */
  seeds: SeedResult | null;
}

/**
 * `waitedFor`: set when this run waited for another runner's run to end; the files it planned
 * then and finds applied now are reported as applied by that runner.
 */
export async function runMigrate(ports: { journal: Journal; applier: Applier }, onEvent: OnEvent, options: MigrateOptions, waitedFor?: string[], led = false): Promise<MigrateResult> {
  const { applier } = ports;
  // Nothing to apply, proven from the journal's summary: no row of a migration read, none planned.
  const seedRows = options.to === undefined && waitedFor === undefined ? (await summaryIfInSync(ports.journal, options.files))?.seeds : undefined;
  // A no-transaction migration another runner is applying now is waited for, not taken for a crash.
  const journal = seedRows ?? (await waitForLiveRunners(ports.journal, await ports.journal.readJournal(), onEvent));
  const plan = seedRows ? NOTHING_TO_DO : planMigrations(options.files, (journal ?? []).filter((row) => row.kind === "migration"));
  refuseOnDrift(plan, options);
  // The plan's warnings are said by the pass that goes on to apply, not again by each pass that plans once more.
  const warnings: DbkitEvent[] = [];
  const warn: OnEvent = (event) => warnings.push(event);
  for (const entry of plan.missing) warn({ type: "warning", message: `${entry.name} is recorded as applied but its file is gone` });
  const toApply = selectTarget(plan, options.to, warn);
  const planned = toApply.map((file) => ({ name: file.name, path: file.path, mode: file.directives.noTransaction ? "no-transaction" : "transaction" }) as const);
  const result: MigrateResult = { dryRun: Boolean(options.dryRun), planned, applied: [], appliedByOther: [], missing: plan.missing.map((e) => e.name), seeds: null };

  // One runner applies at a time: another that finds a run under way waits for it once, then
  // plans again from the journal, instead of racing it file by file. This comes before the
  // checks below, so a waiter never reads through files that the run it waits for applies.
  // Led, it plans once more too: the journal was read before the lock, and a run that ended just
  // before the lock was taken may have applied files of this plan (each would be refused by its
  // guard, and every file sent behind it would log an error on the server).
  if (!led && !options.dryRun && toApply.length > 0 && applier.leadRun) {
    const waited = await applier.leadRun(waitNotice(onEvent));
    return runMigrate(ports, onEvent, options, waitedFor ?? toApply.map((file) => file.name), !waited);
  }
  for (const event of warnings) onEvent(event);
  if (!options.dryRun && toApply.length > 0) options.willApply?.(toApply.length);

  // Every pending file is checked before the first one runs: a bad file late in the list must
  // not leave the database half-way through a deploy.
  const checked = await checkAllPending(toApply, options.files, applier.sqlDialect?.() ?? {});
  const noTransaction = options.singleTransaction ? checked.filter((entry) => entry.statements).map((entry) => entry.file.path) : [];
  if (noTransaction.length > 0) {
    const which = noTransaction.length === 1 ? `${noTransaction[0]} is a no-transaction file` : `${noTransaction.join(", ")} are no-transaction files`;
    throw new UsageError("DBKIT_SINGLE_TRANSACTION", `--single-transaction: ${which} and cannot run inside one transaction`, {
      hint: "apply the files before it with --to and --single-transaction, then run dbkit migrate without it",
    });
  }

  if (waitedFor) {
    const pending = new Set(toApply.map((file) => file.name));
    const recorded = new Set((journal ?? []).map((row) => row.name));
    for (const file of options.files) if (waitedFor.includes(file.name) && !pending.has(file.name) && recorded.has(file.name)) tallyOutcome(result, onEvent, file, { kind: "skipped" });
  }

  const applyOptions: Omit<ApplyOptions, "onWait"> = {
    lockTimeout: options.lockTimeout,
    statementTimeout: options.statementTimeout,
    dbkitVersion: options.dbkitVersion,
    lockRetries: options.lockRetries ?? 0,
    onLockRetry: (message: string) => onEvent({ type: "warning", message: message }),
    ...(options.sessionSettings ? { sessionSettings: options.sessionSettings } : {}),
  };
  let prepared: Promise<void> | undefined;
  const prepare = () =>
    (prepared ??= options.prepare ? options.prepare().then((settings) => void (applyOptions.sessionSettings = settings)) : Promise.resolve());
  const onWait = waitNotice(onEvent);
  const applying = options.dryRun ? [] : checked;
  if (!journal && applying.length > 0 && options.otherHistories) refuseOtherHistories(await options.otherHistories());
  try {
    if (applying.length > 0) await prepare();
    if (applying.length > 0 && !journal) await ports.journal.ensureJournal();
    if (options.singleTransaction && applying.length > 0) {
      const files = applying.map((entry) => entry.file);
      const outcomes = await applier.applyAllInTransaction(files, { ...applyOptions, onWait }, (file) => onEvent(applyingEvent(file, "transaction")));
      for (const file of files) tallyOutcome(result, onEvent, file, outcomes.get(file.name)!);
    } else {
      // What is reported as applied is durable: held back until the next synchronous commit.
      const durable = durableEvents(onEvent);
      const progress = { applying: (file: MigrationFile) => onEvent(applyingEvent(file, "transaction")), done: (file: MigrationFile, outcome: ApplyOutcome) => tallyOutcome(result, durable.onEvent, file, outcome) };
      try {
        for (let index = 0; index < applying.length; ) {
          const { file, statements } = applying[index]!;
          if (statements) {
            onEvent(applyingEvent(file, "no-transaction"));
            const outcome = await applier.applyWithoutTransaction(file, statements, { ...applyOptions, onWait });
            // Its commits wait for the flush, which makes the batch before it durable too.
            durable.flush();
            tallyOutcome(result, onEvent, file, outcome);
            index++;
            continue;
          }
          // The files up to the next no-transaction one go together; only the run's last commit waits for the WAL flush.
          let end = index;
          while (end < applying.length && !applying[end]!.statements) end++;
          const files = applying.slice(index, end).map((entry) => entry.file);
          await applier.applyEachInTransaction(files, { ...applyOptions, onWait, asyncCommit: end < applying.length }, progress);
          if (end === applying.length) durable.flush();
          index = end;
        }
      } catch (error) {
        // The files before a failure are committed; they are reported once a synchronous commit
        // made them durable, and not at all when that cannot be done (the server is gone).
        const lost = (error as { code?: string }).code === "DBKIT_CONNECTION_LOST";
        if (!lost && applier.makeDurable && (await applier.makeDurable().then(() => true, () => false))) durable.flush();
        throw error;
      }
    }
  } catch (error) {
    // Without a journal, "already exists" means the database was migrated before, not a bad file.
    throw journal ? error : withNoJournalHint(error);
  }
  // Seeds run only when every migration is in: `--to` stops short of the schema they expect.
  if (options.seeds && options.to === undefined) {
    const journalNow = journal ?? (applying.length > 0 ? [] : undefined);
    result.seeds = await runSeeds(ports, onEvent, options.seeds.files, journalNow, options.seeds.partsOf, { ...applyOptions, dryRun: Boolean(options.dryRun) }, async () => {
      await prepare();
      return applyOptions.sessionSettings;
    });
  }
  return result;
}

/** The plan of a journal that holds every file applied as it is, and nothing else. */
const NOTHING_TO_DO: MigrationPlan = { entries: [], toApply: [], changed: [], missing: [], unresolved: [], outOfOrder: [] };

/** A database another tool migrated: running every file again would fail on what exists, or worse. */
function refuseOtherHistories(found: OtherHistory[]): void {
  if (found.length === 0) return;
  throw new UsageError("DBKIT_OTHER_TOOL_HISTORY", `this database has ${found.map(describeHistory).join(" and ")} and no dbkit journal: its migrations were applied by another tool`, {
    hint: adoptionHint(found),
    details: { histories: found.map((history) => ({ tool: history.tool, table: history.table })) },
  });
}

/**
 * Nothing the journal records is in this folder: most likely the journal of another folder migrating
 * the same database (projects keep one folder per schema or service, each with its own history
 * table: dbmate's --migrations-table, golang-migrate's x-migrations-table).
 */
function journalOfAnotherFolder(plan: MigrationPlan): boolean {
  return plan.missing.length > 0 && !plan.entries.some((entry) => entry.file && entry.row);
}

const ANOTHER_FOLDERS_JOURNAL =
  "none of the migrations this database's journal records is in this folder: it may be the journal of another folder migrating this database; give each folder a journal of its own with --journal-schema <schema> (journalSchema in dbkit.config.json)";

function refuseOnDrift(plan: MigrationPlan, options: MigrateOptions): void {
  const unresolved = plan.unresolved[0];
  if (unresolved) throw new UnresolvedMigrationError(unresolved.name, unresolved.state);
  if (plan.changed.length > 0) {
    const lines = plan.changed.map((entry) => {
      const when = entry.row!.appliedAt.toISOString();
      return `${entry.file!.path}: applied ${when} with checksum ${entry.row!.checksum.slice(0, 12)}, file now ${entry.file!.checksum.slice(0, 12)}`;
    });
    throw new DriftError("DBKIT_CHECKSUM_MISMATCH", `${plan.changed.length} applied migration(s) changed since they were applied: ${lines.join("; ")}`, {
      hint: "restore the applied file(s) as they were and put the change in a new migration; while writing the newest one on a local database, dbkit redo applies it again; after a deliberate, reviewed edit, dbkit resolve <name> --accept-checksum records it",
      details: {
        changed: plan.changed.map((entry) => ({ name: entry.name, file: entry.file!.path, recordedChecksum: entry.row!.checksum, fileChecksum: entry.file!.checksum, appliedAt: entry.row!.appliedAt.toISOString() })),
      },
    });
  }
  if (plan.outOfOrder.length > 0 && !options.allowOutOfOrder) {
    const names = plan.outOfOrder.map((entry) => entry.name);
    const usual = "rename them with a later version, or run with --allow-out-of-order to apply them anyway";
    throw new DriftError("DBKIT_OUT_OF_ORDER", `${names.length} pending migration(s) sort before the newest applied one: ${names.join(", ")}`, {
      hint: journalOfAnotherFolder(plan) ? `${ANOTHER_FOLDERS_JOURNAL}; otherwise ${usual}` : usual,
      details: { outOfOrder: names },
    });
  }
}

function selectTarget(plan: MigrationPlan, to: string | undefined, onEvent: OnEvent): MigrationFile[] {
  if (to === undefined) return plan.toApply;
  const target = limitToTarget(plan, to);
  if (target.kind === "unknown") {
    throw new UsageError("DBKIT_UNKNOWN_TARGET", `--to ${to}: no migration has that name or version`, { hint: "run dbkit status to list the migrations" });
  }
  if (target.kind === "already-applied") {
    onEvent({ type: "warning", message: `--to ${to}: ${target.name} is already applied; nothing to do` });
    return [];
  }
  return target.toApply;
}
