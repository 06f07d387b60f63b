/** Turns a server error raised by a migration or seed into an error that points at the SQL. */
import { locateFailedStatement } from "../core/failed-statement.js";
import { leadingTriviaLength } from "../core/sql-lexer.js";
import { missingExtensionHint, missingExtensionOf } from "../core/missing-extension.js";
import { toolsKeepingTable } from "../core/other-tools.js";
import { excerptAt, locationOfPosition, type SqlLocation } from "../core/sql-position.js";
import type { MigrationFile } from "../core/types.js";
import { ConnectionError, MigrationFailedError, type DbkitError } from "../errors.js";
import { connectionErrorFor, type ConnectTarget } from "./connection-errors.js";

interface ServerError {
  code: string;
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

/** A piece of a seed as it was sent: SQL text starting at `line`, or a COPY block at `line`. */
export interface SeedPartContext {
  file: string;
  kind: "sql" | "copy";
  line: number;
  text?: string;
}

interface FailureSite {
  file: string;
  location?: SqlLocation;
  excerpt?: string;
  statement?: number;
}

/** Maps any error thrown while a migration file ran. Connection losses stay connection errors. */
export function migrationErrorFor(error: unknown, file: MigrationFile, target: ConnectTarget, { statement, wholeRun = false }: { statement?: StatementContext; wholeRun?: boolean } = {}): DbkitError {
  const known = connectionErrorFor(error, target);
  if (known) return known;
  const e = asServerError(error);
  if (!e) return unknownFailure(error, file.path);
  const baseHint = statement
    ? "fix the statement, then run `dbkit resolve` for this migration: statements before it were applied"
    : wholeRun
      ? "fix the migration and run dbkit migrate again: nothing from this run was applied (--single-transaction)"
      : "fix the migration and run dbkit migrate again: nothing from this file was applied";
  // A file read on demand (migrate's) that was edited since it was sent has no text to point into:
  // the server's error is still the failure, said without an excerpt.
  const sent = textAsSent(file);
  if (sent === undefined) return failure(error, e, { file: file.path, ...(statement ? { statement: statement.index } : {}) }, `${baseHint}; the file changed after it was sent, so no line is shown`);
  const toolTable = otherToolTableHint(e);
  const hint = toolTable ? `${toolTable}; ${baseHint}` : baseHint;
  // Without a server position, the statement that names the objects of the message.
  const location = locateInText(sent, e.position, statement) ?? (statement ? undefined : locateFailedStatement(sent, e.message ?? "", e.code));
  return failure(error, e, { file: file.path, ...(location ? { location, excerpt: excerptAt(sent, location) } : {}), ...(statement ? { statement: statement.index } : {}) }, hint);
}

/** A missing relation that is another tool's history table: the migration was written for that tool, which creates it first. */
function otherToolTableHint(e: ServerError): string | undefined {
  const relation = e.code === "42P01" ? /relation "([^"]+)" does not exist/.exec(e.message ?? "")?.[1] : undefined;
  const tools = relation ? toolsKeepingTable(relation) : [];
  if (tools.length === 0) return undefined;
  return `${relation} is the history table ${tools.join(" or ")} keeps for itself, which dbkit does not create: this migration changes that tool's own table; create the table in an earlier migration of the project, or remove the statement`;
}

/** The file's text, or undefined when it changed on disk since it was sent (see fs/text-on-demand.ts). */
function textAsSent(file: MigrationFile): string | undefined {
  try {
    return file.text;
  } catch (error) {
    if ((error as { code?: string }).code === "DBKIT_FILE_CHANGED") return undefined;
    throw error;
  }
}

/** Maps an error thrown while a part of a seed ran; COPY data errors point at the data line. */
export function seedErrorFor(error: unknown, part: SeedPartContext, target: ConnectTarget): DbkitError {
  const known = connectionErrorFor(error, target);
  if (known) return known;
  const e = asServerError(error);
  if (!e) return unknownFailure(error, `${part.file}:${part.line}`);
  let location: SqlLocation = { line: part.line, column: 1 };
  let excerpt: string | undefined;
  if (part.kind === "sql" && part.text && e.position) {
    const inPart = locationOfPosition(part.text, Number(e.position));
    location = { line: part.line + inPart.line - 1, column: inPart.column };
    excerpt = excerptAt(part.text, inPart, 2, part.line);
  }
  const copyLine = /COPY [^,]+, line (\d+)/.exec(e.where ?? "")?.[1];
  if (part.kind === "copy" && copyLine) location = { line: part.line + Number(copyLine), column: 1 };
  return failure(error, e, { file: part.file, location, ...(excerpt ? { excerpt } : {}) }, "fix the seed and run it again: nothing from this seed was applied");
}

function failure(error: unknown, e: ServerError, site: FailureSite, hint: string): DbkitError {
  const where = site.location ? `${site.file}:${site.location.line}:${site.location.column}` : site.file;
  const details: Record<string, unknown> = {
    file: site.file,
    ...(site.location ? { line: site.location.line, column: site.location.column } : {}),
    ...(site.statement ? { statement: site.statement } : {}),
    sqlstate: e.code,
    message: e.message,
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.where ? { context: e.where } : {}),
    ...(site.excerpt ? { excerpt: site.excerpt } : {}),
  };
  if (e.code === "55P03") {
    return new ConnectionError("DBKIT_LOCK_TIMEOUT", `${where}: could not acquire a lock within lock_timeout: ${e.message}`, {
      hint: "another session holds a lock on an object this file changes; retry when it is released, or raise --lock-timeout",
      cause: error,
      details,
    });
  }
  const timeoutHint = "the statement ran longer than --statement-timeout; raise it or make the file cheaper";
  const missing = missingExtensionOf(e.message, e.detail);
  const extensionHint = missing ? missingExtensionHint(missing) : undefined;
  return new MigrationFailedError("DBKIT_MIGRATION_FAILED", `${where}: ${e.message} (SQLSTATE ${e.code})`, { hint: e.code === "57014" ? timeoutHint : (extensionHint ?? hint), cause: error, details });
}

function asServerError(error: unknown): ServerError | undefined {
  const e = error as Partial<ServerError> | undefined;
  // postgres.js keeps every server field; its own (client-side) errors have no severity.
  return e && typeof e.code === "string" && e.severity !== undefined ? (e as ServerError) : undefined;
}

function unknownFailure(error: unknown, where: string): DbkitError {
  return new MigrationFailedError("DBKIT_MIGRATION_FAILED", `${where}: ${String((error as Error)?.message ?? error)}`, { cause: error, details: { file: where } });
}

function locateInText(text: string, position: string | undefined, statement?: StatementContext): SqlLocation | undefined {
  if (!position) return statement ? locationOfStatementPosition(text, statement, 1) : undefined;
  const index = Number(position);
  if (!Number.isInteger(index) || index < 1) return undefined;
  return statement ? locationOfStatementPosition(text, statement, index) : locationOfPosition(text, index);
}

/** A position inside one statement, mapped to the file: the statement's own prefix counts too. */
function locationOfStatementPosition(text: string, statement: StatementContext, position: number): SqlLocation {
  const before = [...text.slice(0, statement.offset)].length;
  const leading = position === 1 ? [...statement.text.slice(0, leadingTriviaLength(statement.text))].length : 0;
  return locationOfPosition(text, before + position + leading);
}
