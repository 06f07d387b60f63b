/**
 * A migration that fails because what it creates already exists, on a database without a dbkit
 * journal, is rarely a broken file: the database was migrated before (the journal was dropped by
 * hand, or another tool applied the files). "Fix the migration" would send the user the wrong way.
 */
import { MigrationFailedError } from "../errors.js";

/** SQLSTATEs for "already exists": table, object, schema, function, database, column. */
const ALREADY_EXISTS = new Set(["42P07", "42710", "42P06", "42723", "42P04", "42701"]);

/** The same failure with a hint that points at adopting the existing database, when it fits. */
export function withNoJournalHint(error: unknown): unknown {
  if (!(error instanceof MigrationFailedError) || !ALREADY_EXISTS.has(String(error.details?.sqlstate))) return error;
  return new MigrationFailedError(error.code, error.message, {
    hint:
      "the database has no dbkit journal but already has what this migration creates: if the migrations were applied before " +
      "(the journal was dropped, or another tool ran them), record them without running them: `dbkit baseline --to <last applied>` " +
      "(or `dbkit import supabase` for the Supabase CLI's history)",
    ...(error.details ? { details: error.details } : {}),
    cause: error.cause ?? error,
  });
}

