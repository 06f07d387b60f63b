/**
 * Extensions every Supabase database has from the start, which `supabase db pull` writes into a
 * project's first migration as `create extension if not exists "pg_graphql" with schema "graphql"`.
 * On Supabase such a statement does nothing; on a database with the local Supabase base that lacks
 * the extension (the embedded Postgres has no pg_graphql), dbkit skips it, keeping the file's lines.
 */
import type { ParsedStatementLike } from "./types.js";

type Statement = ParsedStatementLike & { offset: number; text: string };

/** Preinstalled on every Supabase project (its dashboard lists them enabled on a new project). */
export const SUPABASE_PREINSTALLED_EXTENSIONS = new Set(["pg_graphql", "supabase_vault", "pgsodium", "pgjwt", "pg_stat_statements", "pgcrypto", "uuid-ossp", "plpgsql"]);

/** A statement to skip: its offset and length in the file, its line, and the extension. */
export interface SkippedExtension {
  offset: number;
  length: number;
  line: number;
  extension: string;
}

/** The `create extension if not exists` statements of preinstalled extensions the server lacks. */
export function preinstalledExtensionsToSkip(statements: readonly Statement[], available: ReadonlySet<string>): SkippedExtension[] {
  return statements.flatMap((statement) => {
    if (statement.kind !== "CreateExtensionStmt" || statement.node.if_not_exists !== true) return [];
    const extension = String(statement.node.extname);
    if (!SUPABASE_PREINSTALLED_EXTENSIONS.has(extension) || available.has(extension)) return [];
    return [{ offset: statement.offset, length: statement.text.length, line: statement.line, extension }];
  });
}

/** The text with each skipped statement blanked (newlines kept, so every later line keeps its number). */
export function withoutStatements(text: string, skipped: readonly SkippedExtension[]): string {
  let result = text;
  for (const { offset, length } of skipped) {
    const blank = result.slice(offset, offset + length).replace(/[^\n]/g, " ");
    result = result.slice(0, offset) + blank + result.slice(offset + length);
  }
  return result;
}
