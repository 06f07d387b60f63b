/**
 * dbkit's programmatic API: the functions the CLI itself uses. Each returns the document that
 * `dbkit <command> --json` prints, and throws a DbkitError (with `code` and `exitCode`) on failure.
 *
 *   import { migrate, status, verify, reset } from "dbkit";
 *   const result = await migrate({ url: process.env.DATABASE_URL });
 */
import { eventReporter, type DbkitEvent } from "./api/reporter.js";
import { baselineWith, importWith, type BaselineReport, type ImportReport } from "./api/adopt.js";
import type { Tool } from "./core/other-tools.js";
import { migrateWith, type MigrateFlags, type MigrateReport } from "./api/migrate.js";
import { resetWith, type ResetFlags, type ResetReport } from "./api/reset.js";
import { resolveWith, type ResolveReport } from "./api/resolve.js";
import { seedWith, type SeedReport } from "./api/seed.js";
import { statusWith, type StatusReport } from "./api/status.js";
import { verifyWith, type VerifyFlags, type VerifyReport } from "./api/verify.js";
import { testWith, type TestFlags, type TestReport } from "./api/test.js";
import { loadSettings, type SettingFlags } from "./config/load-config.js";

export interface DbkitOptions extends Omit<SettingFlags, "lockRetries" | "wait"> {
  /** The project folder (default: process.cwd()). */
  cwd?: string;
  /** Environment to read DATABASE_URL and DBKIT_* from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  lockRetries?: number;
  /** Seconds to keep retrying the first connection. */
  wait?: number;
  /** Progress, warnings and the target, as they happen. */
  onEvent?: (event: DbkitEvent) => void;
}

function prepare(options: DbkitOptions) {
  const { cwd = process.cwd(), env, onEvent, lockRetries, wait, ...flags } = options;
  const settings = loadSettings({ ...flags, ...(lockRetries === undefined ? {} : { lockRetries: String(lockRetries) }), ...(wait === undefined ? {} : { wait: String(wait) }) }, cwd, env);
  return { settings, reporter: eventReporter(onEvent) };
}

/** Applies pending migrations, then the seeds that are due. */
export async function migrate(options: DbkitOptions & MigrateFlags = {}): Promise<MigrateReport> {
  const { settings, reporter } = prepare(options);
  return migrateWith(settings, reporter, options);
}

/** Every migration and seed with its state. Reads only. */
export async function status(options: DbkitOptions = {}): Promise<StatusReport> {
  const { settings, reporter } = prepare(options);
  return statusWith(settings, reporter);
}

/** Compares the database with what the migrations build; `ok` is false on drift. Reads only. */
export async function verify(options: DbkitOptions & VerifyFlags = {}): Promise<VerifyReport> {
  const { settings, reporter } = prepare(options);
  return verifyWith(settings, reporter, options);
}

/** Builds the migrations and seeds in a scratch database and runs the SQL tests of tests/; `ok` is false when a file failed. */
export async function test(options: DbkitOptions & TestFlags = {}): Promise<TestReport> {
  const { settings, reporter } = prepare(options);
  return testWith(settings, reporter, options);
}

/** Drops what the migrations created (needs `yes: true`), then migrates again unless `migrate: false`. */
export async function reset(options: DbkitOptions & ResetFlags = {}): Promise<ResetReport> {
  const { settings, reporter } = prepare(options);
  return resetWith(settings, reporter, options);
}

/** Runs the seeds that are due, without migrating. */
export async function seed(options: DbkitOptions & { dryRun?: boolean } = {}): Promise<SeedReport> {
  const { settings, reporter } = prepare(options);
  return seedWith(settings, reporter, options);
}

/** Settles a failed or interrupted no-transaction migration. */
export async function resolve(options: DbkitOptions & { name: string; resolution: "applied" | "rolled-back" | "accepted-checksum" }): Promise<ResolveReport> {
  const { settings, reporter } = prepare(options);
  return resolveWith(settings, reporter, options.name, options.resolution);
}

/** Records migrations up to and including `to` as applied without running them. */
export async function baseline(options: DbkitOptions & { to: string; dryRun?: boolean }): Promise<BaselineReport> {
  const { settings, reporter } = prepare(options);
  return baselineWith(settings, reporter, options.to, Boolean(options.dryRun));
}

/** Records the migrations the Supabase CLI applied as applied. */
export async function importSupabase(options: DbkitOptions & { dryRun?: boolean } = {}): Promise<ImportReport> {
  return importHistory({ ...options, tool: "supabase" });
}

/** Records the migrations another tool's journal table lists as applied (`dbkit import <tool>`). */
export async function importHistory(options: DbkitOptions & { tool: Tool; dryRun?: boolean; table?: string }): Promise<ImportReport> {
  const { settings, reporter } = prepare(options);
  return importWith(settings, reporter, options.tool, { dryRun: Boolean(options.dryRun), ...(options.table ? { table: options.table } : {}) });
}

export { DbkitError, ExitCode } from "./errors.js";
export type { BaselineReport, ImportReport, DbkitEvent, MigrateFlags, MigrateReport, ResetFlags, ResetReport, ResolveReport, SeedReport, StatusReport, TestFlags, TestReport, VerifyFlags, VerifyReport };
export type { Finding, Section } from "./core/verify-report.js";
export type { TargetInfo } from "./engine/ports.js";
export type { Tool } from "./core/other-tools.js";
