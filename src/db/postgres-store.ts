/** The MigrationStore on a real Postgres: journal reads and writes, locking, applying files. */
import { performance } from "node:perf_hooks";
import type postgres from "postgres";
import type { DownSql, JournalRow, MigrationFile, SeedFile } from "../core/types.js";
import type { ApplyOptions, ApplyOutcome, ApplyProgress, ExpectedState, MigrationStore, Resolution, RunningOwner, SeedPartSource, ServerInfo, TargetInfo, TargetState } from "../engine/ports.js";
import type { VerifyScope } from "../core/verify-scope.js";
import type { TargetFacts } from "../core/build-context.js";
import { readTargetFacts } from "./build-context.js";
import { readCatalog } from "./catalog-reader.js";
import { readSecurityFacts } from "./security-facts.js";
import type { SecurityFacts } from "../core/security-checks.js";
import { readExpectedRows, readLiveRows, readRowSecurityHidden } from "./seed-rows.js";
import { DbkitError, UnresolvedMigrationError, UsageError } from "../errors.js";
import type { SqlStatement } from "../sql/parse-sql.js";
import { connectionErrorFor, isConnectionGone } from "./connection-errors.js";
import { copyIn } from "./copy-in.js";
import { LockMonitor } from "./lock-monitor.js";
import { retryOnLockTimeout, type FailedAttempt } from "./lock-retry.js";
import { pipelined } from "./pipelined.js";
import { onDriverSocketCrash } from "./driver-guard.js";
import { installSupabaseBase, readSupabaseHistory } from "./supabase-queries.js";
import { lastRowWith, toJournalRow, unpackJournal, type PackedJournal, type RawRow } from "./journal-rows.js";
import { revertMigration } from "./revert.js";
import { waitForLock } from "./wait-for-lock.js";
import { recordResolution } from "./resolution-history.js";
import { claimRow, readRunningOwner } from "./running-owner.js";
import { runLockKeyFor, takeRunLock } from "./run-lock.js";
import { resetDatabase, type ResetPlan, type ResetResult } from "./reset-database.js";
import type { Connection, Sql } from "./connect.js";
import { createJournalSql, JOURNAL_COLUMNS, journalTable, lockKeyFor, packedJournalSql, quoteLiteral, dollarQuote } from "./journal-sql.js";
import { migrationErrorFor, seedErrorFor, type SeedPartContext } from "./migration-errors.js";


type TxSql = postgres.TransactionSql;
type Recordable = Pick<MigrationFile | SeedFile, "name" | "version" | "kind" | "checksum">;

interface RereadRow {
  name: string;
  status: string;
  checksum: string;
}



export class PostgresStore implements MigrationStore {
  readonly target: TargetInfo;
  private readonly sql: Sql;
  private readonly table: string;
  private readonly lockKey: string;
  /** The migration SQL running now, so an interrupt can cancel it. */
  private running: { cancel(): unknown } | undefined;
  private readonly monitor: LockMonitor;
  private readonly backendPid: number;
  private earlyJournal: Promise<JournalRow[] | undefined> | undefined;
  /** Rejects when the driver's connection broke in a way its own promises cannot report. */
  private readonly lost: Promise<never>;
  private readonly stopGuard: () => void;

  constructor(connection: Connection, private readonly journalSchema: string, embedded: boolean) {
    this.sql = connection.sql;
    this.target = { ...connection.target, embedded };
    this.table = journalTable(journalSchema);
    this.lockKey = lockKeyFor(journalSchema);
    this.backendPid = connection.backendPid;
    this.monitor = new LockMonitor(() => connection.another("dbkit-lock-monitor"));
    let markLost: (error: unknown) => void = () => undefined;
    this.lost = new Promise<never>((_, reject) => (markLost = reject));
    this.lost.catch(() => undefined);
    this.stopGuard = onDriverSocketCrash(() => markLost(Object.assign(new Error("connection closed"), { code: "CONNECTION_CLOSED" })));
  }

  /** Every transaction goes through here, so a broken connection ends it instead of hanging it. */
  private transaction<T>(mode: string, work: (tx: TxSql) => Promise<T>): Promise<T> {
    return Promise.race([this.sql.begin(mode, work) as Promise<T>, this.lost]);
  }

  async leadRun(onWait: () => void): Promise<boolean> {
    return this.run(() => takeRunLock(this.sql, runLockKeyFor(this.journalSchema), onWait));
  }

  async runningOwner(name: string): Promise<RunningOwner | undefined> {
    return this.run(() => readRunningOwner(this.sql, this.table, name));
  }

  /** From the server's ParameterStatus at start-up (and after any SET): no query needed. */
  sqlDialect(): { backslashEscapes: boolean } {
    return { backslashEscapes: (this.sql.parameters as Record<string, string | undefined>).standard_conforming_strings === "off" };
  }

  async serverInfo(): Promise<ServerInfo> {
    const [row] = await this.run(() =>
      this.sql.unsafe<{ version: string; read_only: string; recovery: boolean }[]>(
        "select current_setting('server_version') as version, current_setting('transaction_read_only') as read_only, pg_is_in_recovery() as recovery",
      ),
    );
    return { version: row!.version, readOnly: row!.read_only === "on" || row!.recovery };
  }

  /**
   * Starts the journal read now, so its round trips overlap what the caller does next (reading the
   * project's files). The next readJournal takes this result. An earlier snapshot is as good as a
   * later one: migrate re-reads the rows of the files it applies under the migration lock.
   */
  readJournalEarly(): void {
    this.earlyJournal = this.readJournal();
    this.earlyJournal.catch(() => undefined);
  }

  async readJournal(): Promise<JournalRow[] | undefined> {
    const early = this.earlyJournal;
    this.earlyJournal = undefined;
    if (early) return early;
    try {
      // Both queries go out together (the driver pipelines them): one round trip. Outside a
      // transaction the second one failing on a missing journal harms nothing.
      const exists = this.sql.unsafe<{ ok: boolean }[]>(this.journalExistsSql());
      const packed = this.sql.unsafe<PackedJournal[]>(packedJournalSql(this.table)).execute();
      packed.catch(() => undefined);
      if (!(await exists)[0]?.ok) return undefined;
      return await this.rowsIn(this.sql, packed);
    } catch (error) {
      throw this.mapError(error);
    }
  }

  /** One query whatever the number of migrations; undefined when the journal does not exist. */
  private async journalIn(tx: TxSql): Promise<JournalRow[] | undefined> {
    const [exists] = await tx.unsafe<{ ok: boolean }[]>(this.journalExistsSql());
    if (!exists?.ok) return undefined;
    return this.rowsIn(tx, tx.unsafe<PackedJournal[]>(packedJournalSql(this.table)));
  }

  private journalExistsSql(): string {
    return `select to_regclass(${quoteLiteral(this.table)}) is not null as ok`;
  }

  /** The rows of the packed journal, or (a name with the separator in it) read one by one. */
  private async rowsIn(sql: Sql | TxSql, packed: PromiseLike<PackedJournal[]>): Promise<JournalRow[]> {
    const rows = unpackJournal((await packed)[0]!);
    return rows ?? (await sql.unsafe<RawRow[]>(`select ${JOURNAL_COLUMNS} from ${this.table} order by name`)).map(toJournalRow);
  }

  async readExpected(scope: VerifyScope): Promise<ExpectedState> {
    return this.run(async () => {
      const catalog = await readCatalog(this.sql, scope);
      const { tables, findings } = await readExpectedRows(this.sql, scope.schemas);
      return { catalog, seedTables: tables, seedFindings: findings };
    });
  }

  async readTarget(scope: VerifyScope, expected: ExpectedState, security?: { exposedSchemas: string[] }): Promise<TargetState> {
    // One snapshot for every read, and READ ONLY: verify must never write to production.
    return this.run(() =>
      this.transaction("isolation level repeatable read read only", async (tx) => ({
        journal: await this.journalIn(tx),
        catalog: await readCatalog(tx, scope),
        liveRows: await readLiveRows(tx, expected.seedTables),
        hiddenByRowSecurity: await readRowSecurityHidden(tx, expected.seedTables),
        ...(security ? { security: await readSecurityFacts(tx, security.exposedSchemas, this.journalSchema) } : {}),
      })),
    );
  }

  async readTargetFacts(): Promise<TargetFacts> {
    return this.run(() => readTargetFacts(this.sql));
  }

  async readSecurity(exposedSchemas: string[]): Promise<SecurityFacts> {
    return this.run(() => this.transaction("isolation level repeatable read read only", (tx) => readSecurityFacts(tx, exposedSchemas, this.journalSchema)));
  }

  async ensureJournal(): Promise<void> {
    await this.run(() =>
      this.transaction("isolation level read committed", async (tx) => {
        await this.acquireLock(tx, () => undefined);
        await tx.unsafe(createJournalSql(this.journalSchema));
      }),
    );
  }

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
      this.monitor.start(this.backendPid);
      try {
        await Promise.race([opening, this.lost]);
        const answer = await Promise.race([this.track(results), this.lost]);
        this.monitor.stop();
        progress.done(file, { kind: "applied", executionMs: lastRowWith<{ execution_ms: number }>(answer, "execution_ms")?.execution_ms ?? 0 });
      } catch (error) {
        const blockers = this.monitor.stop();
        await this.rollbackAfter(error);
        if ((error as { code?: string }).code === GUARD_REFUSED) return { index };
        const failure = migrationErrorFor(error, file, this.target);
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
            const rows = await this.lockAndRereadAll(this.sql, files.map((file) => file.name), options, sessionSettings(options, "local"), "begin isolation level read committed");
            const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
            // A repeatable counts as done only with its new content recorded.
            toRun = files.filter((file) => !recorded.has(file.name) || (file.repeatable && recorded.get(file.name) !== file.checksum));
            if (toRun.length === 0) await this.sql.unsafe("rollback");
          }
          // Files are sent without waiting for the one before (postgres.js pipelines them): once
          // one fails, the server refuses the rest (the transaction is aborted), so none runs
          // after a failure.
          const sent = pipelined(toRun, (file, index) => (index === 0 && first.started ? first.results : send(file, index, toRun.length)));
          for (const [file, results] of sent) {
            current = file;
            onApplying(file);
            const executionMs = lastRowWith<{ execution_ms: number }>(await this.track(results), "execution_ms")?.execution_ms ?? 0;
            outcomes.set(file.name, { kind: "applied", executionMs });
          }
          return outcomes;
        });
      } catch (error) {
        if (error instanceof UnresolvedMigrationError) throw error;
        // Without --single-transaction, whatever fails in a file's transaction is that file's failure.
        const blamed = current ?? (wholeRun ? undefined : files[0]);
        throw blamed ? migrationErrorFor(error, blamed, this.target, { wholeRun }) : this.mapError(error);
      }
    };
    return retryOnLockTimeout(this.monitor, this.backendPid, what, options, attempt, firstAttempt);
  }

  /**
   * For work that sends its own BEGIN and COMMIT on the one connection: on failure the
   * transaction is rolled back (a ROLLBACK after a failed COMMIT only draws a notice).
   */
  private async inSelfManagedTransaction<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await Promise.race([work(), this.lost]);
    } catch (error) {
      await this.rollbackAfter(error);
      throw error;
    }
  }

  /** Rolls back after `error`, unless the connection is gone: the server rolled back already. */
  private async rollbackAfter(error: unknown): Promise<void> {
    if (isConnectionGone(error)) return;
    await Promise.race([this.sql.unsafe("rollback"), this.lost]).catch(() => undefined);
  }

  async applyWithoutTransaction(file: MigrationFile, statements: SqlStatement[], options: ApplyOptions): Promise<ApplyOutcome> {
    // A session lock held for the whole file makes concurrent runners wait rather than see the
    // `running` row; it is released on disconnect, so a crash leaves `running` for resolve.
    await this.run(() => waitForLock(() => this.sql.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_lock(${this.lockKey}) as locked`), options.onWait));
    try {
      const claimed = await this.run(() =>
        this.transaction("isolation level read committed", async (tx) => {
          if (await this.lockAndReread(tx, file.name, options)) return false;
          await this.insertRow(tx, file, "running", null, options.dbkitVersion, null);
          await claimRow(tx, this.table, file.name);
          return true;
        }),
      );
      if (!claimed) return { kind: "skipped" };
      const started = performance.now();
      await this.run(() => this.sql.unsafe(sessionSettings(options, "session")).simple());
      for (const [index, statement] of statements.entries()) {
        try {
          await retryOnLockTimeout(this.monitor, this.backendPid, `${file.name} statement ${index + 1}`, options, async () => {
            try {
              await Promise.race([this.track(this.sql.unsafe(statement.text).simple()), this.lost]);
            } catch (error) {
              throw migrationErrorFor(error, file, this.target, { statement: { text: statement.text, offset: statement.offset, index: index + 1 } });
            }
          });
        } catch (failure) {
          await this.recordFailure(file, index + 1, statement.line, failure as DbkitError);
          throw failure;
        }
      }
      const executionMs = Math.round(performance.now() - started);
      await this.run(() =>
        this.sql.unsafe(`update ${this.table} set status = 'applied', execution_ms = $2, applied_at = now() where name = $1`, [file.name, executionMs]),
      );
      return { kind: "applied", executionMs };
    } finally {
      await this.sql.unsafe(`select pg_advisory_unlock(${this.lockKey})`).catch(() => undefined);
    }
  }

  async applySeed(seed: SeedFile, parts: SeedPartSource, options: ApplyOptions): Promise<ApplyOutcome> {
    return retryOnLockTimeout(this.monitor, this.backendPid, seed.name, options, () => this.applySeedOnce(seed, parts, options));
  }

  private async applySeedOnce(seed: SeedFile, parts: SeedPartSource, options: ApplyOptions): Promise<ApplyOutcome> {
    let current: SeedPartContext = { file: seed.path, kind: "sql", line: 1 };
    try {
      return await this.transaction("isolation level read committed", async (tx) => {
        const recorded = await this.lockAndReread(tx, seed.name, options);
        if (recorded && (seed.directives.seedOnce || recorded.checksum === seed.checksum)) return { kind: "skipped" } as const;
        await tx.unsafe(sessionSettings(options, "local")).simple();
        const started = performance.now();
        for await (const part of parts()) {
          current = part.kind === "sql" ? { file: part.file, kind: "sql", line: part.line, text: part.text } : { file: part.file, kind: "copy", line: part.line };
          if (part.kind === "sql") {
            await this.track(tx.unsafe(part.text).simple());
            continue;
          }
          // COPY ... FROM stdin streams its rows with backpressure: memory stays flat.
          await copyIn(tx, part.statement, part.data);
        }
        const executionMs = Math.round(performance.now() - started);
        await this.insertRow(tx, seed, "applied", executionMs, options.dbkitVersion, null);
        return { kind: "applied", executionMs } as const;
      });
    } catch (error) {
      if (error instanceof Error && "exitCode" in error) throw error;
      throw seedErrorFor(error, current, this.target);
    }
  }

  async recordApplied(files: MigrationFile[], how: "baselined" | "imported", dbkitVersion: string): Promise<string[]> {
    return this.run(() =>
      this.transaction("isolation level read committed", async (tx) => {
        await this.acquireLock(tx, () => undefined);
        const recorded: string[] = [];
        for (const file of files) {
          const rows = await tx.unsafe(
            `insert into ${this.table} (name, version, kind, checksum, status, dbkit_version, resolved_by, resolved_at, resolution)
             values ($1, $2, 'migration', $3, 'applied', $4, current_user, now(), $5) on conflict (name) do nothing returning name`,
            [file.name, file.version, file.checksum, dbkitVersion, how],
          );
          if (rows.length > 0) recorded.push(file.name);
        }
        return recorded;
      }),
    );
  }

  async readSupabaseHistory(): Promise<{ version: string; name: string | null }[] | undefined> {
    return this.run(() => readSupabaseHistory(this.sql));
  }

  async ensureSupabaseBase(): Promise<"installed" | "present" | "supabase"> {
    return this.run(() =>
      this.transaction("isolation level read committed", async (tx) => {
        await this.acquireLock(tx, () => undefined);
        return installSupabaseBase(tx);
      }),
    );
  }

  async reset(plan: ResetPlan): Promise<ResetResult> {
    return this.run(() =>
      this.transaction("isolation level read committed", async (tx) => {
        // The migration lock keeps a concurrent migrate from interleaving with the drop.
        await this.acquireLock(tx, () => undefined);
        return resetDatabase(tx, plan);
      }),
    );
  }

  async revert(file: MigrationFile, down: DownSql, statements: SqlStatement[] | undefined, options: ApplyOptions): Promise<{ executionMs: number }> {
    return this.run(() => Promise.race([revertMigration({ sql: this.sql, table: this.table, lockKey: this.lockKey, target: this.target }, file, down, statements, options), this.lost]));
  }

  async resolve(name: string, resolution: Resolution, dbkitVersion: string, checksum?: string): Promise<JournalRow> {
    return this.run(() =>
      this.transaction("isolation level read committed", async (tx) => {
        await this.acquireLock(tx, () => undefined);
        const [row] = await tx.unsafe<RawRow[]>(`select ${JOURNAL_COLUMNS} from ${this.table} where name = $1`, [name]);
        if (!row) throw new UsageError("DBKIT_RESOLVE_UNKNOWN", `${name} is not in the journal`, { hint: "run dbkit status to see the journal" });
        if (resolution === "accepted-checksum") {
          if (row.status !== "applied" || checksum === undefined) throw new UsageError("DBKIT_RESOLVE_NOT_APPLIED", `${name} is ${row.status}, not applied: there is no checksum to accept`, { hint: "resolve it with --applied or --rolled-back first" });
          // Who and when on the row; the old checksum in the resolutions history. (The row's
          // resolution column keeps its older check constraint on existing journals.)
          await recordResolution(tx, this.journalSchema, { name, previousStatus: row.status, checksum: row.checksum, error: row.error, resolution, dbkitVersion });
          const [updated] = await tx.unsafe<RawRow[]>(`update ${this.table} set checksum = $2, resolved_by = current_user, resolved_at = now() where name = $1 returning ${JOURNAL_COLUMNS}`, [name, checksum]);
          return toJournalRow(updated!);
        }
        if (row.status === "applied") {
          throw new UsageError("DBKIT_RESOLVE_NOT_FAILED", `${name} is applied, not failed or running: nothing to resolve`, { hint: "resolve only clears migrations that status shows as failed or running" });
        }
        await recordResolution(tx, this.journalSchema, { name, previousStatus: row.status, checksum: row.checksum, error: row.error, resolution, dbkitVersion });
        const recorded = `resolved_by = current_user, resolved_at = now(), resolution = ${quoteLiteral(resolution)}, dbkit_version = ${quoteLiteral(dbkitVersion)}`;
        if (resolution === "applied") {
          const [updated] = await tx.unsafe<RawRow[]>(`update ${this.table} set status = 'applied', ${recorded} where name = $1 returning ${JOURNAL_COLUMNS}`, [name]);
          return toJournalRow(updated!);
        }
        await tx.unsafe(`delete from ${this.table} where name = $1`, [name]);
        return toJournalRow(row);
      }),
    );
  }

  async close({ waitForServer = true }: { waitForServer?: boolean } = {}): Promise<void> {
    this.stopGuard();
    await this.monitor.close();
    // Nothing is pending in normal operation; after a lost connection the driver may still wait
    // for a ROLLBACK that can never be answered. A timeout of 0 still sends Terminate first.
    await this.sql.end({ timeout: waitForServer ? 1 : 0 }).catch(() => undefined);
  }

  async interrupt(): Promise<void> {
    // Cancelling makes the server roll the transaction back now, instead of when it next
    // notices the client is gone; then the connection closes cleanly.
    await Promise.resolve(this.running?.cancel()).catch(() => undefined);
    await this.sql.end({ timeout: 2 }).catch(() => undefined);
  }

  private async track<T>(query: Promise<T> & { cancel(): unknown }): Promise<T> {
    this.running = query;
    try {
      return await query;
    } finally {
      this.running = undefined;
    }
  }

  /** The journal row of a file applied by the statement this is appended to; returns its execution_ms. */
  private recordSql(file: MigrationFile, dbkitVersion: string): string {
    const values = [file.name, file.version, file.kind, file.checksum].map(quoteLiteral).join(", ");
    return `insert into ${this.table} (name, version, kind, checksum, status, execution_ms, dbkit_version)
      values (${values}, 'applied', (extract(epoch from clock_timestamp() - statement_timestamp()) * 1000)::int, ${quoteLiteral(dbkitVersion)})
      ${file.repeatable ? "on conflict (name) do update set checksum = excluded.checksum, status = 'applied', applied_at = now(), applied_by = current_user, execution_ms = excluded.execution_ms, dbkit_version = excluded.dbkit_version" : ""}
      returning execution_ms`;
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
      await this.sql.unsafe("rollback");
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
  if not pg_try_advisory_xact_lock(${this.lockKey}) then
    raise exception 'dbkit: another runner holds the migration lock' using errcode = '${GUARD_REFUSED}';
  end if;
  if exists (select from ${this.table} where ${recorded} or status <> 'applied') then
    raise exception 'dbkit: the journal changed since it was read' using errcode = '${GUARD_REFUSED}';
  end if;
end`)}`;
    const settings = sessionSettings(options, "local");
    return this.sql.unsafe(`begin isolation level read committed; ${guard}; reset all; reset role; reset session authorization${settings ? `; ${settings}` : ""}`).simple().execute();
  }

  /** A file with its journal row, and COMMIT when `commit`: sent now. */
  private sendFile(file: MigrationFile, options: ApplyOptions, commit: boolean): PendingResults {
    return this.sql.unsafe(`${file.text}\n;\n${this.recordSql(file, options.dbkitVersion)}${commit ? ";\ncommit" : ""}`).simple().execute();
  }

  /** Takes the migration lock, then reads this file's row (if any) and refuses on unresolved rows. */
  private async lockAndReread(tx: TxSql, name: string, options: ApplyOptions): Promise<{ status: string; checksum: string } | undefined> {
    return (await this.lockAndRereadAll(tx, [name], options)).find((row) => row.name === name);
  }

  /** Takes the migration lock, then reads the rows of `names` and refuses on unresolved rows. */
  private async lockAndRereadAll(tx: TxSql | Sql, names: string[], options: ApplyOptions, settings = "", begin = ""): Promise<RereadRow[]> {
    // First try, re-read and a session reset in one round trip; the re-read counts only when
    // the lock was taken, since READ COMMITTED gives each statement a fresh snapshot.
    const reread = `select name, status, checksum from ${this.table} where name in (${names.map(quoteLiteral).join(", ")}) or status <> 'applied'`;
    const results = (await tx
      .unsafe(`${begin ? `${begin}; ` : ""}select pg_try_advisory_xact_lock(${this.lockKey}) as locked; ${reread}; reset all; reset role; reset session authorization${settings ? `; ${settings}` : ""}`)
      .simple()) as unknown as unknown[][];
    const [locked, found] = (begin ? results.slice(1) : results) as [{ locked: boolean }[], RereadRow[]];
    let rows = found;
    if (!locked[0]?.locked) {
      await waitForLock(() => tx.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${this.lockKey}) as locked`), options.onWait);
      rows = await tx.unsafe<RereadRow[]>(reread);
    }
    const unresolved = rows.find((row) => row.status !== "applied");
    if (unresolved) throw new UnresolvedMigrationError(unresolved.name, unresolved.status);
    return rows;
  }

  private async acquireLock(tx: TxSql, onWait: () => void): Promise<void> {
    await waitForLock(() => tx.unsafe<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(${this.lockKey}) as locked`), onWait);
  }


  /** Records a file; a seed that runs again replaces its row. */
  private async insertRow(tx: TxSql, file: Recordable, status: JournalRow["status"], executionMs: number | null, dbkitVersion: string, error: string | null): Promise<void> {
    await tx.unsafe(
      `insert into ${this.table} (name, version, kind, checksum, status, execution_ms, dbkit_version, error) values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (name) do update set checksum = excluded.checksum, status = excluded.status, execution_ms = excluded.execution_ms,
         dbkit_version = excluded.dbkit_version, error = excluded.error, applied_at = now(), applied_by = current_user`,
      [file.name, file.version, file.kind, file.checksum, status, executionMs, dbkitVersion, error],
    );
  }

  private async recordFailure(file: MigrationFile, index: number, line: number, failure: DbkitError): Promise<void> {
    const error = JSON.stringify({ statement: index, line, code: failure.code, message: failure.message });
    await this.sql
      .unsafe(`update ${this.table} set status = 'failed', error = $2 where name = $1`, [file.name, error])
      .catch(() => undefined); // connection gone: the row stays `running`, which also blocks until resolved
  }

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.mapError(error);
    }
  }

  private mapError(error: unknown): unknown {
    if (error instanceof Error && "exitCode" in error) return error;
    const code = (error as { code?: string }).code;
    if (code === "42501") {
      return new UsageError("DBKIT_PERMISSION_DENIED", `permission denied for user "${this.target.user ?? ""}": ${(error as Error).message}`, {
        hint: `grant the role CREATE on the database, or create the journal schema "${this.journalSchema}" for it beforehand`,
        cause: error,
      });
    }
    return connectionErrorFor(error, this.target) ?? error;
  }
}

/** SET statements for one file; LOCAL inside a transaction, session-wide (reset later) outside. */
/** A query sent and not yet answered; cancel() stops it on an interrupt. */
type PendingResults = Promise<unknown> & { cancel(): unknown };

/** The SQLSTATE of startPipelined's guard. */
const GUARD_REFUSED = "DBK01";

function sessionSettings(options: ApplyOptions, scope: "local" | "session"): string {
  const set = scope === "local" ? "set local" : "set";
  // Commits before the last of a run need not wait for their WAL flush: the last commit flushes
  // every earlier one, and a crash before it loses a migration together with its journal row.
  const asyncCommit = options.asyncCommit && scope === "local" ? `; set local synchronous_commit = off` : "";
  return `${set} lock_timeout = ${quoteLiteral(options.lockTimeout)}; ${set} statement_timeout = ${quoteLiteral(options.statementTimeout)}${asyncCommit}`;
}


