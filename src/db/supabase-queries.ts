/** Queries about Supabase's own objects: the CLI's migration history, and the local base. */
import type postgres from "postgres";
import { SUPABASE_BASE_MARKER, supabaseBaseSql } from "../local/supabase-base.js";
import { quoteLiteral } from "./journal-sql.js";

/** supabase_migrations.schema_migrations, or undefined when the database has none. */
export async function readSupabaseHistory(sql: postgres.Sql): Promise<{ version: string; name: string | null }[] | undefined> {
  const [exists] = await sql.unsafe<{ ok: boolean }[]>(`select to_regclass('supabase_migrations.schema_migrations') is not null as ok`);
  if (!exists?.ok) return undefined;
  // Older Supabase CLI versions have no name column.
  const [hasName] = await sql.unsafe<{ ok: boolean }[]>(
    `select exists (select from information_schema.columns where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' and column_name = 'name') as ok`,
  );
  return sql.unsafe<{ version: string; name: string | null }[]>(
    `select version::text as version, ${hasName?.ok ? "name::text" : "null::text"} as name from supabase_migrations.schema_migrations order by version`,
  );
}

/** Installs the base unless the database is a real Supabase one or already has it. Run under the migration lock. */
export async function installSupabaseBase(tx: postgres.TransactionSql, projectSchemas: readonly string[]): Promise<"installed" | "present" | "supabase"> {
  const [row] = await tx.unsafe<{ platform: boolean; ours: boolean }[]>(
    `select exists (select from pg_roles where rolname = 'supabase_admin') and to_regclass('auth.users') is not null
            and obj_description(to_regnamespace('auth'), 'pg_namespace') is distinct from ${quoteLiteral(SUPABASE_BASE_MARKER)} as platform,
            ${quoteLiteral(SUPABASE_BASE_MARKER)} in (obj_description(to_regnamespace('auth'), 'pg_namespace'), obj_description(to_regnamespace('extensions'), 'pg_namespace')) as ours`,
  );
  // Never on a real Supabase database: it has all of this, owned by the platform.
  if (row?.platform) return "supabase";
  if (row?.ours) return "present";
  await tx.unsafe(supabaseBaseSql(projectSchemas)).simple();
  return "installed";
}
