/**
 * Checks that pending files can run, before the database is touched: no psql meta-commands,
 * nothing left unterminated, no transaction control in a transactional file, and a clean
 * parse for files that run statement by statement.
 */
import { leadingTriviaLength, scanSql } from "../core/sql-lexer.js";
import { findNonTransactional, findTransactionControl } from "../core/statement-rules.js";
import type { MigrationFile } from "../core/types.js";
import { MigrationFailedError, MigrationFileError } from "../errors.js";
import { parseStatements, type SqlStatement } from "../sql/parse-sql.js";

export interface CheckedFile {
  file: MigrationFile;
  /** Statements of a no-transaction file, split by the Postgres parser. */
  statements?: SqlStatement[];
}

export async function checkPendingFile(file: MigrationFile): Promise<CheckedFile> {
  const scan = scanSql(file.text);
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
  // Very large files are data loads, not hand-written DDL: the parser's tree for them would take
  // gigabytes, so their statements are checked by their first words instead.
  if (!file.directives.noTransaction && file.text.length > PARSE_LIMIT) return checkLargeFile(file, scan.statementEnds);
  const parsed = await parseStatements(file.text);
  if (file.directives.noTransaction) {
    if (!parsed.ok) {
      const { line, column } = parsed.location;
      throw new MigrationFailedError("DBKIT_SYNTAX_ERROR", `${file.path}:${line}:${column}: ${parsed.message}`, {
        hint: "fix the syntax; nothing from this file was applied",
        details: { file: file.path, line, column, message: parsed.message },
      });
    }
    return { file, statements: parsed.statements };
  }
  // An unparseable transactional file goes to the server, which reports the error precisely and
  // may know syntax newer than the bundled parser.
  if (!parsed.ok) return { file };
  const control = findTransactionControl(parsed.statements);
  if (control) {
    throw new MigrationFileError("DBKIT_TRANSACTION_CONTROL", `${file.path}:${control.line}: top-level ${String(control.node.kind ?? "TRANS_STMT_BEGIN").replace("TRANS_STMT_", "")} in a transactional migration`, {
      hint: "dbkit runs each file in its own transaction; remove BEGIN/COMMIT, or add `-- dbkit:no-transaction` at the top to manage it yourself",
      details: { file: file.path, line: control.line },
    });
  }
  const outside = findNonTransactional(parsed.statements);
  if (outside) {
    throw new MigrationFileError("DBKIT_NEEDS_NO_TRANSACTION", `${file.path}:${outside.statement.line}: ${outside.what} cannot run inside a transaction`, {
      hint: "add `-- dbkit:no-transaction` at the top of the file (and keep such statements in a file of their own)",
      details: { file: file.path, line: outside.statement.line },
    });
  }
  return { file };
}

/** Above this many characters a transactional file is checked lexically (see checkLargeFile). */
export const PARSE_LIMIT = 1024 * 1024;

const TRANSACTION_CONTROL = /^(begin|start\s+transaction|commit|end|rollback|abort)\b/i;
const NON_TRANSACTIONAL = /^(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\b.*\bconcurrently|vacuum)\b/i;

function checkLargeFile(file: MigrationFile, statementEnds: number[]): CheckedFile {
  let start = 0;
  let line = 1;
  let counted = 0;
  for (const end of [...statementEnds, file.text.length]) {
    const raw = file.text.slice(start, end);
    const statement = raw.slice(leadingTriviaLength(raw));
    // Lines counted incrementally: the file may hold a million statements.
    for (let i = counted; i < end - statement.length; i++) if (file.text.charCodeAt(i) === 10) line++;
    counted = end - statement.length;
    const control = TRANSACTION_CONTROL.exec(statement);
    if (control) {
      throw new MigrationFileError("DBKIT_TRANSACTION_CONTROL", `${file.path}:${line}: top-level ${control[1]!.toUpperCase()} in a transactional migration`, {
        hint: "dbkit runs each file in its own transaction; remove BEGIN/COMMIT, or add `-- dbkit:no-transaction` at the top to manage it yourself",
        details: { file: file.path, line },
      });
    }
    const outside = NON_TRANSACTIONAL.exec(statement);
    if (outside) {
      throw new MigrationFileError("DBKIT_NEEDS_NO_TRANSACTION", `${file.path}:${line}: ${outside[1]!.replace(/\s+/g, " ").toUpperCase()} cannot run inside a transaction`, {
        hint: "add `-- dbkit:no-transaction` at the top of the file (and keep such statements in a file of their own)",
        details: { file: file.path, line },
      });
    }
    start = end + 1;
  }
  return { file };
}
