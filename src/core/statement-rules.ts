/**
 * Which statements of a transactional file cannot run inside dbkit's per-file transaction, told
 * by their first words (statements split by scanSql, with psql's rules). A lexical check, not a
 * parse: the server stays the authority, and this only moves the common mistakes before anything
 * runs, without loading the Postgres parser (tens of megabytes) for every pending file.
 */
import { calledProcedure, isDoBlock, transactionControlInBody } from "./body-transaction-control.js";
import { leadingTriviaLength, scanSql, topLevelStatements } from "./sql-lexer.js";

export type TransactionProblem =
  /** BEGIN, COMMIT, ROLLBACK, SAVEPOINT...: dbkit owns the transaction of a transactional file. */
  | { kind: "transaction-control"; what: string; line: number }
  /** A statement Postgres refuses inside a transaction block. */
  | { kind: "non-transactional"; what: string; line: number }
  /** COMMIT or ROLLBACK in a DO block, or a CALL of a procedure that runs one. */
  | { kind: "body-transaction-control"; what: string; line: number };

const TRANSACTION_CONTROL = /^(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b/i;

const NON_TRANSACTIONAL: [RegExp, string][] = [
  [/^create\s+(unique\s+)?index\s+concurrently\b/i, "CREATE INDEX CONCURRENTLY"],
  [/^drop\s+index\s+concurrently\b/i, "DROP INDEX CONCURRENTLY"],
  [/^reindex\b[^;]*?\bconcurrently\b/i, "REINDEX CONCURRENTLY"],
  [/^vacuum\b/i, "VACUUM"],
  [/^create\s+database\b/i, "CREATE DATABASE"],
  [/^drop\s+database\b/i, "DROP DATABASE"],
  [/^alter\s+system\b/i, "ALTER SYSTEM"],
  [/^create\s+tablespace\b/i, "CREATE TABLESPACE"],
  [/^drop\s+tablespace\b/i, "DROP TABLESPACE"],
];

/**
 * The first statement that cannot run in a transaction; `statementEnds` as scanSql returns them.
 * `procedures`: names of the project's procedures that commit or roll back (a CALL of one fails).
 */
export function findTransactionProblem(text: string, statementEnds: readonly number[], procedures?: ReadonlySet<string>): TransactionProblem | undefined {
  let start = 0;
  let line = 1;
  let counted = 0;
  for (const end of [...statementEnds, text.length]) {
    const raw = text.slice(start, end);
    const statementStart = start + leadingTriviaLength(raw);
    // Lines are counted incrementally: a data load may hold a million statements.
    for (let i = counted; i < statementStart; i++) if (text.charCodeAt(i) === 10) line++;
    counted = statementStart;
    const statement = text.slice(statementStart, end);
    const control = TRANSACTION_CONTROL.exec(statement);
    if (control) return { kind: "transaction-control", what: control[1]!.replace(/\s+/g, " ").toUpperCase(), line };
    const rule = NON_TRANSACTIONAL.find(([pattern]) => pattern.test(statement));
    if (rule) return { kind: "non-transactional", what: rule[1], line };
    const inBody = isDoBlock(statement) ? transactionControlInBody(statement) : undefined;
    if (inBody) return { kind: "body-transaction-control", what: `${inBody.what} inside a DO block`, line: line + newlinesIn(statement, inBody.offset) };
    const called = procedures && procedures.size > 0 ? calledProcedure(statement) : undefined;
    if (called && procedures!.has(called)) return { kind: "body-transaction-control", what: `CALL of procedure ${called}, which runs COMMIT or ROLLBACK,`, line };
    start = end + 1;
  }
  return undefined;
}

function newlinesIn(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

/**
 * A file that is one statement Postgres refuses in a transaction block (a lone `CREATE INDEX
 * CONCURRENTLY`). Prisma Migrate and Postgrator send a file as one query, which PostgreSQL runs in
 * an implicit transaction only when it holds more than one statement: such a file runs outside any.
 */
export function isLoneNonTransactionalStatement(text: string): boolean {
  const scan = scanSql(text);
  if (scan.statementEnds.length > 1) return false;
  const last = scan.statementEnds[0];
  const tail = last === undefined ? "" : text.slice(last + 1);
  if (leadingTriviaLength(tail) < tail.length) return false;
  return findTransactionProblem(text, scan.statementEnds)?.kind === "non-transactional";
}

/**
 * A file whose every statement Postgres refuses in a transaction block (a `DROP INDEX
 * CONCURRENTLY` and the `CREATE INDEX CONCURRENTLY` that replaces it). Flyway runs such a
 * migration outside a transaction; one that mixes them with other statements it refuses, as dbkit does.
 */
export function isAllNonTransactional(text: string): boolean {
  const { statements } = topLevelStatements(text);
  return statements.length > 0 && statements.every(({ body }) => NON_TRANSACTIONAL.some(([pattern]) => pattern.test(body)));
}
