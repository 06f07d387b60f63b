/** Turns a server error raised by a migration into a MigrationFailedError that points at the SQL. */
import { excerptAt, locationOfPosition, type SqlLocation } from "../core/sql-position.js";
import type { MigrationFile } from "../core/types.js";
import { ConnectionError, MigrationFailedError, type DbkitError } from "../errors.js";
import { connectionErrorFor, type ConnectTarget } from "./connection-errors.js";

interface ServerError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  severity?: string;
}

export interface StatementContext {
  /** The statement's text as sent, when the file ran statement by statement. */
  text: string;
  /** Offset of that statement in the file. */
  offset: number;
  /** 1-based index of the statement in the file. */
  index: number;
}

/** Maps any error thrown while a file ran. Connection losses stay connection errors (exit 3). */
export function migrationErrorFor(error: unknown, file: MigrationFile, target: ConnectTarget, statement?: StatementContext): DbkitError {
  const connectionError = connectionErrorFor(error, target);
  if (connectionError) return connectionError;
  const e = error as ServerError;
  if (!e || typeof e.code !== "string" || e.severity === undefined) {
    return new MigrationFailedError("DBKIT_MIGRATION_FAILED", `${file.path}: ${String((error as Error)?.message ?? error)}`, { cause: error, details: { file: file.path } });
  }
  const location = locate(file, e.position, statement);
  const where = location ? `${file.path}:${location.line}:${location.column}` : file.path;
  const details: Record<string, unknown> = {
    file: file.path,
    ...(location ? { line: location.line, column: location.column } : {}),
    ...(statement ? { statement: statement.index } : {}),
    sqlstate: e.code,
    message: e.message,
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.where ? { context: e.where } : {}),
    ...(location ? { excerpt: excerptAt(file.text, location) } : {}),
  };
  if (e.code === "55P03") {
    return new ConnectionError("DBKIT_LOCK_TIMEOUT", `${where}: could not acquire a lock within lock_timeout: ${e.message}`, {
      hint: "another session holds a lock on the object this migration changes; retry when it is released, or raise --lock-timeout",
      cause: error,
      details,
    });
  }
  const hint =
    e.code === "57014"
      ? "the statement ran longer than --statement-timeout; raise it or make the migration cheaper"
      : statement
        ? "fix the statement, then run `dbkit resolve` for this migration: statements before it were applied"
        : "fix the migration and run dbkit migrate again: nothing from this file was applied";
  return new MigrationFailedError("DBKIT_MIGRATION_FAILED", `${where}: ${e.message} (SQLSTATE ${e.code})`, { hint, cause: error, details });
}

function locate(file: MigrationFile, position: string | undefined, statement?: StatementContext): SqlLocation | undefined {
  if (!position) return statement ? locationOfOffsetFromStatement(file, statement, 1) : undefined;
  const index = Number(position);
  if (!Number.isInteger(index) || index < 1) return undefined;
  return statement ? locationOfOffsetFromStatement(file, statement, index) : locationOfPosition(file.text, index);
}

/** A position inside one statement, mapped to the file: the statement's own prefix counts too. */
function locationOfOffsetFromStatement(file: MigrationFile, statement: StatementContext, position: number): SqlLocation {
  const before = [...file.text.slice(0, statement.offset)].length;
  const leading = position === 1 ? [.../^\s*/.exec(statement.text)![0]].length : 0;
  return locationOfPosition(file.text, before + position + leading);
}
