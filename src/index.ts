/**
 * dbkit's programmatic API: the functions the CLI itself uses, each from its command's module. Each returns the document that
 * `dbkit <command> --json` prints, and throws a DbkitError (with `code` and `exitCode`) on failure.
 *
 *   import { migrate, status, verify, reset } from "dbkit";
 *   const result = await migrate({ url: process.env.DATABASE_URL });
 */
export { migrate, type MigrateFlags, type MigrateReport } from "./api/migrate.js";
export { status, type StatusReport } from "./api/status.js";
export { verify, type VerifyFlags, type VerifyReport } from "./api/verify.js";
export { lint, type LintFlags, type LintReport } from "./api/lint.js";
export type { LintFinding } from "./core/lint-rules.js";
export { test, type TestFlags, type TestReport } from "./api/test.js";
export { diff, type DiffFlags, type DiffReport } from "./api/diff.js";
export { reset, type ResetFlags, type ResetReport } from "./api/reset.js";
export { seed, type SeedReport } from "./api/seed.js";
export { resolve, type ResolveReport } from "./api/resolve.js";
export { baseline, importHistory, importSupabase, type BaselineReport, type ImportReport } from "./api/adopt.js";
export type { DbkitOptions } from "./api/options.js";
export type { DbkitEvent } from "./api/reporter.js";
export { DbkitError, ExitCode } from "./errors.js";
export type { Finding, Section } from "./core/verify-report.js";
export type { TargetInfo } from "./engine/ports.js";
export type { Tool } from "./core/other-tools.js";
