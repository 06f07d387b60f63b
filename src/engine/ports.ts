/**
 * What the engine needs from the outside world, as narrow interfaces: the database (db/), the
 * files (fs/) and an event sink (output/). The engine never opens files or connections itself.
 */
import type { TargetFacts } from "../core/build-context.js";
import type { Catalog } from "../core/catalog.js";
import type { ForeignObject } from "../core/foreign-objects.js";
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

export interface ServerInfo {
  version: string;
  readOnly: boolean;
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

/** The journal and the way migrations are applied to one database. */
export interface MigrationStore {
  readonly target: TargetInfo;
  serverInfo(): Promise<ServerInfo>;
  /** How the server reads string literals (standard_conforming_strings); known once connected. */
  sqlDialect?(): { backslashEscapes: boolean };
  /** Who runs `name` (a `running` row) and whether that session is alive; undefined when the row is not running. */
  runningOwner?(name: string): Promise<RunningOwner | undefined>;
  /**
   * Takes the run lock for the rest of the session: false when it was free, true when another
   * runner's run held it and this one waited for it to end (then the journal must be read again).
   */
  leadRun?(onWait: () => void): Promise<boolean>;
  /** The journal's rows, or undefined when the journal table does not exist yet. */
  readJournal(): Promise<JournalRow[] | undefined>;
  ensureJournal(): Promise<void>;
  /** Every file in one transaction (--single-transaction): all are applied, or none. By name. */
  applyAllInTransaction(files: MigrationFile[], options: ApplyOptions, onApplying: (file: MigrationFile) => void): Promise<Map<string, ApplyOutcome>>;
  /**
   * Each file in its own transaction (lock, re-check the journal, run the file, record it),
   * without waiting for one file's answer to send the next. Stops at the first failure: the
   * files before it are applied, none after it ran. Every file but the last commits
   * asynchronously; the last one too with asyncCommit.
   */
  applyEachInTransaction(files: MigrationFile[], options: ApplyOptions, progress: ApplyProgress): Promise<void>;
  /** Statement by statement, with a `running` row first and `applied` or `failed` after. */
  applyWithoutTransaction(file: MigrationFile, statements: SqlStatement[], options: ApplyOptions): Promise<ApplyOutcome>;
  /** One transaction: lock, re-check, run the seed's parts (SQL and COPY streams), record it. */
  applySeed(seed: SeedFile, parts: SeedPartSource, options: ApplyOptions): Promise<ApplyOutcome>;
  /** In a database built from the migrations: its catalog and the rows seeds and migrations put in it. */
  readExpected(scope: VerifyScope): Promise<ExpectedState>;
  /** Journal, catalog and seed rows in one read-only transaction: writes nothing. */
  readTarget(scope: VerifyScope, expected: ExpectedState, security?: { exposedSchemas: string[] }): Promise<TargetState>;
  /** Only the facts the security checks need, read-only. */
  readSecurity(exposedSchemas: string[]): Promise<SecurityFacts>;
  /** The server's major, database settings and roles: what a scratch build of this target needs. */
  readTargetFacts(): Promise<TargetFacts>;
  /** Records files as applied without running them (baseline, import); returns the names recorded. */
  recordApplied(files: MigrationFile[], how: "baselined" | "imported", dbkitVersion: string): Promise<string[]>;
  /** The Supabase CLI's history (supabase_migrations.schema_migrations), or undefined without one. */
  readSupabaseHistory(): Promise<{ version: string; name: string | null }[] | undefined>;
  /** Installs the Supabase base unless the database is a real Supabase one or has it already. */
  ensureSupabaseBase(): Promise<"installed" | "present" | "supabase">;
  /** Drops owned schemas, the journal and foreign objects in one transaction. */
  reset(plan: ResetPlan): Promise<ResetResult>;
  /**
   * `dbkit down`: runs a migration's down SQL and removes its journal row, in one transaction
   * under the migration lock; with `statements`, one by one outside a transaction.
   */
  revert(file: MigrationFile, down: DownSql, statements: SqlStatement[] | undefined, options: ApplyOptions): Promise<{ executionMs: number }>;
  /** Records a user's decision about a failed or running row, or (with `checksum`) an applied file's new checksum. */
  resolve(name: string, resolution: Resolution, dbkitVersion: string, checksum?: string): Promise<JournalRow>;
  /** `waitForServer: false` sends Terminate without waiting for the server to end the session. */
  close(options?: { waitForServer?: boolean }): Promise<void>;
  /** Ctrl-C: cancel what runs (the server rolls it back) and close the connection. */
  interrupt(): Promise<void>;
}

/** A seed's parts with the file each came from, read afresh (streaming) on every call. */
export type SeedPartSource = () => Iterable<Exclude<SeedPart, { kind: "include" | "meta" }> & { file: string }>;

/** Progress the engine reports while it works; output/ turns it into text or JSON. */
export interface EventSink {
  warn(message: string): void;
  info(message: string): void;
  applying(file: MigrationFile | SeedFile, mode: "transaction" | "no-transaction"): void;
  applied(file: MigrationFile | SeedFile, executionMs: number): void;
  skipped(file: MigrationFile | SeedFile): void;
}

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
}
