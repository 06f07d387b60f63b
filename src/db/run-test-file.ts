/**
 * Runs one SQL test file in its own transaction, rolled back at the end: its statements in order
 * (split by the Postgres grammar, so each has its line), the assertions' TAP lines read from what
 * each statement returns. The file's own BEGIN/ROLLBACK and `create extension pgtap` are skipped:
 * dbkit holds the transaction and provides the functions.
 */
import { performance } from "node:perf_hooks";
import { failuresInValues, unsupportedPgtapFunction, type TestFailure, type TestFileResult } from "../core/test-failures.js";

export type { TestFileResult };
import { locationOfOffset, locationOfPosition } from "../core/sql-position.js";
import { parseStatements, type SqlStatement } from "../sql/parse-sql.js";
import type { Sql, TxSql } from "./session.js";

export interface TestFileOptions {
  /** SQL run first inside the file's transaction (the helpers, on a database that must keep nothing). */
  setup?: string;
}

/** Thrown to end the file's transaction with a rollback once it has run. */
class RollBack extends Error {}

export async function runTestFile(sql: Sql, file: { name: string; text: string }, options: TestFileOptions = {}): Promise<TestFileResult> {
  const started = performance.now();
  const done = (failures: TestFailure[], assertions = 0): TestFileResult => ({ file: file.name, ok: failures.length === 0, ms: Math.round(performance.now() - started), assertions, failures });
  // psql meta-commands (\set ON_ERROR_STOP ...) are not SQL: blanked, keeping the lines.
  const text = file.text.replace(/^[ \t]*\\.*$/gm, "");
  const parsed = await parseStatements(text);
  if (!parsed.ok) return done([{ line: parsed.location.line, message: `syntax error: ${parsed.message}` }]);
  let outcome: { failures: TestFailure[]; assertions: number } | undefined;
  await sql
    .begin(async (tx) => {
      if (options.setup) await tx.unsafe(options.setup).simple();
      await tx.unsafe(`select set_config('search_path', current_setting('search_path') || ', tests', true)`);
      outcome = await runStatements(tx, text, parsed.statements.filter((s) => !skipped(s)));
      throw new RollBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return done(outcome?.failures ?? [], outcome?.assertions);
}

async function runStatements(tx: TxSql, text: string, statements: SqlStatement[]): Promise<{ failures: TestFailure[]; assertions: number }> {
  const failures: TestFailure[] = [];
  for (const statement of statements) {
    try {
      const rows = (await tx.unsafe(statement.text).simple()) as unknown as Record<string, unknown>[];
      failures.push(...failuresInValues(rows.flatMap((row) => Object.values(row)), statement.line));
    } catch (error) {
      failures.push(statementFailure(error, text, statement));
      // The transaction is aborted: nothing after this statement can run.
      return { failures, assertions: 0 };
    }
  }
  const [counts] = await tx.unsafe<{ count: string | null; failed: string | null }[]>(
    `select current_setting('dbkit_test.count', true) as count, current_setting('dbkit_test.failed', true) as failed`,
  );
  const failed = Number(counts?.failed ?? 0) || 0;
  // An assertion inside a DO block or a function returns its line to no one: counted all the same.
  if (failed > failures.length) {
    failures.push({ line: lineCount(text), message: `${failed - failures.length} assertion(s) failed without returning their TAP line (inside a block or a function)` });
  }
  return { failures, assertions: Number(counts?.count ?? 0) || 0 };
}

function skipped(statement: SqlStatement): boolean {
  if (statement.kind === "TransactionStmt") return ["TRANS_STMT_BEGIN", "TRANS_STMT_START", "TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK"].includes(String(statement.node.kind));
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
