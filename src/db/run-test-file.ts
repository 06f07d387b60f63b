/**
 * Runs the SQL test files in one transaction, rolled back at the end, each file in a savepoint of
 * its own: its statements in order (split by the Postgres grammar, so each has its line), the
 * assertions' TAP lines read from what each statement returns. `create extension pgtap` is
 * skipped: dbkit provides the functions.
 *
 * A file without a transaction statement is rolled back whole: files never see each other's rows.
 * A file that writes its own `begin; ... rollback;` runs as `supabase test db` (pg_prove, a session
 * per file) runs it: what the block does is rolled back, what the file does outside it (fixtures
 * and helper functions a `00000-...sql` file defines for the files after it) stays for the files
 * after it, until the run's transaction is rolled back.
 */
import { performance } from "node:perf_hooks";
import { failuresInValues, unsupportedPgtapFunction, type TestFailure, type TestFileResult } from "../core/test-failures.js";

export type { TestFileResult };
import { locationOfOffset, locationOfPosition } from "../core/sql-position.js";
import { parseStatements, type SqlStatement } from "../sql/parse-sql.js";
import type { Sql, TxSql } from "./session.js";

export interface TestFilesOptions {
  /** SQL run first inside the run's transaction (the helpers, on a database that must keep nothing). */
  setup?: string;
}

/** Thrown to end the run's transaction with a rollback once every file has run. */
class RollBack extends Error {}

export async function runTestFiles(sql: Sql, files: readonly { name: string; text: string }[], options: TestFilesOptions = {}): Promise<TestFileResult[]> {
  const results: TestFileResult[] = [];
  await sql
    .begin(async (tx) => {
      if (options.setup) await tx.unsafe(options.setup).simple();
      await tx.unsafe(`select set_config('search_path', current_setting('search_path') || ', tests', true)`);
      const [start] = await tx.unsafe<{ search_path: string }[]>(`select current_setting('search_path') as search_path`);
      for (const file of files) results.push(await runTestFile(tx, file, start?.search_path ?? ""));
      throw new RollBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return results;
}

async function runTestFile(tx: TxSql, file: { name: string; text: string }, searchPath: string): Promise<TestFileResult> {
  const started = performance.now();
  const done = (failures: TestFailure[], assertions = 0): TestFileResult => ({ file: file.name, ok: failures.length === 0, ms: Math.round(performance.now() - started), assertions, failures });
  // psql meta-commands (\set ON_ERROR_STOP ...) are not SQL: blanked, keeping the lines.
  const text = file.text.replace(/^[ \t]*\\.*$/gm, "");
  const parsed = await parseStatements(text);
  if (!parsed.ok) return done([{ line: parsed.location.line, message: `syntax error: ${parsed.message}` }]);
  // Each file starts as a new pg_prove session would: no role assumed, no count, the run's search_path.
  await tx.unsafe(`reset role`);
  await tx.unsafe(
    `select set_config('search_path', $1, true), set_config('request.jwt.claims', '', true), set_config('dbkit_test.count', '', true), set_config('dbkit_test.failed', '', true), set_config('dbkit_test.plan', '', true)`,
    [searchPath],
  );
  const statements = parsed.statements.filter((s) => !skipped(s));
  const keepsOutside = statements.some((s) => blockStep(s) !== undefined);
  await tx.unsafe(`savepoint dbkit_test_file`);
  const outcome = await runStatements(tx, text, statements);
  if (!keepsOutside || outcome.failures.some((failure) => failure.aborted)) await tx.unsafe(`rollback to savepoint dbkit_test_file`);
  await tx.unsafe(`release savepoint dbkit_test_file`);
  return done(outcome.failures.map(({ aborted: _, ...failure }) => failure), outcome.assertions);
}

type Failure = TestFailure & { aborted?: boolean };

async function runStatements(tx: TxSql, text: string, statements: SqlStatement[]): Promise<{ failures: Failure[]; assertions: number }> {
  const failures: Failure[] = [];
  const helpers = await dbkitHelpers(tx);
  let inBlock = false;
  for (const statement of statements) {
    const step = blockStep(statement);
    if (step === "begin") {
      if (!inBlock) await tx.unsafe(`savepoint dbkit_test_block`);
      inBlock = true;
      continue;
    }
    if (step === "commit" || step === "rollback") {
      // The block's counts are read before it is undone, and carried past it.
      if (inBlock) await endBlock(tx, step);
      inBlock = false;
      continue;
    }
    try {
      await giveWayToProjectHelper(tx, statement, helpers);
      const rows = (await tx.unsafe(statement.text).simple()) as unknown as Record<string, unknown>[];
      failures.push(...failuresInValues(rows.flatMap((row) => Object.values(row)), statement.line));
    } catch (error) {
      // The transaction is aborted: nothing after this statement can run, and the file is undone.
      failures.push({ ...statementFailure(error, text, statement), aborted: true });
      return { failures, assertions: 0 };
    }
  }
  if (inBlock) await endBlock(tx, "rollback");
  const counts = await countsSoFar(tx);
  // An assertion inside a DO block or a function returns its line to no one: counted all the same.
  if (counts.failed > failures.length) {
    failures.push({ line: lineCount(text), message: `${counts.failed - failures.length} assertion(s) failed without returning their TAP line (inside a block or a function)` });
  }
  return { failures, assertions: counts.count };
}

async function endBlock(tx: TxSql, step: "commit" | "rollback"): Promise<void> {
  const counts = await countsSoFar(tx);
  await tx.unsafe(step === "commit" ? `release savepoint dbkit_test_block` : `rollback to savepoint dbkit_test_block`);
  await tx.unsafe(`select set_config('dbkit_test.count', $1, true), set_config('dbkit_test.failed', $2, true)`, [String(counts.count), String(counts.failed)]);
}

async function countsSoFar(tx: TxSql): Promise<{ count: number; failed: number }> {
  const [counts] = await tx.unsafe<{ count: string | null; failed: string | null }[]>(
    `select current_setting('dbkit_test.count', true) as count, current_setting('dbkit_test.failed', true) as failed`,
  );
  return { count: Number(counts?.count ?? 0) || 0, failed: Number(counts?.failed ?? 0) || 0 };
}

/** The functions of the `tests` schema dbkit installed, by name: a project's own copy replaces them. */
async function dbkitHelpers(tx: TxSql): Promise<Map<string, string[]>> {
  const rows = await tx.unsafe<{ name: string; signature: string }[]>(
    `select p.proname as name, p.oid::regprocedure::text as signature from pg_proc p where p.pronamespace = to_regnamespace('tests')`,
  );
  const byName = new Map<string, string[]>();
  for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row.signature]);
  return byName;
}

/**
 * A file that defines a `tests` function dbkit provides (basejump's helpers copied into
 * `00000-supabase_test_helpers.sql`, as its README suggests) gets its own: dbkit's of that name are
 * dropped first, so a different parameter name or an added default does not make the definition
 * fail or the calls ambiguous.
 */
async function giveWayToProjectHelper(tx: TxSql, statement: SqlStatement, helpers: Map<string, string[]>): Promise<void> {
  if (statement.kind !== "CreateFunctionStmt") return;
  const names = (statement.node.funcname as { String?: { sval?: string; str?: string } }[] | undefined)?.map((part) => part.String?.sval ?? part.String?.str);
  if (names?.length !== 2 || names[0] !== "tests" || !names[1]) return;
  const signatures = helpers.get(names[1]);
  if (!signatures) return;
  helpers.delete(names[1]);
  for (const signature of signatures) await tx.unsafe(`drop function if exists ${signature}`);
}

type BlockStep = "begin" | "commit" | "rollback";

/** The file's own transaction statements, which mark the block that is rolled back. */
function blockStep(statement: SqlStatement): BlockStep | undefined {
  if (statement.kind !== "TransactionStmt") return undefined;
  const kind = String(statement.node.kind);
  if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") return "begin";
  if (kind === "TRANS_STMT_COMMIT") return "commit";
  if (kind === "TRANS_STMT_ROLLBACK") return "rollback";
  return undefined;
}

function skipped(statement: SqlStatement): boolean {
  if (statement.kind === "CreateExtensionStmt") return /^(pgtap|basejump-supabase_test_helpers|supabase_test_helpers)$/.test(String(statement.node.extname));
  return /\bdbdev\s*\.\s*install\s*\(/i.test(statement.text);
}

function statementFailure(error: unknown, text: string, statement: SqlStatement): TestFailure {
  const e = error as { message?: string; code?: string; position?: string };
  const position = Number(e.position);
  const line = position > 0 ? locationOfOffset(text, statement.offset).line + locationOfPosition(statement.text, position).line - 1 : statement.line;
  const unsupported = e.code === "42883" ? unsupportedPgtapFunction(e.message ?? "") : undefined;
  return { line, message: unsupported ?? `error ${e.code ?? ""}: ${e.message ?? String(error)}`.replace(/^error : /, "error: ") };
}

function lineCount(text: string): number {
  return text.split("\n").length;
}
