/**
 * `dbkit test`: builds the database from the migrations and seeds in a scratch database (the
 * embedded scratch server, or a scratch database on --shadow-url; with the Supabase base in a
 * Supabase project), installs the `tests` helpers there, and runs each SQL test file in its own
 * rolled-back transaction. With --url, the named database is tested as it is: the helpers are
 * installed inside each file's transaction, so the rollback takes them away too.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Settings } from "../config/load-config.js";
import { junitReport } from "../core/junit-report.js";
import type { TestFile } from "../fs/read-test-dir.js";
import type { OnEvent } from "../engine/events.js";
import { PGTAP_SQL } from "../db/pgtap-sql.js";
import { PGTAP_COLUMNS_SQL } from "../db/pgtap-columns-sql.js";
import { PGTAP_SCHEMA_SQL } from "../db/pgtap-schema-sql.js";
import { runTestFiles, type TestFileResult } from "../db/run-test-file.js";
import { TEST_HELPERS_SQL } from "../db/test-helpers-sql.js";
import { readSeeds } from "../fs/read-seed-dir.js";
import { readTestDir, testsDirOf } from "../fs/read-test-dir.js";
import { buildScratch } from "./shared/build-scratch.js";
import { checkAccessMatrix, type MatrixResult } from "./shared/test-matrix.js";
import { withTarget } from "./shared/open-target.js";
import { readMigrations } from "./shared/read-project.js";
import { collectingWarnings, type Run } from "./shared/run.js";
import { resultDoc, type ResultDoc } from "./shared/result.js";
import { detectSupabase } from "./shared/supabase-base.js";
import { withApiRun, type DbkitOptions } from "./shared/api-options.js";
import { ExitCode, UsageError } from "../errors.js";
import { renderTest } from "../output/render-test.js";
import type { CommandContext } from "./shared/context.js";
import * as z from "zod/mini";
import { defineCommand } from "./shared/command.js";
import { lazySchema } from "./shared/flags.js";

export const command = defineCommand({
  declare: (program) =>
    program
      .command("test")
      .description("build the migrations and seeds in a scratch database (or take --url as it is) and run the SQL tests of tests/ (supabase/tests), each file rolled back")
      .option("--shadow-url <url>", "server to make the scratch database on (default: a scratch embedded Postgres)")
      .option("--dir <path>", "folder of the test files (default: tests/ beside the migrations folder)")
      .option("--junit <file>", "also write a JUnit XML report for CI")
      .option("--matrix", "also try every command as each API role on each table and compare with tests/access-matrix.json")
      .option("--update-matrix", "write the access matrix found to tests/access-matrix.json"),
  bare: {},
  input: lazySchema(() =>
    z.object({ shadowUrl: z.optional(z.string()), dir: z.optional(z.string()), junit: z.optional(z.string()), matrix: z.optional(z.boolean()), updateMatrix: z.optional(z.boolean()) }),
  ),
  run: testCommand,
});


export interface TestFlags {
  /** A server to make the scratch database on, instead of the scratch embedded Postgres. */
  shadowUrl?: string;
  /** The folder of the test files (default: tests/ beside the migrations folder). */
  dir?: string;
  /** Where to write a JUnit XML report as well. */
  junit?: string;
  /** Derive the access matrix and compare it with tests/access-matrix.json. */
  matrix?: boolean;
  /** Write the access matrix found to tests/access-matrix.json instead of comparing. */
  updateMatrix?: boolean;
}

export type TestReport = ResultDoc<"test", { files: TestFileResult[]; passed: number; failed: number; matrix?: MatrixResult }>;

// Granted to every role explicitly: a test acts as anon or authenticated, and projects often revoke
// EXECUTE on new functions from PUBLIC by default (ALTER DEFAULT PRIVILEGES, as basejump does).
const HELPERS = `${TEST_HELPERS_SQL}${PGTAP_SQL}${PGTAP_SCHEMA_SQL}${PGTAP_COLUMNS_SQL}\ngrant execute on all functions in schema tests to public;\n`;

/** The build's own progress is not the user's business; its warnings are. */
function quietBuild(reporter: Run): OnEvent {
  return (event) => {
    if (event.type === "warning") reporter.warn(event.message);
  };
}

/** Runs the project's SQL tests; `ok` is false when any file failed. */
export async function testWith(settings: Settings, base: Run, flags: TestFlags = {}): Promise<TestReport> {
  const { reporter, warnings } = collectingWarnings(base);
  // Only a database named for this run: DATABASE_URL in the environment is the app's, not a test target.
  const named = settings.databaseUrl?.source === "--url";
  if (named && flags.shadowUrl) {
    throw new UsageError("DBKIT_USAGE", "--url and --shadow-url name two databases to test: give one", {
      hint: "--url tests that database as it is (each file rolled back); --shadow-url builds the migrations in a scratch database on that server",
    });
  }
  if (named && (flags.matrix || flags.updateMatrix)) throw new UsageError("DBKIT_USAGE", "--matrix tries writes as each role on a scratch build: it does not run with --url");
  const testsDir = testsDirOf(settings.cwd, settings.migrationsDir, flags.dir);
  const tests = await readTestDir(settings.cwd, testsDir);
  const { results, matrix } = named ? { results: await testNamedDatabase(settings, reporter, tests), matrix: undefined } : await testScratchBuild(settings, reporter, { ...flags, testsDir }, tests);
  if (flags.junit) {
    const file = path.resolve(settings.cwd, flags.junit);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, junitReport(results));
  }
  const failed = results.filter((r) => !r.ok).length;
  for (const change of matrix?.removed ?? []) reporter.warn(`${change.message}: record it with dbkit test --matrix --update-matrix`);
  const ok = failed === 0 && !matrix?.appeared.length;
  return resultDoc("test", { files: results, passed: results.length - failed, failed, ...(matrix ? { matrix } : {}) }, warnings, ok);
}

async function testScratchBuild(settings: Settings, reporter: Run, flags: TestFlags & { testsDir: string }, tests: TestFile[]): Promise<{ results: TestFileResult[]; matrix?: MatrixResult }> {
  const { files } = await readMigrations(settings, reporter);
  const seeds = await readSeeds(settings);
  const detection = await detectSupabase(settings, files);
  reporter.info(`building the database from ${files.length} migration(s) and ${seeds.length} seed(s) in a scratch database${detection.supabase ? " with the Supabase base" : ""}`);
  const scratch = await buildScratch(settings, reporter, { shadowUrl: flags.shadowUrl, files, seeds, detection, onEvent: quietBuild(reporter) });
  try {
    // A session of its own, opened after the build: the settings the build gave the database or
    // its roles (the Supabase base's search_path with extensions) apply to it, as to any client.
    const sql = scratch.db.session.openAlongside("dbkit-test");
    await sql.unsafe(HELPERS).simple();
    const results = await runTestFiles(sql, tests);
    if (!flags.matrix && !flags.updateMatrix) return { results };
    const matrix = await checkAccessMatrix(sql, { cwd: settings.cwd, testsDir: flags.testsDir, update: Boolean(flags.updateMatrix), supabase: detection.supabase }, reporter);
    return { results, matrix };
  } finally {
    await scratch.close();
  }
}

async function testNamedDatabase(settings: Settings, reporter: Run, tests: TestFile[]): Promise<TestFileResult[]> {
  return withTarget(settings, reporter, {}, async (db) => {
    reporter.info("testing the database as it is (no migration is applied): the files and the tests helpers in a transaction that is rolled back");
    return db.session.run(() => runTestFiles(db.session.sql, tests, { setup: HELPERS }));
  });
}

/** Builds the migrations and seeds in a scratch database and runs the SQL tests of tests/; `ok` is false when a file failed. */
export async function test(options: DbkitOptions & TestFlags = {}): Promise<TestReport> {
  return withApiRun(options, (settings, run) => testWith(settings, run, options));
}

export async function testCommand({ settings, output, run }: CommandContext, flags: TestFlags): Promise<number> {
  if (flags.shadowUrl) output.addSecrets(flags.shadowUrl);
  const report = await testWith(settings, run, flags);
  output.result(report, () => renderTest(report, output.paint));
  return report.ok ? ExitCode.ok : ExitCode.drift;
}
