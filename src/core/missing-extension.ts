/**
 * A migration that creates an extension the server does not have: the usual case is a Supabase
 * project (pgsodium, pg_graphql, vector ...) run against the embedded Postgres, which ships only
 * Postgres's own contrib extensions. The hint says what to run it against instead.
 */

/** Extensions a Supabase database provides that a plain Postgres (and the embedded one) lacks. */
const SUPABASE_EXTENSIONS = new Set([
  "pgsodium", "pg_graphql", "vector", "pg_net", "pg_cron", "supabase_vault", "pgjwt", "pg_jsonschema", "wrappers", "http",
  "plv8", "pg_hashids", "index_advisor", "hypopg", "pgroonga", "rum", "pg_stat_monitor", "pgaudit", "postgis", "pgrouting", "timescaledb", "pg_tle", "plpgsql_check",
]);

/** The missing extension named by a server error (Postgres 17 and earlier wordings), if any. */
export function missingExtensionOf(message: string | undefined, detail?: string): string | undefined {
  const text = `${message ?? ""}\n${detail ?? ""}`;
  return /extension "([^"]+)" is not available/.exec(text)?.[1] ?? /could not open extension control file "[^"]*?([^"/\\]+)\.control"/.exec(text)?.[1];
}

/** What to do when `extension` is not on the server; undefined for an extension we know nothing of. */
export function missingExtensionHint(extension: string): string | undefined {
  if (!SUPABASE_EXTENSIONS.has(extension)) return undefined;
  return `${extension} is an extension Supabase provides; the embedded Postgres (like a plain Postgres) does not have it: run the migrations against a Supabase database (\`supabase start\`, then DATABASE_URL=postgres://postgres:postgres@127.0.0.1:54322/postgres), and verify with --shadow-url pointing at one`;
}
