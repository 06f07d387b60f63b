/**
 * dbkit's programmatic API: the functions the CLI itself uses, each from its command's module. Each returns the document that
 * `dbkit <command> --json` prints, and throws a DbkitError (with `code` and `exitCode`) on failure.
 *
 *   import { migrate, status, verify, reset } from "dbkit";
 *   const result = await migrate({ url: process.env.DATABASE_URL });
 */
export { migrate, type MigrateFlags, type MigrateReport } from "./commands/migrate.js";
export { status, type StatusReport } from "./commands/status.js";
export { verify, type VerifyFlags, type VerifyReport } from "./commands/verify.js";
export { lint, type LintFlags, type LintReport } from "./commands/lint.js";
export type { LintFinding } from "./core/lint-rules.js";
export { test, type TestFlags, type TestReport } from "./commands/test.js";
export { diff, type DiffFlags, type DiffReport } from "./commands/diff.js";
export { reset, type ResetFlags, type ResetReport } from "./commands/reset.js";
export { seed, type SeedReport } from "./commands/seed.js";
export { resolve, type ResolveReport } from "./commands/resolve.js";
export { baseline, type BaselineReport } from "./commands/baseline.js";
export { importHistory, importSupabase, type ImportReport } from "./commands/import.js";
export { start, type StartReport } from "./commands/start.js";
export { stop, type StopReport } from "./commands/stop.js";
export type { DbkitOptions } from "./commands/shared/api-options.js";
export type { DbkitEvent } from "./engine/events.js";
export { DbkitError, ExitCode } from "./errors.js";
export type { Finding, Section } from "./core/verify-report.js";
export type { TargetInfo } from "./engine/ports.js";
export type { Tool } from "./core/other-tools.js";
