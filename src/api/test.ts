/**
 * `dbkit test`: builds the database from the migrations and seeds in a scratch database (the
 * embedded scratch server, or a scratch database on --shadow-url; with the Supabase base in a
 * Supabase project), installs the `tests` helpers there, and runs each SQL test file in its own
 * rolled-back transaction.
 */
import type { Settings } from "../config/load-config.js";
import { runMigrate } from "../engine/migrate.js";
import type { OnEvent } from "../engine/events.js";
import { PGTAP_SQL } from "../db/pgtap-sql.js";
import { runTestFile, type TestFileResult } from "../db/run-test-file.js";
import { TEST_HELPERS_SQL } from "../db/test-helpers-sql.js";
import { readSeeds, seedParts } from "../fs/read-seed-dir.js";
import { readTestDir, testsDirOf } from "../fs/read-test-dir.js";
import { DBKIT_VERSION } from "../version.js";
import { openScratchStore } from "./open-scratch.js";
import { readMigrations } from "./read-project.js";
import { collectingWarnings, type Reporter } from "./reporter.js";
import { resultDoc, type ResultDoc } from "./result.js";
import { detectSupabase, prepareSupabaseBase } from "./supabase-base.js";

export interface TestFlags {
  /** A server to make the scratch database on, instead of the scratch embedded Postgres. */
  shadowUrl?: string;
  /** The folder of the test files (default: tests/ beside the migrations folder). */
  dir?: string;
}

export type TestReport = ResultDoc<"test", { files: TestFileResult[]; passed: number; failed: number }>;

/** The build's own progress is not the user's business; its warnings are. */
function quietBuild(reporter: Reporter): OnEvent {
  return (event) => {
    if (event.type === "warning") reporter.warn(event.message);
  };
}

/** Runs the project's SQL tests; `ok` is false when any file failed. */
export async function testWith(settings: Settings, base: Reporter, flags: TestFlags = {}, onFile?: (result: TestFileResult) => void): Promise<TestReport> {
  const { reporter, warnings } = collectingWarnings(base);
  const tests = await readTestDir(settings.cwd, testsDirOf(settings.cwd, settings.migrationsDir, flags.dir));
  const { files } = await readMigrations(settings, reporter);
  const seeds = await readSeeds(settings);
  const detection = await detectSupabase(settings, files);
  reporter.info(`building the database from ${files.length} migration(s) and ${seeds.length} seed(s) in a scratch database${detection.supabase ? " with the Supabase base" : ""}`);
  const scratch = await openScratchStore(settings, reporter, { shadowUrl: flags.shadowUrl });
  try {
    await runMigrate(scratch.db, quietBuild(reporter), {
      sessionSettings: settings.sessionSettings,
      prepare: () => prepareSupabaseBase(settings, scratch.db, files, reporter, true, detection),
      files,
      lockTimeout: settings.lockTimeout,
      statementTimeout: settings.statementTimeout,
      dbkitVersion: DBKIT_VERSION,
      seeds: { files: seeds, partsOf: (seed) => () => seedParts(seed, settings.cwd) },
    });
    const sql = scratch.db.session.sql;
    await sql.unsafe(TEST_HELPERS_SQL + PGTAP_SQL).simple();
    const results: TestFileResult[] = [];
    for (const test of tests) {
      const result = await runTestFile(sql, test);
      results.push(result);
      onFile?.(result);
    }
    const failed = results.filter((r) => !r.ok).length;
    return resultDoc("test", { files: results, passed: results.length - failed, failed }, warnings, failed === 0);
  } finally {
    await scratch.close();
  }
}
