/** The Journal port on Postgres: the `migrations` table of the journal schema. */
import type { JournalRow, MigrationFile } from "../core/types.js";
import type { Journal, JournalSummary, Resolution, RunningOwner } from "../engine/ports.js";
import { UsageError } from "../errors.js";
import { appliedTimesOf, toJournalRow, unpackJournal, type PackedJournal, type RawRow } from "./journal-rows.js";
import { recordResolution } from "./resolution-history.js";
import { readRunningOwner } from "./running-owner.js";
import { createJournalSql, JOURNAL_COLUMNS, journalSummarySql, packedJournalSql, quoteLiteral } from "./journal-sql.js";
import type { Session, Sql, TxSql } from "./session.js";

/** journalSummarySql's row. */
type SummaryRow = PackedJournal & { digest: string; unresolved: number; applied_rows?: number; applied_times?: string | null; applied_errors?: string | null };

export class PostgresJournal implements Journal {
  private earlyJournal: Promise<JournalRow[] | undefined> | undefined;
  private earlySummary: { times: boolean; summary: Promise<JournalSummary | undefined> } | undefined;
  /** A read of this run found no journal: the next ones ask whether it exists before reading it. */
  private seenMissing = false;

  constructor(private readonly session: Session) {}

  /**
   * Starts the journal read now, so its round trips overlap what the caller does next (reading the
   * project's files): its rows, or its summary (migrate; status, with times). The next readJournal
   * or readSummary takes this result. An earlier snapshot is as good as a later one: migrate
   * re-reads the rows of the files it applies under the migration lock.
   */
  readJournalEarly(what: "rows" | "summary" | "summary with times" = "rows"): void {
    if (what === "rows") {
      this.earlyJournal = this.readJournal();
      this.earlyJournal.catch(() => undefined);
    } else {
      const times = what === "summary with times";
      this.earlySummary = { times, summary: this.readSummary(times) };
      this.earlySummary.summary.catch(() => undefined);
    }
  }

  async readJournal(): Promise<JournalRow[] | undefined> {
    const early = this.earlyJournal;
    this.earlyJournal = undefined;
    if (early) return early;
    return this.readIfExists(packedJournalSql(this.session.table), (packed: PackedJournal[]) => this.rowsIn(this.session.sql, packed));
  }

  async readSummary(times = false): Promise<JournalSummary | undefined> {
    const early = this.earlySummary;
    this.earlySummary = undefined;
    if (early && early.times === times) return early.summary;
    return this.readIfExists(journalSummarySql(this.session.table, times), ([row]: SummaryRow[]) => ({
      appliedDigest: row!.digest,
      unresolved: row!.unresolved,
      seeds: unpackJournal(row!),
      ...(times ? { times: appliedTimesOf(row!.applied_rows ?? 0, row!.applied_times ?? null, row!.applied_errors ?? null) } : {}),
    }));
  }

  /** `query`'s answer as `use` makes it, or undefined when the journal does not exist. */
  private async readIfExists<Row, T>(query: string, use: (rows: Row[]) => T | Promise<T>): Promise<T | undefined> {
    const { sql } = this.session;
    try {
      if (this.seenMissing) {
        // Asked first, then read: runners waiting on the first one to create the journal would
        // otherwise each add a server ERROR line per read to the log.
        const [exists] = await sql.unsafe<{ ok: boolean }[]>(this.existsSql());
        if (!exists?.ok) return undefined;
        this.seenMissing = false;
        return await use(await sql.unsafe<Row[]>(query));
      }
      // Both queries go out together (the driver pipelines them): one round trip. Outside a
      // transaction the second one failing on a missing journal harms nothing but a line in the
      // server's log, once per run.
      const exists = sql.unsafe<{ ok: boolean }[]>(this.existsSql());
      const answer = sql.unsafe<Row[]>(query).execute();
      answer.catch(() => undefined);
      if (!(await exists)[0]?.ok) {
        this.seenMissing = true;
        return undefined;
      }
      return await use(await answer);
    } catch (error) {
      throw this.session.mapError(error);
    }
  }

  /** The journal inside `tx` (verify's snapshot): one query whatever the number of migrations. */
  async readIn(tx: TxSql): Promise<JournalRow[] | undefined> {
    const [exists] = await tx.unsafe<{ ok: boolean }[]>(this.existsSql());
    if (!exists?.ok) return undefined;
    return this.rowsIn(tx, await tx.unsafe<PackedJournal[]>(packedJournalSql(this.session.table)));
  }

  async ensureJournal(): Promise<void> {
    await this.session.locked((tx) => tx.unsafe(createJournalSql(this.session.journalSchema)));
  }

  async recordApplied(files: MigrationFile[], how: "baselined" | "imported", dbkitVersion: string): Promise<string[]> {
    return this.session.locked(async (tx) => {
      const recorded: string[] = [];
      for (const file of files) {
        const rows = await tx.unsafe(
          `insert into ${this.session.table} (name, version, kind, checksum, status, dbkit_version, resolved_by, resolved_at, resolution)
           values ($1, $2, 'migration', $3, 'applied', $4, current_user, now(), $5) on conflict (name) do nothing returning name`,
          [file.name, file.version, file.checksum, dbkitVersion, how],
        );
        if (rows.length > 0) recorded.push(file.name);
      }
      return recorded;
    });
  }

  async resolve(name: string, resolution: Resolution, dbkitVersion: string, checksum?: string): Promise<JournalRow> {
    const table = this.session.table;
    return this.session.locked(async (tx) => {
      const [row] = await tx.unsafe<RawRow[]>(`select ${JOURNAL_COLUMNS} from ${table} where name = $1`, [name]);
      if (!row) throw new UsageError("DBKIT_RESOLVE_UNKNOWN", `${name} is not in the journal`, { hint: "run dbkit status to see the journal" });
      if (resolution === "accepted-checksum") {
        if (row.status !== "applied" || checksum === undefined) throw new UsageError("DBKIT_RESOLVE_NOT_APPLIED", `${name} is ${row.status}, not applied: there is no checksum to accept`, { hint: "resolve it with --applied or --rolled-back first" });
        // Who and when on the row; the old checksum in the resolutions history. (The row's
        // resolution column keeps its older check constraint on existing journals.)
        await recordResolution(tx, this.session.journalSchema, { name, previousStatus: row.status, checksum: row.checksum, error: row.error, resolution, dbkitVersion });
        const [updated] = await tx.unsafe<RawRow[]>(`update ${table} set checksum = $2, resolved_by = current_user, resolved_at = now() where name = $1 returning ${JOURNAL_COLUMNS}`, [name, checksum]);
        return toJournalRow(updated!);
      }
      if (row.status === "applied") {
        throw new UsageError("DBKIT_RESOLVE_NOT_FAILED", `${name} is applied, not failed or running: nothing to resolve`, { hint: "resolve only clears migrations that status shows as failed or running" });
      }
      await recordResolution(tx, this.session.journalSchema, { name, previousStatus: row.status, checksum: row.checksum, error: row.error, resolution, dbkitVersion });
      const recorded = `resolved_by = current_user, resolved_at = now(), resolution = ${quoteLiteral(resolution)}, dbkit_version = ${quoteLiteral(dbkitVersion)}`;
      if (resolution === "applied") {
        const [updated] = await tx.unsafe<RawRow[]>(`update ${table} set status = 'applied', ${recorded} where name = $1 returning ${JOURNAL_COLUMNS}`, [name]);
        return toJournalRow(updated!);
      }
      await tx.unsafe(`delete from ${table} where name = $1`, [name]);
      return toJournalRow(row);
    });
  }

  async runningOwner(name: string): Promise<RunningOwner | undefined> {
    return this.session.run(() => readRunningOwner(this.session.sql, this.session.table, name));
  }

  private existsSql(): string {
    return `select to_regclass(${quoteLiteral(this.session.table)}) is not null as ok`;
  }

  /** The rows of the packed journal, or (a name with the separator in it) read one by one. */
  private async rowsIn(sql: Sql | TxSql, packed: PackedJournal[]): Promise<JournalRow[]> {
    const rows = unpackJournal(packed[0]!);
    return rows ?? (await sql.unsafe<RawRow[]>(`select ${JOURNAL_COLUMNS} from ${this.session.table} order by name`)).map(toJournalRow);
  }
}
