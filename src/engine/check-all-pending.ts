/** Every pending file checked before the first runs, and every problem found reported at once. */
import { proceduresEndingTransactionsIn } from "../core/body-transaction-control.js";
import type { SqlDialect } from "../core/sql-lexer.js";
import type { MigrationFile } from "../core/types.js";
import { MigrationFileError } from "../errors.js";
import { checkPendingFile, type CheckedFile } from "./check-files.js";

/**
 * Checks each of `pending`; `all` (every migration of the project, applied ones too) tells which
 * procedures commit. One problem is thrown as it is; several as one refusal listing them all, so
 * a user fixes every file in one go instead of one per run.
 */
export async function checkAllPending(pending: readonly MigrationFile[], all: readonly MigrationFile[], dialect: SqlDialect = {}): Promise<CheckedFile[]> {
  // Nothing pending: no file's text is needed (a no-op run would read every file for it).
  if (pending.length === 0) return [];
  // One text at a time: a folder's files may read theirs on demand, and 5000 held at once weigh on a run.
  const procedures = proceduresEndingTransactionsIn(textsOf(all));
  const checked: CheckedFile[] = [];
  const problems: MigrationFileError[] = [];
  for (const file of pending) {
    try {
      checked.push(await checkPendingFile(file, dialect, procedures));
    } catch (error) {
      if (!(error instanceof MigrationFileError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw allProblems(problems);
  return checked;
}

function allProblems(problems: MigrationFileError[]): MigrationFileError {
  const codes = [...new Set(problems.map((problem) => problem.code))];
  const hints = [...new Set(problems.map((problem) => problem.hint).filter((hint): hint is string => Boolean(hint)))];
  return new MigrationFileError(codes.length === 1 ? codes[0]! : "DBKIT_BAD_FILES", `${problems.length} pending migrations cannot run as written: ${problems.map((problem) => problem.message).join("; ")}`, {
    hint: hints.join("; "),
    details: { problems: problems.map((problem) => ({ code: problem.code, message: problem.message, ...(problem.details ?? {}) })) },
  });
}

function* textsOf(files: readonly MigrationFile[]): Generator<string> {
  for (const file of files) yield file.text;
}
