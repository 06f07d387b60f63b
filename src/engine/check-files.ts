/**
 * Checks that pending files can run, before the database is touched: no psql meta-commands,
 * nothing left unterminated, no transaction control or non-transactional statement in a
 * transactional file, and a clean parse for files that run statement by statement.
 */
import { scanSql, type SqlDialect } from "../core/sql-lexer.js";
import { findTransactionProblem } from "../core/statement-rules.js";
import { isUntouchedNewMigration } from "../core/new-file-header.js";
import type { MigrationFile } from "../core/types.js";
import { MigrationFailedError, MigrationFileError } from "../errors.js";
import { parseStatements, type SqlStatement } from "../sql/parse-sql.js";

export interface CheckedFile {
  file: MigrationFile;
  /** Statements of a no-transaction file, split by the Postgres parser. */
  statements?: SqlStatement[];
}

/** `procedures`: the project's procedures that commit or roll back (see core/body-transaction-control.ts). */
export async function checkPendingFile(file: MigrationFile, dialect: SqlDialect = {}, procedures?: ReadonlySet<string>): Promise<CheckedFile> {
  // Asked for once: a file may read its text on demand (fs/text-on-demand.ts).
  const text = file.text;
  if (isUntouchedNewMigration(text)) {
    throw new MigrationFileError("DBKIT_EMPTY_MIGRATION", `${file.path}: is empty: it holds only the header dbkit new wrote`, {
      hint: "write the migration's SQL (or delete the file); applied empty, it could never be filled in",
      details: { file: file.path },
    });
  }
  const scan = scanSql(text, dialect);
  const meta = scan.metaCommands[0];
  if (meta) {
    throw new MigrationFileError("DBKIT_PSQL_META_COMMAND", `${file.path}:${meta.line}: ${meta.command} is a psql meta-command, not SQL`, {
      hint: "dbkit sends files to the server as SQL; replace the meta-command with SQL (\\i includes: move the file's content into a migration)",
      details: { file: file.path, line: meta.line, command: meta.command },
    });
  }
  if (scan.unterminated) {
    const { kind, line, delimiter } = scan.unterminated;
    throw new MigrationFileError("DBKIT_UNTERMINATED", `${file.path}:${line}: unterminated ${kind} starting with ${delimiter}`, {
      hint: `close the ${kind}; everything after line ${line} is inside it`,
      details: { file: file.path, line },
    });
  }
  if (!file.directives.noTransaction) {
    // Checked by first words, not parsed: loading the Postgres parser for every pending file
    // costs tens of megabytes, and an unparseable file goes to the server anyway, which reports
    // the error precisely (and may know syntax newer than a bundled parser).
    const problem = findTransactionProblem(text, scan.statementEnds, procedures);
    if (problem?.kind === "transaction-control") {
      throw new MigrationFileError("DBKIT_TRANSACTION_CONTROL", `${file.path}:${problem.line}: top-level ${problem.what} in a transactional migration`, {
        hint: "dbkit runs each file in its own transaction; remove BEGIN/COMMIT, or add `-- dbkit:no-transaction` at the top to manage it yourself",
        details: { file: file.path, line: problem.line },
      });
    }
    if (problem?.kind === "body-transaction-control") {
      throw new MigrationFileError("DBKIT_TRANSACTION_CONTROL", `${file.path}:${problem.line}: ${problem.what} cannot run inside the transaction dbkit runs this file in`, {
        hint: "add `-- dbkit:no-transaction` at the top of the file so it runs outside a transaction, statement by statement (keep such code in a file of its own)",
        details: { file: file.path, line: problem.line },
      });
    }
    if (problem) {
      throw new MigrationFileError("DBKIT_NEEDS_NO_TRANSACTION", `${file.path}:${problem.line}: ${problem.what} cannot run inside a transaction`, {
        hint: "add `-- dbkit:no-transaction` at the top of the file (and keep such statements in a file of their own)",
        details: { file: file.path, line: problem.line },
      });
    }
    return { file };
  }
  if (dialect.backslashEscapes && text.includes("\\")) {
    // The Postgres parser dbkit splits these files with reads strings the standard way only.
    const line = text.slice(0, text.indexOf("\\")).split("\n").length;
    throw new MigrationFileError("DBKIT_NONSTANDARD_STRINGS", `${file.path}:${line}: a backslash in a no-transaction file on a server with standard_conforming_strings = off`, {
      hint: "dbkit cannot split this file the way the server reads it; use E'...' or dollar quotes without backslashes, or turn standard_conforming_strings on (the default since PostgreSQL 9.1)",
      details: { file: file.path, line },
    });
  }
  const parsed = await parseStatements(text);
  if (!parsed.ok) {
    const { line, column } = parsed.location;
    throw new MigrationFailedError("DBKIT_SYNTAX_ERROR", `${file.path}:${line}:${column}: ${parsed.message}`, {
      hint: "fix the syntax; nothing from this file was applied",
      details: { file: file.path, line, column, message: parsed.message },
    });
  }
  return { file, statements: parsed.statements };
}
