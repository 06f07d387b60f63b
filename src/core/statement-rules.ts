/**
 * Which parsed statements cannot run inside dbkit's per-file transaction. Works on the node
 * shape libpg_query produces (`{ kind, node }`), so it stays pure and unit-testable.
 */
export interface ParsedStatementLike {
  kind: string;
  node: Record<string, unknown>;
  line: number;
}

/** Top-level BEGIN/COMMIT/ROLLBACK/...: dbkit owns the transaction of a transactional file. */
export function findTransactionControl(statements: readonly ParsedStatementLike[]): ParsedStatementLike | undefined {
  return statements.find((s) => s.kind === "TransactionStmt");
}

/** Statements Postgres refuses inside a transaction block, with a short description. */
export function findNonTransactional(statements: readonly ParsedStatementLike[]): { statement: ParsedStatementLike; what: string } | undefined {
  for (const statement of statements) {
    const what = describeNonTransactional(statement);
    if (what) return { statement, what };
  }
  return undefined;
}

function describeNonTransactional({ kind, node }: ParsedStatementLike): string | undefined {
  switch (kind) {
    case "IndexStmt":
      return node.concurrent ? "CREATE INDEX CONCURRENTLY" : undefined;
    case "DropStmt":
      return node.concurrent ? "DROP INDEX CONCURRENTLY" : undefined;
    case "ReindexStmt":
      return JSON.stringify(node.params ?? []).includes('"concurrently"') ? "REINDEX CONCURRENTLY" : undefined;
    case "VacuumStmt":
      return node.is_vacuumcmd ? "VACUUM" : undefined;
    case "CreatedbStmt":
      return "CREATE DATABASE";
    case "DropdbStmt":
      return "DROP DATABASE";
    case "AlterSystemStmt":
      return "ALTER SYSTEM";
    case "CreateTableSpaceStmt":
      return "CREATE TABLESPACE";
    case "DropTableSpaceStmt":
      return "DROP TABLESPACE";
    default:
      return undefined;
  }
}
