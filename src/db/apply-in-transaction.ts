/**
 * Files applied in transactions, each file with its journal row: each file in its own transaction
 * (migrate), or all in one (--single-transaction). Files are sent without waiting for each
 * answer (pipelined), behind a guard that refuses when another runner holds the lock or recorded
 * a file; a refusal or a lock timeout sends that file the careful way (lock, re-read, retry).
 */
import type { MigrationFile } from "../core/types.js";
import type { ApplyOptions, ApplyOutcome, ApplyProgress } from "../engine/ports.js";
import { UnresolvedMigrationError } from "../errors.js";
import { GUARD_REFUSED, lockAndRereadAll, recordSql, sessionSettings } from "./apply-sql.js";
import { lastRowWith } from "./journal-rows.js";
import { dollarQuote, quoteLiteral } from "./journal-sql.js";
import { retryOnLockTimeout, type FailedAttempt } from "./lock-retry.js";
import { migrationErrorFor } from "./migration-errors.js";
import { pipelined } from "./pipelined.js";
import { retryWhileRunnerAtWork } from "./runner-at-work.js";
import type { PendingResults, Session } from "./session.js";

export class TransactionalApplier {
  constructor(private readonly session: Session) {}

  async applyAllInTransaction(files: MigrationFile[], options: ApplyOptions, onApplying: (file: MigrationFile) => void): Promise<Map<string, ApplyOutcome>> {
    return this.applyInOneTransaction(files, options, { what: "the run", wholeRun: true, onApplying });
  }

  async applyEachInTransaction(files: MigrationFile[], options: ApplyOptions, progress: ApplyProgress): Promise<void> {
    for (let from = 0; from < files.length; ) {
      const stopped = await this.pipelineEach(files, from, options, progress);
      if (!stopped) return;
      // The guard refused (another runner holds the lock or recorded a file) or the file hit
      // lock_timeout: this file goes the careful way, which waits or retries.
      const file = files[stopped.index]!;
      const outcomes = await this.applyInOneTransaction([file], this.commitOptions(files, stopped.index, options), {
        what: file.name,
        wholeRun: false,
        onApplying: () => undefined,
        ...(stopped.lockTimeout ? { firstAttempt: stopped.lockTimeout } : {}),
      });
      progress.done(file, outcomes.get(file.name)!);
      from = stopped.index + 1;
    }
  }

  /** Every file but the last of a batch commits without waiting for the WAL flush; the last too with asyncCommit. */
  private commitOptions(files: MigrationFile[], index: number, options: ApplyOptions): ApplyOptions {
    return { ...options, asyncCommit: index < files.length - 1 || Boolean(options.asyncCommit) };
  }

  /**
   * Sends the files from `from` on, each in its own transaction (BEGIN and the guard of
   * startPipelined, then the file with its journal row and COMMIT), up to PIPELINE_WINDOW files
   * ahead of the answer awaited, and takes the answers in order. Once a file fails its transaction is aborted and the
   * server refuses everything sent after it until the ROLLBACK: no file runs after a failure.
   * Returns the file to take the careful way, if any; throws a file's failure.
   */
  private async pipelineEach(files: MigrationFile[], from: number, options: ApplyOptions, progress: ApplyProgress): Promise<{ index: number; lockTimeout?: FailedAttempt } | undefined> {
    const sent = pipelined(files.slice(from), (file, k) => {
      const fileOptions = this.commitOptions(files, from + k, options);
      const opening = this.sendOpening([file], fileOptions);
      const results = this.sendFile(file, fileOptions, true);
      opening.catch(() => undefined);
      results.catch(() => undefined);
      return { index: from + k, opening, results };
    });
    for (const [file, { index, opening, results }] of sent) {
      progress.applying(file);
      this.session.monitor.start(this.session.backendPid);
      try {
        await this.session.orLost(opening);
        const answer = await this.session.orLost(this.session.track(results));
        this.session.monitor.stop();
        progress.done(file, { kind: "applied", executionMs: lastRowWith<{ execution_ms: number }>(answer, "execution_ms")?.execution_ms ?? 0 });
      } catch (error) {
        const blockers = this.session.monitor.stop();
        await this.session.rollbackAfter(error);
        if ((error as { code?: string }).code === GUARD_REFUSED) return { index };
        const failure = migrationErrorFor(error, file, this.session.target);
        if (failure.code === "DBKIT_LOCK_TIMEOUT") return { index, lockTimeout: { error: failure, blockers } };
        throw failure;
      }
    }
    return undefined;
  }

  /**
   * Files in one transaction, sent without waiting for answers, up to PIPELINE_WINDOW ahead
   * (postgres.js pipelines them): each file goes with its journal row, and the last one with
   * COMMIT too. A
   * row's statement runs only if every statement of its file succeeded. The file comes first, so
   * error positions stay positions in the file; the newline ends a trailing comment. (postgres.js's
   * begin() would add a round trip each for BEGIN and COMMIT: a fifth of a thousand-file run.)
   * BEGIN goes with the lock, a check of the journal and the session settings, ahead of the first
   * file (see startPipelined); when the check refuses, the transaction is rolled back and the lock
   * is taken and the journal re-read in their own round trip. Files another runner applied
   * meanwhile are skipped.
   */
  private async applyInOneTransaction(
    files: MigrationFile[],
    options: ApplyOptions,
    { what, wholeRun, onApplying, firstAttempt }: { what: string; wholeRun: boolean; onApplying: (file: MigrationFile) => void; firstAttempt?: FailedAttempt },
  ): Promise<Map<string, ApplyOutcome>> {
    const attempt = async () => {
      let current: MigrationFile | undefined;
      try {
        return await this.inSelfManagedTransaction(async () => {
          const outcomes = new Map<string, ApplyOutcome>(files.map((file) => [file.name, { kind: "skipped" }]));
          const send = (file: MigrationFile, index: number, count: number) => {
            const results = this.sendFile(file, options, index === count - 1);
            results.catch(() => undefined);
            return results;
          };
          let toRun = files;
          const first = await this.startPipelined(files, options, () => send(files[0]!, 0, files.length));
          if (!first.started) {
            const rows = await lockAndRereadAll(this.session, this.session.sql, files.map((file) => file.name), options, sessionSettings(options, "local"), "begin isolation level read committed");
            const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
            // A repeatable counts as done only with its new content recorded.
            toRun = files.filter((file) => !recorded.has(file.name) || (file.repeatable && recorded.get(file.name) !== file.checksum));
            if (toRun.length === 0) await this.session.sql.unsafe("rollback");
          }
          // Files are sent without waiting for the one before (postgres.js pipelines them): once
          // one fails, the server refuses the rest (the transaction is aborted), so none runs
          // after a failure.
          const sent = pipelined(toRun, (file, index) => (index === 0 && first.started ? first.results : send(file, index, toRun.length)));
          for (const [file, results] of sent) {
            current = file;
            onApplying(file);
            const executionMs = lastRowWith<{ execution_ms: number }>(await this.session.track(results), "execution_ms")?.execution_ms ?? 0;
            outcomes.set(file.name, { kind: "applied", executionMs });
          }
          return outcomes;
        });
      } catch (error) {
        if (error instanceof UnresolvedMigrationError) throw error;
        // Without --single-transaction, whatever fails in a file's transaction is that file's failure.
        const blamed = current ?? (wholeRun ? undefined : files[0]);
        throw blamed ? migrationErrorFor(error, blamed, this.session.target, { wholeRun }) : this.session.mapError(error);
      }
    };
    return retryOnLockTimeout(this.session.monitor, this.session.backendPid, what, options, () => retryWhileRunnerAtWork(this.session, attempt, options.onWait), firstAttempt);
  }

  /**
   * For work that sends its own BEGIN and COMMIT on the one connection: on failure the
   * transaction is rolled back (a ROLLBACK after a failed COMMIT only draws a notice).
   */
  private async inSelfManagedTransaction<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.session.orLost(work());
    } catch (error) {
      await this.session.rollbackAfter(error);
      throw error;
    }
  }

  /**
   * Sends BEGIN, the session settings and a guard, and right behind them (without waiting for
   * their answer) the first file: postgres.js pipelines them, so a file costs one round trip, not
   * two. The guard raises unless the migration lock is free and no file of this run, and no
   * unresolved row, is in the journal; then the server skips the file (its transaction is
   * aborted), this rolls back and returns started: false, and the caller takes the careful path.
   */
  private async startPipelined(files: MigrationFile[], options: ApplyOptions, sendFirstFile: () => PendingResults): Promise<{ started: true; results: PendingResults } | { started: false }> {
    const opening = this.sendOpening(files, options);
    const firstFile = sendFirstFile();
    firstFile.catch(() => undefined);
    try {
      await opening;
      return { started: true, results: firstFile };
    } catch (error) {
      // Anything but the guard's refusal (a lost connection, a bad setting) is this file's failure.
      if ((error as { code?: string }).code !== GUARD_REFUSED) throw error;
      await firstFile.catch(() => undefined);
      await this.session.sql.unsafe("rollback");
      return { started: false };
    }
  }

  /** BEGIN, the guard of startPipelined over `files`, and the session settings: sent now. */
  private sendOpening(files: MigrationFile[], options: ApplyOptions): PendingResults {
    const names = files.filter((file) => !file.repeatable).map((file) => quoteLiteral(file.name));
    // A repeatable runs again under its name: only its new content recorded means another runner did it.
    const rerun = files.filter((file) => file.repeatable).map((file) => `(${quoteLiteral(file.name)}, ${quoteLiteral(file.checksum)})`);
    const recorded = [...(names.length > 0 ? [`name in (${names.join(", ")})`] : []), ...(rerun.length > 0 ? [`(name, checksum) in (${rerun.join(", ")})`] : [])].join(" or ") || "false";
    // Two statements: under READ COMMITTED each takes its snapshot when it starts, so the journal
    // is read after the lock is held (one expression would read it with a snapshot from before).
    const guard = `do ${dollarQuote(`begin
  if not pg_try_advisory_xact_lock(${this.session.lockKey}) then
    raise exception 'dbkit: another runner holds the migration lock' using errcode = '${GUARD_REFUSED}';
  end if;
  if exists (select from ${this.session.table} where ${recorded} or status <> 'applied') then
    raise exception 'dbkit: the journal changed since it was read' using errcode = '${GUARD_REFUSED}';
  end if;
end`)}`;
    const settings = sessionSettings(options, "local");
    return this.session.sql.unsafe(`begin isolation level read committed; ${guard}; reset all; reset role; reset session authorization${settings ? `; ${settings}` : ""}`).simple().execute();
  }

  /** A file with its journal row, and COMMIT when `commit`: sent now. */
  private sendFile(file: MigrationFile, options: ApplyOptions, commit: boolean): PendingResults {
    return this.session.sql.unsafe(`${file.text}\n;\n${recordSql(this.session.table, file, options.dbkitVersion)}${commit ? ";\ncommit" : ""}`).simple().execute();
  }
}
