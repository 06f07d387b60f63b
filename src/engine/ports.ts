/**
 * What the engine needs from the outside world, as narrow interfaces: the database (db/), the
 * files (fs/) and an event sink (output/). The engine never opens files or connections itself.
 */
import type { TargetFacts } from "../core/build-context.js";
import type { Catalog } from "../core/catalog.js";
import type { ForeignObject } from "../core/foreign-objects.js";
import type { Tool } from "../core/other-tools.js";
import type { SeedFinding, SeedTable } from "../core/seed-data.js";
import type { SecurityFacts } from "../core/security-checks.js";
import type { VerifyScope } from "../core/verify-scope.js";
import type { SeedPart } from "../core/seed-parts.js";
import type { DownSql, JournalRow, MigrationFile, SeedFile } from "../core/types.js";
import type { SqlStatement } from "../sql/parse-sql.js";

export interface TargetInfo {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  /** True for the embedded database dbkit started itself. */
  embedded: boolean;
}

export interface ApplyOptions {
  lockTimeout: string;
  statementTimeout: string;
  dbkitVersion: string;
  /** Called once when another runner holds the migration lock and this one starts waiting. */
  onWait: () => void;
  /** How often a file (or statement) that hit lock_timeout is tried again, with backoff. */
  lockRetries?: number;
  /** Told about each retry after a lock timeout. */
  onLockRetry?: (message: string) => void;
  /** Commit without waiting for the WAL flush: for every file of a run but the last. */
  asyncCommit?: boolean;
  /** The project's session settings (search_path, ...), set after each session reset. */
  sessionSettings?: Readonly<Record<string, string>>;
}

export type ApplyOutcome = { kind: "applied"; executionMs: number } | { kind: "skipped" };

/** Told about each file of applyEachInTransaction as it starts and as it ends. */
export interface ApplyProgress {
  applying(file: MigrationFile): void;
  done(file: MigrationFile, outcome: ApplyOutcome): void;
}

/** "accepted-checksum": an applied file was edited on purpose; its new checksum is recorded. */
export type Resolution = "applied" | "rolled-back" | "accepted-checksum";

/** The runner recorded on a `running` row; `alive` when its session is still connected. */
export interface RunningOwner {
  pid: number | null;
  application: string | null;
  host: string | null;
  alive: boolean;
}

/** The journal of one database: which files ran, and how. */
export interface Journal {
  /** The journal's rows, or undefined when the journal table does not exist yet. */
  readJournal(): Promise<JournalRow[] | undefined>;
  /** Creates the journal (and its schema) unless it exists. */
  ensureJournal(): Promise<void>;
  /** Records files as applied without running them (baseline, import); returns the names recorded. */
  recordApplied(files: MigrationFile[], how: "baselined" | "imported", dbkitVersion: string): Promise<string[]>;
  /** Records a user's decision about a failed or running row, or (with `checksum`) an applied file's new checksum. */
  resolve(name: string, resolution: Resolution, dbkitVersion: string, checksum?: string): Promise<JournalRow>;
  /** Who runs `name` (a `running` row) and whether that session is alive; undefined when the row is not running. */
  runningOwner?(name: string): Promise<RunningOwner | undefined>;
  /**
   * What proves a journal in sync without reading every row (see core/journal-digest.ts); with
   * `times`, also when each applied migration ran (what status shows). Undefined when the journal
   * does not exist.
   */
  readSummary?(times?: boolean): Promise<JournalSummary | undefined>;
}

export interface JournalSummary {
  /** The digest of the applied migration rows' names and checksums (core/journal-digest.ts). */
  appliedDigest: string;
  /** Migration rows left failed or running. */
  unresolved: number;
  /** The seed rows, whole; undefined when they could not be read this way (read the journal instead). */
  seeds: JournalRow[] | undefined;
  /** Asked for with `times`: each applied migration row's time, duration and error; undefined when they could not be read this way. */
  times?: AppliedTimes | undefined;
}

/** When each applied migration ran, as its journal row says. */
export interface AppliedTimes {
  /** The row of `name`, or undefined when no applied migration has that name. */
  of(name: string): AppliedTime | undefined;
}

export interface AppliedTime {
  /** ISO 8601 in UTC, to the millisecond, as Date's toISOString writes it. */
  appliedAt: string;
  executionMs: number | null;
  error: string | null;
}

/**
 * Runs migration and seed files against one database, each with its journal row, under the
 * migration lock: a file that another runner recorded meanwhile is skipped. How the SQL travels
 * (pipelined, one round trip per file) is the implementation's business.
 */
export interface Applier {
  /**
   * Takes the run lock for the rest of the session and returns false; or, when another runner's
   * run holds it, waits for that run to end and returns true without taking it: the journal must
   * then be read again, and the lock asked for again if anything is left to apply.
   */
  leadRun?(onWait: () => void): Promise<boolean>;
  /** A synchronous commit, which makes every earlier (asynchronous) commit of the session durable. */
  makeDurable?(): Promise<void>;
  /** How the server reads string literals (standard_conforming_strings); known once connected. */
  sqlDialect?(): { backslashEscapes: boolean };
  /**
   * Each file in its own transaction (lock, re-check the journal, run the file, record it).
   * Stops at the first failure: the files before it are applied, none after it ran. Every file
   * but the last commits asynchronously; the last one too with asyncCommit.
   */
  applyEachInTransaction(files: MigrationFile[], options: ApplyOptions, progress: ApplyProgress): Promise<void>;
  /** Every file in one transaction (--single-transaction): all are applied, or none. By name. */
  applyAllInTransaction(files: MigrationFile[], options: ApplyOptions, onApplying: (file: MigrationFile) => void): Promise<Map<string, ApplyOutcome>>;
  /** Statement by statement, with a `running` row first and `applied` or `failed` after. */
  applyWithoutTransaction(file: MigrationFile, statements: SqlStatement[], options: ApplyOptions): Promise<ApplyOutcome>;
  /** One transaction: lock, re-check, run the seed's parts (SQL and COPY streams), record it. */
  applySeed(seed: SeedFile, parts: SeedPartSource, options: ApplyOptions): Promise<ApplyOutcome>;
  /**
   * `dbkit down`: runs a migration's down SQL and removes its journal row, in one transaction
   * under the migration lock; with `statements`, one by one outside a transaction.
   */
  revert(file: MigrationFile, down: DownSql, statements: SqlStatement[] | undefined, options: ApplyOptions): Promise<{ executionMs: number }>;
}

/** The reads `verify` makes; each writes nothing. */
export interface CatalogReader {
  /** In a database built from the migrations: its catalog and the rows seeds and migrations put in it. */
  readExpected(scope: VerifyScope): Promise<ExpectedState>;
  /** Journal, catalog and seed rows in one read-only transaction. */
  readTarget(scope: VerifyScope, expected: ExpectedState, security?: { exposedSchemas: string[] }): Promise<TargetState>;
  /** Only the facts the security checks need. */
  readSecurity(exposedSchemas: string[]): Promise<SecurityFacts>;
  /** The server's major, database settings and roles: what a scratch build of this target needs. */
  readTargetFacts(): Promise<TargetFacts>;
}

/** The ports of one open database. */
export interface DatabasePorts {
  readonly target: TargetInfo;
  readonly journal: Journal;
  readonly applier: Applier;
  readonly catalog: CatalogReader;
}

/** A throwaway database (the expected schema of verify, diff, lint, test): built, read, dropped. */
export interface ScratchDatabase extends DatabasePorts {
  /** Drops the database and closes its connections. Safe to call twice. */
  drop(): Promise<void>;
}

/** Where scratch databases come from: a server given by the user, or one dbkit starts. */
export interface ScratchDatabases {
  create(): Promise<ScratchDatabase>;
}

/** A seed's parts with the file each came from, read afresh (streaming) on every call. */
export type SeedPartSource = () => Iterable<Exclude<SeedPart, { kind: "include" | "meta" }> & { file: string }>;

export interface ResetPlan {
  owned: string[];
  journalSchema: string;
  foreign: ForeignObject[];
}

export interface ResetResult {
  droppedSchemas: string[];
  /** Objects removed outside the owned schemas. */
  removed: string[];
  /** What could not be removed, and why. */
  skipped: string[];
  /** Owned schemas left alone because the platform owns them. */
  protectedSchemas: string[];
}

/** What the migrations and seeds build, as `verify` compares it. */
export interface ExpectedState {
  catalog: Catalog;
  seedTables: SeedTable[];
  /** Seeded tables that cannot be checked, and why. */
  seedFindings: SeedFinding[];
  /** The Postgres major that built it. */
  major?: number;
}

export interface TargetState {
  journal: JournalRow[] | undefined;
  catalog: Catalog;
  liveRows: Map<string, Record<string, unknown>[]>;
  /** Seeded tables whose rows row-level security hides from the connecting role, and why. */
  hiddenByRowSecurity?: { table: string; reason: string }[];
  security?: SecurityFacts;
  /** The target's Postgres major. */
  major?: number;
  /** Other migration tools' history tables (`schema.name`) and whose they are: their bookkeeping, not the project's schema. */
  otherToolTables?: { tool: Tool; table: string }[];
}
