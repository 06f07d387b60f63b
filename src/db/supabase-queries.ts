/** Installing the local Supabase base (local/supabase-base.ts). */
import type postgres from "postgres";
import { AUTH_PLATFORM_TABLES_SQL, DATABASE_WEBHOOKS_SQL, SUPABASE_BASE_MARKER, SUPABASE_REALTIME_SQL, supabaseBaseSql } from "../local/supabase-base.js";
import { quoteLiteral } from "./journal-sql.js";

/** Installs the base unless the database is a real Supabase one or already has it. Run under the migration lock. */
export async function installSupabaseBase(tx: postgres.TransactionSql, projectSchemas: readonly string[]): Promise<"installed" | "present" | "supabase"> {
  const [row] = await tx.unsafe<{ platform: boolean; ours: boolean; realtime: boolean; webhooks: boolean; authTables: boolean }[]>(
    `select exists (select from pg_roles where rolname = 'supabase_admin') and to_regclass('auth.users') is not null
            and obj_description(to_regnamespace('auth'), 'pg_namespace') is distinct from ${quoteLiteral(SUPABASE_BASE_MARKER)} as platform,
            ${quoteLiteral(SUPABASE_BASE_MARKER)} in (obj_description(to_regnamespace('auth'), 'pg_namespace'), obj_description(to_regnamespace('extensions'), 'pg_namespace')) as ours,
            to_regnamespace('realtime') is not null as realtime, to_regnamespace('supabase_functions') is not null as webhooks,
            to_regclass('auth.schema_migrations') is not null or to_regclass('auth.users') is null as "authTables"`,
  );
  // Never on a real Supabase database: it has all of this, owned by the platform.
  if (row?.platform) return "supabase";
  if (row?.ours) {
    // A base installed before it had Realtime's table or Database Webhooks gets that part alone, nothing else again.
    if (!row.realtime && !projectSchemas.includes("realtime")) await tx.unsafe(SUPABASE_REALTIME_SQL).simple();
    if (!row.webhooks && !projectSchemas.includes("supabase_functions")) await tx.unsafe(DATABASE_WEBHOOKS_SQL).simple();
    if (!row.authTables && !projectSchemas.includes("auth")) await tx.unsafe(AUTH_PLATFORM_TABLES_SQL).simple();
    return "present";
  }
  await tx.unsafe(supabaseBaseSql(projectSchemas)).simple();
  return "installed";
}
